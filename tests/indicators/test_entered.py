"""Indicators the platform holds no data for say "not measured yet" (never a made-up 0) and
count neither for nor against; an administrator enters their figure with its source, shown as
entered and kept in the audit trail."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from egov.accounts.models import Role
from egov.core.models import AuditEvent
from egov.indicators import index, services
from egov.indicators.index import ENTERED, MEASURED, NOT_MEASURED
from egov.reports.figures import Scope
from tests.indicators.conftest import OCTOBER, tally

pytestmark = pytest.mark.django_db
OCTOBER_END = datetime.date(2026, 10, 31)


def _by_code(computed):
    return {result.indicator.code: result for result in computed.results}


def test_not_measured_yet_is_no_zero_and_the_total_is_out_of_the_rest(today, agencies):
    tally(agencies["justice"], resolved_on_time=4, opened=4, closed=4)
    computed = index.compute(OCTOBER, OCTOBER_END, Scope(agency=agencies["justice"]))
    found = _by_code(computed)
    sync = found["DOSSIER_SYNC"]
    assert sync.status == NOT_MEASURED and sync.rate is None and sync.points is None
    assert found["ON_TIME"].status == MEASURED and found["ON_TIME"].points == 20
    not_measured = {r.indicator.code for r in computed.missing}
    assert not_measured == {
        "PUBLISH_ON_TIME", "PUBLIC_UPDATE_ON_TIME", "DOSSIER_SYNC", "ELECTRONIC_CERTIFIED_COPY",
        # No paper in the citizens' document store yet: no digitisation data, no made-up 0.
        "DIGITISED_DOSSIERS", "REUSED_DIGITISED_DATA", "SYNCED_PERSONAL_STORAGE",
        "CITIZEN_DATA_DOSSIER", "CITIZEN_DATA_PROCEDURE",
    }  # fmt: skip
    # Out of 100 less the 6 + 4 + 6 + 2 + 4 + 2 + 4 + 2 + 2 = 32 points not measured, and less
    # the indicators with nothing to count (no procedure, no payment, no dossier received).
    assert all(r.points is not None for r in computed.results if r.status == MEASURED
               and r.rate is not None)  # fmt: skip
    assert computed.scored_weight <= 68
    transparency = computed.groups[0]
    assert transparency.points is None  # 1.3 had no procedure to count, the rest not measured


def test_an_entered_figure_is_marked_with_its_source_and_audited(today, agencies, make_staff):
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN)
    services.enter_figure(
        actor=admin, indicator="DOSSIER_SYNC", start=OCTOBER, end=OCTOBER_END, scope=Scope(),
        rate=Decimal("80"), source="Cổng DVCQG, tháng 10/2026, xem ngày 05/11/2026",
    )  # fmt: skip
    services.enter_figure(
        actor=admin, indicator="DOSSIER_SYNC", start=OCTOBER, end=OCTOBER_END, scope=Scope(),
        rate=Decimal("90"), source="Cổng DVCQG, bản sửa ngày 06/11/2026",
    )  # fmt: skip
    found = _by_code(index.compute(OCTOBER, OCTOBER_END, Scope()))["DOSSIER_SYNC"]
    assert found.status == ENTERED
    assert found.rate == 90 and found.points == Decimal("5.4")  # 6 × 90%
    assert found.entry.source == "Cổng DVCQG, bản sửa ngày 06/11/2026"
    # The other periods and units have no figure.
    justice = _by_code(index.compute(OCTOBER, OCTOBER_END, Scope(agency=agencies["justice"])))
    assert justice["DOSSIER_SYNC"].status == NOT_MEASURED
    history = index.entries_history("DOSSIER_SYNC", OCTOBER, OCTOBER_END, Scope())
    assert [entry.rate for entry in history] == [90, 80]
    events = AuditEvent.objects.filter(action="indicators.figure_entered").order_by("seq")
    assert [event.after["rate"] for event in events] == ["80.00", "90.00"]


def test_what_cannot_be_entered(today, agencies, make_staff):
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN)
    health_admin = make_staff("qtyte", agencies["health"], Role.AGENCY_ADMIN)
    figure = {"start": OCTOBER, "end": OCTOBER_END, "rate": Decimal(50), "source": "Cổng"}
    with pytest.raises(ValidationError):  # measured by the platform itself
        services.enter_figure(actor=admin, indicator="ON_TIME", scope=Scope(), **figure)
    with pytest.raises(ValidationError):
        services.enter_figure(
            actor=admin, indicator="DOSSIER_SYNC", scope=Scope(), **(figure | {"source": " "})
        )
    with pytest.raises(PermissionDenied):  # another department's figure
        services.enter_figure(
            actor=health_admin, indicator="DOSSIER_SYNC",
            scope=Scope(agency=agencies["justice"]), **figure,
        )  # fmt: skip
    services.enter_figure(
        actor=health_admin, indicator="DOSSIER_SYNC", scope=Scope(agency=agencies["health"]),
        **figure,
    )  # fmt: skip
    assert AuditEvent.objects.filter(action="indicators.figure_entered").count() == 1


def test_the_page_shows_not_measured_and_entered_and_the_form_enters(
    today, agencies, make_staff, client
):
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN)
    client.force_login(admin)
    query = {"year": 2026, "month": 10}
    page = client.get("/staff/indicators/", query, HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Chưa đo được" in text and "Nhập số liệu" in text
    answer = client.post(
        "/staff/indicators/enter/DOSSIER_SYNC/?year=2026&month=10",
        {"rate": "75.5", "source": "Cổng DVCQG 11/2026"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert answer.status_code == 302
    text = client.get("/staff/indicators/", query, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Nhập tay" in text and "Cổng DVCQG 11/2026" in text
    # A measured indicator has no form.
    assert client.get("/staff/indicators/enter/ON_TIME/", query).status_code == 404
