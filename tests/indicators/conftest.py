import datetime
from zoneinfo import ZoneInfo

import pytest

from egov.reports.models import MonthTally
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
    return MonthTally.objects.create(
        month=month,
        agency_id=agency.pk,
        field_id=field_id,
        online_mode=mode,
        legacy_level=level,
        **metrics,
    )
