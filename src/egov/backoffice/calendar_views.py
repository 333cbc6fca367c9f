"""The city's days off and make-up working days (system administrators): the working calendar
that every legal deadline is counted on (core.calendar)."""

import holidays
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts import scoping
from egov.accounts.access import staff_required
from egov.backoffice.forms import CalendarDayForm
from egov.core import calendar_days
from egov.core.models import CalendarDay


def _require_system_admin(user):
    if not scoping.is_system_wide(user):
        raise PermissionDenied


def _year(request) -> int:
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@staff_required
def calendar_days_page(request):
    _require_system_admin(request.user)
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day = calendar_days.declare(
            date=data["date"], kind=data["kind"], reason=data["reason"], actor=request.user
        )
        messages.success(
            request,
            _("%(date)s is declared: %(kind)s.")
            % {"date": day.date.strftime("%d/%m/%Y"), "kind": day.get_kind_display()},
        )
        return redirect(f"{request.path}?nam={day.date.year}")
    year = _year(request)
    language = "vi" if translation.get_language().startswith("vi") else "en_US"
    national = holidays.VN(years=year, language=language)
    return render(
        request,
        "backoffice/calendar_days.html",
        {
            "form": form,
            "year": year,
            "days": CalendarDay.objects.filter(date__year=year),
            "national": sorted(national.items()),
            "make_up": sorted(d for d in national.weekend_workdays if d.year == year),
        },
    )


@staff_required
@require_POST
def calendar_day_withdraw(request, pk: int):
    _require_system_admin(request.user)
    day = get_object_or_404(CalendarDay, pk=pk)
    calendar_days.withdraw(day, actor=request.user)
    messages.success(
        request,
        _("%(date)s follows the national calendar again.")
        % {"date": day.date.strftime("%d/%m/%Y")},
    )
    return redirect(f"{reverse('backoffice:calendar')}?nam={day.date.year}")
