"""The personnel pages of the staff site (/staff/personnel/): records, events, due lists, the
staffing report, import and export, corrections, and the person's own record."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.access import staff_required
from egov.accounts.models import User
from egov.core.models import AuditEvent
from egov.core.paging import CappedPaginator
from egov.core.uploads import UploadRejected, check
from egov.organizations.models import Agency
from egov.personnel import excel, queries, rules, services, spreadsheet, state
from egov.personnel.access import Scope, own_record
from egov.personnel.forms import (
    AccountForm,
    AnswerForm,
    CorrectionForm,
    DueForm,
    EventForm,
    FamilyForm,
    ImportForm,
    KindForm,
    PersonForm,
    QuotaForm,
    SearchForm,
    TrainingForm,
    VoidForm,
    add_errors,
)
from egov.personnel.models import (
    CareerEvent,
    CorrectionRequest,
    EmploymentKind,
    EventKind,
    FamilyMember,
    Rank,
    Status,
    Training,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_BYTES = 30 * 1024 * 1024


def _officer_scope(request) -> Scope:
    """Personnel officers only; another staff member is sent to their own record."""
    scope = Scope(request.user)
    if not scope:
        raise PermissionDenied(_("These pages are for personnel officers."))
    return scope


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@staff_required
def index(request):
    scope = Scope(request.user)
    if not scope:  # other staff: their own record, or the page saying they have none
        return redirect("personnel:me")
    form = SearchForm(request.GET or None, agencies=scope.agencies())
    people = queries.search(scope, status="active")
    searching = False
    if form.is_valid():
        data = form.cleaned_data
        searching = bool(data["q"].strip())
        people = queries.search(
            scope,
            data["q"],
            agency_id=data["agency"].pk if data["agency"] else None,
            status=data["status"],
        )
    # A name is counted up to a thousand matches, read once for the count and the page; the
    # whole list (no name) is read in the name index's order and counted on the narrow table.
    paginator = CappedPaginator(people, 25) if searching else Paginator(people, 25)
    page = paginator.get_page(request.GET.get("page"))
    capped = isinstance(paginator, CappedPaginator) and paginator.capped
    statuses = {value: str(label) for value, label in Status.choices}
    for row in page:
        row.status_label = statuses[row.status]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "personnel/index.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "scope": scope,
            "capped": capped,
        },
    )


@staff_required
def new_person(request):
    scope = _officer_scope(request)
    person_form = PersonForm(request.POST or None, new=True, prefix="person")
    event_form = EventForm(
        request.POST or None,
        kind=EventKind.RECRUITMENT,
        agencies=scope.agencies(),
        prefix="event",
    )
    if request.method == "POST" and person_form.is_valid() and event_form.is_valid():
        try:
            person = services.create_person(
                person_form.values(), event_form.to_input(), actor=request.user, scope=scope
            )
        except ValidationError as exc:
            for name, errors in getattr(exc, "error_dict", {}).items():
                target = person_form if name in person_form.fields else event_form
                add_errors(target, ValidationError({name: errors}))
            if not hasattr(exc, "error_dict"):
                add_errors(person_form, exc)
        else:
            messages.success(request, _("Record %(code)s was created.") % {"code": person.code})
            return redirect("personnel:person", public_id=person.public_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "personnel/new.html",
        {"person_form": person_form, "event_form": event_form},
        status=status,
    )


def _record_context(person, as_of: datetime.date | None):
    today = timezone.localdate()
    events = list(
        CareerEvent.objects.filter(person=person)
        .select_related("decision", "agency", "rank")
        .order_by("effective_on", "pk")
    )
    current = state.derive(events, as_of or today)
    # Labels once per page: Django's get_…_display rebuilds its choices on every call.
    kinds = {value: str(label) for value, label in EventKind.choices}
    employments = {value: str(label) for value, label in EmploymentKind.choices}
    for event in events:
        event.kind_label = kinds[event.kind]
        event.employment_label = employments.get(event.employment_kind, "")
    if as_of:
        events = [e for e in events if e.effective_on <= as_of]
    agencies = {
        a.pk: a
        for a in Agency.objects.filter(
            pk__in=[x for x in (current.agency_id, current.host_agency_id) if x]
        )
    }
    return {
        "person": person,
        "as_of": as_of,
        "current": current,
        "agency": agencies.get(current.agency_id),
        "host_agency": agencies.get(current.host_agency_id),
        "rank": Rank.objects.filter(pk=current.rank_id).first(),
        "events": events,
        "retirement": person.retirement,
        "trainings": person.trainings.all(),
        "family": person.family.all(),
        "status_label": services.status_label(current.status),
        "employment_label": EmploymentKind(current.employment_kind).label
        if current.employment_kind
        else "",
        "group_label": rules.group_label(current.salary_group) if current.salary_group else "",
    }


@staff_required
def person(request, public_id):
    scope = _officer_scope(request)
    found = scope.person_or_404(public_id)
    as_of = _parse_date(request.GET.get("as_of"))
    if request.GET.get("as_of") and as_of is None:
        messages.error(request, _("Give the date as dd/mm/yyyy."))
    services.record_access(found, actor=request.user, what="state" if as_of else "record")
    context = _record_context(found, as_of)
    context.update(
        {
            "officer": True,
            "corrections": found.corrections.filter(state=CorrectionRequest.State.OPEN),
        }
    )
    return render(request, "personnel/person.html", context)


@staff_required
def edit_person(request, public_id):
    scope = _officer_scope(request)
    found = scope.person_or_404(public_id)
    form = PersonForm(request.POST or None, instance=found)
    if request.method == "GET":  # the form shows the whole record
        services.record_access(found, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_record(found, form.values(), actor=request.user, scope=scope)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The record was saved."))
            return redirect("personnel:person", public_id=found.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "personnel/edit.html", {"person": found, "form": form}, status=status)


@staff_required
def new_event(request, public_id):
    scope = _officer_scope(request)
    found = scope.person_or_404(public_id)
    kind = request.POST.get("kind") or request.GET.get("kind")
    if kind not in EventKind.values:
        return render(
            request,
            "personnel/event_kind.html",
            {"person": found, "kind_form": KindForm()},
            status=400 if kind else 200,
        )
    form = EventForm(request.POST or None, kind=kind, agencies=scope.agencies())
    if request.method == "POST" and form.is_valid():
        try:
            services.record_event(found, form.to_input(), actor=request.user, scope=scope)
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Recorded: %(event)s.") % {"event": EventKind(kind).label})
            return redirect("personnel:person", public_id=found.public_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "personnel/event_form.html",
        {"person": found, "form": form, "kind": kind, "kind_label": EventKind(kind).label},
        status=status,
    )


@staff_required
def void_event(request, public_id, pk: int):
    scope = _officer_scope(request)
    found = scope.person_or_404(public_id)
    event = get_object_or_404(CareerEvent.objects.select_related("decision"), person=found, pk=pk)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.void_event(
                event, actor=request.user, reason=form.cleaned_data["reason"], scope=scope
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The event was voided."))
            return redirect("personnel:person", public_id=found.public_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "personnel/void.html",
        {"person": found, "event": event, "form": form},
        status=status,
    )


LINES = {
    "training": (TrainingForm, services.add_training, Training),
    "family": (FamilyForm, services.add_family_member, FamilyMember),
}


@staff_required
def add_line(request, public_id, what: str):
    scope = _officer_scope(request)
    found = scope.person_or_404(public_id)
    if what not in LINES:
        raise Http404
    form_class, add, _model = LINES[what]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.fields}
        try:
            add(found, values, actor=request.user, scope=scope)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The line was added to the record."))
            return redirect(reverse("personnel:person", args=[found.public_id]) + f"#{what}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "personnel/line_form.html",
        {"person": found, "form": form, "what": what},
        status=status,
    )


@staff_required
@require_POST
def remove_line(request, public_id, what: str, pk: int):
    scope = _officer_scope(request)
    found = scope.person_or_404(public_id)
    if what not in LINES:
        raise Http404
    row = get_object_or_404(LINES[what][2], person=found, pk=pk)
    services.remove_line(row, actor=request.user, scope=scope)
    messages.success(request, _("The line was removed from the record."))
    return redirect(reverse("personnel:person", args=[found.public_id]) + f"#{what}")


@staff_required
def link_account(request, public_id):
    scope = _officer_scope(request)
    found = scope.person_or_404(public_id)
    form = AccountForm(
        request.POST or None, initial={"username": getattr(found.user, "username", "")}
    )
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        user = User.objects.filter(username=username).first() if username else None
        if username and user is None:
            form.add_error("username", _("No account has this user name."))
        else:
            try:
                services.link_account(found, user, actor=request.user, scope=scope)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The account link was saved."))
                return redirect("personnel:person", public_id=found.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "personnel/account.html", {"person": found, "form": form}, status=status)


# --- Due lists and reports ----------------------------------------------------------------------


def _heading(request, title: str, scope: Scope, agency=None) -> list[str]:
    today = timezone.localdate()
    where = (
        agency.name
        if agency
        else (_("The whole city") if scope.everything else _("Agencies you cover"))
    )
    return [str(title), where, _("As of %(day)s") % {"day": today.strftime("%d/%m/%Y")}]


@staff_required
def due(request, what: str):
    scope = _officer_scope(request)
    if what not in ("raises", "retirements"):
        raise Http404
    form = DueForm(request.GET or None, agencies=scope.agencies(), initial={"months": 6})
    months, agency = 6, None
    if request.GET and form.is_valid():
        months, agency = form.cleaned_data["months"], form.cleaned_data["agency"]
    elif request.GET:
        return render(request, "personnel/due.html", {"form": form, "what": what}, status=400)
    today = timezone.localdate()
    agency_id = agency.pk if agency else None
    if what == "raises":
        rows = queries.raises_due(scope, today, months, agency_id=agency_id)
        title = _("Salary steps due within %(n)d months") % {"n": months}
    else:
        rows = queries.retirements_due(scope, today, months, agency_id=agency_id)
        title = _("Retirements due within %(n)d months") % {"n": months}
    if request.GET.get("format") == "xlsx":
        heading = _heading(request, title, scope, agency)
        build = excel.raises_workbook if what == "raises" else excel.retirements_workbook
        services.record_list_export(actor=request.user, what=what, people=len(rows), agency=agency)
        return _xlsx(build(rows, heading), f"{what}-{today:%Y%m%d}.xlsx")
    query = request.GET.copy()
    query["format"] = "xlsx"
    return render(
        request,
        "personnel/due.html",
        {
            "form": form,
            "what": what,
            "rows": rows,
            "title": title,
            "today": today,
            "xlsx_query": query.urlencode(),
        },
    )


@staff_required
def staffing(request):
    scope = _officer_scope(request)
    form = DueForm(request.GET or None, agencies=scope.agencies())
    del form.fields["months"]
    agency = None
    if request.GET and form.is_valid():
        agency = form.cleaned_data["agency"]
    today = timezone.localdate()
    report = queries.staffing(scope, today, agency_id=agency.pk if agency else None)
    if request.GET.get("format") == "xlsx":
        heading = _heading(request, _("Civil servants and public employees"), scope, agency)
        services.record_report_export(actor=request.user, agency=agency)
        return _xlsx(excel.staffing_workbook(report, heading), f"staffing-{today:%Y%m%d}.xlsx")
    query = request.GET.copy()
    salaries_query = query.urlencode()
    query["format"] = "xlsx"
    return render(
        request,
        "personnel/staffing.html",
        {
            "form": form,
            "report": report,
            "xlsx_query": query.urlencode(),
            "salaries_query": salaries_query,
        },
    )


@staff_required
def salaries(request):
    """The list of people in service with their salary, as Excel (the same filter as the
    staffing report); it names people, so the download is in the audit trail."""
    scope = _officer_scope(request)
    form = DueForm(request.GET or None, agencies=scope.agencies())
    del form.fields["months"]
    agency = None
    if request.GET and form.is_valid():
        agency = form.cleaned_data["agency"]
    elif request.GET.get("agency"):
        raise Http404
    rows = list(queries.salary_list(scope, agency_id=agency.pk if agency else None))
    heading = _heading(request, _("List of civil servants and their salaries"), scope, agency)
    services.record_list_export(
        actor=request.user, what="salaries", people=len(rows), agency=agency
    )
    today = timezone.localdate()
    return _xlsx(excel.salaries_workbook(rows, heading), f"luong-{today:%Y%m%d}.xlsx")


@staff_required
def quotas(request):
    scope = _officer_scope(request)
    year = timezone.localdate().year
    form = QuotaForm(request.POST or None, agencies=scope.agencies(), initial={"year": year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_quota(
                data["agency"],
                data["year"],
                civil_servants=data["civil_servants"],
                public_employees=data["public_employees"],
                decision=data["decision"],
                actor=request.user,
                scope=scope,
            )
        except PermissionDenied as exc:
            form.add_error("agency", str(exc))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The approved headcount was saved."))
            return redirect("personnel:quotas")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "personnel/quotas.html",
        {"form": form, "quotas": queries.quotas(scope, year), "year": year},
        status=status,
    )


# --- Import and export --------------------------------------------------------------------------


@staff_required
def import_people(request):
    _officer_scope(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            check(data, accepted=["xlsx"], max_bytes=MAX_IMPORT_BYTES)
        except UploadRejected as exc:
            form.add_error("file", str(exc))
        else:
            result = spreadsheet.import_workbook(data, actor=request.user, filename=upload.name)
            if result.ok:
                messages.success(
                    request,
                    _(
                        "Imported: %(created)d records created, %(updated)d updated, "
                        "%(events)d events added."
                    )
                    % {
                        "created": result.people_created,
                        "updated": result.people_updated,
                        "events": result.events_created,
                    },
                )
                return redirect("personnel:import")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "personnel/import.html",
        {"form": form, "report": result.report if result else None},
        status=status,
    )


@staff_required
def export_people(request):
    scope = _officer_scope(request)
    people = scope.people()
    agency_id = request.GET.get("agency")
    name = _("Agencies you cover")
    if agency_id:
        if not agency_id.isdigit() or not scope.covers(int(agency_id)):
            raise Http404
        people = people.filter(state__agency_id=int(agency_id))
        name = str(agency_id)
    data = spreadsheet.export_workbook(people, actor=request.user, what=name)
    return _xlsx(data, f"can-bo-{timezone.localdate():%Y%m%d}.xlsx")


@staff_required
def import_template(request):
    _officer_scope(request)
    return _xlsx(spreadsheet.template_workbook(), "mau-nhap-can-bo.xlsx")


# --- Corrections --------------------------------------------------------------------------------


@staff_required
def corrections(request):
    scope = _officer_scope(request)
    requests = scope.corrections().select_related("person", "requested_by", "answered_by")
    open_only = request.GET.get("all") != "1"
    if open_only:
        requests = requests.filter(state=CorrectionRequest.State.OPEN)
    page = Paginator(requests.order_by("-created_at"), 25).get_page(request.GET.get("page"))
    return render(request, "personnel/corrections.html", {"page": page, "open_only": open_only})


@staff_required
def correction(request, public_id):
    scope = _officer_scope(request)
    item = get_object_or_404(
        scope.corrections().select_related("person", "requested_by"), public_id=public_id
    )
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_correction(
                item,
                outcome=form.cleaned_data["outcome"],
                answer=form.cleaned_data["answer"],
                actor=request.user,
                scope=scope,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your answer was saved and sent to the person."))
            return redirect("personnel:corrections")
    status = 400 if request.method == "POST" else 200
    return render(request, "personnel/correction.html", {"item": item, "form": form}, status=status)


# --- The person's own record --------------------------------------------------------------------


@staff_required
def me(request):
    found = own_record(request.user)
    if found is None:
        return render(request, "personnel/me_none.html", status=404)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_correction(found, form.cleaned_data["text"], user=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Your request was sent to the personnel officers of your agency.")
            )
            return redirect("personnel:me")
    elif request.method == "GET":
        services.record_access(found, actor=request.user)
    context = _record_context(found, None)
    context.update(
        {
            "form": form,
            "own": True,
            "requests": found.corrections.all()[:20],
            "accesses": AuditEvent.objects.filter(
                object_type="personnel.civilservant",
                object_id=str(found.pk),
                action__in=["personnel.record_viewed", "personnel.state_viewed"],
            )
            .exclude(actor_id=request.user.pk)
            .order_by("-id")[:20],
        }
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "personnel/me.html", context, status=status)
