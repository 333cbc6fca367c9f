"""Operations on the catalogue: the only code that creates, edits and publishes procedures."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from egov.catalog import content, eforms, fees, result_templates, search, workflow
from egov.catalog.models import (
    DocumentRequirement,
    Field,
    PaperType,
    Procedure,
    ProcedureVersion,
    ResultTemplate,
    WorkflowTransition,
)
from egov.core import audit, collation, files
from egov.core.text import normalize_search_text

VERSION_AUDIT_FIELDS = [
    "number",
    "status",
    "effective_from",
    "name",
    "field_id",
    "level",
    "deciding_agency_id",
    "online_mode",
    "payment_first",
    "legacy_service_level",
    "time_limit",
    "time_unit",
    "boundary_free",
    "boundary_free_decision",
]


def _record(actor, action: str, version: ProcedureVersion, before=None) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=version.procedure,
        object_repr=f"{version.procedure.code} v{version.number}: {version.name}"[:300],
        agency_id=version.procedure.owner_agency_id,
        before=before,
        after=audit.snapshot(version, VERSION_AUDIT_FIELDS),
    )


def index(version: ProcedureVersion) -> None:
    version.name_search = normalize_search_text(version.name)
    version.name_sort = collation.sort_key(version.name)
    version.search_text = search.search_text_for(version)


@transaction.atomic
def create_procedure(*, actor, code: str, owner_agency, **version_fields) -> ProcedureVersion:
    """A new procedure with its first draft version."""
    procedure = Procedure(code=code.strip(), owner_agency=owner_agency)
    procedure.full_clean()
    procedure.save()
    receiving = version_fields.pop("receiving_agencies", [])
    version = ProcedureVersion(
        procedure=procedure, number=1, created_by=_user(actor), **version_fields
    )
    index(version)
    version.full_clean(exclude=["name_search", "name_sort", "search_text"])
    version.save()
    version.receiving_agencies.set(receiving)
    _record(actor, "catalog.procedure_created", version)
    return version


@transaction.atomic
def update_draft(version: ProcedureVersion, *, actor, **changes) -> ProcedureVersion:
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise ValidationError(_("A published version cannot be changed; start a new draft."))
    before = audit.snapshot(version, VERSION_AUDIT_FIELDS)
    receiving = changes.pop("receiving_agencies", None)
    for name, value in changes.items():
        setattr(version, name, value)
    index(version)
    version.full_clean(exclude=["name_search", "name_sort", "search_text"])
    version.save()
    if receiving is not None:
        version.receiving_agencies.set(receiving)
    _record(actor, "catalog.draft_changed", version, before)
    return version


@transaction.atomic
def create_field(*, actor, name: str, agency_id: int | None = None) -> Field:
    """A field (lĩnh vực) created from the designer when the list lacks it; an existing field of
    the same name (accents and case aside) is returned instead of a duplicate."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"new_field": [_("Write the name of the field.")]})
    key = normalize_search_text(name).strip()
    for field in Field.objects.all():
        if normalize_search_text(field.name).strip() == key:
            return field
    base = slugify(key).replace("-", "_")[:45] or "linh_vuc"
    code, number = base, 1
    while Field.objects.filter(code=code).exists():
        number += 1
        code = f"{base}_{number}"
    field = Field.objects.create(code=code, name=name)
    audit.record(
        actor=actor,
        action="catalog.field_created",
        obj=field,
        object_repr=name[:300],
        agency_id=agency_id,
        after={"code": code, "name": name},
    )
    return field


@transaction.atomic
def create_paper_type(
    *, actor, name: str, code: str = "", agency_id: int | None = None
) -> PaperType:
    """A paper type (loại giấy tờ) created from the designer when the list lacks it; one of the
    same name (accents and case aside) or code is returned instead of a duplicate."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": [_("Write the name of the paper type.")]})
    code = code.strip().lower()
    if code and not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,59}", code):
        raise ValidationError(
            {"code": [_("A code has only letters without accents, digits, “.”, “-” and “_”.")]}
        )
    key = normalize_search_text(name).strip()
    for known in PaperType.objects.all():
        if normalize_search_text(known.name).strip() == key or (code and known.code == code):
            return known
    code = code or content.requirement_code(
        name, set(PaperType.objects.values_list("code", flat=True))
    )
    paper_type = PaperType.objects.create(code=code, name=name)
    audit.record(
        actor=actor,
        action="catalog.paper_type_created",
        obj=paper_type,
        object_repr=name[:300],
        agency_id=agency_id,
        after={"code": code, "name": name},
    )
    return paper_type


@transaction.atomic
def save_form(version: ProcedureVersion, *, actor, schema: dict, ui: dict) -> ProcedureVersion:
    """Stores an e-form built in the designer, after the same check as publishing makes."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise ValidationError(_("A published version cannot be changed; start a new draft."))
    eforms.validate_schema(schema, ui)
    before = {"fields": list(version.form_schema.get("properties", {}))}
    version.form_schema, version.form_ui = schema, ui
    version.save(update_fields=["form_schema", "form_ui"])
    audit.record(
        actor=actor,
        action="catalog.eform_changed",
        obj=version.procedure,
        object_repr=f"{version.procedure.code} v{version.number}: {version.name}"[:300],
        agency_id=version.procedure.owner_agency_id,
        before=before,
        after={"fields": list(schema.get("properties", {}))},
    )
    return version


def _draft_for_update(version: ProcedureVersion) -> ProcedureVersion:
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise ValidationError(_("A published version cannot be changed; start a new draft."))
    return version


def _record_parts(actor, action: str, version: ProcedureVersion, before, after) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=version.procedure,
        object_repr=f"{version.procedure.code} v{version.number}: {version.name}"[:300],
        agency_id=version.procedure.owner_agency_id,
        before=before,
        after=after,
    )


def _fee_summary(version: ProcedureVersion) -> list:
    return [[fee.name, fee.amount, fee.rule] for fee in version.fees.all()]


@transaction.atomic
def save_fees(version: ProcedureVersion, *, actor, rows: list[dict]) -> ProcedureVersion:
    """Replaces a draft's fees with rows built in the designer, each rule checked first."""
    version = _draft_for_update(version)
    problems: list[str] = []
    for row in rows:
        try:
            fees.validate_rule(row.get("rule"), row.get("exemption_rule"), version.form_schema)
        except ValidationError as exc:
            problems.extend(f"{row['name']}: {message}" for message in exc.messages)
    if problems:
        raise ValidationError(problems)
    before = _fee_summary(version)
    content.replace_fees(version, rows)
    _record_parts(
        actor, "catalog.fees_changed", version, {"fees": before}, {"fees": _fee_summary(version)}
    )
    return version


REQUIREMENT_FIELDS = [
    "name",
    "originals",
    "copies",
    "mandatory",
    "condition",
    "accepted_types",
    "template_name",
    "registry",
    "civil_status_record",
    "filled_by_eform",
]


@transaction.atomic
def save_requirements(version: ProcedureVersion, *, actor, rows: list[dict]) -> ProcedureVersion:
    """Sets a draft's papers from the designer: rows with an ``id`` change that paper (its
    template file stays unless a new one is given), others are added, missing ones removed."""
    version = _draft_for_update(version)
    existing = {r.pk: r for r in version.requirements.all()}
    before = [r.name for r in existing.values()]
    kept = set()
    taken = {r.code for r in existing.values()}
    for position, row in enumerate(rows, start=1):
        requirement = existing.get(row.get("id") or 0) or DocumentRequirement(version=version)
        if row.get("code"):
            requirement.code = row["code"]  # a paper type chosen in the designer
        elif requirement.pk is None:
            requirement.code = content.requirement_code(row["name"], taken)
        taken.add(requirement.code)
        requirement.position = position
        for name in REQUIREMENT_FIELDS:
            if name in row:
                setattr(requirement, name, row[name])
        requirement.full_clean(exclude=["version", "template_file"])
        upload = row.get("template_upload")
        if upload is not None:
            files.save(requirement.template_file, upload["name"], upload["data"])
        requirement.save()
        kept.add(requirement.pk)
    version.requirements.exclude(pk__in=kept).delete()
    _record_parts(
        actor,
        "catalog.requirements_changed",
        version,
        {"papers": before},
        {"papers": [r.name for r in version.requirements.all()]},
    )
    return version


@transaction.atomic
def save_workflow(version: ProcedureVersion, *, actor, steps: list[dict]) -> ProcedureVersion:
    """Sets a draft's steps from the designer, with the usual moves between them (next,
    supplement, refusal, pause, send back: ``workflow.default_transitions``)."""
    version = _draft_for_update(version)
    before = _workflow_record(version)
    # The editor's own moves stay where their steps keep their code (their kind and place).
    kept = _moves_record(version)
    content.replace_workflow(version, steps, None)
    _add_moves(version, kept)
    after = _workflow_record(version)
    _record_parts(actor, "catalog.workflow_changed", version, {"steps": before}, {"steps": after})
    return version


def _moves_record(version: ProcedureVersion) -> list[dict]:
    return [
        {"source": t.source.code, "target": t.target.code if t.target else None, "kind": t.kind}
        for t in workflow.custom_moves(version)
    ]


def _add_moves(version: ProcedureVersion, moves: list[dict]) -> None:
    by_code = {step.code: step for step in version.workflow_steps.all()}
    for move in moves:
        source, target = by_code.get(move["source"]), by_code.get(move.get("target") or "")
        if source is None or (move.get("target") and target is None):
            continue
        WorkflowTransition.objects.get_or_create(
            version=version, source=source, target=target, kind=move["kind"]
        )


@transaction.atomic
def save_moves(version: ProcedureVersion, *, actor, moves: list[dict]) -> ProcedureVersion:
    """Sets a draft's custom moves between steps (beyond the usual ones), each
    ``{"source": step code, "target": step code or None, "kind": …}``; a move that cannot be
    made is refused in words and nothing is saved."""
    version = _draft_for_update(version)
    by_code = {step.code: step for step in version.workflow_steps.all()}
    problems = []
    for move in moves:
        source, target = by_code.get(move["source"]), by_code.get(move.get("target") or "")
        if source is None or (move.get("target") and target is None):
            problems.append(_("A move names a step the workflow no longer has."))
            continue
        problem = workflow.move_problem(source, target, move["kind"])
        if problem:
            problems.append(f"{source.name}: {problem}")
    if problems:
        raise ValidationError(problems)
    before = _moves_record(version)
    for transition in workflow.custom_moves(version):
        transition.delete()
    _add_moves(version, moves)
    _record_parts(
        actor,
        "catalog.workflow_changed",
        version,
        {"moves": before},
        {"moves": _moves_record(version)},
    )
    return version


def _workflow_record(version: ProcedureVersion) -> list[list]:
    """What the audit trail keeps of a workflow: each step, and the agencies it consults."""
    return [
        [
            s.name,
            s.action,
            str(s.duration),
            *([[c.agency.code, str(c.duration)] for c in s.consulted.select_related("agency")]),
        ]
        for s in version.workflow_steps.all()
    ]


@transaction.atomic
def start_draft(procedure: Procedure, *, actor) -> ProcedureVersion:
    """A new draft copied from the latest version, with everything that hangs from it.

    If a draft already exists it is returned: there is one line of editing per procedure.
    """
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    existing = procedure.versions.filter(status=ProcedureVersion.Status.DRAFT).first()
    if existing:
        return existing
    source = procedure.versions.order_by("-number").first()
    draft = copy_version(source, number=source.number + 1)
    draft.created_by = _user(actor)
    draft.save(update_fields=["created_by"])
    _record(actor, "catalog.draft_started", draft)
    return draft


@transaction.atomic
def copy_procedure(
    source: ProcedureVersion, *, actor, code: str, owner_agency, name: str
) -> ProcedureVersion:
    """A new procedure whose first draft copies everything of ``source``: the e-form, papers,
    fees and workflow, to be changed before publishing."""
    procedure = Procedure(code=code.strip(), owner_agency=owner_agency)
    procedure.full_clean()
    procedure.save()
    draft = copy_version(source, number=1, procedure=procedure)
    draft.name = name
    draft.created_by = _user(actor)
    draft.boundary_free, draft.boundary_free_decision = False, ""
    index(draft)
    draft.full_clean(exclude=["name_search", "name_sort", "search_text"])
    draft.save()
    _record(actor, "catalog.procedure_copied", draft, {"copied_from": source.procedure.code})
    return draft


def copy_version(
    source: ProcedureVersion, *, number: int, procedure: Procedure | None = None
) -> ProcedureVersion:
    requirements = list(source.requirements.all())
    fee_rows = list(source.fees.all())
    steps = list(source.workflow_steps.all())
    transitions = list(source.workflow_transitions.all())
    template = ResultTemplate.objects.filter(version=source).first()
    receiving = list(source.receiving_agencies.all())
    draft = ProcedureVersion.objects.get(pk=source.pk)
    draft.pk = None
    draft.procedure = procedure or source.procedure
    draft.number = number
    draft.status = ProcedureVersion.Status.DRAFT
    draft.effective_from = None
    draft.published_at = None
    draft.change_note = ""
    draft.save()
    draft.receiving_agencies.set(receiving)
    for row in requirements + fee_rows:
        row.pk = None
        row.version = draft
        row.save()
    step_map = {}
    for step in steps:
        old = step.pk
        consulted = list(step.consulted.all())
        step.pk = None
        step.version = draft
        step.save()
        step_map[old] = step
        for link in consulted:
            link.pk = None
            link.step = step
            link.save()
    for transition in transitions:
        transition.pk = None
        transition.version = draft
        transition.source = step_map[transition.source_id]
        transition.target = step_map.get(transition.target_id)
        transition.save()
    if template is not None:
        template.pk = None
        template.version = draft
        template.save()
    return draft


RESULT_TEMPLATE_FIELDS = [
    "parent_agency",
    "place",
    "title",
    "body",
    "signer_title",
    "validity_months",
    "recipients",
]


@transaction.atomic
def save_result_template(version: ProcedureVersion, *, actor, **values) -> ResultTemplate:
    """Stores the draft's result template after checking its placeholders (nothing in it is
    ever run: see ``result_templates``)."""
    version = _draft_for_update(version)
    values = {
        name: value.replace("\r\n", "\n") if isinstance(value, str) else value
        for name, value in values.items()
    }
    result_templates.check(values.get("body", ""), version)
    template = ResultTemplate.objects.filter(version=version).first()
    before = audit.snapshot(template, RESULT_TEMPLATE_FIELDS) if template else None
    template = template or ResultTemplate(version=version)
    for name in RESULT_TEMPLATE_FIELDS:
        setattr(template, name, values.get(name, getattr(template, name)))
    template.full_clean()
    template.save()
    _record_parts(
        actor,
        "catalog.result_template_changed",
        version,
        before,
        audit.snapshot(template, RESULT_TEMPLATE_FIELDS),
    )
    return template


@transaction.atomic
def remove_result_template(version: ProcedureVersion, *, actor) -> None:
    """Without a template the official uploads the result at the signing step again."""
    version = _draft_for_update(version)
    template = ResultTemplate.objects.filter(version=version).first()
    if template is None:
        return
    before = audit.snapshot(template, RESULT_TEMPLATE_FIELDS)
    template.delete()
    _record_parts(actor, "catalog.result_template_changed", version, before, None)


def publication_problems(version: ProcedureVersion) -> list[str]:
    found = []
    try:
        eforms.validate_schema(version.form_schema, version.form_ui)
    except ValidationError as exc:
        found.extend(exc.messages)
    for fee in version.fees.all():
        try:
            fees.validate_rule(fee.rule, fee.exemption_rule, version.form_schema)
        except ValidationError as exc:
            found.extend(f"{fee.name}: {message}" for message in exc.messages)
    found.extend(workflow.problems(version))
    if not version.requirements.exists():
        found.append(_("List at least one document the citizen provides."))
    return found


@transaction.atomic
def publish(
    version: ProcedureVersion, *, actor, effective_from: datetime.date, change_note: str = ""
) -> ProcedureVersion:
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise ValidationError(_("This version is already published."))
    problems = publication_problems(version)
    if problems:
        raise ValidationError(problems)
    latest = (
        version.procedure.versions.filter(status=ProcedureVersion.Status.PUBLISHED)
        .order_by("-effective_from")
        .first()
    )
    if latest and latest.effective_from and effective_from < latest.effective_from:
        raise ValidationError(
            _("The effective date cannot be before that of version %(n)s (%(day)s).")
            % {"n": latest.number, "day": latest.effective_from.isoformat()}
        )
    before = audit.snapshot(version, VERSION_AUDIT_FIELDS)
    version.status = ProcedureVersion.Status.PUBLISHED
    version.effective_from = effective_from
    version.published_at = timezone.now()
    version.change_note = change_note or version.change_note
    version.save(update_fields=["status", "effective_from", "published_at", "change_note"])
    _record(actor, "catalog.version_published", version, before)
    return version


@transaction.atomic
def set_boundary_free(
    version: ProcedureVersion, *, actor, listed: bool, decision: str = ""
) -> ProcedureVersion:
    """Puts a version on the province's list of procedures received regardless of
    administrative boundary (Nghị định 118/2025/NĐ-CP), or takes it off.

    The list is published by a decision of the province, not by a new version of the
    procedure, so a published version may be listed too; the decision is required."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    decision = decision.strip()
    if listed and not decision:
        raise ValidationError(
            {"boundary_free_decision": [_("Name the decision that published the list.")]}
        )
    before = audit.snapshot(version, VERSION_AUDIT_FIELDS)
    version.boundary_free = listed
    version.boundary_free_decision = decision if listed else ""
    version.save(update_fields=["boundary_free", "boundary_free_decision"])
    _record(actor, "catalog.boundary_free_changed", version, before)
    return version


def boundary_free_versions(day: datetime.date | None = None):
    """The province's list as in force on ``day``: the current version of each listed
    procedure."""
    return search.current_versions(day).filter(boundary_free=True)


def version_for(procedure: Procedure, day: datetime.date | None = None) -> ProcedureVersion | None:
    """The version a dossier filed on ``day`` is governed by."""
    return search.current_versions(day).filter(procedure=procedure).first()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
