"""Citizen sign-up and password reset pages (codes by e-mail or SMS)."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from egov.accounts import signup
from egov.accounts.models import VerificationCode
from egov.portal.dossier_forms import CodeForm, ResetForm, ResetRequestForm, SignUpForm


@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def sign_up(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = signup.start_sign_up(
                full_name=form.cleaned_data["full_name"],
                contact=form.cleaned_data["contact"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field, errors)
        else:
            return redirect("portal:sign_up_confirm", public_id=record.public_id)
    return render(request, "portal/sign_up.html", {"form": form})


@ratelimit(key="ip", rate="30/h", method="POST", block=True)
def sign_up_confirm(request, public_id):
    record = get_object_or_404(
        VerificationCode, public_id=public_id, purpose=VerificationCode.Purpose.SIGN_UP
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = signup.confirm_sign_up(record, form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.messages[0])
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready."))
            return redirect("portal:home")
    return render(
        request,
        "portal/code.html",
        {
            "form": form,
            "destination": record.destination,
            "title": _("Confirm your address"),
        },
    )


@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def reset_request(request):
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = signup.start_password_reset(form.cleaned_data["contact"])
        except ValidationError as exc:
            form.add_error("contact", exc.messages[0])
        else:
            # The same answer whether or not an account exists: no enumeration.
            request.session["reset_code"] = str(record.public_id) if record else ""
            return redirect("portal:reset_confirm")
    return render(request, "portal/reset_request.html", {"form": form})


@ratelimit(key="ip", rate="30/h", method="POST", block=True)
def reset_confirm(request):
    public_id = request.session.get("reset_code", "")
    record = (
        VerificationCode.objects.filter(
            public_id=public_id, purpose=VerificationCode.Purpose.PASSWORD_RESET
        )
        .select_related("user")
        .first()
        if public_id
        else None
    )
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if record is None:
            form.add_error(
                "code", _("The code is not right. Check the latest message and try again.")
            )
        else:
            try:
                signup.confirm_password_reset(
                    record, form.cleaned_data["code"], form.cleaned_data["password"]
                )
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                request.session.pop("reset_code", None)
                messages.success(request, _("Your password was changed. Sign in with it."))
                return redirect("accounts:login")
    return render(
        request,
        "portal/code.html",
        {"form": form, "title": _("Choose a new password"), "destination": ""},
    )
