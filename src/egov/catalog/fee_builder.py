"""Fee rules written in words on the designer's page, and back: a row per fee whose settings
become the rule JSON that ``fees`` computes with (and ``fees.validate_rule`` checks).

Tiers are lines "up to | amount" ("2 | 2000", then "| 1000" for every unit after); cases are
lines "answer | amount", the answer an option's label or code.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIXED = "fixed"


def _amount(text: str, line: str) -> int:
    cleaned = text.strip().replace(".", "").replace(",", "").replace(" ", "")
    if not cleaned.isdigit():
        raise ValidationError(
            _("“%(line)s”: the amount must be a whole number of đồng.") % {"line": line}
        )
    return int(cleaned)


def _pairs(text: str) -> list[tuple[str, str, str]]:
    found = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        left, sep, right = line.partition("|")
        if not sep:
            raise ValidationError(
                _("“%(line)s”: write the two parts separated by “|”.") % {"line": line.strip()}
            )
        found.append((left.strip(), right.strip(), line.strip()))
    return found


def _option_code(spec: dict, answer: str) -> Any:
    options = spec.get("enum") or (spec.get("items") or {}).get("enum") or []
    labels = spec.get("enumNames") or (spec.get("items") or {}).get("enumNames") or []
    if answer in labels:
        return options[labels.index(answer)]
    if spec.get("type") == "boolean":
        return {"có": True, "yes": True, "không": False, "no": False}.get(answer.lower(), answer)
    return answer


def to_fee(row: dict, schema: dict) -> dict:
    """The fee as content.replace_fees takes it."""
    properties = schema.get("properties", {})
    kind = row.get("rule_type") or FIXED
    rule: dict[str, Any] | None = None
    if kind == "per_unit":
        rule = {
            "type": "per_unit",
            "field": row.get("field", ""),
            "amount": int(row.get("amount") or 0),
        }
    elif kind == "tiered":
        tiers = []
        for up_to, amount, line in _pairs(row.get("tiers", "")):
            limit = None if up_to in {"", "-"} else _amount(up_to, line)
            tiers.append({"up_to": limit, "amount": _amount(amount, line)})
        rule = {"type": "tiered", "field": row.get("field", ""), "tiers": tiers}
        if row.get("max"):
            rule["max"] = int(row["max"])
    elif kind == "cases":
        spec = properties.get(row.get("field", ""), {})
        cases = [
            {"equals": _option_code(spec, answer), "amount": _amount(amount, line)}
            for answer, amount, line in _pairs(row.get("cases", ""))
        ]
        rule = {"type": "cases", "field": row.get("field", ""), "cases": cases}
        rule["default"] = int(row.get("amount") or 0)
    if rule and kind in {"per_unit", "tiered"} and row.get("copies_field"):
        rule["copies_field"] = row["copies_field"]
    if rule is not None and row.get("extra_field"):
        rule["extra_copies"] = {
            "field": row["extra_field"],
            "from": int(row.get("extra_from") or 1),
            "amount": int(row.get("extra_amount") or 0),
        }
    exemption = None
    if row.get("exempt_field"):
        spec = properties.get(row["exempt_field"], {})
        values = [
            _option_code(spec, line.strip())
            for line in (row.get("exempt_values") or "").splitlines()
            if line.strip()
        ]
        exemption = {"field": row["exempt_field"], "in": values or [True]}
    return {
        "name": row["name"],
        "kind": row["kind"],
        "amount": int(row.get("amount") or 0) if kind in {FIXED, "cases"} else 0,
        "rule": rule,
        "exemptions": row.get("exemptions", ""),
        "exemption_rule": exemption,
    }


def _label(spec: dict, value: Any) -> str:
    options = spec.get("enum") or (spec.get("items") or {}).get("enum") or []
    labels = spec.get("enumNames") or (spec.get("items") or {}).get("enumNames") or []
    if value in options and labels:
        return str(labels[options.index(value)])
    if value is True:
        return "có"
    if value is False:
        return "không"
    return str(value)


def from_fee(fee, schema: dict) -> dict:
    """The designer's row for a stored fee."""
    properties = schema.get("properties", {})
    rule = fee.rule or {}
    kind = rule.get("type") or FIXED
    row: dict[str, Any] = {
        "name": fee.name,
        "kind": fee.kind,
        "rule_type": kind,
        "amount": fee.amount if kind in {FIXED, "cases"} else rule.get("amount", 0),
        "field": rule.get("field", ""),
        "copies_field": rule.get("copies_field", ""),
        "max": rule.get("max"),
        "exemptions": fee.exemptions,
    }
    if kind == "cases":
        row["amount"] = rule.get("default", fee.amount)
        spec = properties.get(rule.get("field", ""), {})
        row["cases"] = "\n".join(
            f"{_label(spec, case['equals'])} | {case['amount']}" for case in rule.get("cases", [])
        )
    if kind == "tiered":
        row["tiers"] = "\n".join(
            f"{'' if t['up_to'] is None else t['up_to']} | {t['amount']}" for t in rule["tiers"]
        )
    extra = rule.get("extra_copies")
    if extra:
        row.update(
            extra_field=extra["field"], extra_from=extra["from"], extra_amount=extra["amount"]
        )
    exemption = fee.exemption_rule or {}
    if exemption:
        spec = properties.get(exemption["field"], {})
        values = exemption.get("in", [exemption.get("equals")])
        row["exempt_field"] = exemption["field"]
        row["exempt_values"] = "\n".join(_label(spec, v) for v in values if v is not True)
    return row
