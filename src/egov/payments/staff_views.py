"""Staff pages under /staff/payments/: counter payments and refunds from the desk's dossier page,
e-receipts, and the reconciliation of the gateway's statements."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts import scoping
from egov.accounts.access import staff_required
from egov.accounts.models import Role
from egov.core import flash
from egov.dossiers import reception
from egov.payments import reconciliation, services
from egov.payments.forms import CounterPaymentForm, RefundForm, StatementForm
from egov.payments.models import Payment, Statement

VIEW_ROLES = [Role.DESK_OFFICER, Role.AGENCY_ADMIN, Role.AUDITOR]
# The merchant account is the city's: its statement is reconciled by city-wide administrators.
RECONCILE_ROLES = [Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN]


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@staff_required
@require_POST
def counter_payment(request, public_id):
    dossier = get_object_or_404(reception.at_desk(request.user), public_id=public_id)
    form = CounterPaymentForm(request.POST)
    if form.is_valid():
        try:
            payment = services.record_counter_payment(
                dossier, officer=request.user, **form.cleaned_data
            )
        except PermissionDenied:
            messages.error(request, _("Only the receiving desk's officers record payments."))
        except ValidationError as exc:
            flash.errors(request, exc)
        else:
            messages.success(
                request,
                _("The payment was recorded; e-receipt %(number)s.")
                % {"number": payment.receipt_number},
            )
    else:
        _form_errors(request, form)
    return redirect("backoffice:dossier", public_id=dossier.public_id)


def _payment(request, public_id) -> Payment:
    return scoping.get_scoped_or_404(
        Payment.objects.select_related("order__dossier", "order__agency"),
        request.user,
        roles=VIEW_ROLES,
        agency_field="order__agency",
        public_id=public_id,
    )


@staff_required
@require_POST
def refund(request, public_id):
    payment = _payment(request, public_id)
    form = RefundForm(request.POST)
    if form.is_valid():
        try:
            services.refund(payment, officer=request.user, **form.cleaned_data)
        except PermissionDenied:
            messages.error(request, _("You may not record refunds for this agency."))
        except ValidationError as exc:
            flash.errors(request, exc)
        else:
            messages.success(request, _("The refund was recorded."))
    else:
        _form_errors(request, form)
    return redirect("backoffice:dossier", public_id=payment.order.dossier.public_id)


@staff_required
def receipt(request, public_id):
    payment = _payment(request, public_id)
    if payment.status != Payment.Status.PAID:
        raise PermissionDenied
    payment = services.ensure_receipt(payment)
    return FileResponse(
        payment.receipt.open("rb"),
        as_attachment=True,
        filename=f"bien-lai-{payment.receipt_number}.pdf",
    )


def _reconciler(user) -> None:
    if not scoping.covers_everything(user, RECONCILE_ROLES):
        raise PermissionDenied


@staff_required
def statements(request):
    _reconciler(request.user)
    form = StatementForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        statement, report = reconciliation.import_statement(
            upload.read(), day=form.cleaned_data["day"], actor=request.user, filename=upload.name
        )
        if statement is not None:
            return redirect("payments_staff:statement", pk=statement.pk)
    return render(
        request,
        "payments/statements.html",
        {
            "form": form,
            "report": report,
            "statements": Statement.objects.all()[:100],
            "refunds_waiting": services.refunds_waiting(),
        },
    )


@staff_required
def statement(request, pk: int):
    _reconciler(request.user)
    found = get_object_or_404(Statement, pk=pk)
    return render(
        request,
        "payments/statement.html",
        {
            "statement": found,
            "mismatches": reconciliation.mismatches(found),
            "totals": reconciliation.totals(found),
            "line_count": found.lines.count(),
        },
    )
