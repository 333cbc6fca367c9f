"""Generated careers, reproducible from a seed: for the demo city and the benchmark.

Each person gets a plausible career under the rules of :mod:`egov.personnel.rules` (recruitment,
probation, the rank, regular raises, the allowance beyond the frame, annual ratings, rewards,
sometimes a position, a transfer or retirement), with exactly ``events`` events when the career
allows it. Decisions are shared the way agencies issue them: one per agency, kind and month.
Everything is written with bulk inserts and the current state derived in memory, so 30,000
people with 20 events each load in minutes, not hours.
"""

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from egov.core.text import normalize_search_text
from egov.organizations.models import Agency
from egov.personnel import rules, staffing_counts, state
from egov.personnel.models import (
    CareerEvent,
    CivilServant,
    CurrentState,
    Decision,
    EducationLevel,
    EmploymentKind,
    EventKind,
    Rank,
    Rating,
)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = {"male": ["Văn", "Minh", "Quốc", "Hữu", "Thanh"], "female": ["Thị", "Ngọc", "Thu", "Kim"]}
GIVEN = {
    "male": ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Phúc", "Tâm",
             "Thành", "Trung", "Tuấn", "Vinh"],
    "female": ["Anh", "Dung", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Ngân", "Nhung",
               "Phương", "Thảo", "Trang", "Vy", "Yến"],
}  # fmt: skip
PLACES = ["Ninh Kiều", "Cái Răng", "Bình Thủy", "Ô Môn", "Thốt Nốt", "Phong Điền", "Cờ Đỏ",
          "Vĩnh Thạnh", "Thới Lai", "Long Xuyên", "Vị Thanh", "Sóc Trăng"]  # fmt: skip
ETHNICITIES = [("Kinh", 90), ("Khmer", 6), ("Hoa", 4)]
RELIGIONS = [("Không", 78), ("Phật giáo", 12), ("Công giáo", 4), ("Phật giáo Hòa Hảo", 4),
             ("Cao Đài", 2)]  # fmt: skip
EDUCATION = [
    (EducationLevel.UNIVERSITY, 62),
    (EducationLevel.MASTER, 14),
    (EducationLevel.DOCTORATE, 1),
    (EducationLevel.COLLEGE, 9),
    (EducationLevel.INTERMEDIATE, 11),
    (EducationLevel.NONE, 3),
]
RANK_BY_EDUCATION = {
    EducationLevel.DOCTORATE: "01.003",
    EducationLevel.MASTER: "01.003",
    EducationLevel.UNIVERSITY: "01.003",
    EducationLevel.COLLEGE: "01.004",
    EducationLevel.INTERMEDIATE: "01.005",
    EducationLevel.NONE: "01.005",
}
PROMOTION = {"01.003": "01.002", "01.002": "01.001"}
REWARDS = ["Giấy khen của Giám đốc Sở", "Bằng khen của Chủ tịch UBND thành phố",
           "Chiến sĩ thi đua cơ sở"]  # fmt: skip
POSITIONS = [("Phó Trưởng phòng", "0.20"), ("Trưởng phòng", "0.30"), ("Phó Giám đốc", "0.50")]
SIGNERS = ["Trần Việt Trường", "Nguyễn Văn Hòa", "Lê Thị Nội Vụ", "Võ Minh Lãnh"]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


@dataclass
class Plan:
    person: CivilServant
    events: list[tuple[CareerEvent, tuple]] = field(default_factory=list)  # event, decision key


class Generator:
    def __init__(
        self,
        seed: int,
        agencies: list[Agency],
        *,
        today: datetime.date,
        events: int,
        id_numbers_from: int = 0,
    ):
        self.rng = random.Random(seed)
        self.id_numbers_from = id_numbers_from  # the last six digits of the generated CCCD
        self.agencies = agencies
        self.today = today
        self.per_person = events
        self.ranks = {rank.code: rank for rank in Rank.objects.all()}
        self.decisions: dict[tuple, Decision] = {}
        self.numbers = id_numbers_from  # decision numbers too, apart from other runs

    def _decision(self, agency: Agency, kind: str, on: datetime.date) -> tuple:
        """Agencies sign one decision per kind and month for everyone it concerns."""
        signed = min(on, self.today)
        key = (agency.pk, kind, signed.year, signed.month)
        if key not in self.decisions:
            self.numbers += 1
            issuer = "UBND" if kind in (EventKind.TRANSFER, EventKind.RECRUITMENT) else "SNV"
            self.decisions[key] = Decision(
                number=f"{self.numbers}/QĐ-{issuer}",
                signed_on=signed.replace(day=1),
                signer=self.rng.choice(SIGNERS),
                issuer=agency.name if issuer == "SNV" else "Ủy ban nhân dân thành phố",
            )
        return key

    def person(self, index: int, code: str) -> Plan:
        rng = self.rng
        sex = rng.choice(["male", "female"])
        born = datetime.date(rng.randint(1962, 2001), rng.randint(1, 12), rng.randint(1, 28))
        education = _weighted(rng, EDUCATION)
        birth_code = "092"
        century = (0 if born.year < 2000 else 2) + (1 if sex == "female" else 0)
        person = CivilServant(
            code=code,
            full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}",
            sex=sex,
            date_of_birth=born,
            place_of_birth=f"{rng.choice(PLACES)}, Cần Thơ",
            hometown=f"{rng.choice(PLACES)}, Cần Thơ",
            ethnicity=_weighted(rng, ETHNICITIES),
            religion=_weighted(rng, RELIGIONS),
            citizen_id=(
                f"{birth_code}{century}{born.year % 100:02d}"
                f"{(self.id_numbers_from + index) % 1_000_000:06d}"
            ),
            general_education="12/12",
            education_level=education,
            education_detail="Cử nhân Luật" if education == EducationLevel.UNIVERSITY else "",
            political_theory=rng.choice(["none", "none", "elementary", "intermediate"]),
            state_management=rng.choice(["none", "expert", "expert", "principal_expert"]),
            foreign_languages="Tiếng Anh B1",
            it_skills="Ứng dụng CNTT cơ bản",
        )
        person.name_search = normalize_search_text(person.full_name)
        plan = Plan(person)
        self._career(plan, education)
        return plan

    def _add(self, plan: Plan, issuer: Agency, kind: str, on: datetime.date, **values):
        event = CareerEvent(kind=kind, effective_on=on, **values)
        plan.events.append((event, self._decision(issuer, kind, on)))
        return event

    def _career(self, plan: Plan, education: str) -> None:
        rng, person = self.rng, plan.person
        retirement = person.retirement
        start = rules.add_months(person.date_of_birth, rng.randint(22 * 12, 32 * 12))
        latest = self.today - datetime.timedelta(days=400)
        if start > latest:
            start = latest
        start = start.replace(day=1)
        agency = rng.choice(self.agencies)
        rank = self.ranks[RANK_BY_EDUCATION[education]]
        group = rules.salary_group(rank.salary_group)
        kind = _weighted(
            rng,
            [
                (EmploymentKind.CIVIL_SERVANT, 70),
                (EmploymentKind.PUBLIC_EMPLOYEE, 25),
                (EmploymentKind.CONTRACT, 5),
            ],
        )
        self._add(plan, agency, EventKind.RECRUITMENT, start, agency=agency, employment_kind=kind)
        probation = 12 if group.months_per_step == rules.THREE_YEARS else 6
        ends = rules.add_months(start, probation)
        self._add(plan, agency, EventKind.PROBATION, start, ends_on=ends)
        step, since = 1, ends
        self._add(
            plan, agency, EventKind.RANK, ends, rank=rank, salary_group=group.code, step=1,
            coefficient=rules.coefficient(group.code, 1),
        )  # fmt: skip
        end = min(self.today, retirement.retires_on)
        promoted = False
        seniority = 0
        while True:
            due = rules.add_months(since, group.months_per_step if not seniority else 12)
            if due > end:
                break
            if not seniority and step < group.last_step:
                if (
                    not promoted
                    and rank.code in PROMOTION
                    and due.year - start.year >= 9
                    and rng.random() < 0.3
                ):
                    rank = self.ranks[PROMOTION[rank.code]]
                    current = rules.coefficient(group.code, step)
                    group = rules.salary_group(rank.salary_group)
                    step = next(
                        (n for n, c in enumerate(group.coefficients, 1) if c >= current),
                        group.last_step,
                    )
                    promoted = True
                    since = due
                    self._add(
                        plan, agency, EventKind.RANK, due, rank=rank, salary_group=group.code,
                        step=step, coefficient=rules.coefficient(group.code, step),
                    )  # fmt: skip
                    continue
                step += 1
                since = due
                self._add(
                    plan, agency, EventKind.SALARY, due, salary_group=group.code, step=step,
                    coefficient=rules.coefficient(group.code, step), reason="regular",
                )  # fmt: skip
            else:
                seniority = 5 if not seniority else seniority + 1
                since = due
                self._add(
                    plan, agency, EventKind.SENIORITY, due, seniority_percent=seniority,
                    counted_from=due,
                )  # fmt: skip
        if rng.random() < 0.2 and start.year < self.today.year - 8:
            title, allowance = rng.choice(POSITIONS)
            on = datetime.date(rng.randint(start.year + 5, self.today.year - 2), 1, 1)
            if on < end:
                self._add(
                    plan, agency, EventKind.POSITION, on, position=title,
                    position_allowance=Decimal(allowance),
                )  # fmt: skip
        if rng.random() < 0.12 and start.year < self.today.year - 4:
            target = rng.choice(self.agencies)
            on = datetime.date(rng.randint(start.year + 2, self.today.year - 1), 7, 1)
            if target != agency and on < end:
                self._add(plan, target, EventKind.TRANSFER, on, agency=target)
                agency = target
        if retirement.retires_on < self.today:
            self._add(plan, agency, EventKind.RETIREMENT, retirement.pension_from)
        self._pad(plan, agency, start, end)

    def _pad(self, plan: Plan, agency: Agency, start: datetime.date, end: datetime.date):
        """Annual ratings from the latest year back, then rewards, up to the events wanted."""
        year = min(end.year, self.today.year) - 1
        while len(plan.events) < self.per_person and year > start.year:
            on = datetime.date(year + 1, 1, 15)
            if on < end:
                rating = _weighted(
                    self.rng,
                    [(Rating.EXCELLENT, 10), (Rating.GOOD, 60), (Rating.COMPLETED, 28),
                     (Rating.NOT_COMPLETED, 2)],
                )  # fmt: skip
                self._add(plan, agency, EventKind.ASSESSMENT, on, reason=rating, detail=str(year))
            year -= 1
        month = 0
        while len(plan.events) < self.per_person:
            on = datetime.date(start.year + 1 + month // 12, month % 12 + 1, 20)
            month += 5
            if on >= end:
                break
            self._add(plan, agency, EventKind.REWARD, on, detail=self.rng.choice(REWARDS))


def write(plans: Iterable[Plan], generator: Generator, *, batch: int = 2000) -> tuple[int, int]:
    """Saves people, decisions, events and the current states in bulk; returns (people,
    events). One transaction per batch of people, so a large load does not hold one for long."""
    people = events = 0
    chunk: list[Plan] = []
    for plan in plans:
        chunk.append(plan)
        if len(chunk) >= batch:
            events += _write_chunk(chunk, generator)
            people += len(chunk)
            chunk = []
    if chunk:
        events += _write_chunk(chunk, generator)
        people += len(chunk)
    return people, events


def _write_chunk(chunk: list[Plan], generator: Generator) -> int:
    with transaction.atomic():
        CivilServant.objects.bulk_create([plan.person for plan in chunk])
        new = [d for d in generator.decisions.values() if d.pk is None]
        Decision.objects.bulk_create(new, batch_size=2000, ignore_conflicts=False)
        rows = []
        for plan in chunk:
            for event, key in plan.events:
                event.person = plan.person
                event.decision = generator.decisions[key]
                rows.append(event)
        CareerEvent.objects.bulk_create(rows, batch_size=5000)
        states = CurrentState.objects.bulk_create(
            [
                state.stored(
                    plan.person, state.derive([e for e, _ in plan.events], generator.today)
                )
                for plan in chunk
            ],
            batch_size=2000,
        )
        staffing_counts.mark_stale(s.agency_id for s in states)
    return len(rows)
