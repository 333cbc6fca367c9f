"""The staff's dossier pages: work queues and search, the dossier with the actions its current
step allows, counter intake, the control sheet (form 05) and the register (form 06)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from egov.accounts import scoping
from egov.accounts.access import staff_required
from egov.accounts.models import Role, User
from egov.backoffice import listing, menu
from egov.backoffice.dossier_forms import ApplicantForm, RegisterForm, SearchForm
from egov.catalog import eforms
from egov.catalog.search import current_versions
from egov.core import flash
from egov.core.collation import sorted_vi
from egov.core.paging import CappedPaginator, QueuePaginator
from egov.digitization import services as digitization
from egov.dossiers import (
    apologies,
    consultations,
    counter,
    forms,
    processing,
    reception,
    registry_prefill,
    return_desks,
    services,
    worklists,
)
from egov.dossiers.models import Dossier
from egov.dossiers.transitions import StaleDossier
from egov.organizations.models import Agency

STALE = gettext_lazy(
    "Someone else changed this dossier while you were looking at it. Check it again before acting."
)


def _dossier(request, public_id) -> Dossier:
    return get_object_or_404(
        processing.visible_to_staff(request.user).select_related(
            "procedure_version",
            "receiving_agency",
            "deciding_agency",
            "current_agency",
            "current_step",
            "assignee",
            "applicant",
        ),
        public_id=public_id,
    )


@staff_required
def queue(request):
    """One of the user's work queues, or the search when a query or filter is given."""
    search = SearchForm(request.GET or None)
    scope = processing.StaffScope(request.user)
    tabs = worklists.tabs_for(request.user, scope)
    searching = any(request.GET.get(name) for name in ("q", "procedure", "status", "start", "end"))
    if searching and search.is_valid():
        data = search.cleaned_data
        dossiers = worklists.search(
            request.user,
            data["q"],
            procedure=data["procedure"],
            status=data["status"],
            start=data["start"],
            end=data["end"],
            scope=scope,
        )
        tab = None
    else:
        codes = [t.code for t in tabs]
        tab = request.GET.get("tab") if request.GET.get("tab") in codes else (codes or [None])[0]
        sort = request.GET.get("sort", "due")
        dossiers = (
            worklists.queue(request.user, tab, sort, scope) if tab else Dossier.objects.none()
        )
    # Both stop counting past a thousand: a search asks to be narrowed, a queue says it has
    # more (the busiest agency of a 20-million city has 6,000 dossiers at one tab).
    paging = CappedPaginator if searching else QueuePaginator
    page = paging(worklists.listed(dossiers), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/dossier_queue.html",
        {
            "page": page,
            "rows": listing.lines(page),
            "tabs": tabs,
            "tab": tab,
            "search": search,
            "searching": searching,
            "query": query.urlencode(),
            "sort": request.GET.get("sort", "due"),
            "perms_system_wide": scope.by_role is None,
            "staff_menu": menu.entries_for(request.user, scope.assignments),
        },
    )


def _people_for(role, agency):
    """Who holds ``role`` in ``agency`` itself: the choice when assigning or handing on."""
    if agency is None or not role:
        return User.objects.none()
    return (
        User.objects.filter(
            role_assignments__role=role, role_assignments__agency=agency, is_active=True
        )
        .distinct()
        .order_by("full_name")
    )


@staff_required
def detail(request, public_id):
    dossier = _dossier(request, public_id)
    user = request.user
    step = dossier.current_step
    following = None
    if step is not None and processing.may_act(user, dossier):
        try:
            following = processing.next_step(dossier) if step.action != "return" else None
        except ValidationError:
            following = None
    version = dossier.procedure_version
    action = step.action if step else None
    # What the workflow allows from this step: the usual moves and any an editor added.
    moves = processing.move_kinds(dossier) if action not in (None, "receive", "return") else set()
    context = {
        "result_step": action in processing.RESULT_STEPS,
        "moves": moves,
        "next_choices": processing.targets(dossier, "next") if "next" in moves else [],
        "back_choices": processing.targets(dossier, "send_back") if "send_back" in moves else [],
        "result_template": processing.has_result_template(dossier),
        "checking_step": action in {"review", "approve", "sign"},
        "processing_step": action in {"process", "review"},
        "open_clock": dossier.status in apologies.LATE_STATUSES,
        "dossier": dossier,
        "answers": eforms.answer_rows(version.form_schema, version.form_ui, dossier.form_data),
        "attachments": dossier.attachments.select_related("requirement"),
        # Which papers came from the citizen's store, and what was digitised (digitization).
        "reused": digitization.origins(dossier),
        "digitised": digitization.papers_of(dossier).count(),
        "can_digitise": not dossier.is_draft and digitization.may_digitise(user, dossier),
        # The declaration the e-form stands for counts as provided once the e-form is filled.
        "eform_papers": services.provided_by_eform(dossier),
        # What a shared registry returned for the papers it gives, and when (no upload for them).
        "registry_extracts": [
            (extract, registry_prefill.extract_rows(extract, version.form_schema))
            for extract in dossier.registry_extracts.select_related("requirement")
        ],
        "events": dossier.events.all(),
        "supplements": dossier.supplements.all(),
        "steps": dossier.steps.select_related("step", "agency", "assignee", "finished_by"),
        "deadline": processing.deadline_state(dossier.due_at),
        "step_deadline": processing.deadline_state(dossier.step_due_at),
        "personal": worklists.sees_personal_data(user, dossier),
        "can_receive": reception.may_receive(user, dossier),
        "can_act": processing.may_act(user, dossier),
        "can_assign": processing.may_assign(user, dossier),
        "can_resume": processing.may_resume(user, dossier),
        "following": following,
        "next_people": _people_for(
            following.role if following else None,
            processing.acting_agency(dossier, following) if following else None,
        ),
        "assignable": _people_for(dossier.current_role, dossier.current_agency),
        "certificates": processing.result_certificates(user, dossier),
        **_consultation_context(user, dossier),
        "can_apologise": apologies.may_issue(user, dossier),
        "apology_by": apologies.latest_moment(dossier),
    }
    return render(request, "backoffice/dossier_detail.html", context)


def _consultation_context(user, dossier) -> dict:
    """The opinions asked of other agencies (every passage through a consultation step), with
    who answered what and who is late, and the handler's choice of agencies where the step
    lets them choose."""
    now = timezone.now()
    soon = processing.due_soon_limit(now)
    requests = dossier.consultations.select_related("agency", "answered_by", "dossier_step__step")
    can_consult = consultations.may_request(user, dossier)
    return {
        "consultations": [(c, consultations.state(c, now, soon)) for c in requests],
        "consult_waiting": consultations.waiting(dossier),
        "can_consult": can_consult,
        "consultable": (
            dossier.current_step.consulted.select_related("agency") if can_consult else []
        ),
    }


@staff_required
def download(request, public_id, attachment_id: int):
    dossier = _dossier(request, public_id)
    attachment = get_object_or_404(dossier.attachments, pk=attachment_id)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
    )


@staff_required
def control_sheet(request, public_id):
    dossier = _dossier(request, public_id)
    return HttpResponse(
        forms.control_sheet_pdf(dossier),
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{dossier.code}-05.pdf"'},
    )


def _user_choice(request, name):
    value = request.POST.get(name, "")
    return User.objects.filter(pk=value, kind=User.Kind.STAFF).first() if value.isdigit() else None


def _step_choice(request):
    """The workflow step chosen among several the move may lead to (None: the usual one)."""
    value = request.POST.get("to", "")
    return int(value) if value.isdigit() else None


def _lines(request, name):
    return request.POST.get(name, "").splitlines()


ACTIONS = {
    "receive": (
        lambda r, d, rev: reception.receive(d, officer=r.user, revision=rev),
        gettext_lazy("Received. The receipt was sent to the citizen."),
    ),
    "supplement": (
        lambda r, d, rev: reception.request_supplement(
            d, officer=r.user, revision=rev, items=_lines(r, "items"), note=r.POST.get("note", "")
        ),
        gettext_lazy("The supplement request was sent to the citizen."),
    ),
    "refuse": (
        lambda r, d, rev: reception.refuse(
            d, officer=r.user, revision=rev, reason=r.POST.get("reason", "")
        ),
        gettext_lazy("The dossier was refused and the citizen told why."),
    ),
    "take": (
        lambda r, d, rev: processing.take(d, actor=r.user, revision=rev),
        gettext_lazy("The dossier is yours."),
    ),
    "assign": (
        lambda r, d, rev: processing.assign(
            d, actor=r.user, assignee=_user_choice(r, "assignee"), revision=rev
        ),
        gettext_lazy("Assigned."),
    ),
    "advance": (
        lambda r, d, rev: processing.advance(
            d,
            actor=r.user,
            note=r.POST.get("note", ""),
            assignee=_user_choice(r, "assignee"),
            revision=rev,
            to=_step_choice(r),
        ),
        gettext_lazy("Handed on to the next step."),
    ),
    "send_back": (
        lambda r, d, rev: processing.send_back(
            d, actor=r.user, note=r.POST.get("note", ""), revision=rev, to=_step_choice(r)
        ),
        gettext_lazy("Sent back."),
    ),
    "ask_supplement": (
        lambda r, d, rev: processing.request_supplement(
            d, actor=r.user, items=_lines(r, "items"), note=r.POST.get("note", ""), revision=rev
        ),
        gettext_lazy("The supplement request was sent to the citizen; the clock is stopped."),
    ),
    "pause": (
        lambda r, d, rev: processing.pause(
            d, actor=r.user, reason=r.POST.get("reason", ""), revision=rev
        ),
        gettext_lazy("Paused; the clock is stopped."),
    ),
    "resume": (
        lambda r, d, rev: processing.resume(d, actor=r.user, revision=rev),
        gettext_lazy("Resumed; the appointment moved by the time paused."),
    ),
    "refuse_processing": (
        lambda r, d, rev: processing.refuse(
            d, actor=r.user, reason=r.POST.get("reason", ""), revision=rev
        ),
        gettext_lazy("Refused; the notice with the reason is the dossier's result."),
    ),
    "consult": (
        lambda r, d, rev: consultations.request(
            d,
            actor=r.user,
            agencies=list(Agency.objects.filter(code__in=r.POST.getlist("agencies"))),
            revision=rev,
        ),
        gettext_lazy("The opinions were asked; each agency has its own time to answer."),
    ),
    "return": (
        lambda r, d, rev: processing.return_result(
            d, actor=r.user, note=r.POST.get("note", ""), revision=rev
        ),
        gettext_lazy("The result was returned and the dossier closed."),
    ),
}


def _attach_result(request, dossier, revision):
    upload = request.FILES.get("result")
    if upload is None:
        raise ValidationError(_("Choose the result file (PDF)."))
    certificate = None
    if request.POST.get("certificate"):
        certificate = next(
            (
                c
                for c in processing.result_certificates(request.user, dossier)
                if str(c.pk) == request.POST["certificate"]
            ),
            None,
        )
        if certificate is None:
            raise PermissionDenied
    processing.attach_result(
        dossier,
        actor=request.user,
        name=upload.name,
        data=upload.read(),
        certificate=_chosen_certificate(request, dossier),
        revision=revision,
    )


def _chosen_certificate(request, dossier):
    chosen = request.POST.get("certificate")
    if not chosen:
        return None
    usable = {str(c.pk): c for c in processing.result_certificates(request.user, dossier)}
    if chosen not in usable:
        raise PermissionDenied
    return usable[chosen]


def _apologise(request, dossier, revision):
    moment = parse_datetime(request.POST.get("new_due_at", ""))
    if moment is None:
        raise ValidationError(_("Give the new appointment date and time."))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    apologies.issue(
        dossier,
        actor=request.user,
        reason=request.POST.get("reason", ""),
        new_due_at=moment,
        revision=revision,
    )


@staff_required
@require_POST
def act(request, public_id, action: str):
    dossier = _dossier(request, public_id)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1  # a form without its revision is treated as stale, never as fresh
    try:
        if action == "result":
            _attach_result(request, dossier, revision)
            messages.success(request, _("The result document is attached."))
        elif action == "generate_result":
            processing.generate_result(
                dossier,
                actor=request.user,
                certificate=_chosen_certificate(request, dossier),
                revision=revision,
                decision_number=request.POST.get("decision_number", ""),
            )
            messages.success(request, _("The result was drafted; check it."))
        elif action == "apology":
            _apologise(request, dossier, revision)
            messages.success(request, _("The apology letter was sent with the new date."))
        elif action in ACTIONS:
            run, done = ACTIONS[action]
            run(request, dossier, revision)
            messages.success(request, done)
        else:
            return redirect("backoffice:dossier", public_id=public_id)
    except StaleDossier:
        messages.error(request, STALE)
    except ValidationError as exc:
        flash.errors(request, exc)
    return redirect("backoffice:dossier", public_id=public_id)


def _desk_agencies(user):
    return scoping.agency_scope(user, [Role.DESK_OFFICER]).order_by("code")


@staff_required
def intake_start(request):
    """The counter: choose the procedure the applicant brings papers for."""
    desks = _desk_agencies(request.user)
    if not desks.exists():
        raise PermissionDenied
    versions = current_versions().order_by("name_sort", "id")
    if request.GET.get("procedure"):
        return redirect(
            "backoffice:intake",
            version_id=request.GET["procedure"],
            agency_id=request.GET.get("agency") or desks.first().pk,
        )
    return render(request, "backoffice/intake_start.html", {"versions": versions, "desks": desks})


@staff_required
def intake(request, version_id: int, agency_id: int):
    desk = get_object_or_404(_desk_agencies(request.user), pk=agency_id)
    version = get_object_or_404(current_versions(), pk=version_id)
    competent = counter.competent_agencies(desk, version)
    centres = return_desks.return_desks(desk)
    applicant = ApplicantForm(request.POST or None, prefix="a")
    declaration = eforms.EForm(version.form_schema, version.form_ui, request.POST or None)
    requirements = list(version.requirements.all())
    if request.method == "POST" and applicant.is_valid() & declaration.is_valid():
        data = applicant.cleaned_data
        try:
            dossier = counter.intake(
                officer=request.user,
                desk_agency=desk,
                version=version,
                applicant=counter.Applicant(
                    full_name=data["full_name"],
                    citizen_id=data["citizen_id"],
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                    date_of_birth=data["date_of_birth"],
                ),
                answers=declaration.as_json(),
                scans=[
                    counter.Scan(r.pk, upload.name, upload.read())
                    for r in requirements
                    if (upload := request.FILES.get(f"scan-{r.pk}"))
                ],
                channel=data["channel"],
                deciding_agency=competent.filter(pk=request.POST.get("deciding")).first(),
                result_delivery=data["result_delivery"],
                delivery_address=data["delivery_address"],
                return_agency=centres.filter(pk=request.POST.get("return_agency")).first(),
            )
        except ValidationError as exc:
            flash.errors(request, exc)
        else:
            messages.success(
                request,
                _("Received as %(code)s. Print the receipt for the applicant.")
                % {"code": dossier.code},
            )
            return redirect("backoffice:dossier", public_id=dossier.public_id)
    return render(
        request,
        "backoffice/intake.html",
        {
            "desk": desk,
            "version": version,
            "competent": sorted_vi(competent, key=lambda agency: agency.name),
            "return_desks": sorted_vi(centres, key=lambda desk: desk.name),
            "refusal": None if competent.exists() else counter.refusal(desk, version),
            "applicant": applicant,
            "declaration": declaration,
            "requirements": requirements,
        },
    )


@staff_required
def register(request):
    """Form 06: the dossiers a desk received in a period, as PDF or Excel."""
    desks = _desk_agencies(request.user) | scoping.agency_scope(request.user, [Role.LEADER])
    desks = desks.distinct().order_by("code")
    form = RegisterForm(request.GET) if "start" in request.GET else RegisterForm.this_month()
    agency = desks.filter(pk=request.GET.get("agency")).first() or desks.first()
    if agency is None:
        raise PermissionDenied
    if form.is_bound and form.is_valid() and request.GET.get("format") in {"pdf", "xlsx"}:
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        dossiers = (
            Dossier.objects.filter(
                receiving_agency=agency,
                received_at__date__gte=start,
                received_at__date__lte=end,
            )
            .select_related("procedure_version", "receiving_agency", "deciding_agency", "applicant")
            .prefetch_related("steps__step")
            .order_by("received_at", "id")
        )
        name = f"so-theo-doi-{agency.code}-{start:%Y%m%d}-{end:%Y%m%d}"
        if request.GET["format"] == "pdf":
            data = forms.register_pdf(dossiers, agency=agency, start=start, end=end)
            kind = "application/pdf"
        else:
            data = forms.register_xlsx(dossiers, agency=agency, start=start, end=end)
            kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return HttpResponse(
            data,
            content_type=kind,
            headers={
                "Content-Disposition": f'attachment; filename="{name}.{request.GET["format"]}"'
            },
        )
    return render(
        request, "backoffice/register.html", {"form": form, "desks": desks, "agency": agency}
    )
