"""A version's whole content as plain data: what imports, exports and the demo share.

Keys: name, field ({code, name}), level, deciding_agency (code or None), receiving_agencies
(codes), online_mode, payment_first (optional, false), legacy_service_level, time_limit,
time_unit, legal_bases, results, steps (lists of lines), form_schema, form_ui, requirements, fees,
workflow (steps) and, optionally, transitions.
"""

import base64
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from egov.catalog import workflow as workflow_rules
from egov.catalog.models import (
    ConsultedAgency,
    DocumentRequirement,
    Fee,
    Field,
    ProcedureVersion,
    ResultTemplate,
    WorkflowStep,
    WorkflowTransition,
)
from egov.core import files
from egov.core.text import normalize_search_text
from egov.organizations.models import Agency


def _agency(code: str | None) -> Agency | None:
    if not code:
        return None
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise ValidationError(_("No agency has the code %(code)s.") % {"code": code})
    return agency


def version_fields(data: dict) -> dict:
    """Model field values (agencies resolved by code) for create/update of a version."""
    field_data = data["field"]
    field, _created = Field.objects.get_or_create(
        code=field_data["code"], defaults={"name": field_data.get("name") or field_data["code"]}
    )
    try:
        time_limit = Decimal(str(data["time_limit"]))
    except (InvalidOperation, KeyError) as exc:
        raise ValidationError(_("The time limit must be a number of days or hours.")) from exc
    return {
        "name": data["name"],
        "field": field,
        "level": data["level"],
        "deciding_agency": _agency(data.get("deciding_agency")),
        "receiving_agencies": [_agency(code) for code in data.get("receiving_agencies", [])],
        "online_mode": data["online_mode"],
        "payment_first": bool(data.get("payment_first", False)),
        "legacy_service_level": int(data["legacy_service_level"]),
        "time_limit": time_limit,
        "time_unit": data["time_unit"],
        "legal_bases": "\n".join(data.get("legal_bases", [])),
        "results": "\n".join(data.get("results", [])),
        "steps": "\n".join(data.get("steps", [])),
        "form_schema": data.get("form_schema") or {},
        "form_ui": data.get("form_ui") or {},
    }


def requirement_code(name: str, taken: set[str]) -> str:
    """A slug of the paper's name without accents ("to-khai-dang-ky-khai-sinh"), made unique
    within the version."""
    base = slugify(normalize_search_text(name))[:45].strip("-") or "giay-to"
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}-{number}"
    return code


def replace_requirements(version: ProcedureVersion, rows: list[dict]) -> None:
    version.requirements.all().delete()
    taken: set[str] = set()
    for position, row in enumerate(rows, start=1):
        code = row.get("code") or requirement_code(row["name"], taken)
        taken.add(code)
        requirement = DocumentRequirement(
            version=version,
            position=position,
            code=code,
            name=row["name"],
            originals=int(row.get("originals", 1)),
            copies=int(row.get("copies", 0)),
            mandatory=bool(row.get("mandatory", True)),
            condition=row.get("condition", ""),
            accepted_types=list(row.get("accepted_types") or ["pdf", "jpg", "png"]),
            template_name=row.get("template_name", ""),
            registry=row.get("registry") or "",
            civil_status_record=row.get("civil_status_record") or "",
            filled_by_eform=bool(row.get("filled_by_eform", False)),
        )
        requirement.full_clean(exclude=["version", "template_file"])
        if row.get("template_file"):
            file = row["template_file"]
            files.save(requirement.template_file, file["name"], base64.b64decode(file["content"]))
        requirement.save()


def replace_fees(version: ProcedureVersion, rows: list[dict]) -> None:
    version.fees.all().delete()
    for position, row in enumerate(rows, start=1):
        fee = Fee(
            version=version,
            position=position,
            name=row["name"],
            kind=row["kind"],
            amount=int(row.get("amount") or 0),
            rule=row.get("rule"),
            exemptions=row.get("exemptions", ""),
            exemption_rule=row.get("exemption_rule"),
        )
        fee.full_clean(exclude=["version"])
        fee.save()


def replace_workflow(version: ProcedureVersion, steps: list[dict], transitions=None) -> None:
    version.workflow_transitions.all().delete()
    version.workflow_steps.all().delete()
    by_code = {}
    for position, row in enumerate(steps, start=1):
        step = WorkflowStep(
            version=version,
            position=position,
            code=row.get("code") or f"{row['action']}-{position}",
            name=row.get("name") or row["action"],
            action=row["action"],
            role=row["role"],
            agency_role=row.get("agency_role", WorkflowStep.AgencyRole.DECIDING),
            agency=_agency(row.get("agency")),
            duration=Decimal(str(row["duration"])),
            consult_pick=bool(row.get("consult_pick")),
        )
        step.full_clean(exclude=["version"])
        step.save()
        replace_consulted(step, row.get("consulted") or [])
        by_code[step.code] = step
    if transitions is None:
        workflow_rules.default_transitions(version)
        return
    for row in transitions:
        WorkflowTransition.objects.create(
            version=version,
            source=by_code[row["source"]],
            target=by_code.get(row.get("target")),
            kind=row["kind"],
        )


def replace_consulted(step: WorkflowStep, rows: list[dict]) -> None:
    """The agencies a consultation step asks, each ``{"agency": code, "duration": …}``."""
    step.consulted.all().delete()
    seen = set()
    for position, row in enumerate(rows, start=1):
        agency = _agency(row.get("agency"))
        if agency is None or agency.pk in seen:
            continue
        seen.add(agency.pk)
        ConsultedAgency.objects.create(
            step=step,
            position=position,
            agency=agency,
            duration=Decimal(str(row.get("duration") or 0)),
        )


def apply(version: ProcedureVersion, data: dict) -> None:
    """Sets requirements, fees and workflow from ``data`` (the version's own fields are set by
    the service that created or updated it)."""
    replace_requirements(version, data.get("requirements", []))
    replace_fees(version, data.get("fees", []))
    replace_workflow(version, data.get("workflow", []), data.get("transitions"))
    if data.get("result_template"):
        ResultTemplate.objects.update_or_create(
            version=version, defaults=_template_fields(data["result_template"])
        )


TEMPLATE_KEYS = ["parent_agency", "place", "title", "body", "signer_title", "validity_months"]


def _template_fields(data: dict) -> dict:
    fields = {key: data.get(key) or "" for key in TEMPLATE_KEYS}
    fields["validity_months"] = data.get("validity_months") or None
    fields["recipients"] = "\n".join(data.get("recipients") or [])
    return fields


def _template_dump(version: ProcedureVersion) -> dict | None:
    template = ResultTemplate.objects.filter(version=version).first()
    if template is None:
        return None
    return {
        **{key: getattr(template, key) for key in TEMPLATE_KEYS},
        "recipients": [line for line in template.recipients.splitlines() if line.strip()],
    }


def dump(version: ProcedureVersion, *, with_files: bool = False) -> dict:
    def template(requirement):
        if not (with_files and requirement.template_file):
            return None
        with requirement.template_file.open("rb") as handle:
            content = base64.b64encode(handle.read()).decode()
        return {"name": requirement.template_file.name.rsplit("/", 1)[-1], "content": content}

    return {
        "code": version.procedure.code,
        "owner_agency": version.procedure.owner_agency.code,
        "number": version.number,
        "status": version.status,
        "effective_from": version.effective_from.isoformat() if version.effective_from else None,
        "change_note": version.change_note,
        "name": version.name,
        "field": {"code": version.field.code, "name": version.field.name},
        "level": version.level,
        "deciding_agency": version.deciding_agency.code if version.deciding_agency else None,
        "receiving_agencies": sorted(a.code for a in version.receiving_agencies.all()),
        "online_mode": version.online_mode,
        "payment_first": version.payment_first,
        "legacy_service_level": version.legacy_service_level,
        "time_limit": str(version.time_limit.normalize()),
        "time_unit": version.time_unit,
        "legal_bases": version.lines("legal_bases"),
        "results": version.lines("results"),
        "steps": version.lines("steps"),
        "form_schema": version.form_schema,
        "form_ui": version.form_ui,
        "requirements": [
            {
                "code": r.code,
                "name": r.name,
                "originals": r.originals,
                "copies": r.copies,
                "mandatory": r.mandatory,
                "condition": r.condition,
                "accepted_types": r.accepted_types,
                "template_name": r.template_name,
                "registry": r.registry,
                "civil_status_record": r.civil_status_record,
                "filled_by_eform": r.filled_by_eform,
                "template_file": template(r),
            }
            for r in version.requirements.all()
        ],
        "fees": [
            {
                "name": f.name,
                "kind": f.kind,
                "amount": f.amount,
                "rule": f.rule,
                "exemptions": f.exemptions,
                "exemption_rule": f.exemption_rule,
            }
            for f in version.fees.all()
        ],
        "workflow": [
            {
                "code": s.code,
                "name": s.name,
                "action": s.action,
                "role": s.role,
                "agency_role": s.agency_role,
                "agency": s.agency.code if s.agency else None,
                "duration": str(s.duration.normalize()),
                **(
                    {
                        "consult_pick": s.consult_pick,
                        "consulted": [
                            {"agency": c.agency.code, "duration": str(c.duration.normalize())}
                            for c in s.consulted.select_related("agency")
                        ],
                    }
                    if s.action == WorkflowStep.Action.CONSULTATION
                    else {}
                ),
            }
            for s in version.workflow_steps.all()
        ],
        "transitions": [
            {"source": t.source.code, "target": t.target.code if t.target else None, "kind": t.kind}
            for t in version.workflow_transitions.select_related("source", "target")
        ],
        "result_template": _template_dump(version),
    }
