"""A signed-in person's own settings: personal access tokens for API clients, and who looked
up their data in the shared registries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts import tokens
from egov.exchange import disclosures
from egov.portal.dossier_forms import TokenForm


@login_required
def access_tokens(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        _record, created = tokens.create(
            request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = TokenForm()
    return render(
        request,
        "portal/access_tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": request.user.access_tokens.all(),
        },
    )


@login_required
@require_POST
def revoke_token(request, pk: int):
    record = get_object_or_404(request.user.access_tokens, pk=pk)
    tokens.revoke(record, actor=request.user)
    messages.success(request, _("The key “%(name)s” no longer works.") % {"name": record.name})
    return redirect("portal:access_tokens")


@login_required
def data_lookups(request):
    """Who looked up my data in the shared registries, when and why (Law 91/2025)."""
    citizen_id = (request.user.citizen_id or "").strip()
    return render(
        request,
        "portal/data_lookups.html",
        {"citizen_id": citizen_id, "lookups": disclosures.lookups_of(citizen_id)},
    )
