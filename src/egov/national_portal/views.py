"""Staff pages under /staff/national-portal/: the sync (pending, refused with the reason, the last
acknowledgement, resend) and the status mapping table."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.access import staff_required
from egov.core import flash
from egov.national_portal import mapping, outbox
from egov.national_portal.access import may_operate
from egov.national_portal.models import OutboxMessage, PortalStatus, StatusMapping

LIST_SIZE = 100
RECENT_SIZE = 20


def _operator(request: HttpRequest) -> None:
    if not may_operate(request.user):
        raise PermissionDenied


@staff_required
def sync(request: HttpRequest) -> HttpResponse:
    _operator(request)
    messages_of = OutboxMessage.objects.order_by("next_attempt_at", "id")
    return render(
        request,
        "national_portal/sync.html",
        {
            "summary": outbox.summary(),
            "failed": OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED).order_by(
                "dossier_code", "sequence"
            )[:LIST_SIZE],
            "pending": messages_of.filter(state=OutboxMessage.State.PENDING)[:LIST_SIZE],
            "acknowledged": OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).order_by(
                "-acknowledged_at", "-id"
            )[:RECENT_SIZE],
        },
    )


@staff_required
@require_POST
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    _operator(request)
    message = get_object_or_404(OutboxMessage, pk=pk)
    if message.state != OutboxMessage.State.FAILED:
        messages.info(request, _("This call is not refused: nothing to send again."))
    else:
        outbox.resend(message, actor=request.user)
        messages.success(
            request,
            _("Dossier %(code)s will be sent again to the national portal.")
            % {"code": message.dossier_code},
        )
    return redirect("national_portal:sync")


@staff_required
def mappings(request: HttpRequest) -> HttpResponse:
    _operator(request)
    if request.method == "POST":
        row = get_object_or_404(StatusMapping, pk=request.POST.get("mapping"))
        try:
            code = int(request.POST.get("portal_code", ""))
            mapping.change(row, code, actor=request.user)
        except ValueError:
            messages.error(request, _("Choose one of the portal's status codes 1 to 10."))
        except ValidationError as exc:
            flash.errors(request, exc)
        else:
            messages.success(request, _("The mapping was changed; calls from now on use it."))
        return redirect("national_portal:mappings")
    return render(
        request,
        "national_portal/mappings.html",
        {"rows": StatusMapping.objects.all(), "codes": PortalStatus.choices},
    )
