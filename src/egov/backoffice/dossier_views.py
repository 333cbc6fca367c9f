"""The one-stop desk's pages: the queue of submitted dossiers and the first decision on each."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from egov.backoffice.access import staff_required
from egov.catalog import eforms
from egov.dossiers import reception
from egov.dossiers.models import Dossier
from egov.dossiers.services import StaleDossier

STALE = gettext_lazy(
    "Someone else changed this dossier while you were looking at it. Check it again before acting."
)


def _dossier(request, public_id):
    return get_object_or_404(
        reception.queue(request.user).select_related(
            "procedure_version", "receiving_agency", "applicant"
        ),
        public_id=public_id,
    )


@staff_required
def queue(request):
    status = request.GET.get("status", Dossier.Status.SUBMITTED)
    dossiers = reception.queue(request.user).select_related("procedure_version")
    if status in Dossier.Status.values:
        dossiers = dossiers.filter(status=status)
    page = Paginator(dossiers.order_by("submitted_at"), 50).get_page(request.GET.get("page"))
    statuses = [(value, label) for value, label in Dossier.Status.choices if value != "draft"]
    return render(
        request,
        "backoffice/dossier_queue.html",
        {"page": page, "status": status, "statuses": statuses, "query": f"status={status}"},
    )


@staff_required
def detail(request, public_id):
    dossier = _dossier(request, public_id)
    return render(
        request,
        "backoffice/dossier_detail.html",
        {
            "dossier": dossier,
            "answers": [
                (field.label, dossier.form_data.get(name))
                for name, field in eforms.EForm(
                    dossier.procedure_version.form_schema, dossier.procedure_version.form_ui
                ).fields.items()
            ],
            "attachments": dossier.attachments.select_related("requirement"),
            "events": dossier.events.all(),
            "supplements": dossier.supplements.all(),
        },
    )


@staff_required
def download(request, public_id, attachment_id: int):
    dossier = _dossier(request, public_id)
    attachment = get_object_or_404(dossier.attachments, pk=attachment_id)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
    )


@staff_required
@require_POST
def act(request, public_id, action: str):
    dossier = _dossier(request, public_id)
    revision = int(request.POST.get("revision", -1))
    try:
        if action == "receive":
            reception.receive(dossier, officer=request.user, revision=revision)
            messages.success(request, _("Received. The receipt was sent to the citizen."))
        elif action == "supplement":
            reception.request_supplement(
                dossier,
                officer=request.user,
                revision=revision,
                items=request.POST.get("items", "").splitlines(),
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("The supplement request was sent to the citizen."))
        elif action == "refuse":
            reception.refuse(
                dossier,
                officer=request.user,
                revision=revision,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("The dossier was refused and the citizen told why."))
        else:
            return redirect("backoffice:dossier", public_id=public_id)
    except StaleDossier:
        messages.error(request, STALE)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("backoffice:dossier", public_id=public_id)
