"""The operator's pages: members and their systems, services and their providers' health,
access rights (grant, revoke), and the message log with filters."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.access import staff_required
from egov.exchange import services
from egov.exchange.forms import GrantForm, LogFilterForm, RevokeForm
from egov.exchange.models import AccessRight, ClientSystem, Member, MessageRecord, Service

LOG_PAGE = 100


def operator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.may_operate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@operator_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "exchange/overview.html",
        {
            "members": Member.objects.select_related("agency"),
            "clients": ClientSystem.objects.select_related("member"),
            "services": Service.objects.select_related("provider"),
        },
    )


@operator_required
def rights(request: HttpRequest) -> HttpResponse:
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_right(actor=request.user, **form.cleaned_data)
        except services.ExchangeError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The access right was granted."))
            return redirect("exchange_staff:rights")
    listed = AccessRight.objects.select_related("client__member", "service").order_by(
        "revoked_at", "-granted_at"
    )
    return render(
        request,
        "exchange/rights.html",
        {"form": form, "rights": listed, "revoke_form": RevokeForm()},
        status=400 if form.errors else 200,
    )


@require_POST
@operator_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    right = get_object_or_404(AccessRight, pk=pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the right is revoked."))
        return redirect("exchange_staff:rights")
    try:
        services.revoke_right(actor=request.user, right=right, reason=form.cleaned_data["reason"])
    except services.ExchangeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The access right was revoked."))
    return redirect("exchange_staff:rights")


@operator_required
def log(request: HttpRequest) -> HttpResponse:
    form = LogFilterForm(request.GET or None)
    records = MessageRecord.objects.order_by("-seq")
    if form.is_bound and form.is_valid():
        records = form.filter(records)
    return render(
        request,
        "exchange/log.html",
        {"form": form, "records": records[:LOG_PAGE], "page_size": LOG_PAGE},
    )
