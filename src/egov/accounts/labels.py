"""The names of the audit actions this app records (egov.core.action_labels)."""

from django.utils.translation import gettext_lazy as _

from egov.core import action_labels

ACTIONS = {
    "accounts.user_created": _("User account created"),
    "accounts.role_granted": _("Role granted"),
    "accounts.role_revoked": _("Role revoked"),
    "accounts.staff_login": _("Staff member signed in"),
    "accounts.totp_enrolled": _("Authenticator app connected (two-step sign-in)"),
    "accounts.totp_setup_code_issued": _("Two-step sign-in setup code issued"),
    "accounts.totp_setup_code_used": _("Two-step sign-in setup code used"),
    "accounts.signed_up": _("Citizen signed up"),
    "accounts.sso_sign_in": _("Signed in through single sign-on"),
    "accounts.password_reset": _("Password reset with a one-time code"),
    "accounts.contact_changed": _("E-mail address or phone number changed"),
    "accounts.profile_updated": _("Personal details updated"),
    "accounts.token_created": _("API access key created"),
    "accounts.token_revoked": _("API access key revoked"),
    "accounts.address_locked_out": _("Sign-in paused for a network address (too many failures)"),
}
action_labels.register(ACTIONS)
