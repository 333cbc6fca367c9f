"""E-forms: a JSON Schema (plus layout hints) per procedure version.

The portal renders the form from the schema and the server validates every submission against
the same schema, so a page and an API client meet the same rules. Only a subset of JSON Schema
is accepted (a flat object of strings, numbers, integers, booleans, dates and enumerations, plus
three composite shapes: several choices, a table of rows and an address on today's units), so
that every schema can be rendered as an accessible HTML form.

A field may be shown only when another has a value: ``"x-show-when": {"field": "a", "equals":
"x"}`` on its property (without ``equals``: when ``a`` has any value). ``required`` then means
"required when shown": the server drops a hidden field's answer and does not require it.
"""

import datetime
import json
import math
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

SUPPORTED_TYPES = {"string", "integer", "number", "boolean", "array", "object"}
# vn-personal-id: the 12-digit số định danh cá nhân; vn-unit: the code of a commune or ward in
# force today in this installation's province.
SUPPORTED_FORMATS = {"date", "email", "vn-personal-id", "vn-unit"}
UI_KEYS = {"label", "help", "widget", "order", "placeholder", "group", "prefill"}
WIDGETS = {
    "text",
    "textarea",
    "select",
    "radio",
    "checkbox",
    "checkboxes",
    "date",
    "number",
    "email",
    "phone",
    "address",
    "table",
}
# What a field may be pre-filled with from the signed-in citizen's profile.
PREFILL = {"full_name", "citizen_id", "email", "phone", "date_of_birth", "address"}
SHOW_WHEN = "x-show-when"


_CODE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")


def _looks_like_code(value: Any) -> bool:
    """``phieu_so_1``, ``thong_thuong``: a value meant for machines, not for a person to read."""
    return isinstance(value, str) and bool(_CODE.match(value))


def validate_schema(schema: dict, ui: dict | None = None) -> None:
    """Raises ValidationError listing everything wrong with an e-form schema and its layout."""
    problems: list[str] = []
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        raise ValidationError(
            _("The e-form schema is not valid JSON Schema: %(error)s") % {"error": exc.message}
        ) from exc
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        raise ValidationError(_("The e-form schema must be an object with “properties”."))
    properties = schema["properties"]
    if not properties:
        problems.append(_("The e-form has no fields."))
    for name, spec in properties.items():
        if not name.isidentifier():
            problems.append(
                _("Field name “%(name)s” must be letters, digits and _.") % {"name": name}
            )
        kind = spec.get("type")
        if kind not in SUPPORTED_TYPES:
            problems.append(
                _("Field “%(name)s”: type must be one of string, integer, number, boolean.")
                % {"name": name}
            )
        elif kind in {"array", "object"} and composite_kind(spec) is None:
            problems.append(
                _(
                    "Field “%(name)s”: type must be one of string, integer, number, boolean; "
                    "a list (array) must be several choices or a table of text columns, and an "
                    "object must be an address."
                )
                % {"name": name}
            )
        problems.extend(_condition_problems(name, spec, properties))
        if spec.get("format") and spec["format"] not in SUPPORTED_FORMATS:
            problems.append(
                _("Field “%(name)s”: format “%(format)s” is not supported (date, email).")
                % {"name": name, "format": spec["format"]}
            )
        if not spec.get("title"):
            problems.append(_("Field “%(name)s” needs a title (its label).") % {"name": name})
        if "enumNames" in spec and (
            not isinstance(spec["enumNames"], list)
            or len(spec["enumNames"]) != len(spec.get("enum") or [])
            or not all(isinstance(title, str) and title.strip() for title in spec["enumNames"])
        ):
            problems.append(
                _("Field “%(name)s”: give one label (enumNames) for each option.") % {"name": name}
            )
        elif "enumNames" not in spec and any(_looks_like_code(v) for v in spec.get("enum") or []):
            problems.append(
                _(
                    "Field “%(name)s”: options such as “%(value)s” are codes; give each option "
                    "the label people read (enumNames)."
                )
                % {
                    "name": name,
                    "value": next(v for v in spec["enum"] if _looks_like_code(v)),
                }
            )
    for name in schema.get("required", []):
        if name not in properties:
            problems.append(_("Required field “%(name)s” is not defined.") % {"name": name})
    for name, hints in (ui or {}).items():
        if name not in properties:
            problems.append(_("Layout names an unknown field “%(name)s”.") % {"name": name})
            continue
        unknown = set(hints) - UI_KEYS
        if unknown:
            problems.append(
                _("Layout of “%(name)s” has unknown keys: %(keys)s.")
                % {"name": name, "keys": ", ".join(sorted(unknown))}
            )
        if hints.get("widget") and hints["widget"] not in WIDGETS:
            problems.append(
                _("Layout of “%(name)s”: unknown widget “%(widget)s”.")
                % {"name": name, "widget": hints["widget"]}
            )
        if hints.get("prefill") and hints["prefill"] not in PREFILL:
            problems.append(
                _("Layout of “%(name)s”: the profile has nothing called “%(prefill)s”.")
                % {"name": name, "prefill": hints["prefill"]}
            )
    if problems:
        raise ValidationError(problems)


def composite_kind(spec: dict) -> str | None:
    """ "choices", "table" or "address" for the three composite shapes; None for anything else."""
    if spec.get("type") == "array":
        items = spec.get("items")
        if not isinstance(items, dict):
            return None
        if items.get("type") == "string" and isinstance(items.get("enum"), list):
            return "choices"
        columns = items.get("properties")
        if (
            items.get("type") == "object"
            and isinstance(columns, dict)
            and columns
            and all(
                isinstance(c, dict) and c.get("type") == "string" and c.get("title")
                for c in columns.values()
            )
        ):
            return "table"
        return None
    if spec.get("type") == "object":
        parts = spec.get("properties") or {}
        if set(parts) == {"unit", "street"} and parts["unit"].get("format") == "vn-unit":
            return "address"
    return None


def _condition_problems(name: str, spec: dict, properties: dict) -> list[str]:
    condition = spec.get(SHOW_WHEN)
    if condition is None:
        return []
    if not isinstance(condition, dict) or not isinstance(condition.get("field"), str):
        return [_("Field “%(name)s”: the condition must name a field.") % {"name": name}]
    other = condition["field"]
    if other == name or other not in properties:
        return [
            _(
                "Field “%(name)s” is shown when “%(other)s” has a value, but the form has no such "
                "other field."
            )
            % {"name": name, "other": other}
        ]
    if SHOW_WHEN in properties[other]:
        return [
            _(
                "Field “%(name)s” depends on “%(other)s”, which is itself conditional; make it "
                "depend on a field that is always shown."
            )
            % {"name": name, "other": properties[other].get("title", other)}
        ]
    options = properties[other].get("enum") or (properties[other].get("items") or {}).get("enum")
    if "equals" in condition and options and condition["equals"] not in options:
        return [
            _(
                "Field “%(name)s” is shown when “%(other)s” is “%(value)s”, which is not one of "
                "its options."
            )
            % {
                "name": name,
                "other": properties[other].get("title", other),
                "value": condition["equals"],
            }
        ]
    return []


def _has_value(value: Any) -> bool:
    return value not in (None, "", [], {}, False)


def is_shown(spec: dict, data: dict[str, Any]) -> bool:
    """Whether a field is shown for these answers (a field without a condition always is)."""
    condition = spec.get(SHOW_WHEN)
    if not condition:
        return True
    value = data.get(condition["field"])
    if "equals" not in condition:
        return _has_value(value)
    wanted = condition["equals"]
    return wanted in value if isinstance(value, list) else value == wanted


def visible(schema: dict, data: dict[str, Any]) -> tuple[dict, dict[str, Any]]:
    """The schema and answers as the citizen sees them: a field hidden by its condition is
    neither required nor kept."""
    properties = schema.get("properties", {})
    hidden = {name for name, spec in properties.items() if not is_shown(spec, data)}
    if not hidden:
        return schema, data
    required = [name for name in schema.get("required", []) if name not in hidden]
    kept = {key: value for key, value in data.items() if key not in hidden}
    return {**schema, "required": required}, kept


def ordered_fields(schema: dict, ui: dict) -> list[tuple[str, dict, dict]]:
    properties = schema.get("properties", {})
    position = {name: index for index, name in enumerate(properties)}
    names = sorted(
        position, key=lambda n: (ui.get(n, {}).get("order", 1000 + position[n]), position[n])
    )
    return [(name, properties[name], ui.get(name, {})) for name in names]


def option_label(spec: dict, value: Any) -> Any:
    """What a person reads for an answer: the option's label (``enumNames``) for an enumeration,
    the value itself otherwise. An option without a label falls back to its code."""
    kind = composite_kind(spec)
    if kind == "choices" and isinstance(value, list):
        return ", ".join(str(option_label(spec["items"], item)) for item in value)
    if kind == "address" and isinstance(value, dict):
        return address_text(value)
    if kind == "table" and isinstance(value, list):
        columns = spec["items"]["properties"]
        return "; ".join(
            ", ".join(f"{columns[c]['title']}: {row.get(c, '')}" for c in columns if row.get(c))
            for row in value
            if isinstance(row, dict)
        )
    options = spec.get("enum")
    names = spec.get("enumNames")
    if isinstance(options, list) and isinstance(names, list) and value in options:
        index = options.index(value)
        if index < len(names) and names[index]:
            return str(names[index])
    return value


def address_text(value: dict) -> str:
    """ "12 Lý Tự Trọng, Phường Ninh Kiều, Thành phố Cần Thơ": the street, then the unit's names."""
    from egov.organizations.models import AdministrativeUnit

    unit = AdministrativeUnit.objects.filter(code=value.get("unit")).select_related("parent")
    found = unit.first()
    names = [found.name, found.parent.name] if found and found.parent else [value.get("unit", "")]
    return ", ".join(part for part in [value.get("street", ""), *names] if part)


def answer_rows(schema: dict, ui: dict, data: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label, shown value) for every e-form field in form order, options by their label:
    the review page, the staff dossier page and the drafted result show these."""
    rows = []
    for name, spec, hints in ordered_fields(schema, ui):
        label = hints.get("label") or spec.get("title") or name
        rows.append((str(label), option_label(spec, data.get(name))))
    return rows


def _message(error) -> str:
    spec = error.schema if isinstance(error.schema, dict) else {}
    validator = error.validator
    if validator == "required":
        return _("This field is required.")
    if validator == "maxLength":
        return _("Write at most %(n)s characters.") % {"n": error.validator_value}
    if validator == "minLength":
        if error.validator_value == 1:
            return _("This field is required.")
        return _("Write at least %(n)s characters.") % {"n": error.validator_value}
    if validator == "pattern":
        hint = spec.get("description") or error.validator_value
        return _("This is not in the expected form (%(hint)s).") % {"hint": hint}
    if validator == "enum":
        return _("Choose one of the listed values.")
    if validator == "minimum":
        return _("Enter a value of at least %(n)s.") % {"n": error.validator_value}
    if validator == "maximum":
        return _("Enter a value of at most %(n)s.") % {"n": error.validator_value}
    if validator == "format" and error.validator_value == "date":
        return _("Enter a date as YYYY-MM-DD, e.g. 2026-01-31.")
    if validator == "format" and error.validator_value == "vn-personal-id":
        return _("Enter the 12-digit personal identification number printed on the CCCD card.")
    if validator == "format" and error.validator_value == "vn-unit":
        return _("Choose a commune or ward of the province as it is today.")
    if validator == "uniqueItems":
        return _("Choose each option once.")
    if validator in {"maxItems", "minItems"} and error.validator_value:
        return _("Give at most %(n)s rows.") % {"n": error.validator_value}
    if validator == "format" and error.validator_value == "email":
        return _("Enter an e-mail address such as ten@example.vn.")
    if validator == "type":
        expected = error.validator_value
        if expected in {"integer", "number"}:
            return _("Enter a number.")
        if expected == "boolean":
            return _("Answer yes or no.")
        return _("Enter text.")
    if validator == "additionalProperties":
        return _("This form has no such field.")
    return _("This value is not accepted.")


def bounded(schema: dict) -> dict:
    """The schema with a ceiling on every number the form leaves unbounded
    (EGOV_EFORM_NUMBER_MAX, and its negative as the floor): a number of copies of 10^30 must
    not reach the fee rules, the database or a statistics table."""
    ceiling = settings.EGOV_EFORM_NUMBER_MAX
    properties = {}
    for name, spec in schema.get("properties", {}).items():
        if spec.get("type") in {"integer", "number"}:
            spec = {"maximum": ceiling, "minimum": -ceiling, **spec}
        properties[name] = spec
    return {**schema, "properties": properties}


def _not_finite(data: dict[str, Any]) -> list[str]:
    # JSON parsers take NaN and Infinity; a schema's bounds do not catch NaN, PostgreSQL refuses it.
    return [
        name
        for name, value in data.items()
        if isinstance(value, float) and not math.isfinite(value)
    ]


FORMATS = FormatChecker()


@FORMATS.checks("vn-personal-id")
def _personal_id(value: object) -> bool:
    from egov.accounts.identity import validate_citizen_id

    if not isinstance(value, str):
        return True
    try:
        validate_citizen_id(value)
    except ValidationError:
        return False
    return True


@FORMATS.checks("vn-unit")
def _unit_today(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return current_communes().filter(code=value).exists()


def current_communes():
    """The communes, wards and special zones of this installation's province in force today."""
    from django.utils import timezone

    from egov.organizations.models import AdministrativeUnit

    return AdministrativeUnit.objects.as_of(timezone.localdate()).filter(
        level=AdministrativeUnit.Level.COMMUNE, parent__code=settings.EGOV_PROVINCE_CODE
    )


def validate_data(schema: dict, data: dict[str, Any]) -> dict[str, list[str]]:
    """Field name → translated messages; empty when the data is valid. A field hidden by its
    condition is not required and its answer is not checked."""
    errors: dict[str, list[str]] = {}
    if isinstance(data, dict):
        schema, data = visible(schema, data)
        for name in _not_finite(data):
            errors[name] = [_("Enter a number.")]
            data = {key: value for key, value in data.items() if key != name}
    validator = Draft202012Validator(bounded(schema), format_checker=FORMATS)
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.path)):
        if error.validator == "required":
            field = error.message.split("'")[1]
        elif error.path:
            field = str(error.path[0])
        else:
            field = "__all__"
        errors.setdefault(field, []).append(_message(error))
    return errors


def _field_for(name: str, spec: dict, hints: dict, required: bool) -> forms.Field:
    label = hints.get("label") or spec.get("title") or name
    common = {"label": label, "required": required, "help_text": hints.get("help", "")}
    widget = hints.get("widget")
    kind = composite_kind(spec)
    if kind is not None:
        return _composite_field(kind, spec, common)
    if spec.get("format") == "vn-personal-id":
        return forms.CharField(
            max_length=12,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            **common,
        )
    if widget == "phone":
        return forms.CharField(
            max_length=spec.get("maxLength", 15),
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            **common,
        )
    if "enum" in spec:
        choices = [("", "—")] if not required else []
        names = spec.get("enumNames") or spec["enum"]
        choices += [(value, str(title)) for value, title in zip(spec["enum"], names, strict=False)]
        widget_class = forms.RadioSelect if widget == "radio" else forms.Select
        return forms.ChoiceField(choices=choices, widget=widget_class, **common)
    kind = spec.get("type")
    if kind == "boolean":
        return forms.BooleanField(**{**common, "required": False})
    if kind == "integer":
        return forms.IntegerField(
            min_value=spec.get("minimum"), max_value=spec.get("maximum"), **common
        )
    if kind == "number":
        return forms.FloatField(
            min_value=spec.get("minimum"), max_value=spec.get("maximum"), **common
        )
    if spec.get("format") == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if spec.get("format") == "email":
        return forms.EmailField(**common)
    text_widget = forms.Textarea(attrs={"rows": 3}) if widget == "textarea" else None
    return forms.CharField(max_length=spec.get("maxLength"), widget=text_widget, **common)


def _composite_field(kind: str, spec: dict, common: dict) -> forms.Field:
    from egov.catalog.eform_fields import AddressField, TableField
    from egov.core.collation import sort_key

    field: forms.Field
    if kind == "choices":
        items = spec["items"]
        names = items.get("enumNames") or items["enum"]
        field = forms.MultipleChoiceField(
            choices=list(zip(items["enum"], map(str, names), strict=False)),
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    elif kind == "table":
        columns = [(name, str(c["title"])) for name, c in spec["items"]["properties"].items()]
        field = TableField(columns, rows=int(spec.get("maxItems") or 5), **common)
    else:
        units = sorted(
            current_communes().values_list("code", "name"), key=lambda unit: sort_key(unit[1])
        )
        field = AddressField(list(units), **common)
    setattr(field, "composite", True)  # noqa: B010 (a flag for the template)
    return field


def _show_when_attrs(form: forms.Form, condition: dict | None) -> dict | None:
    """What the page's script needs to show or hide a field: the controlling input's name and
    the wanted value as JSON (absent: any answer)."""
    if not condition:
        return None
    attrs = {"field": form.add_prefix(condition["field"])}
    if "equals" in condition:
        attrs["equals"] = json.dumps(condition["equals"], ensure_ascii=False)
    return attrs


class EForm(forms.Form):
    """A Django form built from a version's schema; the schema stays the authority."""

    def __init__(self, schema: dict, ui: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.schema = schema
        self.ui = ui
        required = set(schema.get("required", []))
        for name, spec, hints in ordered_fields(bounded(schema), ui):
            # A conditional field is required only when shown: the schema check decides.
            needed = name in required and SHOW_WHEN not in spec
            field = _field_for(name, spec, hints, needed)
            field.show_when = _show_when_attrs(self, spec.get(SHOW_WHEN))  # type: ignore[attr-defined]
            field.group = hints.get("group", "")  # type: ignore[attr-defined]
            field.marked_required = name in required  # type: ignore[attr-defined]
            self.fields[name] = field

    def sections(self) -> list[tuple[str, list]]:
        """(group title, bound fields) in form order; consecutive fields of a group together."""
        found: list[tuple[str, list]] = []
        for bound in self:
            group = getattr(bound.field, "group", "")
            if not found or found[-1][0] != group:
                found.append((group, []))
            found[-1][1].append(bound)
        return found

    def as_json(self) -> dict[str, Any]:
        """Cleaned values as JSON (dates as ISO strings; empty optional values left out)."""
        data = {}
        for name, value in self.cleaned_data.items():
            if value in (None, "", []):
                continue
            data[name] = value.isoformat() if isinstance(value, datetime.date) else value
        return visible(self.schema, data)[1]

    def clean(self):
        cleaned = super().clean() or {}
        # A field hidden by its condition was not shown: what it holds is neither checked nor kept.
        for name, spec in self.schema.get("properties", {}).items():
            if name in self.errors and not is_shown(spec, cleaned):
                del self.errors[name]
                cleaned.pop(name, None)
        if not self.errors:
            for field, messages in validate_data(self.schema, self.as_json()).items():
                for message in messages:
                    self.add_error(None if field == "__all__" else field, message)
        return cleaned


def schema_from_fields(fields: list[dict]) -> tuple[dict, dict]:
    """Builds (schema, layout) from the short field list used in data files."""
    properties, ui, required = {}, {}, []
    for order, field in enumerate(fields, start=1):
        kind = field.get("type", "string")
        spec: dict[str, Any] = {"title": field["label"]}
        if kind == "date":
            spec.update(type="string", format="date")
        elif kind == "text":
            spec.update(type="string", maxLength=2000)
            ui.setdefault(field["name"], {})["widget"] = "textarea"
        elif kind == "enum":
            spec.update(type="string", enum=list(field["choices"]))
            if field.get("choice_labels"):
                spec["enumNames"] = list(field["choice_labels"])
        elif kind in {"integer", "number", "boolean"}:
            spec["type"] = kind
            if kind != "boolean":
                spec["minimum"] = field.get("minimum", 0)
        else:
            spec.update(type="string", maxLength=field.get("max_length", 200))
        properties[field["name"]] = spec
        ui.setdefault(field["name"], {})["order"] = order
        if field.get("help"):
            ui[field["name"]]["help"] = field["help"]
        if field.get("required"):
            required.append(field["name"])
    schema = {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    return schema, ui
