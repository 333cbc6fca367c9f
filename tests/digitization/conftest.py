import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from egov.accounts.models import Role
from egov.catalog import content, services
from egov.dossiers import services as dossiers
from tests.catalog_fixtures import EFFECTIVE, make_procedure, simple_workflow
from tests.dossiers.conftest import PDF
from tests.signatures.fixtures import (  # noqa: F401 - the agency signs its copies
    agency_issued,
    dev_pki,
    import_agency_certificate,
    pki_settings,
)

FONT = (
    Path(__file__).resolve().parents[2] / "src" / "egov" / "core" / "fonts" / "NotoSans-Regular.ttf"
)
PAPERS = [
    {"name": "Tờ khai", "originals": 1, "copies": 0, "accepted_types": ["pdf"]},
    {"name": "Căn cước công dân", "originals": 0, "copies": 1, "accepted_types": ["pdf", "jpg"]},
    {
        "name": "Giấy chứng nhận quyền sử dụng đất",
        "originals": 1,
        "copies": 0,
        "accepted_types": ["pdf"],
    },
]


def scanned_page(lines: list[str]) -> bytes:
    """A page as a scanner gives it: Vietnamese text rendered with Noto Sans, as a PNG image."""
    font = ImageFont.truetype(str(FONT), 36)
    image = Image.new("L", (1100, 90 * len(lines) + 60), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((50, 40 + 90 * number), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(300, 300))
    return out.getvalue()


def procedure(code: str, name: str, agencies):
    version = make_procedure(
        code,
        name,
        owner=agencies["justice"],
        level="province",
        time_limit=5,
        deciding=agencies["justice"].code,
        receiving=[agencies["city"].code],
        publish=False,
        results=("Giấy xác nhận (có giá trị 06 tháng kể từ ngày cấp)",),
    )
    content.apply(version, {"requirements": PAPERS, "fees": [], "workflow": simple_workflow(5)})
    return services.publish(version, actor=None, effective_from=EFFECTIVE, change_note="Ban hành")


@pytest.fixture
def versions(agencies):
    return {
        "land": procedure("9.000001", "Thủ tục đất đai", agencies),
        "other": procedure("9.000002", "Thủ tục khác", agencies),
    }


def submit(version, applicant, papers=None):
    """An online dossier with every paper uploaded (or taken from ``papers``)."""
    dossier = dossiers.start(
        applicant=applicant, version=version, agency=dossiers.receiving_agency_for(version)
    )
    dossiers.save_answers(
        dossier,
        applicant=applicant,
        answers={"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-01-05", "gioi_tinh": "Nam"},
    )
    for requirement in version.requirements.all():
        dossiers.attach(
            dossier, applicant=applicant, requirement_id=requirement.pk, name="a.pdf", data=PDF
        )
    return dossiers.submit(dossier, applicant=applicant)


@pytest.fixture
def desk(make_staff, agencies):
    return make_staff("motcua", agencies["city"], Role.DESK_OFFICER, full_name="Lê Thị Một Cửa")


@pytest.fixture
def no_scanner(settings):
    settings.EGOV_MALWARE_SCANNER = "none"
    return settings
