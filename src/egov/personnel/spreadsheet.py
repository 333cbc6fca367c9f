"""The provincial spreadsheet of civil servants: one sheet of people, one of career events.

The layout (column headers in Vietnamese, as the provinces' files have them) is a file format,
so it does not follow the page language. Import is all or nothing: every wrong cell is reported
with its sheet, row and column, and nothing is saved until the whole file is right. Export
writes the same layout, so an exported file imports again without change.
"""

import datetime
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from egov.core import audit, files, references
from egov.core.csvio import ImportReport
from egov.core.text import normalize_search_text
from egov.organizations.models import Agency
from egov.personnel import services, staffing_counts, state
from egov.personnel.access import Scope
from egov.personnel.models import REASONS as EVENT_REASONS
from egov.personnel.models import (
    CareerEvent,
    CivilServant,
    CurrentState,
    Decision,
    EducationLevel,
    EmploymentKind,
    EventKind,
    ImportBatch,
    PoliticalTheory,
    Rank,
    Sex,
    StateManagement,
)

PEOPLE_SHEET = "Cán bộ"
EVENTS_SHEET = "Diễn biến"
DATE_FORMAT = "DD/MM/YYYY"


@dataclass(frozen=True)
class Col:
    header: str
    name: str
    kind: str = "text"  # text, date, birth, int, decimal, choice, bool
    required: bool = False
    choices: type | None = None


PEOPLE = [
    Col("Số hiệu", "code", required=True),
    Col("Họ và tên", "full_name", required=True),
    Col("Tên gọi khác", "other_names"),
    Col("Giới tính", "sex", "choice", True, Sex),
    Col("Ngày sinh", "date_of_birth", "birth", True),
    Col("Nơi sinh", "place_of_birth"),
    Col("Quê quán", "hometown"),
    Col("Dân tộc", "ethnicity"),
    Col("Tôn giáo", "religion"),
    Col("Số CCCD", "citizen_id"),
    Col("Ngày cấp CCCD", "citizen_id_issued_on", "date"),
    Col("Số sổ BHXH", "social_insurance_number"),
    Col("Nơi thường trú", "permanent_address"),
    Col("Nơi ở hiện nay", "current_address"),
    Col("Điện thoại", "phone"),
    Col("Thư điện tử", "email"),
    Col("Nghề nghiệp khi được tuyển dụng", "occupation_at_recruitment"),
    Col("Công việc chính được giao", "main_duties"),
    Col("Giáo dục phổ thông", "general_education"),
    Col("Trình độ chuyên môn cao nhất", "education_level", "choice", False, EducationLevel),
    Col("Văn bằng, chuyên ngành", "education_detail"),
    Col("Lý luận chính trị", "political_theory", "choice", False, PoliticalTheory),
    Col("Quản lý nhà nước", "state_management", "choice", False, StateManagement),
    Col("Ngoại ngữ", "foreign_languages"),
    Col("Tin học", "it_skills"),
    Col("Ngày vào Đảng", "party_joined_on", "date"),
    Col("Ngày chính thức", "party_official_on", "date"),
    Col("Ngày vào Đoàn", "youth_union_joined_on", "date"),
    Col("Ngày vào Công đoàn", "trade_union_joined_on", "date"),
    Col("Ngày nhập ngũ", "military_enlisted_on", "date"),
    Col("Ngày xuất ngũ", "military_discharged_on", "date"),
    Col("Quân hàm cao nhất", "military_rank"),
    Col("Danh hiệu cao nhất", "honorary_title"),
    Col("Sở trường công tác", "strengths"),
    Col("Sức khỏe", "health"),
    Col("Chiều cao (cm)", "height_cm", "int"),
    Col("Cân nặng (kg)", "weight_kg", "int"),
    Col("Nhóm máu", "blood_type"),
    Col("Thương binh, gia đình chính sách", "policy_family"),
    Col("Đặc điểm lịch sử bản thân", "personal_history"),
]
EVENTS = [
    Col("Số hiệu", "code", required=True),
    Col("Diễn biến", "kind", "choice", True, EventKind),
    Col("Ngày hiệu lực", "effective_on", "date", True),
    Col("Ngày kết thúc", "ends_on", "date"),
    Col("Số quyết định", "decision_number", required=True),
    Col("Ngày ký", "decision_signed_on", "date", True),
    Col("Người ký", "decision_signer", required=True),
    Col("Cơ quan ban hành", "decision_issuer"),
    Col("Văn bản trong sổ", "document_ref"),
    Col("Mã cơ quan", "agency"),
    Col("Loại cán bộ", "employment_kind", "choice", False, EmploymentKind),
    Col("Chức vụ", "position"),
    Col("Hệ số phụ cấp chức vụ", "position_allowance", "decimal"),
    Col("Mã ngạch", "rank"),
    Col("Nhóm lương", "salary_group"),
    Col("Bậc", "step", "int"),
    Col("Hệ số", "coefficient", "decimal"),
    Col("Tính nâng bậc từ", "counted_from", "date"),
    Col("Phụ cấp thâm niên vượt khung (%)", "seniority_percent", "int"),
    Col("Hình thức, lý do", "reason"),
    Col("Nội dung", "detail"),
]


def _vietnamese(choices) -> dict[str, str]:
    """value -> Vietnamese label, the words written in the file."""
    with translation.override("vi"):
        return {value: str(label) for value, label in choices.choices}


def _lookup(choices) -> dict[str, str]:
    """Normalised Vietnamese label or code -> value. Each part of a label with commas is
    accepted alone too (“Nâng bậc lương” for “Xếp lương, nâng bậc lương”)."""
    found, parts = {}, defaultdict(set)
    for value, label in _vietnamese(choices).items():
        found[normalize_search_text(label)] = value
        found[normalize_search_text(value)] = value
        for part in label.split(","):
            parts[normalize_search_text(part)].add(value)
    for part, values in parts.items():
        if len(values) == 1:
            found.setdefault(part, values.pop())
    return found


class SpreadsheetError(Exception):
    """The file as a whole cannot be read."""


# --- Reading ------------------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value, column: Col) -> tuple[datetime.date | None, bool]:
    """(date, only the year known). Cells may be real dates, dd/mm/yyyy, yyyy-mm-dd, or (for
    the date of birth) a year alone."""
    if value is None or value == "":
        return None, False
    if isinstance(value, datetime.datetime):
        return value.date(), False
    if isinstance(value, datetime.date):
        return value, False
    text = _cell_text(value)
    if column.kind == "birth" and text.isdigit() and len(text) == 4:
        return datetime.date(int(text), 1, 1), True
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date(), False
        except ValueError:
            continue
    raise ValueError(
        _("“%(value)s” is not a date; write it as dd/mm/yyyy, e.g. 01/07/2025.") % {"value": text}
    )


class Reader:
    def __init__(self, report: ImportReport):
        self.report = report
        self.lookups = {}

    def rows(self, sheet, layout: list[Col], title: str):
        """Yields (row number, {name: raw value}) after checking the header row."""
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        index = {normalize_search_text(_cell_text(h)): i for i, h in enumerate(header) if h}
        positions = {}
        missing = []
        for column in layout:
            position = index.get(normalize_search_text(column.header))
            if position is None:
                if column.required:
                    missing.append(column.header)
                continue
            positions[column.name] = position
        if missing:
            self.report.add(
                1,
                title,
                _("Missing columns: %(columns)s. The first row must name the columns.")
                % {"columns": ", ".join(missing)},
            )
            return
        for number, values in enumerate(rows, start=2):
            if not values or all(v is None or _cell_text(v) == "" for v in values):
                continue
            yield (
                number,
                {
                    name: values[position] if position < len(values) else None
                    for name, position in positions.items()
                },
            )

    def value(self, raw: dict, column: Col, number: int, title: str):
        try:
            return self._value(raw.get(column.name), column)
        except ValueError as exc:
            self.report.add(number, f"{title}: {column.header}", str(exc))
            return None

    def _value(self, value, column: Col):
        if column.kind in ("date", "birth"):
            found = _date(value, column)
            if column.required and found[0] is None:
                raise ValueError(_("This cell must not be empty."))
            return found
        text = _cell_text(value)
        if column.required and not text:
            raise ValueError(_("This cell must not be empty."))
        if not text:
            return None if column.kind in ("int", "decimal") else ""
        if column.kind == "int":
            try:
                return int(text)
            except ValueError:
                raise ValueError(
                    _("“%(value)s” is not a whole number.") % {"value": text}
                ) from None
        if column.kind == "decimal":
            try:
                return Decimal(text.replace(",", "."))
            except InvalidOperation:
                raise ValueError(_("“%(value)s” is not a number.") % {"value": text}) from None
        if column.kind == "choice":
            lookup = self.lookups.setdefault(column.choices, _lookup(column.choices))
            found = lookup.get(normalize_search_text(text))
            if found is None:
                raise ValueError(
                    _("“%(value)s” is not one of: %(choices)s.")
                    % {"value": text, "choices": ", ".join(_vietnamese(column.choices).values())}
                )
            return found
        return text


def _open(data: bytes):
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError(_("The file is not an Excel workbook (.xlsx).")) from exc
    names = {normalize_search_text(name): name for name in book.sheetnames}
    people = names.get(normalize_search_text(PEOPLE_SHEET))
    events = names.get(normalize_search_text(EVENTS_SHEET))
    if people is None or events is None:
        raise SpreadsheetError(
            _("The workbook needs two sheets named “%(people)s” and “%(events)s”.")
            % {"people": PEOPLE_SHEET, "events": EVENTS_SHEET}
        )
    return book, book[people], book[events]


@dataclass
class ImportResult:
    report: ImportReport
    people_created: int = 0
    people_updated: int = 0
    events_created: int = 0
    events_unchanged: int = 0
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return self.report.ok


def _read_people(reader, sheet, report):
    """{code: (row, values)} of the rows without errors; the codes of rows with errors."""
    people, bad = {}, set()
    for number, raw in reader.rows(sheet, PEOPLE, PEOPLE_SHEET):
        errors = len(report.errors)
        values = {}
        for column in PEOPLE:
            if column.name not in raw and not column.required:
                continue
            value = reader.value(raw, column, number, PEOPLE_SHEET)
            if column.kind == "birth":
                value, values["birth_year_only"] = value if value else (None, False)
            elif column.kind == "date":
                value = value[0] if value else None
            values[column.name] = value
        code = values.pop("code", None)
        if len(report.errors) > errors:
            bad.add(code)
            continue
        if code in people:
            report.add(number, f"{PEOPLE_SHEET}: Số hiệu", _("This number is on an earlier row."))
            continue
        for name in ("education_level", "political_theory", "state_management"):
            if values.get(name) == "":
                values[name] = "none"
        for name in ("ethnicity", "religion"):
            if values.get(name) == "":
                values.pop(name)
        people[code] = (number, values)
    return people, bad


def _read_events(reader, sheet, report, agencies, ranks):
    found = defaultdict(list)
    for number, raw in reader.rows(sheet, EVENTS, EVENTS_SHEET):
        errors = len(report.errors)
        values = {}
        for column in EVENTS:
            if column.name not in raw and not column.required:
                continue
            value = reader.value(raw, column, number, EVENTS_SHEET)
            if column.kind == "date":
                value = value[0] if value else None
            values[column.name] = value
        code = values.pop("code", None)
        agency_code = values.pop("agency", "") or ""
        rank_code = values.pop("rank", "") or ""
        values["agency"] = values["rank"] = None
        if agency_code:
            values["agency"] = agencies.get(agency_code)
            if values["agency"] is None:
                report.add(
                    number,
                    f"{EVENTS_SHEET}: Mã cơ quan",
                    _("No agency has the code %(code)s.") % {"code": agency_code},
                )
        if rank_code:
            values["rank"] = ranks.get(rank_code)
            if values["rank"] is None:
                report.add(
                    number,
                    f"{EVENTS_SHEET}: Mã ngạch",
                    _("No rank has the code %(code)s.") % {"code": rank_code},
                )
        reason = values.get("reason") or ""
        kind = values.get("kind")
        if reason and kind in EVENT_REASONS:
            values["reason"] = _lookup(EVENT_REASONS[kind]).get(
                normalize_search_text(reason), reason
            )
        if code and len(report.errors) == errors:
            found[code].append((number, values))
    return found


def _field_errors(report, number: int, title: str, layout: list[Col], exc: ValidationError):
    headers = {c.name: c.header for c in layout}
    headers.update({"decision_number": "Số quyết định", "decision_signed_on": "Ngày ký"})
    for name, messages in exc.message_dict.items():
        header = headers.get(name, "-")
        for message in messages:
            report.add(number, f"{title}: {header}", message)


def _event_input(values: dict) -> services.EventInput:
    data = {name: values.get(name) for name in services.EVENT_FIELDS}
    for name in ("decision_issuer", "document_ref", "employment_kind", "position", "salary_group"):
        data[name] = data[name] or ""
    data["reason"] = data["reason"] or ""
    data["detail"] = data["detail"] or ""
    return services.EventInput(**data)


def _same(existing: CareerEvent, data: services.EventInput) -> bool:
    return (
        existing.kind == data.kind
        and existing.effective_on == data.effective_on
        and existing.decision.number == data.decision_number.strip()
    )


def import_workbook(data: bytes, *, actor, filename: str = "import.xlsx") -> ImportResult:
    """Checks the whole file, then saves all of it in one transaction, or nothing."""
    report = ImportReport()
    result = ImportResult(report)
    try:
        book, people_sheet, events_sheet = _open(data)
    except SpreadsheetError as exc:
        report.add(1, "-", str(exc))
        return result
    scope = Scope(actor) if actor is not None else None
    reader = Reader(report)
    agencies = {a.code: a for a in Agency.objects.all()}
    ranks = {r.code: r for r in Rank.objects.all()}
    people, bad = _read_people(reader, people_sheet, report)
    events = _read_events(reader, events_sheet, report, agencies, ranks)
    book.close()
    for code in bad:
        events.pop(code, None)
    plan = _plan(people, events, report, scope)
    if not report.ok:
        return result
    return _save(plan, result, data=data, filename=filename, actor=actor)


@dataclass
class PersonPlan:
    person: CivilServant
    is_new: bool
    changed: bool
    new_events: list[tuple[CareerEvent, services.EventInput]]
    all_events: list[CareerEvent]


def _plan(people, events, report, scope) -> list[PersonPlan]:
    codes = set(people) | set(events)
    existing = {p.code: p for p in CivilServant.objects.filter(code__in=codes)}
    stored = defaultdict(list)
    for event in CareerEvent.objects.filter(person__code__in=codes).select_related(
        "decision", "person"
    ):
        stored[event.person.code].append(event)
    current_agency = dict(
        CurrentState.objects.filter(person__code__in=codes).values_list("person__code", "agency_id")
    )
    citizen_ids = defaultdict(list)
    for code, (number, values) in people.items():
        if values.get("citizen_id"):
            citizen_ids[values["citizen_id"]].append((code, number))
    taken = dict(
        CivilServant.objects.filter(citizen_id__in=list(citizen_ids)).values_list(
            "citizen_id", "code"
        )
    )
    for citizen_id, rows in citizen_ids.items():
        for _code, number in rows[1:]:
            report.add(number, f"{PEOPLE_SHEET}: Số CCCD", _("This number is on an earlier row."))
        if citizen_id in taken and taken[citizen_id] != rows[0][0]:
            report.add(
                rows[0][1],
                f"{PEOPLE_SHEET}: Số CCCD",
                _("Another record already has this citizen ID number."),
            )
    decisions = {}
    plans = []
    for code in sorted(codes):
        number, values = people.get(code, (None, None))
        person = existing.get(code)
        is_new = person is None
        if is_new and values is None:
            report.add(
                events[code][0][0],
                f"{EVENTS_SHEET}: Số hiệu",
                _("No record has the number %(code)s, and the people sheet does not add it.")
                % {"code": code},
            )
            continue
        if scope is not None and not is_new and not scope.covers(current_agency.get(code)):
            report.add(
                number or events[code][0][0],
                f"{PEOPLE_SHEET if number else EVENTS_SHEET}: Số hiệu",
                _("Record %(code)s is not in an agency you cover.") % {"code": code},
            )
            continue
        changed = False
        if values is not None:
            person = person or CivilServant(code=code)
            for name, value in values.items():
                if value is None and name not in ("date_of_birth", "sex", "full_name"):
                    value = None if CivilServant._meta.get_field(name).null else ""
                if getattr(person, name) != value:
                    setattr(person, name, value)
                    changed = True
            try:
                _check_person(person)
            except ValidationError as exc:
                _field_errors(report, number, PEOPLE_SHEET, PEOPLE, exc)
                continue
        plan = PersonPlan(person, is_new, changed and not is_new, [], list(stored.get(code, [])))
        if not _plan_events(plan, events.get(code, []), report, scope, decisions):
            continue
        if is_new and not plan.new_events:
            report.add(
                number,
                f"{PEOPLE_SHEET}: Số hiệu",
                _("A new record needs its recruitment on the events sheet."),
            )
            continue
        plans.append(plan)
    return plans


def _check_person(person: CivilServant) -> None:
    if person.citizen_id:
        try:
            services.validate_citizen_id(person.citizen_id, person.date_of_birth)
        except ValidationError as exc:
            raise ValidationError({"citizen_id": exc.messages}) from exc
    try:
        person.full_clean(
            exclude=["code", "user"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def _plan_events(plan: PersonPlan, rows, report, scope, decisions) -> bool:
    for number, values in rows:
        data = _event_input(values)
        if any(_same(e, data) for e in plan.all_events):
            continue
        key = (data.decision_number.strip(), data.decision_signed_on)
        signer = decisions.setdefault(key, data.decision_signer.strip())
        try:
            if signer != data.decision_signer.strip():
                raise ValidationError(
                    {
                        "decision_signer": _(
                            "The same decision has another signer on an earlier row."
                        )
                    }
                )
            services.check_event(plan.person, data, plan.all_events)
        except ValidationError as exc:
            _field_errors(report, number, EVENTS_SHEET, EVENTS, exc)
            return False  # the person's later rows depend on this one
        if scope is not None and data.agency is not None and not scope.covers(data.agency.pk):
            report.add(
                number,
                f"{EVENTS_SHEET}: Mã cơ quan",
                _("You are not a personnel officer of this agency."),
            )
            return False
        event = CareerEvent(
            kind=data.kind,
            effective_on=data.effective_on,
            ends_on=data.ends_on,
            agency=data.agency,
            employment_kind=data.employment_kind,
            position=data.position.strip(),
            position_allowance=data.position_allowance,
            rank=data.rank,
            salary_group=data.salary_group,
            step=data.step,
            coefficient=data.coefficient,
            counted_from=data.counted_from,
            seniority_percent=data.seniority_percent,
            reason=data.reason,
            detail=data.detail.strip(),
        )
        plan.all_events.append(event)
        plan.new_events.append((event, data))
    if scope is not None and plan.new_events:
        final = state.derive(plan.all_events, timezone.localdate())
        if not scope.covers(final.agency_id):
            report.add(
                rows[-1][0],
                f"{EVENTS_SHEET}: Mã cơ quan",
                _("You are not a personnel officer of this agency."),
            )
            return False
    return True


def _save(plans: list[PersonPlan], result: ImportResult, *, data, filename, actor) -> ImportResult:
    today = timezone.localdate()
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        batch = ImportBatch(
            filename=filename[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            imported_by=user,
        )
        files.save(batch.file, filename[:100] or "import.xlsx", data)
        batch.save()
        new_people = [p.person for p in plans if p.is_new]
        CivilServant.objects.bulk_create([_with_search(p) for p in new_people], batch_size=1000)
        updated = [p.person for p in plans if p.changed]
        if updated:
            CivilServant.objects.bulk_update(
                [_with_search(p) for p in updated],
                [*services.RECORD_FIELDS, "name_search"],
                batch_size=500,
            )
        decisions = _decisions(plans)
        new_events = []
        for plan in plans:
            for event, data_in in plan.new_events:
                event.person = plan.person
                event.decision = decisions[
                    (data_in.decision_number.strip(), data_in.decision_signed_on)
                ]
                event.recorded_by = user
                event.import_batch = batch
                new_events.append(event)
        CareerEvent.objects.bulk_create(new_events, batch_size=2000)
        touched = [p for p in plans if p.new_events or p.is_new or p.changed]
        replaced = CurrentState.objects.filter(
            person__in=[p.person for p in touched if not p.is_new]
        )
        before = set(replaced.values_list("agency_id", flat=True))
        replaced.delete()
        states = CurrentState.objects.bulk_create(
            [state.stored(p.person, state.derive(p.all_events, today)) for p in touched],
            batch_size=1000,
        )
        staffing_counts.mark_stale(before | {s.agency_id for s in states})
        batch.people_created = len(new_people)
        batch.people_updated = len(updated)
        batch.events_created = len(new_events)
        batch.save(update_fields=["people_created", "people_updated", "events_created"])
        audit.record(
            actor=actor,
            action="personnel.imported",
            obj=batch,
            object_repr=filename[:300],
            agency_id=getattr(actor, "agency_id", None),
            after={
                "sha256": batch.sha256,
                "people_created": batch.people_created,
                "people_updated": batch.people_updated,
                "events_created": batch.events_created,
            },
        )
    result.batch = batch
    result.people_created = batch.people_created
    result.people_updated = batch.people_updated
    result.events_created = batch.events_created
    return result


def _with_search(person: CivilServant) -> CivilServant:
    person.name_search = normalize_search_text(person.full_name)
    return person


def _decisions(plans) -> dict:
    wanted = {}
    for plan in plans:
        for _event, data in plan.new_events:
            key = (data.decision_number.strip(), data.decision_signed_on)
            wanted.setdefault(key, data)
    found = {}
    numbers = {number for number, _day in wanted}
    for decision in Decision.objects.filter(number__in=numbers):
        found[(decision.number, decision.signed_on)] = decision
    documents = references.find_documents(key for key in wanted if key not in found)
    missing = [
        Decision(
            number=key[0],
            signed_on=key[1],
            signer=data.decision_signer.strip(),
            issuer=data.decision_issuer.strip(),
            document_ref=data.document_ref.strip(),
            document_id=getattr(
                documents.get((references.normalize(key[0]), key[1])), "public_id", None
            ),
        )
        for key, data in wanted.items()
        if key not in found
    ]
    Decision.objects.bulk_create(missing, batch_size=1000)
    if missing and missing[0].pk is None:  # a backend that does not return the keys
        for decision in Decision.objects.filter(number__in=numbers):
            found[(decision.number, decision.signed_on)] = decision
    for decision in missing:
        found.setdefault((decision.number, decision.signed_on), decision)
    return found


# --- Writing ------------------------------------------------------------------------------------


def _cell(value, column: Col, labels):
    if value is None or value == "":
        return None
    if column.kind == "choice":
        return labels[column.choices].get(value, value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def export_workbook(people, *, actor, what: str = "") -> bytes:
    """The people given (a queryset in the caller's scope) and their events, in the layout the
    import reads. The export is recorded in the audit trail, with its size."""
    labels = {c.choices: _vietnamese(c.choices) for c in [*PEOPLE, *EVENTS] if c.choices}
    book = Workbook(write_only=True)
    people_sheet = book.create_sheet(PEOPLE_SHEET)
    events_sheet = book.create_sheet(EVENTS_SHEET)
    for sheet, layout in ((people_sheet, PEOPLE), (events_sheet, EVENTS)):
        sheet.append([_styled(sheet, c.header, font=BOLD) for c in layout])
    count = 0
    ids = list(people.order_by("code").values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        for person in CivilServant.objects.filter(pk__in=chunk).order_by("code"):
            row = []
            for column in PEOPLE:
                value = getattr(person, column.name)
                if column.kind == "birth" and person.birth_year_only:
                    value = str(value.year)
                row.append(_cell(value, column, labels))
            people_sheet.append([_dated(people_sheet, v) for v in row])
            count += 1
        events = (
            CareerEvent.objects.filter(person_id__in=chunk, voided_at__isnull=True)
            .select_related("person", "decision", "agency", "rank")
            .order_by("person__code", "effective_on", "pk")
        )
        for event in events:
            events_sheet.append([_dated(events_sheet, v) for v in _event_row(event, labels)])
    out = io.BytesIO()
    book.save(out)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="personnel.exported",
            object_type="personnel.civilservant",
            object_repr=what[:300],
            agency_id=getattr(actor, "agency_id", None),
            after={"people": count},
        )
    return out.getvalue()


BOLD = Font(bold=True)


def _styled(sheet, value, *, font=None, number_format=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _dated(sheet, value):
    """Dates as date cells shown dd/mm/yyyy; the rest as they are."""
    if isinstance(value, datetime.date):
        return _styled(sheet, value, number_format=DATE_FORMAT)
    return value


def _reason_words(event: CareerEvent) -> str:
    choices = EVENT_REASONS.get(event.kind)
    if not event.reason or choices is None:
        return event.reason
    return _vietnamese(choices).get(event.reason, event.reason)


def _event_row(event: CareerEvent, labels) -> list:
    values = {
        "code": event.person.code,
        "kind": event.kind,
        "effective_on": event.effective_on,
        "ends_on": event.ends_on,
        "decision_number": event.decision.number,
        "decision_signed_on": event.decision.signed_on,
        "decision_signer": event.decision.signer,
        "decision_issuer": event.decision.issuer,
        "document_ref": event.decision.document_ref,
        "agency": event.agency.code if event.agency_id else None,
        "employment_kind": event.employment_kind,
        "position": event.position,
        "position_allowance": event.position_allowance,
        "rank": event.rank.code if event.rank_id else None,
        "salary_group": event.salary_group,
        "step": event.step,
        "coefficient": event.coefficient,
        "counted_from": event.counted_from,
        "seniority_percent": event.seniority_percent,
        "reason": _reason_words(event),
        "detail": event.detail,
    }
    return [_cell(values[c.name], c, labels) for c in EVENTS]


def template_workbook() -> bytes:
    """An empty workbook with both sheets' headers, to fill in."""
    book = Workbook()
    book.remove(book.active)
    for title, layout in ((PEOPLE_SHEET, PEOPLE), (EVENTS_SHEET, EVENTS)):
        sheet = book.create_sheet(title)
        sheet.append([c.header for c in layout])
        for cell in sheet[1]:
            cell.font = BOLD
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
