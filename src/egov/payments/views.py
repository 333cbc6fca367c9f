"""Citizens' payment pages: start an online payment, the gateway's return page, the e-receipt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.dossiers.services import visible_to
from egov.payments import gateways, services
from egov.payments.models import Payment


def _citizen(request):
    if request.user.kind != "citizen":
        raise Http404
    return request.user


@login_required
@require_POST
def pay(request, public_id):
    dossier = get_object_or_404(visible_to(_citizen(request)), public_id=public_id)
    # The citizen picks one of the gateways the installation enables; the main one otherwise.
    chosen = request.POST.get("gateway", "")
    try:
        gateway = gateways.get(chosen if chosen in gateways.enabled() else None)
        _payment, url = services.start_online_payment(
            dossier,
            applicant=request.user,
            gateway=gateway,
            client_ip=request.META.get("REMOTE_ADDR", "127.0.0.1"),
            language=get_language(),
        )
    except gateways.GatewayUnavailable:
        messages.error(request, _("Online payment is not available right now; pay at the desk."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        return redirect(url)
    return redirect("portal:dossier", public_id=dossier.public_id)


@login_required
def payment_return(request):
    """Shows what the gateway says and what the platform recorded; changes nothing (the
    gateway's server-to-server notice does)."""
    chosen = request.GET.get("cong", "")
    try:
        gateway = gateways.get(chosen if chosen in gateways.enabled() else None)
        notice = gateway.verify(request.GET.dict())
    except gateways.GatewayUnavailable as exc:
        raise Http404 from exc
    except gateways.InvalidSignature:
        notice = None
    payment = (
        Payment.objects.select_related("order__dossier")
        .filter(txn_ref=notice.reference, order__dossier__applicant=request.user)
        .first()
        if notice and notice.reference
        else None
    )
    if payment is None:
        return render(request, "payments/return_unverified.html", status=400)
    return render(
        request,
        "payments/return.html",
        {
            "notice": notice,
            "payment": payment,
            "dossier": payment.order.dossier,
            "gateway_name": gateway.name,
        },
    )


@login_required
def receipt(request, public_id):
    payment = get_object_or_404(
        Payment.objects.select_related("order__dossier", "order__agency"),
        public_id=public_id,
        status=Payment.Status.PAID,
        order__dossier__applicant=_citizen(request),
    )
    payment = services.ensure_receipt(payment)
    return FileResponse(
        payment.receipt.open("rb"),
        as_attachment=True,
        filename=f"bien-lai-{payment.receipt_number}.pdf",
    )
