"""The e-form designer's translation to the stored JSON Schema, and the server's checks of it:
each kind of field round-trips through the builder and is validated by the server."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from egov.catalog import builder, eforms
from egov.organizations.models import AdministrativeUnit

ROWS = [
    {
        "name": "ho_ten",
        "label": "Họ và tên",
        "kind": "text",
        "required": True,
        "group": "Người yêu cầu",
        "prefill": "full_name",
    },
    {"name": "ly_do", "label": "Lý do", "kind": "textarea"},
    {
        "name": "so_ban",
        "label": "Số bản",
        "kind": "number",
        "required": True,
        "minimum": 1,
        "maximum": 10,
    },
    {"name": "ngay_sinh", "label": "Ngày sinh", "kind": "date"},
    {
        "name": "hinh_thuc",
        "label": "Hình thức nhận",
        "kind": "choice",
        "required": True,
        "options": "Tại quầy\nbuu_dien | Qua bưu điện",
    },
    {
        "name": "giay_to",
        "label": "Giấy tờ kèm theo",
        "kind": "choices",
        "options": "Bản sao\nBản chính",
    },
    {"name": "uu_tien", "label": "Thuộc diện ưu tiên", "kind": "yesno"},
    {
        "name": "dia_chi",
        "label": "Địa chỉ nhận",
        "kind": "address",
        "required": True,
        "show_when_field": "hinh_thuc",
        "show_when_value": "buu_dien",
        "prefill": "address",
    },
    {"name": "so_dinh_danh", "label": "Số định danh", "kind": "id_number", "required": True},
    {"name": "so_dien_thoai", "label": "Điện thoại", "kind": "phone"},
    {"name": "email", "label": "Thư điện tử", "kind": "email"},
    {
        "name": "thanh_vien",
        "label": "Thành viên",
        "kind": "table",
        "columns": "Họ tên\nQuan hệ",
        "rows": 3,
    },
]


@pytest.fixture
def ward(province):
    return AdministrativeUnit.objects.create(
        code="31117",
        name="Phường Ninh Kiều",
        level=3,
        kind="phuong",
        parent=province,
        valid_from=datetime.date(2025, 7, 1),
    )


GOOD = {
    "ho_ten": "Nguyễn Văn An",
    "so_ban": 2,
    "hinh_thuc": "tai_quay",
    "so_dinh_danh": "092095000123",
}


def test_every_kind_round_trips_through_the_builder():
    schema, ui = builder.to_schema(ROWS)
    eforms.validate_schema(schema, ui)
    back = builder.from_schema(schema, ui)
    assert [row["kind"] for row in back] == [row["kind"] for row in ROWS]
    assert builder.to_schema(back) == (schema, ui)
    assert schema["properties"]["hinh_thuc"]["enum"] == ["tai_quay", "buu_dien"]
    assert schema["properties"]["hinh_thuc"]["enumNames"] == ["Tại quầy", "Qua bưu điện"]
    assert ui["ho_ten"]["group"] == "Người yêu cầu" and ui["ho_ten"]["prefill"] == "full_name"
    assert schema["properties"]["dia_chi"]["x-show-when"] == {
        "field": "hinh_thuc",
        "equals": "buu_dien",
    }


def test_a_form_built_by_the_data_files_opens_in_the_builder():
    schema, ui = eforms.schema_from_fields(
        [
            {"name": "a", "label": "A", "type": "enum", "choices": ["Nam", "Nữ"]},
            {"name": "b", "label": "B", "type": "text"},
            {"name": "c", "label": "C", "type": "integer"},
        ]
    )
    assert [row["kind"] for row in builder.from_schema(schema, ui)] == [
        "choice",
        "textarea",
        "number",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("so_ban", 0, "at least 1"),
        ("so_ban", 11, "at most 10"),
        ("ngay_sinh", "31/01/2026", "YYYY-MM-DD"),
        ("hinh_thuc", "qua_mang", "Choose"),
        ("giay_to", ["ban_sao", "ban_sao"], "once"),
        ("giay_to", ["khac"], "Choose"),
        ("uu_tien", "có", "yes or no"),
        ("so_dinh_danh", "12345", "12-digit"),
        ("so_dinh_danh", "999095000123", "12-digit"),
        ("so_dien_thoai", "12345", "0912345678"),
        ("email", "khong-phai-thu", "ten@example.vn"),
        ("thanh_vien", [{"ho_ten": "A"}] * 4, "3"),
        ("ly_do", "x" * 2001, "2000"),
    ],
)
def test_the_server_refuses_a_bad_answer_of_each_kind(field, bad, message):
    schema, _ui = builder.to_schema(ROWS)
    assert eforms.validate_data(schema, GOOD) == {}
    with translation.override("en"):
        errors = eforms.validate_data(schema, {**GOOD, field: bad})
    assert field in errors and message in " ".join(errors[field]), errors


@pytest.mark.django_db
def test_an_address_is_a_commune_of_today_and_a_street(ward, province):
    schema, _ui = builder.to_schema(ROWS)
    base = {**GOOD, "hinh_thuc": "buu_dien"}
    assert (
        eforms.validate_data(
            schema, {**base, "dia_chi": {"unit": ward.code, "street": "12 Lý Tự Trọng"}}
        )
        == {}
    )
    ward.valid_to = datetime.date(2025, 6, 30)
    ward.valid_from = datetime.date(2020, 1, 1)
    ward.save()
    errors = eforms.validate_data(schema, {**base, "dia_chi": {"unit": ward.code, "street": "12"}})
    assert "dia_chi" in errors


@pytest.mark.django_db
def test_a_hidden_field_is_not_required_and_a_shown_one_is(ward):
    schema, _ui = builder.to_schema(ROWS)
    assert eforms.validate_data(schema, GOOD) == {}
    shown = eforms.validate_data(schema, {**GOOD, "hinh_thuc": "buu_dien"})
    assert list(shown) == ["dia_chi"]
    # An answer to a hidden field is dropped, not checked, and not stored.
    form = eforms.EForm(schema, {}, {**GOOD, "so_ban": "2", "dia_chi_0": "nope", "dia_chi_1": "x"})
    assert form.is_valid(), form.errors
    assert "dia_chi" not in form.as_json()
    form = eforms.EForm(schema, {}, {**GOOD, "so_ban": "2", "hinh_thuc": "buu_dien"})
    assert not form.is_valid() and "dia_chi" in form.errors
    form = eforms.EForm(
        schema,
        {},
        {**GOOD, "so_ban": "2", "hinh_thuc": "buu_dien", "dia_chi_0": ward.code, "dia_chi_1": "12"},
    )
    assert form.is_valid(), form.errors
    assert form.as_json()["dia_chi"] == {"unit": ward.code, "street": "12"}


@pytest.mark.django_db
def test_a_table_and_several_choices_are_stored_as_lists():
    schema, ui = builder.to_schema(ROWS)
    data = {
        **GOOD,
        "so_ban": "1",
        "giay_to": ["ban_sao", "ban_chinh"],
        "thanh_vien_0": "Trần Thị B",
        "thanh_vien_1": "Vợ",
        "thanh_vien_2": "",
        "thanh_vien_3": "",
    }
    form = eforms.EForm(schema, ui, data)
    assert form.is_valid(), form.errors
    answers = form.as_json()
    assert answers["giay_to"] == ["ban_sao", "ban_chinh"]
    assert answers["thanh_vien"] == [{"ho_ten": "Trần Thị B", "quan_he": "Vợ"}]
    rows = dict(eforms.answer_rows(schema, ui, answers))
    assert rows["Giấy tờ kèm theo"] == "Bản sao, Bản chính"
    assert rows["Thành viên"] == "Họ tên: Trần Thị B, Quan hệ: Vợ"


def test_the_schema_check_explains_a_bad_condition():
    schema, ui = builder.to_schema(ROWS)
    schema["properties"]["ly_do"]["x-show-when"] = {"field": "khong_co"}
    schema["properties"]["email"]["x-show-when"] = {"field": "dia_chi"}
    schema["properties"]["uu_tien"]["x-show-when"] = {"field": "hinh_thuc", "equals": "bay"}
    with pytest.raises(ValidationError) as caught:
        eforms.validate_schema(schema, ui)
    text = " ".join(caught.value.messages)
    assert "khong_co" in text and "cũng chỉ hiện theo điều kiện" in text and "bay" in text


def test_names_are_made_from_vietnamese_labels():
    assert builder.field_name("Họ tên người yêu cầu", set()) == "ho_ten_nguoi_yeu_cau"
    assert builder.field_name("Đơn", {"don"}) == "don_2"


def test_constraints_without_a_setting_survive_a_save_in_the_builder():
    stored = {
        "type": "object",
        "properties": {
            "ma_so_thue": {
                "type": "string",
                "title": "Mã số thuế",
                "maxLength": 14,
                "pattern": "^[0-9]{10}$",
                "description": "10 chữ số",
            },
        },
    }
    rows = builder.from_schema(stored, {})
    schema, _ui = builder.to_schema(rows, stored)
    assert schema["properties"]["ma_so_thue"]["pattern"] == "^[0-9]{10}$"
    rows[0]["kind"] = "textarea"  # another kind: the old constraint no longer applies
    schema, _ui = builder.to_schema(rows, stored)
    assert "pattern" not in schema["properties"]["ma_so_thue"]
