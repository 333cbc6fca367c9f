"""Fee rules: a fixed amount, or a small rule on the e-form's values, always in integer VND.

Rule shapes (JSON):

- ``{"type": "per_unit", "field": "so_ban", "amount": 2000}``: amount × the field's value;
- ``{"type": "tiered", "field": "so_trang", "tiers": [{"up_to": 2, "amount": 2000},
  {"up_to": null, "amount": 1000}], "max": 200000}``: each unit priced by its tier, capped;
- ``{"type": "cases", "field": "hinh_thuc", "cases": [{"equals": "x", "amount": 50000}],
  "default": 100000}``: the first matching case.

``per_unit`` and ``tiered`` may add ``"copies_field": "so_ban"``: the amount (capped by ``max``)
is for one copy and is multiplied by that field's value.

Any rule may add ``"extra_copies": {"field": "so_luong_phieu", "from": 3, "amount": 5000}``: a
published per-copy surcharge, 5,000 đ more for each copy from the third on (the judicial record
fee, Thông tư 244/2016/TT-BTC), added to a fee that is charged (an exempt or free case stays 0).

A field that counts copies (``copies_field``, the field of ``extra_copies``) must be at least 1:
nobody asks for no copy (:class:`CopiesMissing`).

An exemption rule ``{"field": "doi_tuong", "in": ["ho_ngheo", "nguoi_co_cong"]}`` (or
``"equals"``) makes the fee 0 when it matches.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

RULE_TYPES = {"per_unit", "tiered", "cases"}


@dataclass(frozen=True)
class FeeLine:
    name: str
    kind: str
    amount: int
    exempt: bool


def _number(data: dict, field: str) -> int:
    value = data.get(field) or 0
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def _matches(condition: dict, data: dict) -> bool:
    value = data.get(condition["field"])
    if "equals" in condition:
        return value == condition["equals"]
    return value in condition.get("in", [])


def _copies_fields(rule: dict | None) -> list[str]:
    if not rule:
        return []
    names = [rule.get("copies_field"), (rule.get("extra_copies") or {}).get("field")]
    return [name for name in names if name]


def amount_for(rule: dict | None, fixed: int, data: dict[str, Any]) -> int:
    base = _base_amount(rule, fixed, data)
    extra = (rule or {}).get("extra_copies")
    if not extra or base <= 0:
        return base
    beyond = _number(data, extra["field"]) - extra["from"] + 1
    return base + max(beyond, 0) * extra["amount"]


def _base_amount(rule: dict | None, fixed: int, data: dict[str, Any]) -> int:
    if not rule:
        return fixed
    kind = rule["type"]
    copies = _number(data, rule["copies_field"]) if rule.get("copies_field") else 1
    if kind == "per_unit":
        return rule["amount"] * _number(data, rule["field"]) * copies
    if kind == "tiered":
        units, total, counted = _number(data, rule["field"]), 0, 0
        for tier in rule["tiers"]:
            limit = tier["up_to"] if tier["up_to"] is not None else units
            in_tier = max(min(units, limit) - counted, 0)
            total += in_tier * tier["amount"]
            counted += in_tier
        return (min(total, rule["max"]) if rule.get("max") else total) * copies
    for case in rule["cases"]:
        if data.get(rule["field"]) == case["equals"]:
            return case["amount"]
    return rule.get("default", fixed)


class FeeAnswerError(ValidationError):
    """The answers do not let a fee be assessed; ``params["fields"]`` names the fields."""


class FeeTooLarge(FeeAnswerError):
    """The answers make a fee larger than the platform assesses (EGOV_FEE_MAX)."""


class CopiesMissing(FeeAnswerError):
    """A fee counted per copy was asked for no copy."""


def _rule_fields(rule: dict | None) -> list[str]:
    if not rule:
        return []
    return [name for name in (rule.get("field"), *_copies_fields(rule)) if name]


def _check_copies(fee, data: dict, titles: dict) -> None:
    for name in _copies_fields(fee.rule):
        if _number(data, name) < 1:
            raise CopiesMissing(
                _("“%(field)s” must be at least 1: the fee “%(fee)s” is counted per copy.")
                % {"field": titles.get(name, name), "fee": fee.name},
                code="copies_missing",
                params={"fields": [name]},
            )


def compute(fees, data: dict[str, Any], schema: dict | None = None) -> list[FeeLine]:
    """The fee lines for these answers. Python's integers do not overflow; what is checked is
    that each amount and their total fit what the ledger stores and a person pays. ``schema``
    (the e-form) names the fields to check by their labels."""
    titles = {
        name: spec.get("title", name) for name, spec in (schema or {}).get("properties", {}).items()
    }
    lines = []
    for fee in fees:
        _check_copies(fee, data, titles)
        exempt = bool(fee.exemption_rule) and _matches(fee.exemption_rule, data)
        amount = 0 if exempt else int(amount_for(fee.rule, fee.amount, data))
        if amount > settings.EGOV_FEE_MAX:
            raise FeeTooLarge(
                _(
                    "The fee “%(fee)s” computed from your answers is over %(max)s đồng: check "
                    "the number you gave in %(fields)s."
                )
                % {
                    "fee": fee.name,
                    "max": f"{settings.EGOV_FEE_MAX:,}".replace(",", "."),
                    "fields": ", ".join(
                        f"“{titles.get(name, name)}”" for name in _rule_fields(fee.rule)
                    )
                    or "—",
                },
                code="fee_too_large",
                params={"fields": _rule_fields(fee.rule)},
            )
        lines.append(FeeLine(fee.name, fee.kind, amount, exempt))
    if sum(line.amount for line in lines) > settings.EGOV_FEE_MAX:
        raise FeeTooLarge(
            _("The fees computed from your answers are over %(max)s đồng: check the numbers.")
            % {"max": f"{settings.EGOV_FEE_MAX:,}".replace(",", ".")},
            code="fee_too_large",
        )
    return lines


def validate_rule(rule: dict | None, exemption: dict | None, schema: dict) -> None:
    """Raises ValidationError when a rule is malformed or names a field the form lacks."""
    properties = schema.get("properties", {})
    problems = []

    def need_field(name, numeric=False):
        spec = properties.get(name)
        if spec is None:
            problems.append(
                _("The rule names “%(field)s”, which is not on the e-form.") % {"field": name}
            )
        elif numeric and spec.get("type") not in {"integer", "number"}:
            problems.append(_("The rule needs “%(field)s” to be a number field.") % {"field": name})

    if rule:
        kind = rule.get("type")
        if kind not in RULE_TYPES:
            problems.append(_("Unknown rule type; use per_unit, tiered or cases."))
        elif kind == "per_unit":
            need_field(rule.get("field", ""), numeric=True)
            if not isinstance(rule.get("amount"), int) or rule["amount"] < 0:
                problems.append(_("The amount must be a whole number of đồng."))
        elif kind == "tiered":
            need_field(rule.get("field", ""), numeric=True)
            tiers = rule.get("tiers") or []
            if not tiers or any(not isinstance(t.get("amount"), int) for t in tiers):
                problems.append(_("Each tier needs an amount in whole đồng."))
        else:
            need_field(rule.get("field", ""))
            if not rule.get("cases"):
                problems.append(_("A rule of cases needs at least one case."))
        if kind in {"per_unit", "tiered"} and rule.get("copies_field"):
            need_field(rule["copies_field"], numeric=True)
        extra = rule.get("extra_copies")
        if extra is not None:
            if not isinstance(extra, dict):
                extra = {}
            need_field(extra.get("field", ""), numeric=True)
            if not isinstance(extra.get("from"), int) or extra["from"] < 1:
                problems.append(_("The surcharge needs the copy it starts from (1 or more)."))
            if not isinstance(extra.get("amount"), int) or extra["amount"] < 0:
                problems.append(_("The amount must be a whole number of đồng."))
    if exemption:
        need_field(exemption.get("field", ""))
        if "equals" not in exemption and "in" not in exemption:
            problems.append(_("An exemption needs “equals” or “in”."))
    if problems:
        raise ValidationError(problems)
