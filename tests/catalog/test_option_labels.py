"""Options are shown by their label, never by their code (issue 24)."""

import json
import re
from importlib.resources import files

import pytest
from django.core.exceptions import ValidationError

from egov.catalog import eforms
from egov.catalog.templates_docx import declaration_form
from egov.demo.catalog import version_data

ITEMS = json.loads(files("egov.catalog").joinpath("data/demo_catalog.json").read_text())
CODE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$|^[a-z]+$")


def test_the_walk_covers_the_demo_catalogue():
    with_options = [
        item for item in ITEMS if any(f.get("type") == "enum" for f in item["form"]["fields"])
    ]
    assert len(ITEMS) >= 34
    assert len(with_options) >= 27


@pytest.mark.parametrize("item", ITEMS, ids=[item["code"] for item in ITEMS])
def test_no_demo_option_is_shown_by_its_code(item):
    schema, ui = version_data(item)["form_schema"], version_data(item)["form_ui"]
    eforms.validate_schema(schema, ui)
    form = eforms.EForm(schema, ui)
    for name, spec in schema["properties"].items():
        if "enum" not in spec:
            continue
        choices = dict(form.fields[name].choices)
        for value in spec["enum"]:
            shown = [row[1] for row in eforms.answer_rows(schema, ui, {name: value})]
            label = eforms.option_label(spec, value)
            assert choices[value] == label, (name, value)
            assert label in shown
            assert not CODE.match(label), f"{item['code']} {name}: {value!r} shows {label!r}"
            assert "_" not in label


def test_an_option_without_a_label_would_show_its_code_and_the_check_catches_it():
    schema, ui = eforms.schema_from_fields(
        [{"name": "loai", "label": "Loại", "type": "enum", "choices": ["phieu_so_1"]}]
    )
    assert eforms.option_label(schema["properties"]["loai"], "phieu_so_1") == "phieu_so_1"
    schema, ui = eforms.schema_from_fields(
        [
            {
                "name": "loai",
                "label": "Loại",
                "type": "enum",
                "choices": ["phieu_so_1"],
                "choice_labels": ["Phiếu số 1"],
            }
        ]
    )
    assert eforms.answer_rows(schema, ui, {"loai": "phieu_so_1"}) == [("Loại", "Phiếu số 1")]
    assert eforms.answer_rows(schema, ui, {}) == [("Loại", None)]


def test_labels_must_match_the_options_one_for_one():
    schema = {
        "type": "object",
        "properties": {
            "loai": {"title": "Loại", "type": "string", "enum": ["a", "b"], "enumNames": ["A"]}
        },
    }
    with pytest.raises(ValidationError, match="enumNames"):
        eforms.validate_schema(schema)
    schema["properties"]["loai"]["enumNames"] = ["A", " "]
    with pytest.raises(ValidationError, match="enumNames"):
        eforms.validate_schema(schema)
    schema["properties"]["loai"]["enumNames"] = ["A", "B"]
    eforms.validate_schema(schema)


def test_the_word_template_offers_the_labels_not_the_codes():
    import io

    from docx import Document

    item = next(item for item in ITEMS if item["code"] == "3.000333")
    data = version_data(item)
    document = Document(
        io.BytesIO(declaration_form("Tờ khai", item["name"], data["form_schema"], data["form_ui"]))
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Phiếu lý lịch tư pháp số 1" in text
    assert "phieu_so_1" not in text


def test_options_that_are_codes_are_refused_without_labels():
    schema, ui = eforms.schema_from_fields(
        [{"name": "loai", "label": "Loại", "type": "enum", "choices": ["Nam", "thong_thuong"]}]
    )
    with pytest.raises(ValidationError, match="thong_thuong"):
        eforms.validate_schema(schema, ui)
    # Options that are words people read need no separate label.
    schema, ui = eforms.schema_from_fields(
        [{"name": "gioi_tinh", "label": "Giới tính", "type": "enum", "choices": ["Nam", "Nữ"]}]
    )
    eforms.validate_schema(schema, ui)
