"""Loads the demo catalogue (src/egov/catalog/data/demo_catalog.json, sources in SOURCES.md).

The data file describes each procedure in a compact form; this module maps it onto the
catalogue: agency keys to the demo agencies, fee rules to the catalogue's rule shapes, the field
list to a JSON Schema, and generates a Word template for each declaration form.
"""

import datetime
import json
from decimal import Decimal
from importlib.resources import files

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from egov.catalog import content, services
from egov.catalog.eforms import schema_from_fields
from egov.catalog.models import Procedure
from egov.catalog.templates_docx import declaration_form
from egov.organizations.models import Agency

EFFECTIVE = datetime.date(2025, 7, 1)
AGENCY_CODES = {
    "ubnd_tp": "000.00.00.H13",
    "so_noi_vu": "000.00.02.H13",
    "so_tu_phap": "000.00.03.H13",
    "so_tai_chinh": "000.00.04.H13",
    "so_cong_thuong": "000.00.05.H13",
    "so_nong_nghiep_moi_truong": "000.00.06.H13",
    "so_xay_dung": "000.00.07.H13",
    "so_khcn": "000.00.08.H13",
    "so_gddt": "000.00.09.H13",
    "so_y_te": "000.00.10.H13",
    "so_vhttdl": "000.00.11.H13",
    "so_dan_toc_ton_giao": "000.00.12.H13",
    "ban_ql_kcn": "000.00.14.H13",
    "cong_an_tp": "000.00.15.H13",
    "bhxh_tp": "000.00.16.H13",
    "tt_pvhcc": "000.00.30.H13",
}
# Commune-level procedures are maintained by the department in charge of their field.
OWNER_BY_FIELD = {
    "ho_tich": "so_tu_phap",
    "chung_thuc": "so_tu_phap",
    "dang_ky_kinh_doanh": "so_tai_chinh",
    "cu_tru": "cong_an_tp",
    "can_cuoc": "cong_an_tp",
    "hoat_dong_xay_dung": "so_xay_dung",
    "dat_dai": "so_nong_nghiep_moi_truong",
    "bao_tro_xa_hoi": "so_y_te",
    "bao_hiem_xa_hoi": "so_y_te",
    "luu_thong_hang_hoa": "so_cong_thuong",
    "van_hoa": "so_vhttdl",
}
ACTION_NAMES = {
    "receive": "Tiếp nhận hồ sơ",
    "assign": "Phân công xử lý",
    "process": "Thẩm tra, xử lý",
    "review": "Thẩm định",
    "consult": "Lấy ý kiến cơ quan liên quan",
    "transfer": "Chuyển liên thông",
    "approve": "Phê duyệt, ký kết quả",
    "sign": "Ký số kết quả",
    "return": "Trả kết quả",
}


def _code(key: str | None) -> str | None:
    return AGENCY_CODES.get(key) if key else None


def fee_rule(raw: dict | None) -> dict | None:
    if not raw:
        return None
    if "cases" in raw:
        rule = {
            "type": "cases",
            "field": raw["cases"][0]["when"]["field"],
            "cases": [{"equals": c["when"]["equals"], "amount": c["amount"]} for c in raw["cases"]],
            "default": raw.get("default", 0),
        }
    elif raw.get("first_units"):
        rule = {
            "type": "tiered",
            "field": raw["per_unit_field"],
            "tiers": [
                {"up_to": raw["first_units"], "amount": raw["first_amount"]},
                {"up_to": None, "amount": raw["unit_amount"]},
            ],
        }
    else:
        rule = {"type": "per_unit", "field": raw["per_unit_field"], "amount": raw["unit_amount"]}
    if raw.get("max") and rule["type"] != "cases":
        rule["max"] = raw["max"]
    if raw.get("per_copy_field"):
        rule["copies_field"] = raw["per_copy_field"]
    if raw.get("extra_copies"):
        rule["extra_copies"] = dict(raw["extra_copies"])
    return rule


def workflow(item: dict) -> list[dict]:
    steps = []
    for position, step in enumerate(item["workflow"], start=1):
        key = step["agency"]
        agency_role = key if key in {"receiving", "deciding"} else "other"
        steps.append(
            {
                "code": f"{step['action']}-{position}",
                "name": step.get("note") or ACTION_NAMES[step["action"]],
                "action": step["action"],
                "role": step["role"],
                "agency_role": agency_role,
                "agency": _code(key) if agency_role == "other" else None,
                "duration": str(Decimal(str(step["days"]))),
            }
        )
    return steps


def _declaration(item: dict) -> int | None:
    """The position of the declaration the e-form stands for: the first paper with a template
    (tờ khai, đơn đề nghị), when the procedure can be applied for online."""
    if item["online_mode"] == "none":
        return None
    return next((i for i, r in enumerate(item["requirements"]) if r.get("template")), None)


def version_data(item: dict) -> dict:
    schema, ui = schema_from_fields(item["form"]["fields"])
    declaration = _declaration(item)
    deciding = None if item["deciding_agency"] == "commune_ubnd" else item["deciding_agency"]
    return {
        "name": item["name"],
        "field": item["field"],
        "level": item["level"],
        "deciding_agency": _code(deciding),
        "receiving_agencies": [_code(k) for k in item["receiving"] if k != "commune_ubnd"],
        "online_mode": item["online_mode"],
        "payment_first": item.get("payment_first", False),
        "legacy_service_level": item["legacy_level"],
        "time_limit": item["time_limit"]["value"],
        "time_unit": item["time_limit"]["unit"],
        "legal_bases": item["legal_bases"],
        "results": item["results"],
        "steps": item["steps"],
        "form_schema": schema,
        "form_ui": ui,
        "requirements": [
            {
                "name": r["name"],
                "originals": r["originals"],
                "copies": r["copies"],
                "mandatory": r["mandatory"],
                "condition": r.get("condition", ""),
                "accepted_types": r["accepted_types"],
                "registry": r.get("registry") or "",
                "civil_status_record": r.get("civil_status_record") or "",
                "filled_by_eform": index == declaration,
                "template_name": (
                    f"{r['template']['name']} ({r['template']['form_ref']})"
                    if r.get("template")
                    else ""
                )[:300],
            }
            for index, r in enumerate(item["requirements"])
        ],
        "fees": [
            {
                "name": f["name"],
                "kind": f["kind"],
                "amount": f["amount"],
                "rule": fee_rule(f.get("rule")),
                "exemptions": f.get("exemptions", ""),
            }
            for f in item["fees"]
        ],
        "workflow": workflow(item),
    }


def _attach_templates(version) -> None:
    for requirement in version.requirements.exclude(template_name=""):
        title = requirement.template_name.split(" (")[0]
        document = declaration_form(title, version.name, version.form_schema, version.form_ui)
        name = f"{version.procedure.code}-{slugify(title)[:60] or 'mau'}.docx"
        requirement.template_file.save(name, ContentFile(document), save=True)


@transaction.atomic
def load() -> int:
    items = json.loads(files("egov.catalog").joinpath("data/demo_catalog.json").read_text())
    created = 0
    for item in items:
        if Procedure.objects.filter(code=item["code"]).exists():
            continue
        data = version_data(item)
        owner_key = item["deciding_agency"]
        if owner_key == "commune_ubnd" or owner_key not in AGENCY_CODES:
            owner_key = OWNER_BY_FIELD.get(item["field"]["code"], "so_tu_phap")
        owner = Agency.objects.get(code=AGENCY_CODES[owner_key])
        version = services.create_procedure(
            actor=None, code=item["code"], owner_agency=owner, **content.version_fields(data)
        )
        content.apply(version, data)
        _attach_templates(version)
        services.publish(
            version,
            actor=None,
            effective_from=EFFECTIVE,
            change_note="Công bố theo mô hình chính quyền địa phương hai cấp",
        )
        created += 1
    return created
