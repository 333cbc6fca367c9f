"""What a draft changes from the published version, in words an editor reads before
publishing: the main fields, the e-form's questions, the papers, the fees, the steps and the
result template."""

import difflib

from django.utils.translation import gettext as _

from egov.catalog import builder, fee_builder, workflow
from egov.catalog.durations import working_time_text
from egov.catalog.models import ProcedureVersion, ResultTemplate, WorkflowStep

MAIN = [
    "name",
    "field",
    "level",
    "deciding_agency",
    "online_mode",
    "payment_first",
    "legacy_service_level",
    "time_limit",
    "time_unit",
    "legal_bases",
    "results",
    "steps",
]


def _shown(version: ProcedureVersion, name: str) -> str:
    display = getattr(version, f"get_{name}_display", None)
    value = display() if display else getattr(version, name)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "normalize"):
        return str(value.normalize())
    return str(value)


def _questions(version: ProcedureVersion) -> dict[str, str]:
    kinds = dict(builder.Kind.choices)
    found = {}
    for row in builder.from_schema(version.form_schema, version.form_ui):
        words = [str(kinds.get(row["kind"], row["kind"]))]
        if row["required"]:
            words.append(_("required"))
        if row["show_when_field"]:
            words.append(
                _("shown when “%(field)s” is answered") % {"field": row["show_when_field"]}
            )
        if row.get("options"):
            words.append(row["options"].replace("\n", ", "))
        found[row["name"]] = f"{row['label']} ({'; '.join(words)})"
    return found


def _papers(version: ProcedureVersion) -> dict[str, str]:
    return {
        r.code or r.name: _("%(name)s: %(originals)s original(s), %(copies)s copy(ies)%(when)s")
        % {
            "name": r.name,
            "originals": r.originals,
            "copies": r.copies,
            "when": f", {r.condition}" if r.condition else "",
        }
        for r in version.requirements.all()
    }


def _fees(version: ProcedureVersion) -> dict[str, str]:
    rules = {
        "fixed": _("fixed"),
        "per_unit": _("per unit"),
        "tiered": _("tiered"),
        "cases": _("by case"),
    }
    found = {}
    for fee in version.fees.all():
        row = fee_builder.from_fee(fee, version.form_schema)
        found[fee.name] = _("%(name)s: %(rule)s, %(amount)s đồng%(field)s") % {
            "name": fee.name,
            "rule": rules[row["rule_type"]],
            "amount": row.get("amount") or 0,
            "field": f" × {row['field']}" if row.get("field") else "",
        }
    return found


def _steps(version: ProcedureVersion) -> dict[str, str]:
    """One sentence per step, and one per agency a consultation step asks (keyed by the
    step's position and the agency, so a changed time to answer reads as a change)."""
    found = {}
    for step in version.workflow_steps.prefetch_related("consulted__agency"):
        found[str(step.position)] = (
            f"{step.position}. {step.name}: {step.get_action_display()}, "
            f"{step.get_role_display()}, {step.duration.normalize()}"
        )
        if step.action != WorkflowStep.Action.CONSULTATION:
            continue
        if step.consult_pick:
            found[f"{step.position}:pick"] = _(
                "step %(position)s: the handler chooses which agencies to consult"
            ) % {"position": step.position}
        for row in step.consulted.all():
            found[f"{step.position}:{row.agency.code}"] = _(
                "step %(position)s “%(step)s” asks %(agency)s for an opinion within %(time)s"
            ) % {
                "position": step.position,
                "step": step.name,
                "agency": row.agency.name,
                "time": working_time_text(row.duration, version.time_unit),
            }
    return found


def _moves(version: ProcedureVersion) -> dict[str, str]:
    """The editor's own moves between steps, one sentence each, keyed by the steps' places."""
    found = {}
    for move in workflow.custom_moves(version):
        target = move.target.position if move.target else "-"
        found[f"move:{move.source.position}:{move.kind}:{target}"] = _(
            "extra move from step %(source)s “%(name)s”: %(kind)s → %(target)s"
        ) % {
            "source": move.source.position,
            "name": move.source.name,
            "kind": move.get_kind_display(),
            "target": f"{move.target.position}. {move.target.name}"
            if move.target
            else _("the dossier ends"),
        }
    return found


def _result_template(version: ProcedureVersion) -> tuple[dict[str, str], list[str]]:
    """The template's settings in words, and its content's lines."""
    template = ResultTemplate.objects.filter(version=version).first()
    if template is None:
        return {}, []
    rows = {}
    for name in ["title", "parent_agency", "place", "signer_title", "validity_months"]:
        value = getattr(template, name)
        label = getattr(ResultTemplate._meta.get_field(name), "verbose_name", name)
        rows[name] = f"{label}: {value or '—'}"
    lines = [line.strip() for line in template.body.splitlines() if line.strip()]
    return rows, lines


def _template_changes(old: ProcedureVersion, new: ProcedureVersion) -> list[tuple[str, str]]:
    section = _("Result template")
    (old_rows, old_lines), (new_rows, new_lines) = _result_template(old), _result_template(new)
    if not old_rows and new_rows:
        return [(section, _("Added: %(what)s") % {"what": new_rows["title"]})]
    if old_rows and not new_rows:
        return [(section, _("Removed: %(what)s") % {"what": old_rows["title"]})]
    found = _compare(section, old_rows, new_rows)
    for line in difflib.ndiff(old_lines, new_lines):
        if line.startswith("+ "):
            found.append((section, _("Line added: %(line)s") % {"line": line[2:]}))
        elif line.startswith("- "):
            found.append((section, _("Line removed: %(line)s") % {"line": line[2:]}))
    return found


def _compare(section: str, old: dict[str, str], new: dict[str, str]) -> list[tuple[str, str]]:
    lines = []
    for key, text in new.items():
        if key not in old:
            lines.append((section, _("Added: %(what)s") % {"what": text}))
        elif old[key] != text:
            lines.append(
                (section, _("Changed: %(old)s → %(new)s") % {"old": old[key], "new": text})
            )
    for key, text in old.items():
        if key not in new:
            lines.append((section, _("Removed: %(what)s") % {"what": text}))
    return lines


def changes(published: ProcedureVersion | None, draft: ProcedureVersion) -> list[tuple[str, str]]:
    """(section, sentence) for every difference; empty when nothing changed."""
    if published is None:
        return []
    lines = []
    for name in MAIN:
        before, after = _shown(published, name), _shown(draft, name)
        if before != after:
            label = str(getattr(ProcedureVersion._meta.get_field(name), "verbose_name", name))
            lines.append((_("Main information"), f"{label}: {before} → {after}"))
    old_agencies = {a.name for a in published.receiving_agencies.all()}
    new_agencies = {a.name for a in draft.receiving_agencies.all()}
    if old_agencies != new_agencies:
        lines.append(
            (
                _("Main information"),
                _("Receiving agencies: %(old)s → %(new)s")
                % {
                    "old": ", ".join(sorted(old_agencies)) or "—",
                    "new": ", ".join(sorted(new_agencies)) or "—",
                },
            )
        )
    lines += _compare(_("E-form"), _questions(published), _questions(draft))
    lines += _compare(_("Papers"), _papers(published), _papers(draft))
    lines += _compare(_("Fees"), _fees(published), _fees(draft))
    lines += _compare(_("Workflow"), _steps(published), _steps(draft))
    lines += _compare(_("Workflow"), _moves(published), _moves(draft))
    lines += _template_changes(published, draft)
    return lines


def published_before(draft: ProcedureVersion) -> ProcedureVersion | None:
    return (
        draft.procedure.versions.filter(status=ProcedureVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )
