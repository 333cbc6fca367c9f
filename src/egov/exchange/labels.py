"""The names of the audit actions this app records (egov.core.action_labels)."""

from django.utils.translation import gettext_lazy as _

from egov.core import action_labels

ACTIONS = {
    "exchange.member_saved": _("Data sharing member saved"),
    "exchange.client_registered": _("Client system registered on the data sharing platform"),
    "exchange.client_suspended": _("Client system suspended on the data sharing platform"),
    "exchange.service_published": _("Service published on the data sharing platform"),
    "exchange.service_withdrawn": _("Service withdrawn from the data sharing platform"),
    "exchange.right_granted": _("Access right to a shared service granted"),
    "exchange.right_revoked": _("Access right to a shared service revoked"),
    "exchange.subscription_saved": _("Event subscription saved on the data sharing platform"),
    "exchange.platform_key_installed": _("Signing key of the data sharing platform installed"),
}
action_labels.register(ACTIONS)
