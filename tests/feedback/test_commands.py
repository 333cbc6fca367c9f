"""Operators' commands: loading commune boundaries (all or nothing), closing answered reports,
and the audit trail pages naming this app's actions."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from egov.accounts.models import Role
from egov.feedback import geo, services
from egov.feedback.models import CommuneBoundary, Report
from tests.feedback.conftest import draft, square

pytestmark = pytest.mark.django_db


def write(tmp_path, features) -> str:
    path = tmp_path / "xa.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return str(path)


def test_load_boundaries_then_find_the_commune(tmp_path, communes, capsys):
    path = write(
        tmp_path,
        [
            {
                "type": "Feature",
                "properties": {"code": "31135"},
                "geometry": square(10.0, 105.75, 10.06, 105.78),
            },
            {
                "type": "Feature",
                "properties": {"ma": "31186"},
                "geometry": square(10.0, 105.78, 10.06, 105.81),
            },
        ],
    )
    call_command("load_commune_boundaries", path)
    assert "2" in capsys.readouterr().out
    assert geo.commune_at(10.03, 105.79) == communes["cai_rang"]
    assert geo.commune_at(10.5, 105.79) is None


@pytest.mark.parametrize(
    "feature",
    [
        {"properties": {"code": "99999"}, "geometry": square(10.0, 105.75, 10.06, 105.78)},
        {
            "properties": {"code": "31186"},
            "geometry": {"type": "Point", "coordinates": [105.7, 10.0]},
        },
        {"properties": {"code": "31186"}, "geometry": square(1000.0, 105.75, 1000.06, 105.78)},
    ],
)
def test_a_bad_feature_loads_nothing(tmp_path, communes, feature):
    good = {"properties": {"code": "31135"}, "geometry": square(10.0, 105.75, 10.06, 105.78)}
    with pytest.raises(CommandError, match="nothing loaded"):
        call_command("load_commune_boundaries", write(tmp_path, [good, feature]))
    assert not CommuneBoundary.objects.exists()


def test_a_file_that_is_not_geojson(tmp_path, communes):
    path = tmp_path / "x.json"
    path.write_text("[1, 2]")
    with pytest.raises(CommandError):
        call_command("load_commune_boundaries", str(path))


def test_close_answered_reports_command(categories, handler, boundaries, settings, capsys):
    report = services.submit(draft(categories["rubbish"], attributes={"kind": "household"}))
    services.answer(report, actor=handler, text="Đã thu gom xong toàn bộ rác.")
    Report.objects.filter(pk=report.pk).update(
        answered_at=timezone.now() - datetime.timedelta(days=settings.EGOV_FEEDBACK_REOPEN_DAYS + 1)
    )
    call_command("close_answered_reports")
    assert "1" in capsys.readouterr().out
    report.refresh_from_db()
    assert report.status == Report.Status.CLOSED


def test_the_audit_trail_names_the_actions(client, categories, make_staff, agencies):
    services.submit(draft(categories["light"]))
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN, include_subtree=True)
    client.force_login(admin)
    page = client.get("/staff/audit/").content.decode()
    assert "Tiếp nhận phản ánh" in page and "feedback.received" not in page  # a name, no code
