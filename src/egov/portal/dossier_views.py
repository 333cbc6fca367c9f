"""The citizen's pages for a dossier: start, declare, attach, choose delivery, review, submit,
follow. Every page fetches the dossier among the signed-in citizen's own (others: 404)."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.exceptions import Ratelimited

from egov.catalog import eforms, fees
from egov.catalog.models import DocumentRequirement
from egov.core import flash
from egov.core.uploads import UploadRejected
from egov.digitization import services as digitization
from egov.dossiers import (
    citizen_files,
    ratings,
    reception,
    registry_prefill,
    return_desks,
    services,
    tracking,
)
from egov.dossiers.models import Attachment, RegistryExtract
from egov.portal import prefill
from egov.portal.catalog_views import _current
from egov.portal.dossier_forms import (
    AttachmentForm,
    CommuneForm,
    DeliveryForm,
    RegistryKeysForm,
    TrackingForm,
)
from egov.portal.profile_forms import RatingForm
from egov.postal import forms as postal_forms
from egov.postal import services as postal
from egov.postal.models import WeightClass


def _mine(request, public_id):
    if request.user.kind != "citizen":
        raise Http404
    return get_object_or_404(
        services.visible_to(request.user).select_related("procedure_version", "receiving_agency"),
        public_id=public_id,
    )


@login_required
def start(request, code: str):
    """Begin a dossier. The hidden token makes a double click land on the same draft."""
    version = _current(code)
    if not version.offered_online:
        raise Http404
    needs_commune = services.receiving_agency_for(version) is None
    form = CommuneForm(
        request.POST or None,
        province_code=settings.EGOV_PROVINCE_CODE,
        initial={"token": uuid.uuid4().hex},
    )
    if request.method == "POST" and (form.is_valid() or not needs_commune):
        commune = form.cleaned_data.get("commune") if needs_commune else None
        agency = services.receiving_agency_for(version, commune)
        if agency is None:
            form.add_error(
                "commune",
                _(
                    "This commune has no one-stop desk in the system yet; "
                    "choose another or apply at the desk."
                ),
            )
        else:
            dossier = services.start(
                applicant=request.user,
                version=version,
                agency=agency,
                idempotency_key=f"page-{request.POST.get('token', '')}",
            )
            return redirect("portal:dossier_form", public_id=dossier.public_id)
    return render(
        request,
        "portal/dossier_start.html",
        {"version": version, "form": form, "needs_commune": needs_commune},
    )


@login_required
def declare(request, public_id):
    dossier = _mine(request, public_id)
    version = dossier.procedure_version
    initial = {
        **prefill.from_profile(request.user, version.form_schema, version.form_ui),
        **dossier.form_data,
    }
    form = eforms.EForm(version.form_schema, version.form_ui, request.POST or None, initial=initial)
    if request.method == "POST":
        if not dossier.is_draft:
            return redirect("portal:dossier", public_id=dossier.public_id)
        if form.is_valid():
            services.save_answers(dossier, applicant=request.user, answers=form.as_json())
            return redirect("portal:dossier_documents", public_id=dossier.public_id)
    return render(
        request,
        "portal/dossier_form.html",
        {
            "dossier": dossier,
            "form": form,
            "step": 1,
            "registry_boxes": _registry_boxes(dossier) if dossier.is_draft else [],
        },
    )


def _registry_boxes(dossier, keys_form=None) -> list[dict]:
    """One box per registry the procedure's papers come from (and the system may ask): its
    papers, the newest look-up, and the key inputs a business or land look-up needs."""
    latest = registry_prefill.latest(dossier)
    boxes = []
    for registry, papers in registry_prefill.offered(dossier).items():
        source = registry_prefill.SOURCES[registry]
        boxes.append(
            {
                "registry": registry,
                "name": papers[0].get_registry_display(),
                "papers": papers,
                "needs": source.needs,
                "extract": next((latest[p.pk] for p in papers if p.pk in latest), None),
                "keys": keys_form
                or RegistryKeysForm(
                    province_code=settings.EGOV_PROVINCE_CODE,
                    initial=registry_prefill.key_defaults(dossier),
                    auto_id=f"id_{registry}_%s",
                ),
            }
        )
    return boxes


@login_required
@require_POST
def take_from_registry(request, public_id):
    """Take papers from a shared registry (population by default), with the citizen's consent."""
    dossier = _mine(request, public_id)
    registry = request.POST.get("registry") or "population"
    keys = RegistryKeysForm(request.POST, province_code=settings.EGOV_PROVINCE_CODE)
    if not keys.is_valid():
        messages.error(
            request, " ".join(str(error) for errors in keys.errors.values() for error in errors)
        )
        return redirect("portal:dossier_form", public_id=dossier.public_id)
    try:
        outcome = registry_prefill.take(
            dossier,
            applicant=request.user,
            registry=registry,
            consent=request.POST.get("consent") == "1",
            keys=keys.cleaned_data,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("portal:dossier_form", public_id=dossier.public_id)
    if registry == "population":
        _population_outcome(request, outcome)
    else:
        _registry_outcome(request, outcome, registry)
    return redirect("portal:dossier_form", public_id=dossier.public_id)


def _registry_outcome(request, outcome: str, registry: str) -> None:
    name = str(DocumentRequirement.Registry(registry).label)
    if outcome == RegistryExtract.Outcome.TAKEN:
        messages.success(
            request,
            _(
                "The data was taken from the %(registry)s: check it below. You upload nothing "
                "for the papers it gives."
            )
            % {"registry": name},
        )
    elif outcome == RegistryExtract.Outcome.NOT_FOUND:
        messages.error(
            request,
            _(
                "The %(registry)s has no record for what you gave. Check it, or fill in the "
                "declaration yourself and upload a copy of the papers instead."
            )
            % {"registry": name},
        )
    else:
        messages.error(
            request,
            _(
                "The %(registry)s cannot be asked now. Your dossier is kept: fill in the "
                "declaration yourself and upload a copy of the papers instead, or try again "
                "later."
            )
            % {"registry": name},
        )


def _population_outcome(request, outcome: str) -> None:
    if outcome == RegistryExtract.Outcome.TAKEN:
        messages.success(
            request,
            _(
                "Your identity and residence were taken from the national population database: "
                "check them below. You upload nothing for the papers it gives."
            ),
        )
    elif outcome == RegistryExtract.Outcome.NOT_FOUND:
        messages.error(
            request,
            _(
                "The national population database has no record for your identification number. "
                "Fill in the declaration yourself and upload a copy of the papers instead."
            ),
        )
    else:
        messages.error(
            request,
            _(
                "The national population database cannot be asked now. Your dossier is kept: "
                "fill in the declaration yourself and upload a copy of the papers instead, "
                "or try again later."
            ),
        )


@login_required
def documents(request, public_id):
    dossier = _mine(request, public_id)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.attach(
                dossier,
                applicant=request.user,
                requirement_id=form.cleaned_data["requirement"],
                name=upload.name,
                data=upload.read(),
            )
        except (UploadRejected, ValidationError) as exc:
            messages.error(
                request,
                _("“%(name)s” was not attached: %(reason)s")
                % {"name": upload.name, "reason": " ".join(getattr(exc, "messages", [str(exc)]))},
            )
        else:
            messages.success(request, _("“%(name)s” is attached.") % {"name": upload.name})
        return redirect("portal:dossier_documents", public_id=dossier.public_id)
    attached = {}
    for attachment in dossier.attachments.all():
        attached.setdefault(attachment.requirement_id, []).append(attachment)
    requirements = list(dossier.procedure_version.requirements.all())
    can_upload = dossier.is_draft or dossier.status == dossier.Status.SUPPLEMENT_REQUESTED
    # The citizen's own valid papers of each requirement's type, offered before an upload.
    offers = digitization.offers(request.user, requirements) if can_upload else {}
    reused = digitization.origins(dossier)
    taken = {paper.pk for paper in reused.values()}
    extracts = registry_prefill.latest(dossier)
    rows = [
        (
            r,
            [(f, reused.get(f.pk)) for f in attached.get(r.pk, [])],
            [paper for paper in offers.get(r.pk, []) if paper.pk not in taken],
            extracts.get(r.pk),
        )
        for r in requirements
    ]
    return render(
        request,
        "portal/dossier_documents.html",
        {
            "dossier": dossier,
            "rows": rows,
            "step": 2,
            "can_upload": can_upload,
            "max_mb": settings.EGOV_UPLOAD_MAX_BYTES // 1_048_576,
        },
    )


@login_required
@require_POST
def reuse_document(request, public_id):
    """Attaches a paper from the citizen's store (digitization) instead of a new upload."""
    dossier = _mine(request, public_id)
    try:
        digitization.reuse(
            dossier,
            applicant=request.user,
            paper_id=request.POST.get("paper", ""),
            requirement_id=int(request.POST.get("requirement", "0") or 0),
        )
    except (UploadRejected, ValidationError, ValueError) as exc:
        messages.error(
            request,
            _("The paper was not attached: %(reason)s")
            % {"reason": " ".join(getattr(exc, "messages", [str(exc)]))},
        )
    else:
        messages.success(request, _("The paper from your store is attached."))
    return redirect("portal:dossier_documents", public_id=dossier.public_id)


@login_required
@require_POST
def remove_document(request, public_id, attachment_id: int):
    dossier = _mine(request, public_id)
    attachment = get_object_or_404(dossier.attachments, pk=attachment_id)
    try:
        services.remove_attachment(attachment, applicant=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("portal:dossier_documents", public_id=dossier.public_id)


@login_required
def delivery(request, public_id):
    dossier = _mine(request, public_id)
    action = request.POST.get("action", "save")
    initial = {
        "result_delivery": dossier.result_delivery,
        "return_desk": dossier.return_agency.name if dossier.return_agency else "",
        **postal_forms.initial_for(dossier),
    }
    desks = (
        return_desks.return_desks(dossier.receiving_agency) if dossier.receiving_agency_id else []
    )
    if action == "communes":
        # Only the province changed (no script): show its communes, keep what was typed.
        typed = {**request.POST.dict(), "pick_up": "pick_up" in request.POST}
        form = DeliveryForm(initial={**initial, **typed}, desks=desks)
    else:
        form = DeliveryForm(request.POST or None, initial=initial, desks=desks)
    quote = None
    if request.method == "POST" and action != "communes" and form.is_valid():
        if action == "quote":
            quote = form.quote(dossier.province_code)
        else:
            try:
                postal.save_request(
                    dossier,
                    applicant=request.user,
                    result_delivery=form.cleaned_data["result_delivery"],
                    pick_up=form.cleaned_data["pick_up"],
                    address=form.address(),
                    weight_class=form.cleaned_data["weight_class"] or WeightClass.UP_TO_250G,
                    return_agency=form.cleaned_data["return_desk"],
                )
            except ValidationError as exc:
                wrong_desk = getattr(exc, "error_dict", {}).get("return_agency")
                form.add_error("return_desk" if wrong_desk else None, wrong_desk or exc)
            else:
                return redirect("portal:dossier_review", public_id=dossier.public_id)
    return render(
        request,
        "portal/dossier_delivery.html",
        {"dossier": dossier, "form": form, "step": 3, "postal_quote": quote},
    )


@login_required
def review(request, public_id):
    dossier = _mine(request, public_id)
    if request.method == "POST":
        try:
            dossier = services.submit(
                dossier,
                applicant=request.user,
                identity_level=request.session.get("identity_level", 0),
            )
        except ValidationError as exc:
            flash.errors(request, exc)
        else:
            messages.success(
                request,
                _("Your dossier was submitted. Its code is %(code)s.") % {"code": dossier.code},
            )
            return redirect("portal:dossier", public_id=dossier.public_id)
    version = dossier.procedure_version
    try:
        fee_lines = fees.compute(version.fees.all(), dossier.form_data, version.form_schema)
    except fees.FeeAnswerError:
        fee_lines = []  # missing_items says which answer to check
    return render(
        request,
        "portal/dossier_review.html",
        {
            "dossier": dossier,
            "step": 4,
            "problems": services.missing_items(dossier),
            "answers": eforms.answer_rows(version.form_schema, version.form_ui, dossier.form_data),
            "taken": _taken(dossier),
            "fee_lines": fee_lines,
            "total": sum(line.amount for line in fee_lines),
        },
    )


def _taken(dossier) -> list[RegistryExtract]:
    """The papers taken from a shared registry (their newest extract), listed beside the files."""
    return [
        extract
        for extract in registry_prefill.latest(dossier).values()
        if extract.outcome == RegistryExtract.Outcome.TAKEN
    ]


@login_required
def detail(request, public_id):
    dossier = _mine(request, public_id)
    files = list(citizen_files.downloadable(dossier))
    rating = getattr(dossier, "rating", None)
    return render(
        request,
        "portal/dossier_detail.html",
        {
            "dossier": dossier,
            "events": dossier.events.all(),
            "can_withdraw": services.may_withdraw(dossier),
            "supplement": dossier.supplements.filter(answered_at__isnull=True).first()
            if dossier.status == dossier.Status.SUPPLEMENT_REQUESTED
            else None,
            "results": [f for f in files if f.kind == Attachment.Kind.RESULT],
            "attachments": [f for f in files if f.kind != Attachment.Kind.RESULT],
            "taken": _taken(dossier),
            "rating": rating,
            "rating_total": rating and ratings.total(rating),
            "rating_grade": rating and ratings.grade(ratings.total(rating)),
            "can_rate": ratings.refusal_reason(dossier) is None,
            "rating_deadline": ratings.deadline(dossier),
        },
    )


@login_required
def download(request, public_id, attachment_id: int):
    dossier = _mine(request, public_id)
    attachment = get_object_or_404(citizen_files.downloadable(dossier), pk=attachment_id)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime,
    )


@login_required
def rate(request, public_id):
    """Đánh giá: one radio group per indicator, pre-set where the dossier's record shows the
    answer. A second submission (double click) lands on the dossier with the first rating."""
    dossier = _mine(request, public_id)
    reason = ratings.refusal_reason(dossier)
    if reason:
        if not hasattr(dossier, "rating"):
            messages.error(request, reason)
        return redirect("portal:dossier", public_id=dossier.public_id)
    suggested = ratings.suggested_scores(dossier)
    form = RatingForm(request.POST or None, initial=suggested)
    if request.method == "POST" and form.is_valid():
        try:
            ratings.rate(dossier, request.user, form.scores(), form.cleaned_data["comment"])
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                messages.error(request, " ".join(exc.messages))
                return redirect("portal:dossier", public_id=dossier.public_id)
            for field, errors in exc.message_dict.items():
                form.add_error(None if field == "__all__" else field, errors)
        else:
            messages.success(request, _("Thank you. Your rating was recorded."))
            return redirect("portal:dossier", public_id=dossier.public_id)
    return render(
        request,
        "portal/dossier_rating.html",
        {
            "dossier": dossier,
            "form": form,
            "suggested": suggested,
            "deadline": ratings.deadline(dossier),
        },
    )


@login_required
@require_POST
def send_supplement(request, public_id):
    dossier = _mine(request, public_id)
    try:
        reception.answer_supplement(dossier, applicant=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The supplement was sent. The desk will check it again."))
    return redirect("portal:dossier", public_id=dossier.public_id)


@login_required
@require_POST
def withdraw(request, public_id):
    dossier = _mine(request, public_id)
    try:
        services.withdraw(dossier, applicant=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The dossier was withdrawn."))
    return redirect("portal:dossier", public_id=dossier.public_id)


@login_required
def my_dossiers(request):
    if request.user.kind != "citizen":
        raise Http404
    dossiers = services.visible_to(request.user).select_related("procedure_version")[:200]
    return render(request, "portal/my_dossiers.html", {"dossiers": dossiers})


def track(request):
    """Public tracking by code: status, current step and appointment; no personal data. The
    limit per address is the one the tracking API counts too (``tracking.within_limit``)."""
    if not tracking.within_limit(request):
        raise Ratelimited
    form = TrackingForm(request.GET or None)
    found = None
    if form.is_valid():
        found = tracking.lookup(form.cleaned_data["ma"].strip().upper())
        if found is None:
            form.add_error("ma", _("No dossier has this code. Check it against your receipt."))
    return render(request, "portal/track.html", {"form": form, "found": found})
