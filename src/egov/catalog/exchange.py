"""Catalogue import and export.

Tabular (Excel workbook or three CSV files): sheets ``procedures``, ``requirements`` and ``fees``
(docs/catalog.md). A file with any bad row imports nothing; the report names sheet, line and
column. The whole-catalogue bundle (JSON, every version with its files) moves a catalogue from
one installation to another without losing versions.
"""

import csv
import datetime
import io
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from egov.catalog import content, services
from egov.catalog.models import Level, OnlineMode, Procedure, ProcedureVersion, TimeUnit
from egov.catalog.search import current_versions
from egov.core import audit
from egov.core.csvio import ImportReport, parse_date
from egov.organizations.models import Agency

PROCEDURE_COLUMNS = [
    "code",
    "owner_agency",
    "name",
    "field_code",
    "field_name",
    "level",
    "deciding_agency",
    "receiving_agencies",
    "online_mode",
    "legacy_service_level",
    "time_limit",
    "time_unit",
    "legal_bases",
    "results",
    "steps",
    "form_schema",
    "form_ui",
    "workflow",
    "effective_from",
    "change_note",
    "payment_first",
]
REQUIREMENT_COLUMNS = [
    "procedure_code",
    "name",
    "originals",
    "copies",
    "mandatory",
    "condition",
    "accepted_types",
    "template_name",
    "registry",
    "filled_by_eform",
]
FEE_COLUMNS = ["procedure_code", "name", "kind", "amount", "rule", "exemptions", "exemption_rule"]
SHEETS = {"procedures": PROCEDURE_COLUMNS, "requirements": REQUIREMENT_COLUMNS, "fees": FEE_COLUMNS}
REQUIRED = {
    "procedures": [
        "code",
        "owner_agency",
        "name",
        "field_code",
        "level",
        "online_mode",
        "legacy_service_level",
        "time_limit",
        "time_unit",
    ],
    "requirements": ["procedure_code", "name"],
    "fees": ["procedure_code", "name", "kind"],
}
YES = {"1", "yes", "true", "có", "co", "x"}


class _Rollback(Exception):
    pass


@dataclass
class Table:
    sheet: str
    rows: list[tuple[int, dict]]


def read_workbook(data: bytes) -> dict[str, Table]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise ValidationError(_("The file is not an Excel workbook (.xlsx).")) from exc
    tables = {}
    for sheet in SHEETS:
        if sheet not in book.sheetnames:
            continue
        rows = list(book[sheet].iter_rows(values_only=True))
        header = [str(cell).strip() if cell is not None else "" for cell in rows[0]] if rows else []
        body = []
        for line, values in enumerate(rows[1:], start=2):
            if all(value in (None, "") for value in values):
                continue
            row = {header[i]: _text(value) for i, value in enumerate(values) if i < len(header)}
            body.append((line, row))
        tables[sheet] = Table(sheet, body)
    return tables


def read_csv_files(files: dict[str, bytes]) -> dict[str, Table]:
    tables = {}
    for sheet, data in files.items():
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                _("%(sheet)s: the file is not UTF-8 text; save it as CSV UTF-8.") % {"sheet": sheet}
            ) from exc
        reader = csv.DictReader(io.StringIO(text))
        rows = [
            (line, {k.strip(): (v or "").strip() for k, v in row.items() if k})
            for line, row in enumerate(reader, start=2)
        ]
        tables[sheet] = Table(sheet, rows)
    return tables


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _json(report, sheet, line, column, value, default):
    if not value:
        return default
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        report.add(line, f"{sheet}.{column}", _("Not valid JSON (%(error)s).") % {"error": exc.msg})
        return default


def _parse_procedure(report: ImportReport, line: int, row: dict) -> dict | None:
    before = len(report.errors)

    def bad(column, message):
        report.add(line, f"procedures.{column}", message)

    for column in REQUIRED["procedures"]:
        if not row.get(column):
            bad(column, _("This column is required."))
    if row.get("level") and row["level"] not in Level.values:
        bad("level", _("Use one of: %(values)s.") % {"values": ", ".join(Level.values)})
    if row.get("online_mode") and row["online_mode"] not in OnlineMode.values:
        bad("online_mode", _("Use one of: %(values)s.") % {"values": ", ".join(OnlineMode.values)})
    if row.get("time_unit") and row["time_unit"] not in TimeUnit.values:
        bad("time_unit", _("Use one of: %(values)s.") % {"values": ", ".join(TimeUnit.values)})
    if row.get("legacy_service_level") and row["legacy_service_level"] not in {"1", "2", "3", "4"}:
        bad("legacy_service_level", _("Use a level from 1 to 4."))
    try:
        if row.get("time_limit") and float(row["time_limit"]) <= 0:
            bad("time_limit", _("The time limit must be more than zero."))
    except ValueError:
        bad("time_limit", _("Write the time limit as a number, e.g. 3 or 0.5."))
    effective_from = None
    try:
        effective_from = parse_date(row.get("effective_from", ""))
    except ValueError as exc:
        bad("effective_from", str(exc))
    codes = [
        row.get("owner_agency"),
        row.get("deciding_agency"),
        *row.get("receiving_agencies", "").replace(";", " ").split(),
    ]
    known = set(
        Agency.objects.filter(code__in=[c for c in codes if c]).values_list("code", flat=True)
    )
    for column, code in zip(["owner_agency", "deciding_agency"], codes[:2], strict=True):
        if code and code not in known:
            bad(column, _("No agency has the code %(code)s.") % {"code": code})
    for code in codes[2:]:
        if code not in known:
            bad("receiving_agencies", _("No agency has the code %(code)s.") % {"code": code})
    form_schema = _json(report, "procedures", line, "form_schema", row.get("form_schema"), {})
    form_ui = _json(report, "procedures", line, "form_ui", row.get("form_ui"), {})
    steps = _json(report, "procedures", line, "workflow", row.get("workflow"), [])
    if len(report.errors) > before:
        return None
    return {
        "code": row["code"],
        "owner_agency": row["owner_agency"],
        "effective_from": effective_from,
        "change_note": row.get("change_note", ""),
        "name": row["name"],
        "field": {"code": row["field_code"], "name": row.get("field_name") or row["field_code"]},
        "level": row["level"],
        "deciding_agency": row.get("deciding_agency") or None,
        "receiving_agencies": codes[2:],
        "online_mode": row["online_mode"],
        "payment_first": row.get("payment_first", "").lower() in YES,
        "legacy_service_level": row["legacy_service_level"],
        "time_limit": row["time_limit"],
        "time_unit": row["time_unit"],
        "legal_bases": _lines(row.get("legal_bases", "")),
        "results": _lines(row.get("results", "")),
        "steps": _lines(row.get("steps", "")),
        "form_schema": form_schema,
        "form_ui": form_ui,
        "workflow": steps,
        "requirements": [],
        "fees": [],
        "line": line,
    }


def import_tables(
    tables: dict[str, Table], *, actor, filename: str = "", allowed_owners: set[str] | None = None
) -> ImportReport:
    """``allowed_owners``: agency codes whose procedures the importer may create or change
    (None: all, for system administrators and commands)."""
    report = ImportReport()
    if "procedures" not in tables:
        report.add(1, "procedures", _("The “procedures” sheet (or file) is missing."))
        return report
    for sheet, table in tables.items():
        if table.rows:
            missing = [c for c in REQUIRED[sheet] if c not in table.rows[0][1]]
            if missing:
                report.add(
                    1, sheet, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
                )
    if not report.ok:
        return report
    procedures = {}
    # Rows of procedures that are themselves wrong are still checked, against a scratch target.
    in_sheet = {row.get("code", "") for _line, row in tables["procedures"].rows}
    for line, row in tables["procedures"].rows:
        parsed = _parse_procedure(report, line, row)
        if parsed and allowed_owners is not None and not _may_edit(parsed, allowed_owners):
            report.add(
                line,
                "procedures.owner_agency",
                _("You may only import procedures owned by your agencies."),
            )
        elif parsed and parsed["code"] in procedures:
            report.add(line, "procedures.code", _("This procedure appears twice in the sheet."))
        elif parsed:
            procedures[parsed["code"]] = parsed
    for line, row in tables.get("requirements", Table("requirements", [])).rows:
        target = procedures.get(row.get("procedure_code", ""))
        if target is None and row.get("procedure_code", "") in in_sheet:
            target = {"requirements": [], "fees": []}
        if target is None:
            report.add(
                line,
                "requirements.procedure_code",
                _("This procedure is not in the “procedures” sheet."),
            )
            continue
        if not row.get("name"):
            report.add(line, "requirements.name", _("This column is required."))
            continue
        counts = {}
        for column, default in (("originals", 1), ("copies", 0)):
            value = row.get(column) or str(default)
            if not value.isdigit():
                report.add(line, f"requirements.{column}", _("Write a whole number."))
            counts[column] = int(value) if value.isdigit() else 0
        target["requirements"].append(
            {
                "name": row["name"],
                **counts,
                "mandatory": (row.get("mandatory") or "yes").lower() in YES,
                "condition": row.get("condition", ""),
                "accepted_types": [
                    t.strip().lower() for t in row.get("accepted_types", "").split(",") if t.strip()
                ],
                "template_name": row.get("template_name", ""),
                "registry": row.get("registry", ""),
                "filled_by_eform": (row.get("filled_by_eform") or "no").lower() in YES,
                "line": line,
            }
        )
    for line, row in tables.get("fees", Table("fees", [])).rows:
        target = procedures.get(row.get("procedure_code", ""))
        if target is None and row.get("procedure_code", "") in in_sheet:
            target = {"requirements": [], "fees": []}
        if target is None:
            report.add(
                line, "fees.procedure_code", _("This procedure is not in the “procedures” sheet.")
            )
            continue
        amount = row.get("amount") or "0"
        if not amount.isdigit():
            report.add(line, "fees.amount", _("Write the amount in whole đồng, e.g. 50000."))
            continue
        target["fees"].append(
            {
                "name": row.get("name", ""),
                "kind": row.get("kind", ""),
                "amount": int(amount),
                "rule": _json(report, "fees", line, "rule", row.get("rule"), None),
                "exemptions": row.get("exemptions", ""),
                "exemption_rule": _json(
                    report, "fees", line, "exemption_rule", row.get("exemption_rule"), None
                ),
                "line": line,
            }
        )
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            for data in procedures.values():
                _save(data, actor, report)
            if not report.ok:
                raise _Rollback
            audit.record(
                actor=actor,
                action="catalog.imported",
                object_type="catalog.procedure",
                object_repr=filename[:300],
                after={"created": report.created, "updated": report.updated},
            )
    except _Rollback:
        report.created = report.updated = 0
    return report


def _may_edit(parsed: dict, allowed_owners: set[str]) -> bool:
    stored = Procedure.objects.filter(code=parsed["code"]).select_related("owner_agency").first()
    owner = stored.owner_agency.code if stored else parsed["owner_agency"]
    return owner in allowed_owners and parsed["owner_agency"] in allowed_owners


def _save(data: dict, actor, report: ImportReport) -> None:
    line = data["line"]
    try:
        fields = content.version_fields(data)
        procedure = Procedure.objects.filter(code=data["code"]).first()
        if procedure is None:
            owner = Agency.objects.get(code=data["owner_agency"])
            version = services.create_procedure(
                actor=actor, code=data["code"], owner_agency=owner, **fields
            )
            report.created += 1
        else:
            draft = services.start_draft(procedure, actor=actor)
            version = services.update_draft(draft, actor=actor, **fields)
            report.updated += 1
        content.apply(version, data)
        if data["effective_from"]:
            services.publish(
                version,
                actor=actor,
                effective_from=data["effective_from"],
                change_note=data["change_note"],
            )
    except ValidationError as exc:
        for message in exc.messages:
            report.add(line, "procedures.-", f"{data['code']}: {message}")


def export_rows(versions) -> dict[str, list[list[str]]]:
    tables = {sheet: [columns] for sheet, columns in SHEETS.items()}
    for version in versions:
        data = content.dump(version)
        tables["procedures"].append(
            [
                data["code"],
                data["owner_agency"],
                data["name"],
                data["field"]["code"],
                data["field"]["name"],
                data["level"],
                data["deciding_agency"] or "",
                "; ".join(data["receiving_agencies"]),
                data["online_mode"],
                str(data["legacy_service_level"]),
                data["time_limit"],
                data["time_unit"],
                "\n".join(data["legal_bases"]),
                "\n".join(data["results"]),
                "\n".join(data["steps"]),
                json.dumps(data["form_schema"], ensure_ascii=False),
                json.dumps(data["form_ui"], ensure_ascii=False),
                json.dumps(data["workflow"], ensure_ascii=False),
                data["effective_from"] or "",
                data["change_note"],
                "yes" if data["payment_first"] else "no",
            ]
        )
        for r in data["requirements"]:
            tables["requirements"].append(
                [
                    data["code"],
                    r["name"],
                    str(r["originals"]),
                    str(r["copies"]),
                    "yes" if r["mandatory"] else "no",
                    r["condition"],
                    ", ".join(r["accepted_types"]),
                    r["template_name"],
                    r["registry"],
                    "yes" if r.get("filled_by_eform") else "no",
                ]
            )
        for f in data["fees"]:
            tables["fees"].append(
                [
                    data["code"],
                    f["name"],
                    f["kind"],
                    str(f["amount"]),
                    json.dumps(f["rule"], ensure_ascii=False) if f["rule"] else "",
                    f["exemptions"],
                    json.dumps(f["exemption_rule"], ensure_ascii=False)
                    if f["exemption_rule"]
                    else "",
                ]
            )
    return tables


def export_workbook(versions=None) -> bytes:
    versions = versions if versions is not None else exported_versions()
    book = Workbook()
    book.remove(book.active)
    for sheet, rows in export_rows(versions).items():
        page = book.create_sheet(sheet)
        for row in rows:
            page.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_csv_files(versions=None) -> dict[str, str]:
    versions = versions if versions is not None else exported_versions()
    files = {}
    for sheet, rows in export_rows(versions).items():
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        files[sheet] = out.getvalue()
    return files


def exported_versions():
    return (
        current_versions()
        .select_related("procedure__owner_agency", "field", "deciding_agency")
        .order_by("procedure__code")
    )


# --- Whole-catalogue bundle -------------------------------------------------------------------


def export_bundle() -> dict:
    versions = ProcedureVersion.objects.select_related(
        "procedure__owner_agency", "field", "deciding_agency"
    ).order_by("procedure__code", "number")
    return {
        "format": "egov-catalog-bundle",
        "version": 1,
        "versions": [content.dump(v, with_files=True) for v in versions],
    }


@transaction.atomic
def import_bundle(bundle: dict, *, actor) -> ImportReport:
    """Adds every version the installation lacks, keeping numbers, statuses and dates."""
    report = ImportReport()
    if bundle.get("format") != "egov-catalog-bundle":
        report.add(1, "format", _("This is not a catalogue bundle exported by the platform."))
        return report
    for index, data in enumerate(bundle["versions"], start=1):
        procedure = Procedure.objects.filter(code=data["code"]).first()
        if procedure and procedure.versions.filter(number=data["number"]).exists():
            continue
        try:
            fields = content.version_fields(data)
            if procedure is None:
                owner = Agency.objects.get(code=data["owner_agency"])
                procedure = Procedure.objects.create(code=data["code"], owner_agency=owner)
            receiving = fields.pop("receiving_agencies")
            version = ProcedureVersion(
                procedure=procedure,
                number=data["number"],
                status=data["status"],
                change_note=data["change_note"],
                effective_from=parse_date(data["effective_from"] or ""),
                **fields,
            )
            services.index(version)
            version.save()
            version.receiving_agencies.set(receiving)
            content.apply(version, data)
        except (ValidationError, Agency.DoesNotExist) as exc:
            message = " ".join(getattr(exc, "messages", [str(exc)]))
            report.add(index, data["code"], message)
            continue
        report.created += 1
    if not report.ok:
        transaction.set_rollback(True)
        report.created = 0
        return report
    audit.record(
        actor=actor,
        action="catalog.bundle_imported",
        object_type="catalog.procedure",
        after={"versions": report.created},
    )
    return report
