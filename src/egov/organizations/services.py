"""Operations on the organisation tree: the only code that changes units, agencies and desks."""

import datetime
import hashlib
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import audit
from egov.core.csvio import ImportReport, parse_date, read_all, write_rows
from egov.organizations.codes import parse_agency_code
from egov.organizations.models import AdministrativeUnit, Agency, OneStopDesk, UnitSuccession

UNIT_COLUMNS = ["code", "name", "level", "kind", "parent_code", "valid_from", "valid_to"]
UNIT_OPTIONAL = ["legal_basis"]
AGENCY_COLUMNS = ["code", "name", "kind", "parent_code", "unit_code", "valid_from", "valid_to"]
AGENCY_OPTIONAL = ["short_name", "address", "phone", "email"]
SUCCESSION_COLUMNS = ["predecessor_code", "successor_code", "share", "effective_date"]
SUCCESSION_OPTIONAL = ["legal_basis"]

AGENCY_AUDIT_FIELDS = ["code", "name", "kind", "parent_id", "unit_id", "valid_from", "valid_to"]


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _record_import(actor, action, object_type, filename, data, report) -> None:
    """One audit record per imported file: what it did and the file's fingerprint."""
    raw = data.encode() if isinstance(data, str) else data
    audit.record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_repr=filename[:300],
        after={
            "created": report.created,
            "updated": report.updated,
            "sha256": hashlib.sha256(raw).hexdigest(),
        },
    )


# --- Administrative units -----------------------------------------------------------------------


def unit_in_force(code: str, day: datetime.date | None, pending=()):
    """The unit with ``code`` in force on ``day`` (default today), in ``pending`` or stored."""
    day = day or timezone.localdate()
    for unit in pending:
        if unit.code == code and unit.in_force_on(day):
            return unit
    return AdministrativeUnit.objects.as_of(day).filter(code=code).first()


@dataclass
class _UnitRow:
    line: int
    unit: AdministrativeUnit
    parent_code: str


def import_units_csv(data: bytes | str, *, actor, filename: str = "") -> ImportReport:
    """Creates or updates units keyed by (code, valid_from); nothing is saved if a row is bad."""
    report = ImportReport()
    rows = read_all(data, UNIT_COLUMNS, UNIT_OPTIONAL, report)
    if rows is None:
        return report
    parsed: list[_UnitRow] = []
    seen: set[tuple[str, datetime.date | None]] = set()
    for line, row in rows:
        unit = _parse_unit_row(line, row, report)
        if unit is None:
            continue
        key = (unit.code, unit.valid_from)
        if key in seen:
            report.add(line, "code", _("This code and start date appear twice in the file."))
            continue
        seen.add(key)
        parsed.append(_UnitRow(line, unit, row["parent_code"]))
    pending = [item.unit for item in parsed]
    for item in parsed:
        if item.parent_code:
            day = item.unit.valid_from or item.unit.valid_to
            parent = unit_in_force(item.parent_code, day, pending)
            if parent is None:
                report.add(
                    item.line,
                    "parent_code",
                    _("No unit with code %(code)s is in force when this unit starts.")
                    % {"code": item.parent_code},
                )
                continue
            item.unit.parent = parent
        try:
            item.unit.clean()
        except ValidationError as exc:
            report.add(item.line, "-", _message(exc))
    if not report.ok:
        return report
    with transaction.atomic():
        for item in sorted(parsed, key=lambda i: i.unit.level):
            if item.unit.parent is not None:
                item.unit.parent_id = item.unit.parent.pk  # the parent may have been saved above
            existing = AdministrativeUnit.objects.filter(
                code=item.unit.code, valid_from=item.unit.valid_from
            ).first()
            if existing:
                item.unit.pk = existing.pk
                report.updated += 1
            else:
                report.created += 1
            item.unit.save()
        _record_import(
            actor,
            "organizations.units_imported",
            "organizations.administrativeunit",
            filename,
            data,
            report,
        )
    return report


def _parse_unit_row(line: int, row: dict, report: ImportReport) -> AdministrativeUnit | None:
    errors_before = len(report.errors)
    code, name = row["code"], row["name"]
    if not code.isdigit():
        report.add(line, "code", _("The statistical code must be digits, e.g. 31117."))
    if not name:
        report.add(line, "name", _("The name is required."))
    level = None
    if row["level"] in {"1", "2", "3"}:
        level = int(row["level"])
    else:
        report.add(line, "level", _("The level must be 1 (province), 2 (district) or 3 (commune)."))
    kinds = {value for value, _label in AdministrativeUnit.Kind.choices}
    if row["kind"] not in kinds:
        report.add(
            line,
            "kind",
            _("Unknown kind; use one of: %(kinds)s.") % {"kinds": ", ".join(sorted(kinds))},
        )
    elif level and row["kind"] not in AdministrativeUnit.KINDS_BY_LEVEL[level]:
        report.add(
            line,
            "kind",
            _("This kind of unit does not belong to level %(level)s.") % {"level": level},
        )
    dates = {}
    for column in ("valid_from", "valid_to"):
        try:
            dates[column] = parse_date(row[column])
        except ValueError as exc:
            report.add(line, column, str(exc))
    if level and level > 1 and not row["parent_code"]:
        report.add(line, "parent_code", _("Units below province level need a parent code."))
    if len(report.errors) > errors_before:
        return None
    return AdministrativeUnit(
        code=code,
        name=name,
        level=level,
        kind=row["kind"],
        valid_from=dates["valid_from"],
        valid_to=dates["valid_to"],
        legal_basis=row.get("legal_basis", ""),
    )


def export_units_csv(queryset=None) -> str:
    queryset = (queryset or AdministrativeUnit.objects.all()).select_related("parent")
    out = io.StringIO()
    write_rows(
        out,
        UNIT_COLUMNS + UNIT_OPTIONAL,
        (
            [
                u.code,
                u.name,
                u.level,
                u.kind,
                u.parent.code if u.parent else "",
                u.valid_from,
                u.valid_to,
                u.legal_basis,
            ]
            for u in queryset.order_by("level", "code", "valid_from")
        ),
    )
    return out.getvalue()


def import_successions_csv(data: bytes | str, *, actor, filename: str = "") -> ImportReport:
    """Links each predecessor (in force the day before) to its successor (in force that day)."""
    report = ImportReport()
    rows = read_all(data, SUCCESSION_COLUMNS, SUCCESSION_OPTIONAL, report)
    if rows is None:
        return report
    links = []
    for line, row in rows:
        try:
            effective = parse_date(row["effective_date"])
        except ValueError as exc:
            report.add(line, "effective_date", str(exc))
            continue
        if effective is None:
            report.add(line, "effective_date", _("The effective date is required."))
            continue
        if row["share"] not in UnitSuccession.Share.values:
            report.add(line, "share", _("The share must be “whole” or “part”."))
            continue
        predecessor = unit_in_force(row["predecessor_code"], effective - datetime.timedelta(days=1))
        successor = unit_in_force(row["successor_code"], effective)
        if predecessor is None:
            report.add(
                line,
                "predecessor_code",
                _("No unit with this code is in force the day before the effective date."),
            )
        if successor is None:
            report.add(
                line,
                "successor_code",
                _("No unit with this code is in force on the effective date."),
            )
        if predecessor and successor:
            links.append(
                (predecessor, successor, row["share"], effective, row.get("legal_basis", ""))
            )
    if not report.ok:
        return report
    with transaction.atomic():
        for predecessor, successor, share, effective, legal_basis in links:
            _link, created = UnitSuccession.objects.update_or_create(
                predecessor=predecessor,
                successor=successor,
                defaults={"share": share, "effective_date": effective, "legal_basis": legal_basis},
            )
            if created:
                report.created += 1
            else:
                report.updated += 1
        _record_import(
            actor,
            "organizations.successions_imported",
            "organizations.unitsuccession",
            filename,
            data,
            report,
        )
    return report


# --- Agencies -----------------------------------------------------------------------------------


def _refresh_paths(agency: Agency) -> None:
    """Recomputes the materialised path of ``agency`` and of everything below it."""
    old_path = agency.path
    new_path = f"{agency.parent.path if agency.parent else '/'}{agency.pk}/"
    if new_path == old_path:
        return
    Agency.objects.filter(pk=agency.pk).update(path=new_path)
    agency.path = new_path
    if old_path:
        for child in Agency.objects.filter(path__startswith=old_path).exclude(pk=agency.pk):
            child.path = new_path + child.path[len(old_path) :]
            child.save(update_fields=["path"])


def _check_agency(agency: Agency) -> None:
    agency.full_clean(exclude=["path", "name_search"])
    if agency.parent_id:
        ancestor = agency.parent
        while ancestor is not None:
            if ancestor.pk == agency.pk:
                raise ValidationError({"parent": _("An agency cannot be placed under itself.")})
            ancestor = ancestor.parent


@transaction.atomic
def save_agency(agency: Agency, *, actor) -> Agency:
    """Validates and saves an agency, keeps the tree paths right, and records the change."""
    _check_agency(agency)
    before = None
    if agency.pk:
        stored = Agency.objects.select_for_update().get(pk=agency.pk)
        before = audit.snapshot(stored, AGENCY_AUDIT_FIELDS)
    agency.save()
    _refresh_paths(agency)
    audit.record(
        actor=actor,
        action="organizations.agency_changed" if before else "organizations.agency_created",
        obj=agency,
        agency_id=agency.pk,
        before=before,
        after=audit.snapshot(agency, AGENCY_AUDIT_FIELDS),
    )
    return agency


@transaction.atomic
def save_desk(desk: OneStopDesk, *, actor) -> OneStopDesk:
    desk.full_clean()
    created = desk.pk is None
    desk.save()
    audit.record(
        actor=actor,
        action="organizations.desk_created" if created else "organizations.desk_changed",
        obj=desk,
        agency_id=desk.agency_id,
        after=audit.snapshot(desk, ["agency_id", "name", "address", "is_active"]),
    )
    return desk


def import_agencies_csv(data: bytes | str, *, actor, filename: str = "") -> ImportReport:
    """Creates or updates agencies keyed by their code; nothing is saved if a row is bad."""
    report = ImportReport()
    rows = read_all(data, AGENCY_COLUMNS, AGENCY_OPTIONAL, report)
    if rows is None:
        return report
    in_file = {row["code"] for _line, row in rows}
    seen: set[str] = set()
    parsed = []
    kinds = set(Agency.Kind.values)
    for line, row in rows:
        errors_before = len(report.errors)
        try:
            parse_agency_code(row["code"])
        except ValidationError as exc:
            report.add(line, "code", _message(exc))
        if row["code"] in seen:
            report.add(line, "code", _("This code appears twice in the file."))
        seen.add(row["code"])
        if not row["name"]:
            report.add(line, "name", _("The name is required."))
        if row["kind"] not in kinds:
            report.add(
                line,
                "kind",
                _("Unknown kind; use one of: %(kinds)s.") % {"kinds": ", ".join(sorted(kinds))},
            )
        dates = {}
        for column in ("valid_from", "valid_to"):
            try:
                dates[column] = parse_date(row[column])
            except ValueError as exc:
                report.add(line, column, str(exc))
        parent_code = row["parent_code"]
        if (
            parent_code
            and parent_code not in in_file
            and not Agency.objects.filter(code=parent_code).exists()
        ):
            report.add(
                line, "parent_code", _("No agency has the code %(code)s.") % {"code": parent_code}
            )
        if parent_code and parent_code == row["code"]:
            report.add(line, "parent_code", _("An agency cannot be placed under itself."))
        unit = None
        if row["unit_code"]:
            unit = unit_in_force(row["unit_code"], dates.get("valid_from"))
            if unit is None:
                report.add(
                    line,
                    "unit_code",
                    _(
                        "No administrative unit with code %(code)s is in "
                        "force when this agency starts."
                    )
                    % {"code": row["unit_code"]},
                )
        if len(report.errors) == errors_before:
            parsed.append((line, row, unit, dates))
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            # Parents first: a row may name a parent defined further down the file.
            pending = {line: row["code"] for line, row, _unit, _dates in parsed}
            by_code = {row["code"]: (line, row, unit, dates) for line, row, unit, dates in parsed}
            done: set[str] = set()

            def place(code: str, trail: tuple[str, ...] = ()) -> None:
                if code in done or code not in by_code:
                    return
                line, row, unit, dates = by_code[code]
                if code in trail:
                    report.add(line, "parent_code", _("The parent codes form a loop."))
                    raise _Abort
                place(row["parent_code"], (*trail, code))
                agency = Agency.objects.filter(code=code).first() or Agency(code=code)
                is_new = agency.pk is None
                agency.name = row["name"]
                agency.kind = row["kind"]
                agency.short_name = row.get("short_name", "")
                agency.address = row.get("address", "")
                agency.phone = row.get("phone", "")
                agency.email = row.get("email", "")
                agency.unit = unit
                agency.valid_from = dates["valid_from"]
                agency.valid_to = dates["valid_to"]
                agency.parent = (
                    Agency.objects.get(code=row["parent_code"]) if row["parent_code"] else None
                )
                try:
                    save_agency(agency, actor=actor)
                except ValidationError as exc:
                    report.add(line, "-", _message(exc))
                    raise _Abort from exc
                done.add(code)
                if is_new:
                    report.created += 1
                else:
                    report.updated += 1

            for code in pending.values():
                place(code)
    except _Abort:
        report.created = report.updated = 0
    return report


class _Abort(Exception):
    """Rolls the import back after a row error found while saving."""


def export_agencies_csv(queryset=None) -> str:
    queryset = (queryset or Agency.objects.all()).select_related("parent", "unit")
    out = io.StringIO()
    write_rows(
        out,
        AGENCY_COLUMNS + AGENCY_OPTIONAL,
        (
            [
                a.code,
                a.name,
                a.kind,
                a.parent.code if a.parent else "",
                a.unit.code if a.unit else "",
                a.valid_from,
                a.valid_to,
                a.short_name,
                a.address,
                a.phone,
                a.email,
            ]
            for a in queryset.order_by("path")
        ),
    )
    return out.getvalue()
