"""The staff pages of the service index: the index of a period and unit, the ranking, the Excel
export, the dossiers behind a figure and the form that enters a figure the platform does not
measure."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from egov.accounts.access import staff_required
from egov.core.collation import sorted_vi
from egov.indicators import access, drilldown, excel, index, services
from egov.indicators.definitions import BY_CODE
from egov.indicators.forms import EntryForm
from egov.indicators.readings import Unit
from egov.organizations.models import AdministrativeUnit, Agency
from egov.reports import params, tables
from egov.reports.figures import Scope

PERIOD_KEYS = ("year", "quarter", "month")
KEYS = (*PERIOD_KEYS, "agency", "commune")


@dataclass
class Choice:
    """The period and unit a page shows, as read from its query string."""

    year: int
    quarter: int | None
    month: int | None
    start: datetime.date
    end: datetime.date
    scope: Scope

    def query(self, **changes: int | str | None) -> str:
        values = {
            "year": self.year,
            "quarter": self.quarter,
            "month": self.month,
            "agency": self.scope.agency.code if self.scope.agency else None,
            "commune": self.scope.commune.code if self.scope.commune else None,
        }
        values.update(changes)
        return urlencode({key: value for key, value in values.items() if value})

    def before(self) -> tuple[datetime.date, datetime.date] | None:
        earlier = index.previous(self.year, self.quarter, self.month)
        try:
            return params.period(**earlier)
        except ValidationError:
            return None


def _number(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError(_("Give the year, the quarter and the month as numbers."))
    return int(value)


def read_choice(request: HttpRequest, allowed: list[int] | None) -> Choice:
    """The period and unit asked for, checked against what the user may see (a unit outside
    it is not found)."""
    query = request.GET
    year = _number(query.get("year")) or timezone.localdate().year
    quarter, month = _number(query.get("quarter")), _number(query.get("month"))
    start, end = params.period(year, quarter, month)
    scope = params.scope(query.get("agency") or None, query.get("commune") or None)
    if scope.agency and scope.commune:
        raise ValidationError(_("Choose an agency or a commune, not both."))
    if allowed is not None and scope.agency is None and scope.commune is None:
        scope = Scope(agency=access.default_agency(allowed))
    if not access.may_see(scope, allowed, start, end):
        raise Http404
    return Choice(year, quarter, month, start, end, scope)


def _choices(choice: Choice | None, allowed: list[int] | None) -> dict:
    today = timezone.localdate()
    start, end = (choice.start, choice.end) if choice else (today.replace(day=1), today)
    in_period = (
        Q(valid_from__isnull=True) | Q(valid_from__lte=end),
        Q(valid_to__isnull=True) | Q(valid_to__gte=start),
    )
    agencies = Agency.objects.filter(*in_period)
    if allowed is not None:
        agencies = agencies.filter(pk__in=allowed)
    communes = (
        AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE).filter(*in_period)
        if allowed is None
        else AdministrativeUnit.objects.none()
    )
    return {
        "years": list(range(today.year, params.FIRST_YEAR - 1, -1)),
        "quarters": range(1, 5),
        "months": range(1, 13),
        "agency_choices": agencies.order_by("path").only("code", "name"),
        "commune_choices": sorted_vi(communes.only("code", "name"), key=lambda unit: unit.name),
        "restricted": allowed is not None,
    }


def _refused(
    request: HttpRequest, template: str, exc: ValidationError, allowed: list[int] | None
) -> HttpResponse:
    context = {"errors": exc.messages, "query": request.GET, **_choices(None, allowed)}
    return render(request, template, context, status=400)


@staff_required
def index_page(request: HttpRequest) -> HttpResponse:
    allowed = access.allowed_agencies(request.user)
    try:
        choice = read_choice(request, allowed)
    except ValidationError as exc:
        return _refused(request, "indicators/index.html", exc, allowed)
    computed = index.compute(choice.start, choice.end, choice.scope)
    before = choice.before()
    earlier = index.compute(*before, choice.scope) if before else None
    context = {
        "choice": choice,
        "index": computed,
        "earlier": earlier,
        "unit_label": index.unit_label(choice.scope),
        "period_label": tables.period_label(choice.start, choice.end),
        "may_enter": access.may_enter(request.user, choice.scope),
        "query": request.GET,
        **_choices(choice, allowed),
    }
    return render(request, "indicators/index.html", context)


@staff_required
def ranking_page(request: HttpRequest) -> HttpResponse:
    allowed = access.allowed_agencies(request.user)
    try:
        choice = read_choice(request, allowed)
    except ValidationError as exc:
        return _refused(request, "indicators/ranking.html", exc, allowed)
    rows = index.ranking(choice.start, choice.end, allowed, choice.before())
    context = {
        "choice": choice,
        "rows": rows,
        "period_label": tables.period_label(choice.start, choice.end),
        "query": request.GET,
        **_choices(choice, allowed),
    }
    return render(request, "indicators/ranking.html", context)


@staff_required
def excel_export(request: HttpRequest) -> HttpResponse:
    allowed = access.allowed_agencies(request.user)
    try:
        choice = read_choice(request, allowed)
    except ValidationError as exc:
        return _refused(request, "indicators/index.html", exc, allowed)
    computed = index.compute(choice.start, choice.end, choice.scope)
    rows = index.ranking(choice.start, choice.end, allowed, choice.before())
    heading = [
        _("Service index (QĐ 766/QĐ-TTg)"),
        f"{index.unit_label(choice.scope)} · {tables.period_label(choice.start, choice.end)}",
    ]
    body = excel.workbook(computed, rows, heading)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"chi-so-766-{choice.start:%Y%m%d}-{choice.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required
def dossiers_page(request: HttpRequest) -> HttpResponse:
    allowed = access.allowed_agencies(request.user)
    name = request.GET.get("figure", "")
    if name not in drilldown.FILTERS:
        raise Http404
    try:
        choice = read_choice(request, allowed)
    except ValidationError as exc:
        return _refused(request, "indicators/index.html", exc, allowed)
    unit = Unit(choice.start, choice.end, choice.scope)
    found = drilldown.dossiers(request.user, name, unit)
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    context = {
        "choice": choice,
        "title": drilldown.FILTERS[name][0],
        "page": page,
        "figure": name,
        "query": f"{choice.query()}&{urlencode({'figure': name})}",
        "unit_label": index.unit_label(choice.scope),
        "period_label": tables.period_label(choice.start, choice.end),
    }
    return render(request, "indicators/dossiers.html", context)


@staff_required
def enter(request: HttpRequest, code: str) -> HttpResponse:
    allowed = access.allowed_agencies(request.user)
    indicator = BY_CODE.get(code)
    if indicator is None or not indicator.enterable:
        raise Http404
    try:
        choice = read_choice(request, allowed)
    except ValidationError as exc:
        return _refused(request, "indicators/index.html", exc, allowed)
    if not access.may_enter(request.user, choice.scope):
        raise PermissionDenied
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_figure(
                actor=request.user,
                indicator=code,
                start=choice.start,
                end=choice.end,
                scope=choice.scope,
                rate=form.cleaned_data["rate"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The figure was entered."))
            return redirect(f"{reverse('indicators:index')}?{choice.query()}#{code}")
    history = index.entries_history(code, choice.start, choice.end, choice.scope)
    context = {
        "choice": choice,
        "indicator": indicator,
        "form": form,
        "history": history,
        "unit_label": index.unit_label(choice.scope),
        "period_label": tables.period_label(choice.start, choice.end),
    }
    return render(request, "indicators/enter.html", context)
