"""Each dossier call carries the portal's fields, in its date format, from real services."""

import re

import pytest
from django.db import transaction

from egov.dossiers import processing, reception
from egov.dossiers.models import Dossier
from egov.national_portal import outbox
from egov.national_portal.models import OutboxMessage
from tests.national_portal.conftest import PDF, submitted_dossier

pytestmark = pytest.mark.django_db
PORTAL_TIME = re.compile(r"\d{14}")


def test_a_received_dossier_reaches_the_portal_with_its_record(portal, received):
    assert outbox.send_due() == {"sent": 2, "retry": 0, "failed": 0}
    calls = portal.state.calls(received.code)
    assert [c["service"] for c in calls] == ["DongBoHoSoMC", "DongBoHoSoMC"]
    assert [c["key"] for c in calls] == [f"{received.code}:1", f"{received.code}:2"]
    record = calls[1]["data"]
    version = received.procedure_version
    assert record["MaHoSo"] == received.code
    assert record["MaTTHC"] == received.procedure.code == "2.000999"
    assert record["TenTTHC"] == version.name
    assert (record["MaLinhVuc"], record["TenLinhVuc"]) == (version.field.code, version.field.name)
    assert record["KenhThucHien"] == 2  # online
    assert record["ChuHoSo"] and record["LoaiDoiTuong"] == "1"  # text, as OpenCPS sends it
    assert record["TrangThaiHoSo"] == "2"  # received
    assert calls[0]["data"]["TrangThaiHoSo"] == "1"  # new, when submitted
    # 09:00 on Monday 30 November 2026 in Vietnam, whatever the server's zone.
    assert record["NgayTiepNhan"] == "20261130090000"
    assert PORTAL_TIME.fullmatch(record["NgayHenTra"]) and PORTAL_TIME.fullmatch(
        record["NgayNopHoSo"]
    )
    assert record["DonViXuLy"] == received.deciding_agency.name
    paper = record["TaiLieuNop"][0]
    requirement = version.requirements.get()
    assert (paper["MaThanhPhanHoSo"], paper["TenTepDinhKem"]) == (requirement.code, "a.pdf")
    assert record["DanhSachHoSoBoSung"] == [] and record["DanhSachGiaHan"] == []
    assert isinstance(record["DanhSachLePhi"], list)
    assert portal.state.dossier(received.code)["status"] == 2


def test_each_step_is_sent_as_progress_with_who_what_and_dates(portal, received, people):
    outbox.send_due()
    dossier = processing.advance(received, actor=people["specialist"], note="Đã thẩm định")
    outbox.send_due()
    step = portal.state.calls(received.code)[-1]
    assert step["service"] == "CapNhatTienDoHoSoMC"
    data = step["data"]
    assert data["NguoiXuLy"] == "Trần Chuyên"
    assert data["ChucDanh"] and data["PhongBanXuLy"] == people["specialist"].agency.name
    assert data["NoiDungXuLy"].endswith("Đã thẩm định")
    assert data["TrangThai"] == "4"
    current = dossier.steps.get(finished_at__isnull=True)
    assert data["NgayBatDau"] == current.started_at.astimezone(
        __import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh")
    ).strftime("%Y%m%d%H%M%S")
    assert PORTAL_TIME.fullmatch(data["NgayKetThucTheoQuyDinh"])
    assert PORTAL_TIME.fullmatch(data["ThoiDiemXuLy"])


def test_a_supplement_request_is_in_the_record(
    portal, consulted_version, citizen, settings, people
):
    dossier = submitted_dossier(consulted_version, citizen, settings)
    reception.request_supplement(
        dossier, officer=people["desk"], items=["Bản sao giấy khai sinh"], note="Thiếu bản sao"
    )
    outbox.send_due()
    record = portal.state.calls(dossier.code)[-1]["data"]
    assert record["TrangThaiHoSo"] == "5"
    assert record["DanhSachHoSoBoSung"][0]["NoiDungBoSung"] == "Bản sao giấy khai sinh"


def test_a_rolled_back_change_leaves_no_call(portal, received, people):
    before = OutboxMessage.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        processing.advance(received, actor=people["specialist"])
        assert OutboxMessage.objects.count() == before + 1  # written in the change's transaction
        raise RuntimeError("the change fails after its event")
    assert OutboxMessage.objects.count() == before
    assert Dossier.objects.get(pk=received.pk).revision == received.revision


def test_nothing_is_queued_while_the_connection_is_off(settings, received, people):
    settings.EGOV_NATIONAL_PORTAL_ENABLED = False
    processing.advance(received, actor=people["specialist"])
    assert not OutboxMessage.objects.filter(dossier=received, transition="advance").exists()


def test_a_retried_call_is_not_a_second_dossier_there(portal, received):
    message = OutboxMessage.objects.filter(dossier=received).first()
    from egov.national_portal.client import PortalClient

    client = PortalClient()
    first = client.call(message.service, [message.payload], key=message.idempotency_key)
    again = client.call(message.service, [message.payload], key=message.idempotency_key)
    assert first["error_code"] == again["error_code"] == "0" and again["duplicate"]
    assert len(portal.state.calls(received.code)) == 1


def test_the_portal_refuses_a_call_with_a_bad_date(portal):
    from egov.national_portal.client import PortalClient, PortalRefused

    with pytest.raises(PortalRefused) as refused:
        PortalClient().call(
            "DongBoHoSoMC",
            [
                {
                    "MaHoSo": "X",
                    "MaTTHC": "1",
                    "TenTTHC": "t",
                    "ChuHoSo": "c",
                    "KenhThucHien": 2,
                    "TrangThaiHoSo": 1,
                    "NgayTiepNhan": "2026-11-30",
                }
            ],
            key="X:1",
        )
    assert refused.value.code == "-2"


PDF = PDF
