from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts import enrolment, scoping
from egov.accounts.access import staff_required
from egov.accounts.models import Role, User
from egov.backoffice import menu
from egov.backoffice.forms import AuditFilterForm, OrganizationImportForm
from egov.core import action_labels
from egov.core.models import AuditEvent
from egov.core.paging import SEARCH_CAP
from egov.dossiers import processing, worklists
from egov.organizations import services as organizations
from egov.organizations.models import Agency

AUDIT_ROLES = [Role.AUDITOR, Role.SYSTEM_ADMIN]
ADMIN_ROLES = [Role.AGENCY_ADMIN, Role.SYSTEM_ADMIN]


@staff_required
def dashboard(request):
    scope = processing.StaffScope(request.user)
    assignments = sorted(scope.assignments, key=lambda a: (a.agency.code, a.role))
    # Only people with a dossier role have queues (the overdue tab is offered to everyone).
    waiting = worklists.counts(request.user, scope) if scope.by_role != {} else []
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "assignments": assignments,
            "waiting": waiting,
            "cap": SEARCH_CAP,
            "staff_menu": menu.entries_for(request.user, scope.assignments),
            "perms_system_wide": scope.by_role is None,
        },
    )


@staff_required
def agency_list(request):
    agencies = scoping.agency_scope(request.user).select_related("parent").order_by("path")
    return render(request, "backoffice/agencies.html", {"agencies": agencies})


@staff_required
def agency_detail(request, pk: int):
    agency = scoping.get_scoped_or_404(
        Agency.objects.select_related("parent", "unit"), request.user, agency_field="pk", pk=pk
    )
    return render(
        request,
        "backoffice/agency.html",
        {
            "agency": agency,
            "desks": agency.desks.all(),
            "children": agency.children.order_by("code"),
        },
    )


@staff_required
def people(request):
    users = scoping.scoped(
        User.objects.filter(kind=User.Kind.STAFF).select_related("agency"),
        request.user,
        roles=ADMIN_ROLES,
    ).order_by("agency__code", "username")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/people.html", {"page": page})


@staff_required
@require_POST
def issue_setup_code(request, pk: int):
    """A one-time code with which the staff member enrols an authenticator app, shown once."""
    person = scoping.get_scoped_or_404(
        User.objects.filter(kind=User.Kind.STAFF).select_related("agency"),
        request.user,
        roles=ADMIN_ROLES,
        pk=pk,
    )
    try:
        record, code = enrolment.issue(actor=request.user, user=person)
    except PermissionDenied:
        messages.error(request, _("You cannot issue a setup code for this account."))
        return redirect("backoffice:people")
    response = render(
        request,
        "backoffice/setup_code.html",
        {"person": person, "code": code, "expires_at": record.expires_at},
    )
    add_never_cache_headers(response)
    return response


def _audit_events(user):
    if not any(scoping.has_role(user, role) for role in AUDIT_ROLES):
        raise PermissionDenied
    events = AuditEvent.objects.all()
    if scoping.covers_everything(user, AUDIT_ROLES):
        return events
    in_scope = scoping.agency_scope(user, AUDIT_ROLES).values("pk")
    return events.filter(agency_id__in=in_scope)


@staff_required
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    events = _audit_events(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            events = events.filter(
                Q(action__icontains=data["action"])
                | Q(action__in=action_labels.matching(data["action"]))
            )
        if data["object_type"]:
            events = events.filter(object_type__icontains=data["object_type"])
        if data["object_id"]:
            events = events.filter(object_id=data["object_id"])
        if data["actor"]:
            events = events.filter(actor_label__icontains=data["actor"])
        if data["date_from"]:
            events = events.filter(occurred_at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(occurred_at__date__lte=data["date_to"])
    elif form.is_bound:
        events = events.none()
    page = Paginator(events.order_by("-id"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/audit_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )


@staff_required
def audit_detail(request, pk: int):
    event = get_object_or_404(_audit_events(request.user), pk=pk)
    return render(request, "backoffice/audit_detail.html", {"event": event})


IMPORTERS = {
    "units": organizations.import_units_csv,
    "successions": organizations.import_successions_csv,
    "agencies": organizations.import_agencies_csv,
}
EXPORTERS = {"units": organizations.export_units_csv, "agencies": organizations.export_agencies_csv}


def _require_system_admin(user):
    if not scoping.is_system_wide(user):
        raise PermissionDenied


@staff_required
def organizations_import(request):
    """System administrators load units, mergers and agencies from CSV (all or nothing)."""
    _require_system_admin(request.user)
    form = OrganizationImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = IMPORTERS[form.cleaned_data["kind"]](
            upload.read(), actor=request.user, filename=upload.name
        )
        if report.ok:
            messages.success(
                request,
                _("Imported: %(created)s created, %(updated)s updated.")
                % {"created": report.created, "updated": report.updated},
            )
            return redirect("backoffice:organizations_import")
    return render(request, "backoffice/organizations_import.html", {"form": form, "report": report})


@staff_required
def organizations_export(request, kind: str):
    _require_system_admin(request.user)
    if kind not in EXPORTERS:
        raise Http404
    response = HttpResponse(EXPORTERS[kind](), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}.csv"'
    return response
