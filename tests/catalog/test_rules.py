"""E-form schemas, fee rules and workflow checks: what publishing refuses and why."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from egov.catalog import eforms, fees, services
from egov.catalog.eforms import schema_from_fields
from tests.catalog_fixtures import BIRTH_FORM

pytestmark = pytest.mark.django_db


def test_schema_from_fields_validates_and_renders():
    schema, ui = schema_from_fields(BIRTH_FORM)
    eforms.validate_schema(schema, ui)
    form = eforms.EForm(
        schema, ui, {"ho_ten_tre": "Nguyễn Văn An", "ngay_sinh": "2026-01-05", "gioi_tinh": "Nam"}
    )
    assert form.is_valid(), form.errors
    assert form.as_json() == {
        "ho_ten_tre": "Nguyễn Văn An",
        "ngay_sinh": "2026-01-05",
        "gioi_tinh": "Nam",
        "dang_ky_dung_han": False,
    }
    assert list(form.fields) == ["ho_ten_tre", "ngay_sinh", "gioi_tinh", "dang_ky_dung_han"]


@pytest.mark.parametrize(
    ("schema", "ui", "fragment"),
    [
        ({"type": "array"}, {}, "properties"),
        ({"type": "object", "properties": {"a": {"type": "object", "title": "A"}}}, {}, "string"),
        ({"type": "object", "properties": {"a": {"type": "string"}}}, {}, "“a”"),
        (
            {
                "type": "object",
                "properties": {"a": {"type": "string", "title": "A"}},
                "required": ["b"],
            },
            {},
            "“b”",
        ),
        (
            {"type": "object", "properties": {"a": {"type": "string", "title": "A"}}},
            {"z": {"label": "Z"}},
            "“z”",
        ),
        (
            {
                "type": "object",
                "properties": {"a": {"type": "string", "title": "A", "format": "uri"}},
            },
            {},
            "uri",
        ),
        (
            {
                "type": "object",
                "properties": {"a": {"type": "string", "maxLength": -1, "title": "A"}},
            },
            {},
            "JSON Schema",
        ),
    ],
)
def test_bad_schemas_are_refused_with_the_reason(schema, ui, fragment):
    with pytest.raises(ValidationError) as info:
        eforms.validate_schema(schema, ui)
    assert fragment in " ".join(info.value.messages)


def test_submissions_get_field_errors_in_vietnamese():
    schema, _ui = schema_from_fields(BIRTH_FORM)
    errors = eforms.validate_data(schema, {"ngay_sinh": "05/01/2026", "gioi_tinh": "Khác", "la": 1})
    assert errors["ho_ten_tre"] == ["Trường này là bắt buộc."]
    assert "YYYY-MM-DD" in errors["ngay_sinh"][0]
    assert errors["gioi_tinh"] == ["Vui lòng chọn một trong các giá trị đã liệt kê."]
    assert "__all__" in errors  # an unknown field


def test_fee_rules():
    tiered = {
        "type": "tiered",
        "field": "so_trang",
        "tiers": [{"up_to": 2, "amount": 2000}, {"up_to": None, "amount": 1000}],
        "max": 200000,
    }
    assert fees.amount_for(tiered, 0, {"so_trang": 1}) == 2000
    assert fees.amount_for(tiered, 0, {"so_trang": 5}) == 2 * 2000 + 3 * 1000
    assert fees.amount_for(tiered, 0, {"so_trang": 1000}) == 200000
    per_unit = {"type": "per_unit", "field": "so_ban", "amount": 5000}
    assert fees.amount_for(per_unit, 0, {"so_ban": 3}) == 15000
    cases = {
        "type": "cases",
        "field": "hinh_thuc",
        "cases": [{"equals": "nhanh", "amount": 7}],
        "default": 3,
    }
    assert fees.amount_for(cases, 0, {"hinh_thuc": "nhanh"}) == 7
    assert fees.amount_for(cases, 0, {}) == 3
    assert fees.amount_for(None, 8000, {}) == 8000


def test_exemption_and_rule_validation():
    schema, _ui = schema_from_fields(BIRTH_FORM)
    with pytest.raises(ValidationError) as info:
        fees.validate_rule({"type": "per_unit", "field": "ho_ten_tre", "amount": 1}, None, schema)
    assert "ho_ten_tre" in info.value.messages[0]
    with pytest.raises(ValidationError):
        fees.validate_rule({"type": "magic"}, None, schema)
    with pytest.raises(ValidationError):
        fees.validate_rule(None, {"field": "khong_co"}, schema)

    class FakeFee:  # the shape compute() reads from a Fee row
        name, kind, amount, rule = "Lệ phí", "le_phi", 8000, None
        exemption_rule = {"field": "dang_ky_dung_han", "equals": True}

    assert fees.compute([FakeFee()], {"dang_ky_dung_han": True})[0].amount == 0
    assert fees.compute([FakeFee()], {"dang_ky_dung_han": False})[0].amount == 8000


def test_publishing_checks_the_whole_version(catalogue):
    draft = services.start_draft(catalogue["birth"].procedure, actor=None)
    draft.workflow_steps.filter(action="return").update(duration=3)
    draft.requirements.all().delete()
    draft = services.update_draft(
        draft, actor=None, form_schema={"type": "object", "properties": {}}
    )
    problems = services.publication_problems(draft)
    assert any("Tổng thời gian các bước" in p for p in problems)
    assert "Biểu mẫu điện tử chưa có trường nào." in problems
    assert len(problems) >= 3
    with pytest.raises(ValidationError):
        services.publish(draft, actor=None, effective_from=datetime.date(2026, 1, 1))
