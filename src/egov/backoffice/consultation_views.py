"""The consulted agency's side of a consultation (xin ý kiến): its list of requests, each with
its sub-deadline and mark, and the answer form; scoped to the user's agencies, another agency's
request is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.access import staff_required
from egov.backoffice.dossier_forms import ConsultationAnswerForm
from egov.core import flash
from egov.dossiers import consultations, processing
from egov.dossiers.models import Consultation


@staff_required
def consultation_list(request):
    """Open requests soonest due first, then those answered, newest first."""
    now = timezone.now()
    soon = processing.due_soon_limit(now)
    mine = consultations.for_staff(request.user)
    answered = request.GET.get("answered") == "1"
    rows = (
        mine.filter(answered_at__isnull=False).order_by("-answered_at", "-id")
        if answered
        else mine.filter(answered_at__isnull=True).order_by("due_at", "id")
    )
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/consultations.html",
        {
            "page": page,
            "rows": [(c, consultations.state(c, now, soon)) for c in page],
            "answered": answered,
            "query": "answered=1" if answered else "",
        },
    )


@staff_required
def consultation_detail(request, pk: int):
    consultation = consultations.get_for_staff(request.user, pk)
    form = ConsultationAnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            consultations.answer(
                consultation,
                actor=request.user,
                opinion=form.cleaned_data["opinion"],
                text=form.cleaned_data["text"],
                file_name=upload.name if upload else "",
                data=upload.read() if upload else None,
            )
        except ValidationError as exc:
            flash.errors(request, exc)
        else:
            messages.success(request, _("Your agency's opinion was sent."))
            return redirect("backoffice:consultations")
    return render(
        request,
        "backoffice/consultation.html",
        {
            "consultation": consultation,
            "state": consultations.state(consultation),
            "form": form,
            "can_answer": consultations.may_answer(request.user, consultation),
            "can_open_dossier": processing.visible_to_staff(request.user)
            .filter(pk=consultation.dossier_id)
            .exists(),
        },
    )


@staff_required
def consultation_file(request, pk: int):
    """The file an agency attached to its opinion: for whoever may open the dossier."""
    visible = processing.visible_to_staff(request.user).values("pk")
    consultation = Consultation.objects.filter(pk=pk, dossier__in=visible).exclude(file="").first()
    if consultation is None:
        raise Http404
    return FileResponse(
        consultation.file.open("rb"), as_attachment=True, filename=consultation.original_name
    )
