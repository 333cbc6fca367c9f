import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F

from egov.digitization.models import Paper
from egov.reports.models import AgencyMonthTally, MonthTally
from tests.dossiers.conftest import people, record_version  # noqa: F401

# Every test looks back from a fixed day: October 2026 is then a whole month in the past.
TODAY = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
OCTOBER = datetime.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _no_scanner(settings):
    settings.EGOV_MALWARE_SCANNER = "none"


@pytest.fixture
def today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def tally(agency, month=OCTOBER, mode="full", level=4, field_id=1, **metrics):
    """One month's sums for an agency, as the statistics keep them (the counts a test writes
    are the platform's data the index reads)."""
    row = MonthTally.objects.create(
        month=month,
        agency_id=agency.pk,
        field_id=field_id,
        online_mode=mode,
        legacy_level=level,
        **metrics,
    )
    # And the same sums by agency and online mode (what the index reads), as the statistics
    # keep them beside.
    rolled, made = AgencyMonthTally.objects.get_or_create(
        month=month, agency_id=agency.pk, online_mode=mode, defaults=metrics
    )
    if not made:
        AgencyMonthTally.objects.filter(pk=rolled.pk).update(
            **{name: F(name) + value for name, value in metrics.items()}
        )
    return row


def open_store(owner, day):
    """A citizen's own paper added on ``day``: the citizens' document store (the digitisation
    data the index reads) was open from then."""
    paper = Paper.objects.create(
        owner=owner, kind="cccd", kind_name="Căn cước", file="papers/x.pdf", size=1,
        sha256="0" * 64, source=Paper.Source.CITIZEN,
    )  # fmt: skip
    moment = datetime.datetime.combine(day, datetime.time(9), tzinfo=TODAY.tzinfo)
    Paper.objects.filter(pk=paper.pk).update(created_at=moment)
    return paper
