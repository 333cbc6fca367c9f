"""The pull from the national procedure database: a new national procedure arrives as a draft
with its national code; a changed one gets a draft of a new version listing the differences; the
published version is left as it was; an unchanged one is left alone."""

import io

import pytest
from django.core.management import call_command

from egov.catalog.models import Procedure, ProcedureVersion
from tests.catalog_fixtures import make_procedure

pytestmark = pytest.mark.django_db
Status = ProcedureVersion.Status


def _national(code, name, *, days=10, papers=("Tờ khai",), fee=None, field="ho_tich"):
    return {
        "MaTTHC": code,
        "TenTTHC": name,
        "MaLinhVuc": field,
        "TenLinhVuc": "Hộ tịch",
        "CapThucHien": "XA",
        "ThoiHanGiaiQuyet": days,
        "CanCuPhapLy": ["Luật Hộ tịch số 60/2014/QH13"],
        "KetQua": ["Giấy khai sinh"],
        "TrinhTuThucHien": ["Nộp hồ sơ", "Nhận kết quả"],
        "ThanhPhanHoSo": [{"Ten": p, "SoBanChinh": 1, "SoBanSao": 0} for p in papers],
        "PhiLePhi": [fee] if fee else [],
    }


@pytest.fixture
def national(tmp_path, settings, agencies):
    from tests.national_portal.conftest import RunningPortal, free_port

    make_procedure("1.001193", "Đăng ký khai sinh", owner=agencies["justice"], time_limit=1)
    make_procedure("1.004884", "Đăng ký lại khai sinh", owner=agencies["justice"], time_limit=5)
    running = RunningPortal(tmp_path / "portal", free_port())
    running.procedures = [
        _national("1.001193", "Đăng ký khai sinh", days=1),  # the same as ours
        _national(
            "1.004884",
            "Đăng ký lại khai sinh",
            days=3,
            papers=("Tờ khai", "Bản sao giấy tờ tùy thân"),
            fee={"Ten": "Lệ phí đăng ký lại", "Loai": "le_phi", "MucPhi": 8000},
        ),
        _national("2.002516", "Đăng ký kết hôn có yếu tố nước ngoài", days=15),
    ]
    running.start()
    from egov.national_portal.client import forget_sessions
    from tests.national_portal.conftest import PASSWORD, UNIT, USERNAME

    forget_sessions()

    settings.EGOV_NATIONAL_PORTAL_URL = running.url
    settings.EGOV_NATIONAL_PORTAL_UNIT_CODE = UNIT
    settings.EGOV_NATIONAL_PORTAL_USERNAME = USERNAME
    settings.EGOV_NATIONAL_PORTAL_PASSWORD = PASSWORD
    yield running
    running.stop()
    forget_sessions()


def _pull(owner_code):
    out = io.StringIO()
    call_command("pull_national_procedures", "--owner", owner_code, stdout=out)
    return out.getvalue()


def test_new_and_changed_procedures_arrive_as_drafts(national, agencies):
    text = _pull(agencies["justice"].code)
    assert text.startswith("created 1 changed 1 unchanged 1")

    new = Procedure.objects.get(code="2.002516")
    version = new.versions.get()
    assert version.status == Status.DRAFT and version.name == "Đăng ký kết hôn có yếu tố nước ngoài"
    assert new.owner_agency == agencies["justice"] and version.time_limit == 15

    changed = Procedure.objects.get(code="1.004884")
    published = changed.versions.get(status=Status.PUBLISHED)
    draft = changed.versions.get(status=Status.DRAFT)
    assert published.time_limit == 5 and published.requirements.count() == 1  # untouched
    assert draft.number == published.number + 1 and draft.time_limit == 3
    assert [r.name for r in draft.requirements.order_by("position")] == [
        "Tờ khai",
        "Bản sao giấy tờ tùy thân",
    ]
    # Our code of the paper that stayed is kept, so dossiers and forms still find it.
    assert draft.requirements.get(name="Tờ khai").code == published.requirements.get().code
    assert draft.fees.get().amount == 8000
    assert draft.change_note.startswith("Theo CSDL quốc gia, thay đổi: thời hạn giải quyết")
    assert "thành phần hồ sơ" in draft.change_note and "phí, lệ phí" in draft.change_note

    unchanged = Procedure.objects.get(code="1.001193")
    assert not unchanged.versions.filter(status=Status.DRAFT).exists()


def test_a_second_pull_adds_nothing(national, agencies):
    _pull(agencies["justice"].code)
    drafts = ProcedureVersion.objects.filter(status=Status.DRAFT).count()
    text = _pull(agencies["justice"].code)
    assert "created 0" in text
    assert ProcedureVersion.objects.filter(status=Status.DRAFT).count() == drafts


def test_an_unknown_owner_is_refused(national):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no agency"):
        _pull("000.99.99.H13")
