"""The e-form builder's field list, and its translation to and from the stored JSON Schema.

An editor describes each field in words (kind, label, required, help, group, condition, profile
pre-fill, options, bounds, columns); :func:`to_schema` writes the JSON Schema and layout that the
portal renders and the server validates with (``eforms``), and :func:`from_schema` reads them
back, so a form built elsewhere (an import, the demo) opens in the builder too.
"""

from typing import Any

from django.db.models import TextChoices
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from egov.catalog import eforms
from egov.core.text import normalize_search_text

PHONE_PATTERN = r"^(0|\+84)[0-9]{9}$"


class Kind(TextChoices):
    TEXT = "text", _("Short text")
    TEXTAREA = "textarea", _("Long text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("One choice")
    CHOICES = "choices", _("Several choices")
    YESNO = "yesno", _("Yes or no")
    ADDRESS = "address", _("Address (commune or ward of today)")
    ID_NUMBER = "id_number", _("Personal identification number")
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("E-mail address")
    TABLE = "table", _("Table of rows")


class Prefill(TextChoices):
    NONE = "", _("nothing")
    FULL_NAME = "full_name", _("full name")
    CITIZEN_ID = "citizen_id", _("personal identification number")
    DATE_OF_BIRTH = "date_of_birth", _("date of birth")
    PHONE = "phone", _("phone number")
    EMAIL = "email", _("e-mail address")
    ADDRESS = "address", _("address")


def field_name(label: str, taken: set[str]) -> str:
    """``ho_ten_nguoi_yeu_cau`` from "Họ tên người yêu cầu": the stored answer's key."""
    base = slugify(normalize_search_text(label)).replace("-", "_")[:40].strip("_") or "truong"
    if base[0].isdigit():
        base = f"truong_{base}"
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}_{number}"
    return name


def parse_options(text: str) -> tuple[list[str], list[str]]:
    """One option a line, "label" or "code | label"; codes are made from labels when absent."""
    codes: list[str] = []
    labels: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        code, _sep, label = line.partition("|")
        if not _sep:
            label, code = line, field_name(line, set(codes))
        codes.append(code.strip())
        labels.append(label.strip())
    return codes, labels


def options_text(codes: list[str], labels: list[str] | None) -> str:
    labels = labels or codes
    return "\n".join(
        label if code == field_name(label, set(codes[:i])) else f"{code} | {label}"
        for i, (code, label) in enumerate(zip(codes, labels, strict=False))
    )


def _condition_value(text: str) -> Any:
    return {"có": True, "yes": True, "không": False, "no": False}.get(text.strip().lower(), text)


# Constraints the builder has no setting for (an import or an older form may carry them): kept
# when the field keeps its name and kind, so that saving in the designer loses nothing.
KEPT = ("pattern", "description", "minLength")


def to_schema(rows: list[dict], previous: dict | None = None) -> tuple[dict, dict]:
    """(schema, layout) from the builder's rows, in their order; ``previous`` is the stored
    schema, whose extra constraints a field of the same name and kind keeps."""
    before = (previous or {}).get("properties", {})
    properties: dict[str, dict] = {}
    ui: dict[str, dict] = {}
    required: list[str] = []
    for order, row in enumerate(rows, start=1):
        name = row["name"]
        spec = _spec(row)
        old = before.get(name)
        if old and kind_of(old, {}) == row["kind"]:
            spec.update({key: old[key] for key in KEPT if key in old and key not in spec})
        if row.get("show_when_field"):
            condition: dict[str, Any] = {"field": row["show_when_field"]}
            if str(row.get("show_when_value") or "").strip():
                condition["equals"] = _condition_value(row["show_when_value"])
            spec[eforms.SHOW_WHEN] = condition
        properties[name] = spec
        hints: dict[str, Any] = {"order": order}
        for key in ("help", "group", "prefill"):
            if row.get(key):
                hints[key] = row[key]
        widget = {"textarea": "textarea", "phone": "phone", "choices": "checkboxes"}.get(
            row["kind"]
        )
        if row["kind"] == "choice" and row.get("radio"):
            widget = "radio"
        if widget:
            hints["widget"] = widget
        ui[name] = hints
        if row.get("required"):
            required.append(name)
    schema = {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    return schema, ui


def _spec(row: dict) -> dict:
    kind, title = row["kind"], row["label"]
    spec: dict[str, Any] = {"title": title}
    if kind == "text":
        spec.update(type="string", maxLength=int(row.get("max_length") or 200))
    elif kind == "textarea":
        spec.update(type="string", maxLength=int(row.get("max_length") or 2000))
    elif kind == "number":
        whole = not row.get("decimals")
        spec["type"] = "integer" if whole else "number"
        for key, schema_key in (("minimum", "minimum"), ("maximum", "maximum")):
            if row.get(key) is not None:
                spec[schema_key] = int(row[key]) if whole else float(row[key])
    elif kind == "date":
        spec.update(type="string", format="date")
    elif kind in {"choice", "choices"}:
        codes, labels = parse_options(row.get("options") or "")
        options: dict[str, Any] = {"type": "string", "enum": codes}
        if labels != codes:
            options["enumNames"] = labels
        if kind == "choice":
            spec.update(options)
        else:
            spec.update(type="array", items=options, uniqueItems=True)
    elif kind == "yesno":
        spec["type"] = "boolean"
    elif kind == "address":
        spec.update(
            type="object",
            properties={
                "unit": {"type": "string", "format": "vn-unit", "title": "Xã, phường"},
                "street": {"type": "string", "maxLength": 200, "title": "Số nhà, đường"},
            },
            required=["unit", "street"],
            additionalProperties=False,
        )
    elif kind == "id_number":
        spec.update(type="string", format="vn-personal-id")
    elif kind == "phone":
        spec.update(
            type="string",
            pattern=PHONE_PATTERN,
            description="10 chữ số, ví dụ 0912345678",
        )
    elif kind == "email":
        spec.update(type="string", format="email")
    elif kind == "table":
        columns = [line.strip() for line in (row.get("columns") or "").splitlines() if line.strip()]
        taken: set[str] = set()
        column_specs = {}
        for column in columns:
            key = field_name(column, taken)
            taken.add(key)
            column_specs[key] = {"type": "string", "maxLength": 200, "title": column}
        spec.update(
            type="array",
            items={"type": "object", "properties": column_specs, "additionalProperties": False},
            maxItems=int(row.get("rows") or 5),
        )
    return spec


def kind_of(spec: dict, hints: dict) -> str:
    composite = eforms.composite_kind(spec)
    if composite:
        return composite
    fmt, kind = spec.get("format"), spec.get("type")
    if fmt == "date":
        return "date"
    if fmt == "email":
        return "email"
    if fmt == "vn-personal-id":
        return "id_number"
    if hints.get("widget") == "phone" or spec.get("pattern") == PHONE_PATTERN:
        return "phone"
    if "enum" in spec:
        return "choice"
    if kind == "boolean":
        return "yesno"
    if kind in {"integer", "number"}:
        return "number"
    if hints.get("widget") == "textarea" or (spec.get("maxLength") or 0) > 500:
        return "textarea"
    return "text"


def from_schema(schema: dict, ui: dict) -> list[dict]:
    """The builder's rows for a stored schema and layout, in form order."""
    required = set(schema.get("required", []))
    rows = []
    for name, spec, hints in eforms.ordered_fields(schema, ui or {}):
        kind = kind_of(spec, hints)
        row: dict[str, Any] = {
            "name": name,
            "label": spec.get("title", name),
            "kind": kind,
            "required": name in required,
            "help": hints.get("help", ""),
            "group": hints.get("group", ""),
            "prefill": hints.get("prefill", ""),
            "radio": hints.get("widget") == "radio",
        }
        condition = spec.get(eforms.SHOW_WHEN) or {}
        row["show_when_field"] = condition.get("field", "")
        value = condition.get("equals", "")
        row["show_when_value"] = (
            {True: "có", False: "không"}.get(value, value) if value != "" else ""
        )
        if kind in {"choice", "choices"}:
            options = spec if kind == "choice" else spec["items"]
            row["options"] = options_text(options["enum"], options.get("enumNames"))
        if kind == "number":
            row["minimum"] = spec.get("minimum")
            row["maximum"] = spec.get("maximum")
            row["decimals"] = spec.get("type") == "number"
        if kind in {"text", "textarea"} and spec.get("maxLength"):
            row["max_length"] = spec["maxLength"]
        if kind == "table":
            row["columns"] = "\n".join(c["title"] for c in spec["items"]["properties"].values())
            row["rows"] = spec.get("maxItems") or 5
        rows.append(row)
    return rows
