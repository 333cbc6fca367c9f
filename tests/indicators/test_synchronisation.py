"""Indicator 1.4 (dossiers synchronised with the national portal) read from the statistics'
tallies on counts written here; "not measured yet" while the connector is off or before the
portal first acknowledged one of its calls (never a made-up 0), when an administrator may
enter it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from egov.accounts.models import Role
from egov.indicators import index, services
from egov.indicators.index import ENTERED, MEASURED, NOT_MEASURED
from egov.national_portal.models import OutboxMessage
from egov.reports.figures import Scope
from tests.dossiers import closing
from tests.indicators.conftest import OCTOBER, TODAY, tally

pytestmark = pytest.mark.django_db
OCTOBER_END = datetime.date(2026, 10, 31)
NOVEMBER = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
CODE = "DOSSIER_SYNC"


@pytest.fixture
def connector(settings):
    settings.EGOV_NATIONAL_PORTAL_ENABLED = True
    return settings


def _found(start, end, scope):
    results = index.compute(start, end, scope).results
    return next(result for result in results if result.indicator.code == CODE)


def acknowledged(dossier, day, state=OutboxMessage.State.SENT):
    """A record call of ``dossier`` the portal acknowledged on ``day`` (or not, by ``state``)."""
    moment = None
    if day is not None:
        moment = datetime.datetime.combine(day, datetime.time(9), tzinfo=TODAY.tzinfo)
    return OutboxMessage.objects.create(
        dossier=dossier, dossier_code=dossier.code, sequence=1,
        service=OutboxMessage.Service.SYNC, status=dossier.status, portal_code=2, payload={},
        state=state, acknowledged_at=moment,
    )  # fmt: skip


@pytest.fixture
def dossier(record_version, citizen, people):
    return closing.received(record_version, citizen, people)


def test_synchronised_dossiers_of_an_agency(today, agencies, dossier, connector):
    acknowledged(dossier, datetime.date(2026, 9, 1))
    justice, legal_aid, health = agencies["justice"], agencies["legal_aid"], agencies["health"]
    # Justice: 10 received, 7 acknowledged by the portal.
    tally(justice, received_online=6, received_desk=4, synced=7)
    # Its legal aid centre (counted with Justice): 5 received, 2 acknowledged.
    tally(legal_aid, mode="partial", received_desk=5, synced=2)
    # Health is another unit.
    tally(health, received_online=20, synced=20)

    found = _found(OCTOBER, OCTOBER_END, Scope(agency=justice))

    # 9 of 15 = 60% of 6 points.
    assert found.status == MEASURED
    assert found.rate == 60 and found.points == Decimal("3.6")
    assert [value for _label, value in found.inputs] == [15, 9]
    # The city: 29 of 35.
    city = _found(OCTOBER, OCTOBER_END, Scope())
    assert city.rate == Decimal(2900) / 35
    assert [value for _label, value in city.inputs] == [35, 29]


def test_not_measured_before_the_first_acknowledgement_or_with_the_connector_off(
    today, agencies, dossier, connector
):
    tally(agencies["justice"], received_desk=4, synced=0)
    # No acknowledged call at all: not measured, whatever the tallies say (never 0).
    found = _found(OCTOBER, OCTOBER_END, Scope())
    assert found.status == NOT_MEASURED and found.points is None and found.rate is None
    # A call waiting or refused is no acknowledgement.
    acknowledged(dossier, None, state=OutboxMessage.State.FAILED)
    assert _found(OCTOBER, OCTOBER_END, Scope()).status == NOT_MEASURED
    # The portal first acknowledged a call on 2 November: October stays not measured,
    # November is measured (0 of 4 received is a measured 0).
    OutboxMessage.objects.update(
        state=OutboxMessage.State.SENT,
        acknowledged_at=datetime.datetime(2026, 11, 2, 9, tzinfo=TODAY.tzinfo),
    )
    assert _found(OCTOBER, OCTOBER_END, Scope()).status == NOT_MEASURED
    tally(agencies["justice"], month=NOVEMBER[0], received_desk=4, synced=0)
    november = _found(*NOVEMBER, Scope())
    assert november.status == MEASURED and november.rate == 0 and november.points == 0
    # The connector switched off: not measured, for every period.
    connector.EGOV_NATIONAL_PORTAL_ENABLED = False
    assert _found(*NOVEMBER, Scope()).status == NOT_MEASURED


def test_a_figure_is_entered_only_for_a_period_without_data(
    today, agencies, dossier, connector, make_staff
):
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN)
    acknowledged(dossier, datetime.date(2026, 11, 2))
    entry = services.enter_figure(
        actor=admin, indicator=CODE, start=OCTOBER, end=OCTOBER_END, scope=Scope(),
        rate=Decimal(75), source="Cổng DVCQG, 5/11/2026",
    )  # fmt: skip
    found = _found(OCTOBER, OCTOBER_END, Scope())
    assert found.status == ENTERED and found.entry == entry
    assert found.points == Decimal("4.5")  # 75% of 6 points
    # November is measured by the platform: no figure may be entered for it.
    with pytest.raises(ValidationError):
        services.enter_figure(
            actor=admin, indicator=CODE, start=NOVEMBER[0], end=NOVEMBER[1], scope=Scope(),
            rate=Decimal(75), source="Cổng DVCQG",
        )  # fmt: skip
