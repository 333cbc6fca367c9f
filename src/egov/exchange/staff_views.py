"""The operator's pages: members and their systems, services and their providers' health,
access rights (grant, revoke), event subscriptions, and the message log with filters. Every
change goes through egov.exchange.services (audited there)."""

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
from egov.exchange import services, webhooks
from egov.exchange.forms import (
    EVENT_LABELS,
    ClientForm,
    GrantForm,
    LogFilterForm,
    MemberForm,
    RevokeForm,
    ServiceForm,
    SubscriptionForm,
)
from egov.exchange.models import (
    AccessRight,
    ClientSystem,
    Member,
    MessageRecord,
    Service,
    Subscription,
)

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


def _add_page(
    request: HttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    done: str,
    listed: Any,
    kind: str,
) -> HttpResponse:
    """The shape of the members, client systems and services pages: a form to add one (the
    service refuses with a message that says what to fix) above the list of those there are."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except services.ExchangeError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect(request.path)
    return render(
        request,
        "exchange/add.html",
        {"form": form, "title": title, "listed": listed, "kind": kind},
        status=400 if form.errors else 200,
    )


@operator_required
def members(request: HttpRequest) -> HttpResponse:
    def save(data: dict[str, Any]) -> Member:
        kind = Member.Kind.AGENCY if data["agency"] else Member.Kind.OUTSIDE
        return services.save_member(actor=request.user, kind=kind, **data)

    return _add_page(
        request,
        MemberForm(request.POST or None),
        save,
        title=_("Members"),
        done=_("The member was saved."),
        listed=Member.objects.select_related("agency"),
        kind="members",
    )


@operator_required
def clients(request: HttpRequest) -> HttpResponse:
    return _add_page(
        request,
        ClientForm(request.POST or None),
        lambda data: services.register_client(actor=request.user, **data),
        title=_("Client systems"),
        done=_("The client system was registered."),
        listed=ClientSystem.objects.select_related("member"),
        kind="clients",
    )


@operator_required
def services_page(request: HttpRequest) -> HttpResponse:
    return _add_page(
        request,
        ServiceForm(request.POST or None),
        lambda data: services.publish_service(actor=request.user, **data),
        title=_("Services"),
        done=_("The service was published."),
        listed=Service.objects.select_related("provider"),
        kind="services",
    )


@require_POST
@operator_required
def suspend(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(ClientSystem, pk=pk, suspended_at__isnull=True)
    services.suspend_client(actor=request.user, client=client)
    messages.success(request, _("The client system was suspended."))
    return redirect("exchange_staff:clients")


@require_POST
@operator_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk, withdrawn_at__isnull=True)
    services.withdraw_service(actor=request.user, service=service)
    messages.success(request, _("The service was withdrawn."))
    return redirect("exchange_staff:services")


@operator_required
def subscriptions(request: HttpRequest) -> HttpResponse:
    """The secret of a new subscription is shown on the answer to its form, once: it is kept
    sealed and never shown again."""
    form = SubscriptionForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            _subscription, secret = webhooks.subscribe(actor=request.user, **form.cleaned_data)
        except services.ExchangeError as exc:
            form.add_error(None, exc.message)
        else:
            form = SubscriptionForm()
    listed = Subscription.objects.select_related("client__member").order_by("-created_at")
    return render(
        request,
        "exchange/subscriptions.html",
        {"form": form, "secret": secret, "subscriptions": listed, "event_labels": EVENT_LABELS},
        status=400 if form.errors else 200,
    )
