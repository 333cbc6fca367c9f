"""The yearly self-assessment's pages: the report of a year, its Excel workbook and the form
that enters a criterion the platform does not measure. The report is the city's: it is for
those who see the whole city, and a system administrator enters its figures."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts import scoping
from egov.accounts.access import staff_required
from egov.indicators import access, assessment, services
from egov.indicators.forms import EntryForm
from egov.reports import params
from egov.reports.excel import workbook
from egov.reports.tables import Cell, Head, Table


def _year(request: HttpRequest) -> int:
    if access.allowed_agencies(request.user) is not None:
        raise PermissionDenied
    value = request.GET.get("year", "")
    this_year = timezone.localdate().year
    if not value:
        return this_year
    if not value.isdigit() or not params.FIRST_YEAR <= int(value) <= this_year:
        raise Http404
    return int(value)


@staff_required
def assessment_page(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    context = {
        "year": year,
        "rows": assessment.assess(year),
        "years": list(range(timezone.localdate().year, params.FIRST_YEAR - 1, -1)),
        "may_enter": scoping.is_system_wide(request.user),
    }
    return render(request, "indicators/assessment.html", context)


def _status(row: assessment.Row) -> str:
    if row.status == "measured":
        return _("Measured by the platform")
    if row.entry is not None:
        return _("Entered: %(source)s") % {"source": row.entry.source}
    return _("Not measured yet")


@staff_required
def assessment_excel(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    heads = [_("No."), _("Criterion"), _("Rate"), _("Counted"), _("Out of all")]
    heads += [_("Where the figure comes from"), _("Legal source")]
    table = Table("assessment", _("E-government self-assessment"), [[Head(h) for h in heads]])
    for row in assessment.assess(year):
        table.rows.append(
            [
                Cell(row.criterion.number, "text"),
                Cell(str(row.criterion.name), "text"),
                Cell(row.rate, "percent"),
                Cell(row.part),
                Cell(row.whole),
                Cell(_status(row), "text"),
                Cell(row.criterion.source, "text"),
            ]
        )
    body = workbook([table], [_("E-government self-assessment"), str(year)])
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="tu-danh-gia-{year}.xlsx"'
    return response


@staff_required
def assessment_enter(request: HttpRequest, code: str) -> HttpResponse:
    year = _year(request)
    criterion = assessment.BY_CODE.get(code)
    if criterion is None or criterion.measure is not None:
        raise Http404
    if not scoping.is_system_wide(request.user):
        raise PermissionDenied
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.enter_assessment_figure(
            actor=request.user,
            criterion=code,
            year=year,
            rate=form.cleaned_data["rate"],
            source=form.cleaned_data["source"],
        )
        messages.success(request, _("The figure was entered."))
        return redirect(f"{reverse('indicators:assessment')}?year={year}#{code}")
    context = {"year": year, "criterion": criterion, "form": form}
    return render(request, "indicators/assessment_enter.html", context)
