"""Public disclosure of the statistics (no sign-in) and the leaders' dashboard: the same figures,
charts and tables, for the city, an agency, a commune or a field, and their Excel export."""

import dataclasses

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts import scoping
from egov.accounts.access import staff_required
from egov.accounts.models import Role, User
from egov.catalog.models import Field
from egov.core.collation import sorted_vi
from egov.organizations.models import AdministrativeUnit, Agency
from egov.reports import charts, excel, feedback_tables, figures, params, satisfaction, tables
from egov.reports.figures import Scope

DASHBOARD_ROLES = [Role.LEADER, Role.AGENCY_ADMIN, Role.AUDITOR]


def _number(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError(_("Give the year, the quarter and the month as numbers."))
    return int(value)


def _read(request) -> tuple:
    query = request.GET
    start, end = params.period(
        _number(query.get("year")), _number(query.get("quarter")), _number(query.get("month"))
    )
    scope = params.scope(
        query.get("agency") or None, query.get("commune") or None, query.get("field") or None
    )
    return start, end, scope


def _names(ids) -> dict[int, str]:
    return dict(Agency.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


def _build(start, end, scope: Scope, *, staff_scores: bool = False) -> dict:
    report = figures.report(start, end, scope)
    rows = figures.by_agency(start, end, scope)
    ids = scope.agency_ids(start, end)
    agency_scores, staff = satisfaction.scores(start.replace(day=1), end.replace(day=1), ids)
    label = tables.period_label(start, end)
    built = [
        tables.online_services([(label, report)]),
        tables.online_modes([(label, report)]),
        tables.dossiers(rows, report),
        tables.services(report),
        tables.satisfaction(agency_scores, _names(s.id for s in agency_scores), _("Agency")),
        *feedback_tables.tables(start, end, scope),
    ]
    desks = figures.by_receiving_desk(start, end, scope)
    if desks:
        built.insert(3, tables.receiving_desks(desks))
    if staff_scores and scope.agency is not None:
        members = staff.get(scope.agency.pk, [])
        people = dict(
            User.objects.filter(pk__in=[m.id for m in members]).values_list("pk", "full_name")
        )
        table = tables.satisfaction(members, people, _("Staff member"))
        table.slug, table.title = "staff-satisfaction", _("Satisfaction by staff member")
        built.append(table)
    received = report.received
    resolved = report.resolved
    chart_list = [
        charts.bars(
            "chart-channels",
            _("Dossiers received by channel"),
            [
                (_("Online"), received["online"]),
                (_("At the desk"), received["desk"]),
                (_("By post"), received["post"]),
            ],
        ),
        charts.bars(
            "chart-resolved",
            _("Dossiers resolved"),
            [
                (_("Early"), resolved["early"]),
                (_("On time"), resolved["on_time"]),
                (_("Late"), resolved["late"]),
            ],
        ),
    ]
    ranked = [row for row in rows if row["resolved"]][:12]
    if ranked:
        chart_list.append(
            charts.bars(
                "chart-on-time",
                _("Resolved on time or early, by agency"),
                [(row["name"], row["on_time_rate"]) for row in ranked],
                unit="percent",
            )
        )
    return {
        "report": report,
        "rows": rows,
        "tables": built,
        "charts": chart_list,
        "period_label": label,
        "start": start,
        "end": end,
        "scope": scope,
    }


def _choices(start, end, agencies=None) -> dict:
    in_period = Agency.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=end),
        Q(valid_to__isnull=True) | Q(valid_to__gte=start),
    )
    if agencies is not None:
        in_period = in_period.filter(pk__in=agencies)
    communes = AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=end),
        Q(valid_to__isnull=True) | Q(valid_to__gte=start),
    )
    return {
        "years": list(range(timezone.localdate().year, params.FIRST_YEAR - 1, -1)),
        "agency_choices": in_period.order_by("path").only("code", "name"),
        "commune_choices": sorted_vi(communes.only("code", "name"), key=lambda unit: unit.name)
        if agencies is None
        else [],
        "field_choices": sorted_vi(Field.objects.all(), key=lambda field: field.name),
    }


def _excel(context, heading: list[str]) -> HttpResponse:
    body = excel.workbook(context["tables"], heading)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"thong-ke-{context['start']:%Y%m%d}-{context['end']:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _heading(context) -> list[str]:
    scope: Scope = context["scope"]
    unit = (
        scope.agency.name
        if scope.agency
        else scope.commune.name
        if scope.commune
        else _("The whole city")
    )
    lines = [_("Statistics of administrative procedures"), f"{unit} · {context['period_label']}"]
    if scope.field:
        lines.append(_("Field: %(name)s") % {"name": scope.field.name})
    return lines


def public(request, excel_export: bool = False):
    try:
        start, end, scope = _read(request)
    except ValidationError as exc:
        start, end = params.period()
        context = {"errors": exc.messages, **_choices(start, end), "query": request.GET}
        return render(request, "reports/public.html", context, status=400)
    context = _build(start, end, scope)
    if excel_export:
        return _excel(context, _heading(context))
    context.update(_choices(start, end), query=request.GET)
    return render(request, "reports/public.html", context)


def public_excel(request):
    return public(request, excel_export=True)


def _leader_agencies(user) -> list[int] | None:
    """None when the user's roles cover every agency (city leaders, auditors)."""
    if scoping.covers_everything(user, DASHBOARD_ROLES):
        return None
    ids = list(scoping.agency_scope(user, DASHBOARD_ROLES).values_list("pk", flat=True))
    if not ids:
        raise PermissionDenied
    return ids


@staff_required
def dashboard(request, excel_export: bool = False):
    allowed = _leader_agencies(request.user)
    try:
        start, end, scope = _read(request)
        if allowed is not None:
            if scope.agency is None:
                top = Agency.objects.filter(pk__in=allowed).order_by("path").first()
                scope = dataclasses.replace(scope, agency=top, commune=None)
            elif scope.agency.pk not in allowed:
                raise ValidationError(_("You can see the statistics of your agencies only."))
    except ValidationError as exc:
        start, end = params.period()
        context = {
            "errors": exc.messages,
            **_choices(start, end, allowed),
            "query": request.GET,
            "restricted": allowed is not None,
        }
        return render(request, "reports/dashboard.html", context, status=400)
    context = _build(start, end, scope, staff_scores=True)
    if excel_export:
        return _excel(context, _heading(context))
    context.update(_choices(start, end, allowed), query=request.GET, restricted=allowed is not None)
    return render(request, "reports/dashboard.html", context)


def dashboard_excel(request):
    return dashboard(request, excel_export=True)
