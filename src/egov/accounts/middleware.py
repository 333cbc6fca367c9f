from django.conf import settings
from django.shortcuts import redirect
from django_otp.plugins.otp_totp.models import TOTPDevice

# What a signed-in staff member may still reach before passing the second factor.
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz")


def needs_second_factor(user) -> bool:
    if not (user.is_authenticated and user.kind == "staff"):
        return False
    if settings.EGOV_STAFF_REQUIRE_2FA:
        return True
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


class StaffTwoFactorMiddleware:
    """Staff who signed in with a password reach nothing but the second-factor pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.kind == "staff"
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
            and needs_second_factor(user)
        ):
            return redirect("accounts:verify")
        return self.get_response(request)
