"""The statistics by receiving desk: what each Public Administration Service Centre received
for other agencies (tiếp nhận không phụ thuộc địa giới hành chính, Nghị định 118/2025/NĐ-CP),
kept up to date as dossiers are received and equal to a recount."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from egov.accounts.models import Role
from egov.dossiers import counter
from egov.reports import figures, tallies
from egov.reports.figures import Scope
from egov.reports.models import DossierFact, ReceiptDayTally
from tests.boundary_fixtures import list_it, make_communes
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
ANSWERS = {"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-01-05", "gioi_tinh": "Nam"}


def _receive(officer, centre, version, deciding, channel="desk"):
    return counter.intake(
        officer=officer,
        desk_agency=centre,
        version=version,
        applicant=counter.Applicant(full_name="Võ Thị Quầy", phone="0912345678"),
        answers=ANSWERS,
        scans=[counter.Scan(version.requirements.get().pk, "a.pdf", PDF)],
        deciding_agency=deciding,
        channel=channel,
    )


def test_the_statistics_by_receiving_desk(
    catalogue, agencies, province, make_staff, time_machine, client
):
    time_machine.move_to(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=VN), tick=False)
    communes = make_communes(province, agencies["city"])
    a, b = communes["a"], communes["b"]
    birth = list_it(catalogue["birth"])
    officer = make_staff("motcua.a", a["centre"], Role.DESK_OFFICER)
    across = _receive(officer, a["centre"], birth, b["committee"], channel="post")
    _receive(officer, a["centre"], birth, b["committee"])
    _receive(officer, a["centre"], birth, a["committee"])
    assert DossierFact.objects.get(pk=across.pk).receiving_agency_id == a["centre"].pk
    day = datetime.date(2026, 12, 7)
    rows = figures.by_receiving_desk(day, day, Scope())
    centre_a = next(row for row in rows if row["id"] == a["centre"].pk)
    assert centre_a["received"] == 3 and centre_a["for_others"] == 2
    assert centre_a["post"] == 1 and centre_a["desk"] == 1 and centre_a["agencies_served"] == 1
    # Commune B's centre received nothing; the per-agency figures still count the dossiers
    # for commune B, which decides them. For a commune as a unit: its own desks only.
    assert b["centre"].pk not in {row["id"] for row in rows}
    assert figures.by_receiving_desk(day, day, Scope(commune=b["unit"])) == []
    in_a = figures.by_receiving_desk(day, day, Scope(commune=a["unit"]))
    assert [row["id"] for row in in_a] == [a["centre"].pk]
    by_agency = {row["id"]: row for row in figures.by_agency(day, day, Scope())}
    assert by_agency[b["committee"].pk]["received"] == 2
    # The public page shows the table; the tallies agree with a recount.
    page = client.get("/thong-ke/", {"year": 2026, "month": 12}).content.decode()
    assert "Tiếp nhận không phụ thuộc địa giới hành chính" in page
    assert "Trung tâm Phục vụ hành chính công phường Ninh Kiều" in page
    assert tallies.differences() == []
    stored = set(ReceiptDayTally.objects.values_list("agency_id", "received_desk", "received_post"))
    tallies.rebuild()
    assert (
        set(ReceiptDayTally.objects.values_list("agency_id", "received_desk", "received_post"))
        == stored
    )
