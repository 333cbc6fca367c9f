"""The dossier generator: N dossiers with their whole history, as PostgreSQL COPY text.

Each dossier is planned from its submission to its end (received, handed from step to step of
its procedure version's workflow, supplements, send-backs, refusals, withdrawals, apology
letters, result, return) with the step durations drawn around each step's share of the time
limit, and the plan is played up to "now": what happened before now is written, the rest is
the dossier's open state (its current step, agency, role, assignee and step deadline, with one
open processing control sheet row), exactly as the services in `egov.dossiers` leave it.

The generator only writes text rows; `bench/generate.py` sends them with COPY. It is also run by
tests/bench at a tiny size against the test database, which checks the result's consistency.
"""

import dataclasses
import datetime
import itertools
import json
import random
import uuid
from collections import defaultdict
from functools import lru_cache

from bench.worktime import DAY_SECONDS, LOCAL_OFFSET, WorkTime, day_number, to_date

from egov.core.text import normalize_search_text

HOUR = 3600
TABLES = {
    "dossiers_dossier": (
        "id, public_id, province_code, code, channel, status, form_data, result_delivery, "
        "delivery_address, idempotency_key, submitted_at, due_at, created_at, updated_at, "
        "revision, applicant_id, procedure_id, procedure_version_id, receiving_agency_id, "
        "received_at, applicant_name, applicant_search, assignee_id, current_agency_id, "
        "current_role, current_step_id, decided_at, deciding_agency_id, late_warning_at, "
        "paused_at, returned_at, step_due_at, visible_agencies"
    ),
    "dossiers_dossierevent": "id, province_code, at, status, note, dossier_id",
    "dossiers_dossierstep": (
        "id, province_code, role, started_at, due_at, finished_at, outcome, note, agency_id, "
        "assignee_id, dossier_id, finished_by_id, step_id"
    ),
    "dossiers_supplementrequest": (
        "id, province_code, items, note, requested_at, answered_at, dossier_id, "
        "requested_by_id, during_step_id"
    ),
    "dossiers_apologyletter": (
        "id, province_code, reason, previous_due_at, new_due_at, issued_at, dossier_id, "
        "issued_by_id"
    ),
    "dossiers_attachment": (
        "id, province_code, kind, file, original_name, extension, mime, size, sha256, "
        "uploaded_at, requirement_id, dossier_id"
    ),
}
SEQUENCE_TABLE = "dossiers_dailysequence"


def agency_set(d) -> str:
    """COPY's array of the agencies that may open the dossier (Dossier.visible_agencies): the
    receiving one, the deciding one once received, and every agency it has been at."""
    agencies = {d["receiving"], *d["visited"]}
    if d["received"]:
        agencies.add(d["deciding"])
    return "{" + ",".join(map(str, sorted(agencies))) + "}"


SEQUENCE_COLUMNS = "id, day, last, agency_id"

# How often things happen (shares of dossiers); tuned to look like a city's one-stop desks.
CHANNELS = (("online", 0.55), ("desk", 0.40), ("post", 0.05))
DRAFT_SHARE = 0.03
DESK_SUPPLEMENT = 0.05
DESK_SUPPLEMENT_UNANSWERED = 0.12
DESK_REFUSAL = 0.015
PROCESS_SUPPLEMENT = 0.04
PROCESS_SUPPLEMENT_UNANSWERED = 0.08
PROCESS_REFUSAL = 0.02
SEND_BACK = 0.03
WITHDRAWAL = 0.01
LATE_STEP = 0.06
STUCK_STEP = 0.004
APOLOGY_WHEN_LATE = 0.5
PAUSED_WHEN_OPEN = 0.03
OFF_DAY_WEIGHT = 0.08  # online submissions on weekends and holidays, relative to a working day

MISSING_ITEMS = [
    "Bản sao Giấy khai sinh có chứng thực",
    "Ảnh chụp Căn cước công dân còn rõ nét",
    "Tờ khai ký đầy đủ",
    "Giấy xác nhận nơi cư trú",
    "Bản vẽ có chữ ký của chủ đầu tư",
    "Biên lai nộp lệ phí",
]
REFUSALS = [
    "Hồ sơ không thuộc thẩm quyền giải quyết",
    "Người nộp không đủ điều kiện theo quy định",
    "Thông tin kê khai không đúng với cơ sở dữ liệu quốc gia về dân cư",
]
WITHDRAWALS = ["Tôi nộp nhầm thủ tục", "Không còn nhu cầu", "Sẽ nộp lại hồ sơ đầy đủ hơn"]
APOLOGY_REASONS = [
    "Cần xác minh thêm thông tin với cơ quan liên quan",
    "Số lượng hồ sơ tăng đột biến trong kỳ",
    "Hệ thống cơ sở dữ liệu chuyên ngành gián đoạn",
]
PAUSE_REASONS = ["Chờ kết quả xác minh của cơ quan khác", "Người nộp xin lùi ngày thẩm định"]
STREETS = ["Nguyễn Văn Cừ", "Trần Hưng Đạo", "30 Tháng 4", "Mậu Thân", "Cách Mạng Tháng 8"]
FAKE_SHA = "0" * 64
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def text(value: str) -> str:
    if "\\" in value or not value.isprintable():
        return value.translate(_ESCAPE)
    return value


@lru_cache(maxsize=200_000)
def searchable(name: str) -> str:
    return normalize_search_text(name)[:200]


@dataclasses.dataclass
class Step:
    id: int
    position: int
    code: str
    name: str
    action: str
    role: str
    agency_role: str
    agency_id: int | None
    hours: float  # its share of the time limit, in working hours
    send_back_to: int | None = None  # index in the version's steps
    may_supplement: bool = False
    may_refuse: bool = False
    may_pause: bool = False


@dataclasses.dataclass
class Version:
    id: int
    procedure_id: int
    level: str
    online_mode: str
    deciding_agency_id: int | None
    receiving_agency_id: int | None  # None: the applicant's commune People's Committee
    limit_hours: float
    steps: list
    requirements: list  # ids of mandatory requirements
    weight: float


@dataclasses.dataclass
class Agency:
    id: int
    code: str
    valid_from: int | None  # local day numbers
    valid_to: int | None


@dataclasses.dataclass
class City:
    """What the generator needs from the database: agencies, catalogue, people."""

    province: str
    agencies: dict  # id -> Agency
    communes: list  # Agency of commune People's Committees (with their validity)
    versions: list
    staff: dict  # (agency_id, role) -> [user ids]
    citizens: list  # (user id, full name, citizen id, phone)
    notes: dict  # the platform's own wording of history notes, in Vietnamese

    def people(self, agency_id: int, role: str) -> list:
        return self.staff.get((agency_id, role)) or self.staff[(None, role)]


def load_city(province: str, *, citizens_limit: int | None = None) -> City:
    """Reads the city from the database through the ORM (small tables only)."""
    from django.utils import translation

    from egov.accounts.models import RoleAssignment, User
    from egov.catalog.models import WorkflowTransition
    from egov.catalog.search import current_versions
    from egov.organizations.models import Agency as AgencyModel

    def number(day):
        return day_number(day) if day else None

    agencies = {
        a.pk: Agency(a.pk, a.code, number(a.valid_from), number(a.valid_to))
        for a in AgencyModel.objects.all()
    }
    communes = [
        agencies[pk]
        # Every People's Committee below the city: the former districts until the 2025 reform,
        # the communes and wards since.
        for pk in AgencyModel.objects.filter(
            kind=AgencyModel.Kind.PEOPLES_COMMITTEE, parent__isnull=False
        )
        .order_by("code")
        .values_list("pk", flat=True)
    ]
    versions = []
    for v in current_versions().prefetch_related("workflow_steps", "receiving_agencies"):
        steps = list(v.workflow_steps.order_by("position"))
        if not steps or steps[0].action != "receive" or steps[-1].action != "return":
            continue
        per_unit = 1 if v.time_unit == "working_hours" else 8
        index = {s.pk: i for i, s in enumerate(steps)}
        rows = [
            Step(s.pk, s.position, s.code, s.name, s.action, s.role, s.agency_role,
                 s.agency_id, float(s.duration) * per_unit)
            for s in steps
        ]  # fmt: skip
        for t in WorkflowTransition.objects.filter(version=v):
            step = rows[index[t.source_id]]
            if t.kind == "send_back" and t.target_id in index:
                step.send_back_to = index[t.target_id]
            step.may_supplement |= t.kind == "supplement"
            step.may_refuse |= t.kind == "refuse"
            step.may_pause |= t.kind == "pause"
        receiving = v.receiving_agencies.order_by("code").first()
        commune = v.level == "commune" and v.deciding_agency_id is None
        versions.append(
            Version(
                id=v.pk,
                procedure_id=v.procedure_id,
                level=v.level,
                online_mode=v.online_mode,
                deciding_agency_id=v.deciding_agency_id,
                receiving_agency_id=None
                if commune
                else (receiving.pk if receiving else v.deciding_agency_id),
                limit_hours=float(v.time_limit) * per_unit,
                steps=rows,
                requirements=list(
                    v.requirements.filter(mandatory=True).values_list("pk", flat=True)[:2]
                ),
                weight=(4.0 if commune else 1.0) * (2.0 if v.online_mode == "none" else 1.0),
            )
        )
    if not any(v.receiving_agency_id is None for v in versions) or not communes:
        versions = [v for v in versions if v.receiving_agency_id is not None]
    staff = defaultdict(list)
    for user_id, role, agency_id in RoleAssignment.objects.filter(
        user__kind=User.Kind.STAFF, include_subtree=False
    ).values_list("user_id", "role", "agency_id"):
        staff[(agency_id, role)].append(user_id)
        staff[(None, role)].append(user_id)
    people = User.objects.filter(kind=User.Kind.CITIZEN).order_by("pk")
    if citizens_limit:
        people = people[:citizens_limit]
    with translation.override("vi"):
        from django.utils.translation import gettext as _

        notes = {
            "received": _("Received by the one-stop desk."),
            "now_at": _("Now at: %(step)s."),
            "sent_back": _("Sent back to: %(step)s."),
            "supplement": _("Supplement requested: %(items)s"),
            "supplement_sent": _("Supplement sent."),
            "returned": _("Result returned."),
            "apology": _("Apology letter sent; new appointment %(date)s."),
        }
    return City(
        province=province,
        agencies=agencies,
        communes=communes,
        versions=versions,
        staff=dict(staff),
        citizens=list(people.values_list("pk", "full_name", "citizen_id", "phone")),
        notes=notes,
    )


class Clock:
    """Formats local seconds as PostgreSQL timestamptz text, from tables of days and times."""

    TIMES = [
        f" {h:02d}:{m:02d}:{s:02d}+07" for h in range(24) for m in range(60) for s in range(60)
    ]

    def __init__(self):
        self.days = {}

    def __call__(self, moment: int | None) -> str:
        if moment is None:
            return "\\N"
        number = moment // DAY_SECONDS
        day = self.days.get(number)
        if day is None:
            day = self.days[number] = to_date(number).isoformat()
        return day + self.TIMES[moment - number * DAY_SECONDS]


@dataclasses.dataclass
class Ids:
    dossier: int = 1
    event: int = 1
    step: int = 1
    supplement: int = 1
    apology: int = 1
    attachment: int = 1
    sequence: int = 1


class DossierGenerator:
    def __init__(self, city: City, worktime: WorkTime, *, seed: int, start: int, now: int,
                 ids: Ids, attachment_rows: bool = True):  # fmt: skip
        self.city = city
        self.attachment_rows = attachment_rows
        self.wt = worktime
        self.rng = random.Random(seed)
        self.start = start
        self.now = now
        self.ids = ids
        self.clock = Clock()
        self.sequences = defaultdict(int)  # (agency id, local day) -> last number
        self.counts = defaultdict(int)
        self.communes_on = {}
        self.actions = {
            name[3:]: getattr(self, name) for name in dir(self) if name.startswith("on_")
        }
        self.rows = {table: [] for table in TABLES}
        versions = city.versions
        self.versions = versions
        self.version_cumulative = list(itertools.accumulate(v.weight for v in versions))
        self.versions_online = [v for v in versions if v.online_mode != "none"]
        self.online_cumulative = list(itertools.accumulate(v.weight for v in self.versions_online))

    # -- the calendar of submissions -----------------------------------------------------

    def days(self, total: int):
        """(day number, how many dossiers) for every day from start to now, N in all."""
        first, last = self.start // DAY_SECONDS, self.now // DAY_SECONDS
        weights = [
            1.0 if self.wt.is_working_day(d) else OFF_DAY_WEIGHT for d in range(first, last + 1)
        ]
        scale = total / sum(weights)
        given, carry = 0, 0.0
        for offset, weight in enumerate(weights):
            carry += weight * scale
            count = int(carry)
            carry -= count
            if offset == len(weights) - 1:
                count = total - given
            given += count
            yield first + offset, count

    def moments(self, number: int, count: int):
        """Submission moments of one day, in order, each with its channel."""
        rng = self.rng
        working = self.wt.is_working_day(number)
        base = number * DAY_SECONDS
        result = []
        for _ in range(count):
            channel = "online"
            if working:
                pick = rng.random()
                channel = "online" if pick < 0.55 else ("desk" if pick < 0.95 else "post")
            if channel == "online":
                second = rng.randint(6 * HOUR, 23 * HOUR)
            else:
                second = rng.choice(((7 * HOUR, 11 * HOUR + 1800), (13 * HOUR + 1800, 17 * HOUR)))
                second = rng.randint(*second)
            if base + second > self.now:  # today: only what was submitted until now
                second = rng.randint(0, self.now - base)
            result.append((base + second, channel))
        result.sort()
        return result

    # -- one dossier -----------------------------------------------------------------------

    def receiving_agency(self, version: Version, moment: int) -> int | None:
        if version.receiving_agency_id is not None:
            return version.receiving_agency_id
        day = moment // DAY_SECONDS
        candidates = self.communes_on.get(day)
        if candidates is None:
            candidates = self.communes_on[day] = [
                a.id
                for a in self.city.communes
                if (a.valid_from is None or a.valid_from <= day)
                and (a.valid_to is None or day <= a.valid_to)
            ]
        return self.rng.choice(candidates) if candidates else None

    def acting_agency(self, d, step: Step) -> int:
        if step.action in ("receive", "return") or step.agency_role == "receiving":
            return d["receiving"]
        if step.agency_role == "other" and step.agency_id:
            return step.agency_id
        return d["deciding"]

    def generate(self, total: int, batch: int, sink) -> None:
        """Generates ``total`` dossiers in time order, handing ``sink`` a batch at a time."""
        pending = 0
        for number, count in self.days(total):
            for moment, channel in self.moments(number, count):
                self.dossier(moment, channel)
                pending += 1
                if pending >= batch:
                    sink(self.take())
                    pending = 0
        if pending:
            sink(self.take())

    def take(self) -> dict:
        rows, self.rows = self.rows, {table: [] for table in TABLES}
        return rows

    def sequence_rows(self) -> list[str]:
        rows = []
        for (agency, number), last in sorted(self.sequences.items()):
            rows.append(f"{self.ids.sequence}\t{to_date(number).isoformat()}\t{last}\t{agency}\n")
            self.ids.sequence += 1
        return rows

    def dossier(self, submitted: int, channel: str) -> None:
        rng = self.rng
        online = channel == "online"
        pool, cumulative = (
            (self.versions_online, self.online_cumulative)
            if online
            else (self.versions, self.version_cumulative)
        )
        version = rng.choices(pool, cum_weights=cumulative)[0]
        receiving = self.receiving_agency(version, submitted)
        if receiving is None:
            return
        person = rng.choice(self.city.citizens)
        dossier_id = self.ids.dossier
        self.ids.dossier += 1
        d = {
            "id": dossier_id,
            "public_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "version": version,
            "channel": channel,
            "receiving": receiving,
            "deciding": version.deciding_agency_id or receiving,
            "person": person,
            "status": "draft",
            "submitted": None,
            "received": None,
            "due": None,
            "created": submitted - rng.randint(120, 3600) if online else submitted,
            "updated": submitted,
            "revision": 0,
            "code": None,
            "current": None,  # index of the current step in version.steps
            "current_agency": None,
            "assignee": None,
            "step_due": None,
            "open_row": None,
            "decided": None,
            "returned": None,
            "paused": None,
            "visited": set(),
        }
        if online and rng.random() < DRAFT_SHARE:
            self.counts["draft"] += 1
            self.write_dossier(d)
            return
        if online:
            for position, requirement in enumerate(version.requirements):
                self.attachment(d, "submission", d["created"] + 60 * (position + 1), requirement)
        for moment, action, argument in self.plan(d, submitted):
            if moment > self.now:
                break
            self.actions[action](d, moment, argument)
            d["updated"] = max(d["updated"], moment)
            d["revision"] += 1
        self.settle(d)
        self.counts[d["status"]] += 1
        self.write_dossier(d)

    def plan(self, d, submitted: int) -> list:
        """Everything that will happen to the dossier, in time order (played up to now)."""
        rng, wt, version = self.rng, self.wt, d["version"]
        plan = [(submitted, "submit", None)]
        received = submitted
        if d["channel"] == "online":
            received = wt.add(submitted, rng.uniform(0.2, 6))
            if rng.random() < DESK_SUPPLEMENT:
                plan.append((received, "desk_supplement", None))
                if rng.random() < DESK_SUPPLEMENT_UNANSWERED:
                    return plan
                answered = received + rng.randint(3 * HOUR, 72 * HOUR)
                plan.append((answered, "desk_answer", None))
                received = wt.add(answered, rng.uniform(0.2, 4))
            if rng.random() < DESK_REFUSAL:
                plan.append((received, "desk_refuse", None))
                return plan
        plan.append((received, "receive", None))
        due = wt.add(received, version.limit_hours)
        steps = version.steps
        moment = received
        if d["channel"] != "online":
            moment = wt.add(received, rng.uniform(0.3, 6))
            plan.append((moment, "advance", 1))
        index, sent_back, result_at = 1, False, None
        while index < len(steps):
            step = steps[index]
            hours = step.hours or max(0.5, (wt.offset(due) - wt.offset(moment)) / HOUR)
            draw = rng.random()
            if draw < STUCK_STEP:
                factor = rng.uniform(3, 12)
            elif draw < STUCK_STEP + LATE_STEP:
                factor = rng.uniform(1.0, 2.5)
            else:
                factor = rng.uniform(0.05, 0.95)
            finished = wt.add(moment, max(0.05, hours * factor))
            if step.action == "return":
                plan.append((finished, "return", None))
                break
            if step.may_supplement and rng.random() < PROCESS_SUPPLEMENT:
                asked = wt.add(moment, max(0.05, hours * factor * rng.uniform(0.1, 0.8)))
                plan.append((asked, "supplement", index))
                if rng.random() < PROCESS_SUPPLEMENT_UNANSWERED:
                    break
                moment = asked + rng.randint(6 * HOUR, 10 * DAY_SECONDS)
                due = wt.add(moment, version.limit_hours)
                plan.append((moment, "answer", index))
                continue
            if step.may_refuse and rng.random() < PROCESS_REFUSAL:
                plan.append((finished, "refuse", index))
                break
            if step.send_back_to is not None and not sent_back and rng.random() < SEND_BACK:
                sent_back = True
                plan.append((finished, "send_back", step.send_back_to))
                moment, index = finished, step.send_back_to
                continue
            plan.append((finished, "advance", index + 1))
            if steps[index + 1].action == "return":
                result_at = finished
            moment, index = finished, index + 1
        if rng.random() < WITHDRAWAL:
            before_result = [
                i
                for i in range(1, len(plan))
                if plan[i][1] not in ("return", "desk_refuse", "refuse")
                and (result_at is None or plan[i][0] < result_at)
            ]
            if before_result:
                cut = rng.choice(before_result)
                plan = [*plan[:cut], (plan[cut][0], "withdraw", None)]
        if result_at is not None and result_at > due and rng.random() < APOLOGY_WHEN_LATE:
            issued = due - DAY_SECONDS - rng.randint(0, 2 * DAY_SECONDS)
            if issued > received:
                plan.append((issued, "apology", wt.add(result_at, 8)))
                plan.sort(key=lambda item: item[0])
        return plan

    # -- the actions, as the services record them ----------------------------------------

    def event(self, d, moment: int, status: str, note: str = "") -> None:
        self.rows["dossiers_dossierevent"].append(
            f"{self.ids.event}\t{self.city.province}\t{self.clock(moment)}\t{status}\t"
            f"{text(note[:500])}\t{d['id']}\n"
        )
        self.ids.event += 1

    def attachment(self, d, kind: str, moment: int, requirement=None) -> None:
        number = self.ids.attachment
        self.ids.attachment += 1
        # Drawn either way, so that leaving the rows out changes nothing else for a seed.
        size = self.rng.randint(20_000, 900_000)
        if not self.attachment_rows:
            return
        name = {"submission": "to-khai.pdf", "receipt": "01.pdf", "result": "ket-qua.pdf"}.get(
            kind, "mau.pdf"
        )
        self.rows["dossiers_attachment"].append(
            f"{number}\t{self.city.province}\t{kind}\tdossiers/{d['public_id']}/{number}.pdf\t"
            f"{name}\tpdf\tapplication/pdf\t{size}\t{FAKE_SHA}\t"
            f"{self.clock(moment)}\t{requirement if requirement else chr(92) + 'N'}\t{d['id']}\n"
        )

    def open_step(self, d, index: int, moment: int, assignee=None) -> None:
        step = d["version"].steps[index]
        agency = self.acting_agency(d, step)
        # A step with no share of its own must be done by the dossier's appointment.
        due = self.wt.add(moment, step.hours) if step.hours else max(d["due"] or moment, moment)
        d.update(current=index, current_agency=agency, assignee=assignee, step_due=due)
        d["visited"].add(agency)
        d["open_row"] = [self.ids.step, step, agency, assignee, moment, due]
        self.ids.step += 1

    def finish_step(self, d, moment: int, outcome: str, note: str = "", actor=None) -> None:
        row = d["open_row"]
        if row is None:
            return
        number, step, agency, assignee, started, due = row
        if actor is None:
            actor = assignee or self.rng.choice(self.city.people(agency, step.role))
        self.rows["dossiers_dossierstep"].append(
            f"{number}\t{self.city.province}\t{step.role}\t{self.clock(started)}\t"
            f"{self.clock(due)}\t{self.clock(moment)}\t{outcome}\t{text(note[:1000])}\t{agency}\t"
            f"{assignee or chr(92) + 'N'}\t{d['id']}\t{actor}\t{step.id}\n"
        )
        d["open_row"] = None

    def clear_position(self, d) -> None:
        d.update(current=None, current_agency=None, assignee=None, step_due=None)

    def desk_officer(self, d) -> int:
        return self.rng.choice(self.city.people(d["receiving"], "desk_officer"))

    def on_submit(self, d, moment, _):
        number = moment // DAY_SECONDS
        key = (d["receiving"], number)
        self.sequences[key] += 1
        day = to_date(number)
        code = self.city.agencies[d["receiving"]].code
        d["code"] = f"{code}-{day:%y%m%d}-{self.sequences[key]:04d}"
        d["submitted"] = moment
        d["status"] = "submitted"
        if d["channel"] == "online":
            self.event(d, moment, "submitted")
        else:
            for position, requirement in enumerate(d["version"].requirements):
                self.attachment(d, "submission", moment + position, requirement)

    def supplement_row(self, d, moment, during_step, answered=None) -> None:
        items = self.rng.sample(MISSING_ITEMS, self.rng.randint(1, 2))
        d["supplement"] = [
            self.ids.supplement,
            json.dumps(items, ensure_ascii=False),
            moment,
            answered,
            during_step,
            self.desk_officer(d)
            if during_step is None
            else self.rng.choice(self.city.people(d["current_agency"], "specialist")),
        ]
        self.ids.supplement += 1
        self.attachment(d, "form", moment)
        note = self.city.notes["supplement"] % {"items": "; ".join(items)[:400]}
        return note

    def flush_supplement(self, d) -> None:
        request = d.pop("supplement", None)
        if request is None:
            return
        number, items, asked, answered, during, by = request
        self.rows["dossiers_supplementrequest"].append(
            f"{number}\t{self.city.province}\t{text(items)}\t\t{self.clock(asked)}\t"
            f"{self.clock(answered)}\t{d['id']}\t{by}\t{during if during else chr(92) + 'N'}\n"
        )

    def on_desk_supplement(self, d, moment, _):
        note = self.supplement_row(d, moment, None)
        d["status"] = "supplement"
        self.event(d, moment, "supplement", note)

    def on_desk_answer(self, d, moment, _):
        d["supplement"][3] = moment
        self.flush_supplement(d)
        d["status"] = "submitted"
        self.event(d, moment, "submitted", self.city.notes["supplement_sent"])

    def on_desk_refuse(self, d, moment, _):
        d["status"] = "refused"
        self.attachment(d, "form", moment)
        self.event(d, moment, "refused", self.rng.choice(REFUSALS))

    def on_receive(self, d, moment, _):
        version = d["version"]
        officer = self.desk_officer(d)
        d["received"] = moment
        d["due"] = self.wt.add(moment, version.limit_hours)
        d["status"] = "received"
        self.open_step(d, 0, moment, assignee=officer)
        if d["channel"] != "online":
            due = self.wt.transfer_deadline(moment)
            d["open_row"][5] = d["step_due"] = due
        self.attachment(d, "receipt", moment)
        self.event(d, moment, "received", self.city.notes["received"])
        if d["channel"] == "online":
            self.finish_step(d, moment, "next", actor=officer)
            self.open_step(d, 1, moment)
            d["status"] = "in_progress"
            self.event(d, moment, "in_progress", self.now_at(d, 1))

    def now_at(self, d, index: int) -> str:
        return self.city.notes["now_at"] % {"step": d["version"].steps[index].name}

    def assignee_for(self, d, index: int):
        step = d["version"].steps[index]
        if step.role != "specialist":
            return None
        return self.rng.choice(self.city.people(self.acting_agency(d, step), "specialist"))

    def on_advance(self, d, moment, index):
        self.finish_step(d, moment, "next")
        self.open_step(d, index, moment, assignee=self.assignee_for(d, index))
        if d["version"].steps[index].action == "return":
            d["status"] = "result_ready"
            d["decided"] = moment
            self.attachment(d, "result", moment)
        else:
            d["status"] = "in_progress"
        self.event(d, moment, d["status"], self.now_at(d, index))

    def on_send_back(self, d, moment, index):
        note = "Đề nghị rà soát lại dự thảo kết quả"
        self.finish_step(d, moment, "send_back", note)
        self.open_step(d, index, moment, assignee=self.assignee_for(d, index))
        d["status"] = "in_progress"
        step = d["version"].steps[index]
        self.event(d, moment, "in_progress", self.city.notes["sent_back"] % {"step": step.name})

    def on_supplement(self, d, moment, index):
        step = d["version"].steps[index]
        note = self.supplement_row(d, moment, step.id)
        self.finish_step(d, moment, "supplement", note.split(": ", 1)[-1])
        d["status"] = "supplement"
        d["paused"] = moment
        self.event(d, moment, "supplement", note)

    def on_answer(self, d, moment, index):
        d["supplement"][3] = moment
        self.flush_supplement(d)
        d["due"] = self.wt.add(moment, d["version"].limit_hours)
        d["paused"] = None
        d["status"] = "in_progress"
        self.open_step(d, index, moment, assignee=self.assignee_for(d, index))
        self.event(d, moment, "in_progress", self.city.notes["supplement_sent"])

    def on_refuse(self, d, moment, index):
        reason = self.rng.choice(REFUSALS)
        self.finish_step(d, moment, "refuse", reason)
        self.clear_position(d)
        d["status"] = "refused"
        d["decided"] = moment
        self.attachment(d, "result", moment)
        self.event(d, moment, "refused", reason)

    def on_withdraw(self, d, moment, _):
        reason = self.rng.choice(WITHDRAWALS)
        self.finish_step(d, moment, "withdrawn", reason, actor=d["person"][0])
        self.clear_position(d)
        d["paused"] = None
        d["status"] = "withdrawn"
        self.event(d, moment, "withdrawn", reason)

    def on_apology(self, d, moment, new_due):
        if d["status"] not in ("received", "in_progress", "paused") or new_due <= d["due"]:
            return
        deciding = d["deciding"]
        self.rows["dossiers_apologyletter"].append(
            f"{self.ids.apology}\t{self.city.province}\t{self.rng.choice(APOLOGY_REASONS)}\t"
            f"{self.clock(d['due'])}\t{self.clock(new_due)}\t{self.clock(moment)}\t{d['id']}\t"
            f"{self.rng.choice(self.city.people(deciding, 'leader'))}\n"
        )
        self.ids.apology += 1
        d["due"] = new_due
        self.attachment(d, "form", moment)
        date = to_date(new_due // DAY_SECONDS).strftime("%d/%m/%Y")
        self.event(d, moment, d["status"], self.city.notes["apology"] % {"date": date})

    def on_return(self, d, moment, _):
        self.finish_step(d, moment, "returned")
        self.clear_position(d)
        d["status"] = "returned"
        d["returned"] = moment
        self.event(d, moment, "returned", self.city.notes["returned"])

    def settle(self, d) -> None:
        """The state at "now": a processing dossier may be paused; rows still open are written."""
        row = d["open_row"]
        if (
            row is not None
            and d["status"] == "in_progress"
            and row[1].may_pause
            and self.rng.random() < PAUSED_WHEN_OPEN
        ):
            moment = self.rng.randint(row[4], self.now)
            d["status"] = "paused"
            d["paused"] = moment
            d["revision"] += 1
            self.event(d, moment, "paused", self.rng.choice(PAUSE_REASONS))
        if row is not None:
            number, step, agency, assignee, started, due = row
            self.rows["dossiers_dossierstep"].append(
                f"{number}\t{self.city.province}\t{step.role}\t{self.clock(started)}\t"
                f"{self.clock(due)}\t\\N\t\t\t{agency}\t{assignee or chr(92) + 'N'}\t{d['id']}\t"
                f"\\N\t{step.id}\n"
            )
        self.flush_supplement(d)

    def write_dossier(self, d) -> None:
        clock, version = self.clock, d["version"]
        user_id, name, citizen_id, phone = d["person"]
        current = version.steps[d["current"]] if d["current"] is not None else None
        # Names, numbers and streets hold no character that JSON or COPY would escape.
        answers = (
            f'{{"ho_ten": "{name}", "so_dinh_danh": "{citizen_id}", "so_dien_thoai": "{phone}", '
            f'"dia_chi": "{(d["id"] % 300) + 1} {STREETS[d["id"] % len(STREETS)]}"}}'
        )
        none = "\\N"
        self.rows["dossiers_dossier"].append(
            "\t".join(
                (
                    str(d["id"]),
                    str(d["public_id"]),
                    self.city.province,
                    d["code"] or none,
                    d["channel"],
                    d["status"],
                    answers,
                    "online" if d["channel"] == "online" else "desk",
                    "",
                    "",
                    clock(d["submitted"]),
                    clock(d["due"]),
                    clock(d["created"]),
                    clock(d["updated"]),
                    str(d["revision"]),
                    str(user_id),
                    str(version.procedure_id),
                    str(version.id),
                    str(d["receiving"]),
                    clock(d["received"]),
                    text(name) if d["code"] else "",
                    searchable(name) if d["code"] else "",
                    str(d["assignee"]) if d["assignee"] else none,
                    str(d["current_agency"]) if current else none,
                    current.role if current else "",
                    str(current.id) if current else none,
                    clock(d["decided"]),
                    str(d["deciding"]) if d["received"] else none,
                    none,
                    clock(d["paused"]),
                    clock(d["returned"]),
                    clock(d["step_due"]) if current else none,
                    agency_set(d),
                )
            )
            + "\n"
        )


def local_seconds(moment: datetime.datetime) -> int:
    return int(moment.timestamp()) + LOCAL_OFFSET


def worktime_for(start: datetime.date, end: datetime.date) -> WorkTime:
    """The platform's working calendar over [start, end], read once."""
    from egov.core import calendar

    days = calendar.WorkingCalendar(start, end)
    working = [
        start + datetime.timedelta(days=i)
        for i in range((end - start).days + 1)
        if days.is_working_day(start + datetime.timedelta(days=i))
    ]
    return WorkTime(working, calendar.office_periods())
