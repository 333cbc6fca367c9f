import logging
from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts import enrolment, lockout, services, sso
from egov.accounts.forms import LoginForm, SetupCodeForm, TokenForm
from egov.accounts.middleware import needs_second_factor

logger = logging.getLogger(__name__)


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _home_for(user) -> str:
    return "/staff/" if user.kind == "staff" else "/"


def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is not None:
            login(request, user)
            next_url = _next_url(request, _home_for(user))
            if needs_second_factor(user):
                request.session["after_2fa"] = next_url
                return redirect("accounts:verify")
            if user.kind == "staff":
                services.record_login(user=user, second_factor=False)
            return redirect(next_url)
        form.add_error(None, _("The user name or password is not right. Check them and try again."))
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "next": _next_url(request, ""),
            "sso_enabled": settings.EGOV_OIDC_ENABLED,
            "sso_name": settings.EGOV_OIDC_NAME,
        },
    )


def verify_view(request):
    """The second step for staff: a TOTP code, or enrolment when there is no device yet."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user.is_verified():
        return redirect(request.session.pop("after_2fa", _home_for(user)))
    if not TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return redirect("accounts:setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            services.record_login(user=user, second_factor=True)
            return redirect(request.session.pop("after_2fa", _home_for(user)))
        form.add_error("token", _("That code is not right or has expired. Enter the current code."))
    return render(request, "accounts/verify.html", {"form": form})


SETUP_CODE_SESSION_KEY = "totp_setup_code"


def setup_view(request):
    """Enrol an authenticator app: first the setup code an administrator gave (the password
    alone must not let anyone enrol their own phone), then scan the QR code and confirm with a
    first code from the app."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return redirect("accounts:verify")
    if request.session.get(SETUP_CODE_SESSION_KEY) != user.pk:
        return _setup_code_step(request, user)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            request.session.pop(SETUP_CODE_SESSION_KEY, None)
            services.record_totp_enrolled(user=user, device_name=device.name)
            otp_login(request, device)
            services.record_login(user=user, second_factor=True)
            messages.success(request, _("Two-step sign-in is now on for your account."))
            return redirect(request.session.pop("after_2fa", _home_for(user)))
        form.add_error(
            "token",
            _("That code is not right. Check the time on your phone and enter the current code."),
        )
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    context = {
        "form": form,
        "qr_svg": buffer.getvalue().decode(),
        "secret": b32encode(device.bin_key).decode().rstrip("="),
    }
    return render(request, "accounts/setup.html", context)


def _setup_code_step(request, user):
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if enrolment.redeem(user, form.cleaned_data["code"]) is not None:
            request.session[SETUP_CODE_SESSION_KEY] = user.pk
            return redirect("accounts:setup")
        form.add_error(
            "code",
            _(
                "This setup code is not right, has expired or was already used. Check it, or "
                "ask your agency administrator for a new one."
            ),
        )
    hours = round(settings.EGOV_TOTP_SETUP_CODE_HOURS)
    return render(request, "accounts/setup_code.html", {"form": form, "hours": hours})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("portal:home")


def locked_out(request, original_response=None, credentials=None):
    """Axes calls this once a failure limit is reached (403 with a plain explanation): the one
    for the account from this address, or the one for the address across accounts."""
    by_address = lockout.address_locked(lockout.address_of(request))
    minutes = lockout.cooloff_minutes() if by_address else round(settings.AXES_COOLOFF_TIME * 60)
    context = {"cooloff_minutes": minutes, "by_address": by_address}
    return render(request, "accounts/locked_out.html", context, status=403)


def sso_login(request):
    if not settings.EGOV_OIDC_ENABLED:
        raise Http404
    request.session["after_sso"] = _next_url(request, "/")
    redirect_uri = request.build_absolute_uri(reverse("accounts:sso_callback"))
    return sso.client().authorize_redirect(request, redirect_uri)


def sso_callback(request):
    if not settings.EGOV_OIDC_ENABLED:
        raise Http404
    try:
        token = sso.client().authorize_access_token(request)
    except (OAuthError, MismatchingStateError, requests.RequestException, ValueError) as exc:
        logger.warning("single sign-on failed: %s", exc.__class__.__name__)
        messages.error(
            request,
            _(
                "Signing in with %(provider)s did not succeed. Try again, or "
                "sign in with your user name and password."
            )
            % {"provider": settings.EGOV_OIDC_NAME},
        )
        return redirect("accounts:login")
    user = sso.sign_in(token["userinfo"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # The level vouched for at this sign-in; a session opened with a password has none.
    request.session["identity_level"] = user.identity_level
    return redirect(request.session.pop("after_sso", "/"))
