"""The fees panel on the citizen's and the desk's dossier pages, so those pages need only one tag
and the dossiers app knows nothing of payments."""

from django import template

from egov.accounts import scoping
from egov.accounts.models import Role
from egov.payments import gateways, services
from egov.payments.forms import CounterPaymentForm, RefundForm
from egov.payments.models import PaymentOrder

register = template.Library()


def _panel(context, dossier) -> dict:
    order = (
        PaymentOrder.objects.filter(dossier=dossier)
        .prefetch_related("payments__refunds", "payments__recorded_by")
        .first()
    )
    return {
        "dossier": dossier,
        "order": order,
        "estimate": None if order else services.fee_lines(dossier),
        "payments": list(order.payments.all()) if order else [],
        "closed": dossier.status in services.CLOSED,
        "payment_first": dossier.procedure_version.payment_first,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("payments/_citizen_panel.html", takes_context=True)
def citizen_payments(context, dossier):
    panel = _panel(context, dossier)
    if panel["estimate"] is not None:
        panel["estimate_total"] = sum(line.amount for line in panel["estimate"])
    panel["gateways"] = gateways.enabled()
    return panel


@register.inclusion_tag("payments/_staff_panel.html", takes_context=True)
def staff_payments(context, dossier):
    panel = _panel(context, dossier)
    user = context["request"].user
    panel["can_collect"] = scoping.has_role(user, Role.DESK_OFFICER, dossier.receiving_agency)
    panel["can_refund"] = any(
        scoping.has_role(user, role, dossier.receiving_agency) for role in services.REFUND_ROLES
    )
    order = panel["order"]
    if order is not None:
        panel["counter_form"] = CounterPaymentForm(
            initial={"amount": order.outstanding}, auto_id="counter-%s"
        )
        panel["refund_forms"] = [
            (payment, RefundForm(auto_id=f"refund-{payment.pk}-%s"))
            for payment in panel["payments"]
            if payment.status == payment.Status.PAID
        ]
    return panel
