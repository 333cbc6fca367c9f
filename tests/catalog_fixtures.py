"""Catalogue fixtures shared by every test package (loaded as a plugin by tests/conftest.py)."""

import datetime

import pytest

from egov.catalog import content, services
from egov.catalog.eforms import schema_from_fields

EFFECTIVE = datetime.date(2025, 7, 1)

BIRTH_FORM = [
    {"name": "ho_ten_tre", "label": "Họ, chữ đệm, tên của trẻ", "type": "string", "required": True},
    {"name": "ngay_sinh", "label": "Ngày sinh", "type": "date", "required": True},
    {
        "name": "gioi_tinh",
        "label": "Giới tính",
        "type": "enum",
        "choices": ["Nam", "Nữ"],
        "required": True,
    },
    {"name": "dang_ky_dung_han", "label": "Đăng ký đúng hạn", "type": "boolean"},
]
COPY_FORM = [
    {"name": "so_trang", "label": "Số trang của bản sao", "type": "integer", "required": True},
    {"name": "so_ban", "label": "Số bản sao", "type": "integer", "required": True},
]


def simple_workflow(total, other_agency=None):
    steps = [
        {
            "code": "tiep-nhan",
            "name": "Tiếp nhận",
            "action": "receive",
            "role": "desk_officer",
            "agency_role": "receiving",
            "duration": "0.5",
        },
        {
            "code": "xu-ly",
            "name": "Xử lý",
            "action": "process",
            "role": "specialist",
            "agency_role": "deciding",
            "duration": str(total - 1),
        },
    ]
    if other_agency:
        steps.append(
            {
                "code": "lien-thong",
                "name": "Liên thông",
                "action": "transfer",
                "role": "specialist",
                "agency_role": "other",
                "agency": other_agency,
                "duration": "0",
            }
        )
    steps.append(
        {
            "code": "tra",
            "name": "Trả kết quả",
            "action": "return",
            "role": "desk_officer",
            "agency_role": "receiving",
            "duration": "0.5",
        }
    )
    return steps


def make_procedure(
    code,
    name,
    *,
    owner,
    field=("ho_tich", "Hộ tịch"),
    level="commune",
    online_mode="full",
    legacy=4,
    time_limit=1,
    form=BIRTH_FORM,
    fees=(),
    deciding=None,
    receiving=(),
    publish=True,
    effective=EFFECTIVE,
    workflow=None,
    results=("Giấy khai sinh",),
):
    schema, ui = schema_from_fields(list(form))
    data = {
        "name": name,
        "field": {"code": field[0], "name": field[1]},
        "level": level,
        "deciding_agency": deciding,
        "receiving_agencies": list(receiving),
        "online_mode": online_mode,
        "legacy_service_level": legacy,
        "time_limit": time_limit,
        "time_unit": "working_days",
        "legal_bases": ["Luật Hộ tịch số 60/2014/QH13"],
        "results": list(results),
        "steps": ["Nộp hồ sơ", "Nhận kết quả"],
        "form_schema": schema,
        "form_ui": ui,
    }
    version = services.create_procedure(
        actor=None, code=code, owner_agency=owner, **content.version_fields(data)
    )
    content.apply(
        version,
        {
            "requirements": [
                {"name": "Tờ khai", "originals": 1, "copies": 0, "accepted_types": ["pdf"]}
            ],
            "fees": list(fees),
            "workflow": workflow or simple_workflow(time_limit),
        },
    )
    if publish:
        version = services.publish(
            version, actor=None, effective_from=effective, change_note="Ban hành"
        )
    return version


@pytest.fixture
def catalogue(agencies):
    justice = agencies["justice"]
    city = agencies["city"]
    versions = {
        "birth": make_procedure("1.001193", "Đăng ký khai sinh", owner=justice),
        "rebirth": make_procedure("1.004884", "Đăng ký lại khai sinh", owner=justice, time_limit=5),
        "combined": make_procedure(
            "1.001023",
            "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường "
            "trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
            owner=justice,
            time_limit=5,
            online_mode="partial",
            legacy=3,
        ),
        "record": make_procedure(
            "2.000488",
            "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
            owner=justice,
            field=("ly_lich_tu_phap", "Lý lịch tư pháp"),
            level="province",
            time_limit=10,
            deciding=justice.code,
            receiving=[city.code],
            legacy=4,
            fees=[
                {"name": "Phí cung cấp thông tin lý lịch tư pháp", "kind": "phi", "amount": 200000}
            ],
            results=("Phiếu lý lịch tư pháp",),
        ),
        "copy": make_procedure(
            "2.000815",
            "Chứng thực bản sao từ bản chính",
            owner=justice,
            field=("chung_thuc", "Chứng thực"),
            form=COPY_FORM,
            online_mode="none",
            legacy=2,
            time_limit=1,
            fees=[
                {
                    "name": "Phí chứng thực bản sao",
                    "kind": "phi",
                    "amount": 0,
                    "rule": {
                        "type": "tiered",
                        "field": "so_trang",
                        "tiers": [{"up_to": 2, "amount": 2000}, {"up_to": None, "amount": 1000}],
                        "max": 200000,
                    },
                }
            ],
            results=("Bản sao có chứng thực",),
        ),
        "health": make_procedure(
            "1.002000",
            "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
            owner=agencies["health"],
            field=("an_toan_thuc_pham", "An toàn thực phẩm"),
            level="province",
            deciding=agencies["health"].code,
            time_limit=15,
            legacy=3,
            online_mode="partial",
            results=("Giấy chứng nhận",),
        ),
    }
    return versions
