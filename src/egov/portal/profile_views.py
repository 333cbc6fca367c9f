"""The citizen's profile: their details (which pre-fill e-forms) and, with a code, a new e-mail
address or phone number."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from egov.accounts import contact_change
from egov.accounts import services as accounts
from egov.accounts.models import VerificationCode
from egov.portal.dossier_forms import CodeForm
from egov.portal.profile_forms import ContactForm, ProfileForm


def _citizen(request):
    if request.user.kind != "citizen":
        raise Http404
    return request.user


def _render(request, form, contact_form):
    return render(request, "portal/profile.html", {"form": form, "contact_form": contact_form})


@login_required
def profile(request):
    user = _citizen(request)
    form = ProfileForm(request.POST or None, user=user)
    if request.method == "POST" and "show_communes" not in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            accounts.update_profile(
                user,
                full_name=data["full_name"],
                date_of_birth=data["date_of_birth"],
                citizen_id=data["citizen_id"],
                address_street=data["address_street"],
                address_unit=data["address_unit"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(None if field == "__all__" else field, errors)
        else:
            messages.success(request, _("Your details were saved."))
            return redirect("portal:profile")
    return _render(request, form, ContactForm())


@login_required
@require_POST
@ratelimit(key="user", rate="10/h", method="POST", block=True)
def contact_start(request):
    user = _citizen(request)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            record = contact_change.start(user, form.cleaned_data["contact"])
        except ValidationError as exc:
            form.add_error("contact", exc.messages)
        else:
            return redirect("portal:contact_confirm", public_id=record.public_id)
    return _render(request, ProfileForm(user=user), form)


@login_required
@ratelimit(key="user", rate="30/h", method="POST", block=True)
def contact_confirm(request, public_id):
    user = _citizen(request)
    record = get_object_or_404(
        VerificationCode,
        public_id=public_id,
        purpose=VerificationCode.Purpose.CONTACT_CHANGE,
        user=user,
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = contact_change.confirm(record, form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.messages[0])
        else:
            if user.username == record.destination:
                text = _("%(address)s is now the address of your account; sign in with it.")
            else:
                text = _("%(address)s is now the address of your account.")
            messages.success(request, text % {"address": record.destination})
            return redirect("portal:profile")
    return render(
        request,
        "portal/code.html",
        {"form": form, "destination": record.destination, "title": _("Confirm your address")},
    )
