"""What the demo catalogue shows citizens: no editor's notes, step durations in working days and
hours, and fees that follow their published rules."""

import json
from decimal import Decimal
from importlib.resources import files
from types import SimpleNamespace

import pytest
from django.utils import translation

from egov.catalog import eforms, fees
from egov.catalog.durations import working_time_text
from egov.demo.catalog import fee_rule, version_data
from tests.catalog_fixtures import make_procedure

ITEMS = json.loads(files("egov.catalog").joinpath("data/demo_catalog.json").read_text())
# What an editor writes to themselves: the rate still to check, a value typical elsewhere.
EDITOR_WORDING = ("chưa xác minh", "cần xác minh.", "điển hình", "demo")


def _item(code: str) -> dict:
    return next(item for item in ITEMS if item["code"] == code)


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _texts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _texts(inner)


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item["code"])
def test_the_editors_notes_stay_out_of_what_citizens_read(item):
    published = version_data(item)
    for text in _texts(published):
        assert not any(words in text.lower() for words in EDITOR_WORDING), text


def test_the_editors_notes_are_kept_beside_the_public_text():
    record = _item("3.000333")["fees"][0]
    assert "cần xác minh" in record["editor_note"]
    assert "từ Phiếu thứ 3 trở đi thu thêm 5.000 đồng/Phiếu" in record["exemptions"]
    assert "editor_note" not in json.dumps(version_data(_item("3.000333")))


def _record_fee():
    raw = _item("3.000333")["fees"][0]
    return SimpleNamespace(
        name=raw["name"],
        kind=raw["kind"],
        amount=raw["amount"],
        rule=fee_rule(raw["rule"]),
        exemption_rule=None,
    )


@pytest.mark.parametrize(
    ("group", "copies", "amount"),
    [
        ("thong_thuong", 1, 200_000),
        ("thong_thuong", 2, 200_000),
        ("thong_thuong", 3, 205_000),
        ("thong_thuong", 5, 215_000),
        ("sinh_vien_nguoi_co_cong", 4, 110_000),
        ("mien_phi", 5, 0),
    ],
)
def test_the_judicial_record_fee_adds_5000_dong_from_the_third_copy(group, copies, amount):
    answers = {"doi_tuong_phi": group, "so_luong_phieu": copies}
    [line] = fees.compute([_record_fee()], answers)
    assert line.amount == amount


def test_no_copy_is_refused_by_the_form_and_by_the_fee():
    schema = version_data(_item("3.000333"))["form_schema"]
    assert schema["properties"]["so_luong_phieu"]["minimum"] == 1
    assert "so_luong_phieu" in eforms.validate_data(
        schema, {"so_luong_phieu": 0, "doi_tuong_phi": "thong_thuong"}
    )
    with pytest.raises(fees.CopiesMissing) as refused, translation.override("vi"):
        fees.compute([_record_fee()], {"doi_tuong_phi": "thong_thuong", "so_luong_phieu": 0})
    assert refused.value.params["fields"] == ["so_luong_phieu"]
    # Certified copies: the number of copies is asked, and must be one or more.
    copies = version_data(_item("2.000815"))["form_schema"]["properties"]["so_ban"]
    assert copies["minimum"] == 1


def test_a_surcharge_rule_is_checked_like_the_others():
    schema = {"properties": {"so_luong_phieu": {"type": "integer"}, "loai": {"type": "string"}}}
    rule = {"type": "cases", "field": "loai", "cases": [{"equals": "a", "amount": 1}]}
    fees.validate_rule(
        {**rule, "extra_copies": {"field": "so_luong_phieu", "from": 3, "amount": 5000}},
        None,
        schema,
    )
    with pytest.raises(fees.ValidationError):
        fees.validate_rule(
            {**rule, "extra_copies": {"field": "loai", "from": 0, "amount": 1}}, None, schema
        )


@pytest.mark.parametrize(
    ("duration", "unit", "text"),
    [
        ("5.5", "working_days", "5 ngày 4 giờ làm việc"),
        ("0.5", "working_days", "4 giờ làm việc"),
        ("0.25", "working_days", "2 giờ làm việc"),
        ("3", "working_days", "3 ngày làm việc"),
        ("16.50", "working_days", "16 ngày 4 giờ làm việc"),
        ("4", "working_hours", "4 giờ làm việc"),
        ("1.5", "working_hours", "1,5 giờ làm việc"),
    ],
)
def test_step_durations_read_in_working_days_and_hours(duration, unit, text):
    with translation.override("vi"):
        assert working_time_text(Decimal(duration), unit) == text


def test_every_demo_step_is_whole_working_hours():
    for item in ITEMS:
        for step in item["workflow"]:
            hours = Decimal(str(step["days"])) * (
                8 if item["time_limit"]["unit"] == "working_days" else 1
            )
            assert hours == hours.to_integral_value(), (item["code"], step)


def test_the_procedure_page_shows_step_durations_in_days_and_hours(client, agencies):
    make_procedure(
        "1.009999",
        "Thủ tục mười ngày",
        owner=agencies["justice"],
        time_limit=10,
        workflow=[
            {"code": "nhan", "action": "receive", "role": "desk_officer", "duration": "1"},
            {"code": "xu-ly", "action": "process", "role": "specialist", "duration": "5.5"},
            {"code": "duyet", "action": "approve", "role": "leader", "duration": "3"},
            {"code": "tra", "action": "return", "role": "desk_officer", "duration": "0.5"},
        ],
    )
    page = client.get("/thu-tuc/1.009999/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "5 ngày 4 giờ làm việc" in page and "4 giờ làm việc" in page
    assert "1 ngày làm việc" in page and "3 ngày làm việc" in page
    assert "5,50" not in page and "0,50" not in page
