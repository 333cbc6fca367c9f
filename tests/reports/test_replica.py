"""With REPORTS_DATABASE_URL set, the statistics read their aggregates from that database (a
replica) and never from the primary. Run in a separate process, as the settings are read at
start-up: two SQLite files stand for the primary and its replica."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import datetime, django
django.setup()
from egov.reports import figures, satisfaction
from egov.reports.models import MonthTally, RatingTally
MonthTally.objects.using("reports").create(
    month=datetime.date(2025, 3, 1), province_code="92", agency_id=1, field_id=1,
    online_mode="full", legacy_level=4, received_online=7, opened=7,
)
RatingTally.objects.using("reports").create(
    month=datetime.date(2025, 3, 1), province_code="92", agency_id=1, ratings=2, total=30,
)
year = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
report = figures.report(*year)
scores, _staff = satisfaction.scores(datetime.date(2025, 1, 1), datetime.date(2025, 12, 1))
print(report.received["online"], report.in_progress["total"], scores[0].average,
      MonthTally.objects.count(), RatingTally.objects.count())
"""


def test_the_statistics_read_the_replica(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "egov.settings",
        "DATABASE_URL": f"sqlite:///{primary}",
        "EGOV_VAR_DIR": str(tmp_path),
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    shutil.copy(primary, replica)  # the replica starts as a copy of the primary
    env["REPORTS_DATABASE_URL"] = f"sqlite:///{replica}"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT / "src")},
        check=True,
        capture_output=True,
        text=True,
    )
    # Seven dossiers received online and still open, an average of 15.0 — all read from the
    # replica; the primary holds no tallies at all.
    assert result.stdout.split() == ["7", "7", "15.0", "0", "0"]
