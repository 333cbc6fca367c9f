"""The platform's data an index needs for one period, read once per agency (and per commune for
citizen reports) and summed for each unit: one unit's index and a ranking of every agency and
commune read the same few grouped queries, instead of a dozen per unit."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from egov.catalog.models import DocumentRequirement, Level, OnlineMode, ProcedureVersion
from egov.catalog.search import current_versions
from egov.digitization.models import Paper
from egov.feedback.models import Rating as ReportRating
from egov.feedback.models import Report
from egov.national_portal import outbox
from egov.national_portal.models import OutboxMessage
from egov.organizations.models import AdministrativeUnit, Agency
from egov.reports import figures
from egov.reports.figures import Scope, reading

TALLY_METRICS = (
    "received_online",
    "received_desk",
    "received_post",
    "fees_due",
    "paid_online",
    "digitised",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_electronic",
    "resolved_unhappy",
    "stored",
    "reusing",
    "certified_copies",
    "synced",
)
REPORTS = ("total", "on_time", "unhappy", "open", "open_within")

Rows = dict[int, dict[str, int]]


@dataclass(frozen=True)
class Procedure:
    deciding: int | None
    receiving: frozenset[int]
    commune_level: bool
    complete: bool


def moments(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """The period as the first moment of its first day and of the day after its last."""
    zone = timezone.get_current_timezone()
    after = end + datetime.timedelta(days=1)
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(after, datetime.time.min, tzinfo=zone),
    )


def _add(into: dict[str, int], row: dict[str, int]) -> None:
    for name, value in row.items():
        into[name] = into.get(name, 0) + (value or 0)


class Readings:
    """What the agencies ``agency_ids`` (None: every agency) did in [start, end]."""

    def __init__(
        self, start: datetime.date, end: datetime.date, agency_ids: list[int] | None = None
    ) -> None:
        self.start, self.end = start, end
        self.agency_ids = agency_ids

    def _of_agencies(self) -> Q:
        return Q() if self.agency_ids is None else Q(agency_id__in=self.agency_ids)

    @cached_property
    def tree(self) -> list[tuple[int, str, int | None]]:
        """Every agency of the organisation tree as it stood during the period, with its path
        and commune: a ranking finds each unit's agencies here instead of asking the database
        once per unit (thousands of queries for a city's communes)."""
        agencies = Agency.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=self.end),
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.start),
        )
        return list(agencies.values_list("pk", "path", "unit_id"))

    def members(self, scope: Scope) -> list[int] | None:
        """``Scope.agency_ids`` for this period, from ``tree``."""
        if scope.agency is None and scope.commune is None:
            return None
        found = self.tree
        if scope.agency is not None:
            prefix = scope.agency.path
            found = [row for row in found if row[1].startswith(prefix)]
        if scope.commune is not None:
            commune = scope.commune.pk
            found = [row for row in found if row[2] == commune]
        return [row[0] for row in found]

    @cached_property
    def tallies(self) -> dict[tuple[int, str], dict[str, int]]:
        rows = figures.sums(
            self._of_agencies(),
            self.start,
            self.end,
            ("agency_id", "online_mode"),
            TALLY_METRICS,
            by_agency=True,
        )
        return {(key[0], key[1]): row for key, row in rows.items()}

    @cached_property
    def tallies_by_agency(self) -> dict[int, list[tuple[str, dict[str, int]]]]:
        by_agency: dict[int, list[tuple[str, dict[str, int]]]] = defaultdict(list)
        for (agency_id, online_mode), row in self.tallies.items():
            by_agency[agency_id].append((online_mode, row))
        return dict(by_agency)

    @cached_property
    def stock(self) -> Rows:
        """Open and overdue at the end of the period."""
        rows = figures.stock(self._of_agencies(), self.end, ("agency_id",), by_agency=True)
        return {key[0]: row for key, row in rows.items()}

    @cached_property
    def store_opened(self) -> datetime.date | None:
        """The day the citizens' document store (the digitisation app) took its first paper:
        before it the platform holds no digitisation data, and the indicators read from it are
        "not measured yet" rather than 0. The first paper by id, read from the primary key."""
        first = Paper.objects.using(reading()).order_by("pk").values_list("created_at").first()
        return None if first is None else timezone.localdate(first[0])

    @cached_property
    def sync_started(self) -> datetime.date | None:
        """The day the national portal first acknowledged a call of the platform's connector
        (None: never, or the connector is switched off): before it the platform holds no data on
        synchronisation, and 1.4 is "not measured yet" rather than 0. Read from the outbox's
        (state, acknowledged_at) index."""
        if not outbox.enabled():
            return None
        first = (
            OutboxMessage.objects.using(reading())
            .filter(state=OutboxMessage.State.SENT, acknowledged_at__isnull=False)
            .order_by("acknowledged_at")
            .values_list("acknowledged_at")
            .first()
        )
        return None if first is None else timezone.localdate(first[0])

    @cached_property
    def communes(self) -> set[int]:
        """The communes and wards of the period's organisation tree."""
        units = AdministrativeUnit.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=self.end),
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.start),
            level=AdministrativeUnit.Level.COMMUNE,
        )
        return set(units.values_list("pk", flat=True))

    @cached_property
    def placed(self) -> dict[int, int]:
        """Each agency of the period's tree placed in one of its communes: that commune."""
        communes = self.communes
        return {pk: unit for pk, _path, unit in self.tree if unit in communes}

    def _reports(self, key: str) -> Rows:
        """Citizen reports answered in the period (how many, by their deadline, late, rated
        not satisfied or reopened) and still waiting at its end (within their deadline or
        not), by ``key``."""
        begin, finish = moments(self.start, self.end)
        answered = Q(answered_at__gte=begin, answered_at__lt=finish)
        # A duplicate merged into another report is answered there.
        open_at_end = (
            Q(received_at__lt=finish)
            & (Q(answered_at__isnull=True) | Q(answered_at__gte=finish))
            & ~Q(status=Report.Status.MERGED)
        )
        unhappy = answered & (
            Q(rating=ReportRating.UNSATISFIED)
            | Q(answered_at__gt=F("due_at"))
            | Q(reopen_count__gt=0)
        )
        reports = Report.objects.using(reading()).filter(answered | open_at_end)
        if key == "agency_id":
            reports = reports.filter(self._of_agencies())
        rows = (
            reports.values(key)
            .annotate(
                total=Count("pk", filter=answered),
                on_time=Count("pk", filter=answered & Q(answered_at__lte=F("due_at"))),
                unhappy=Count("pk", filter=unhappy),
                open=Count("pk", filter=open_at_end),
                open_within=Count("pk", filter=open_at_end & Q(due_at__gte=finish)),
            )
            .order_by()
        )
        return {row[key]: {name: row[name] for name in REPORTS} for row in rows}

    @cached_property
    def reports_by_agency(self) -> Rows:
        return self._reports("agency_id")

    @cached_property
    def reports_by_commune(self) -> Rows:
        return self._reports("commune_id")

    @cached_property
    def procedures(self) -> list[Procedure]:
        """The procedure versions in force at the end of the period, with whether their
        published record has every part the catalogue holds."""
        versions = current_versions(self.end).using(reading())
        has_papers = Exists(DocumentRequirement.objects.filter(version=OuterRef("pk")))
        complete = set(
            versions.annotate(has_papers=has_papers)
            .filter(has_papers=True, time_limit__gt=0)
            .exclude(steps="")
            .exclude(name="")
            .values_list("pk", flat=True)
        )
        receiving: dict[int, set[int]] = defaultdict(set)
        through = ProcedureVersion.receiving_agencies.through
        for version_id, agency_id in through.objects.filter(
            procedureversion_id__in=versions.values("pk")
        ).values_list("procedureversion_id", "agency_id"):
            receiving[version_id].add(agency_id)
        found = []
        for pk, deciding, level in versions.values_list("pk", "deciding_agency_id", "level"):
            commune_level = level == Level.COMMUNE
            # A procedure must name its agency; a commune-level one names none: every
            # commune's committee implements it.
            has_agency = deciding is not None or bool(receiving[pk]) or commune_level
            found.append(
                Procedure(
                    deciding, frozenset(receiving[pk]), commune_level, pk in complete and has_agency
                )
            )
        return found


class Unit:
    """The unit and period an indicator is measured for: the sums of its agencies' readings."""

    def __init__(
        self,
        start: datetime.date,
        end: datetime.date,
        scope: Scope,
        readings: Readings | None = None,
    ) -> None:
        self.start, self.end, self.scope = start, end, scope
        self._readings = readings

    @cached_property
    def ids(self) -> list[int] | None:
        if self._readings is not None:
            return self._readings.members(self.scope)
        return self.scope.agency_ids(self.start, self.end)

    def agency_ids(self) -> list[int] | None:
        return self.ids

    @cached_property
    def readings(self) -> Readings:
        return self._readings or Readings(self.start, self.end, self.ids)

    @cached_property
    def _id_set(self) -> set[int]:
        return set(self.ids or ())

    def _sum(self, rows: Rows, names: tuple[str, ...]) -> dict[str, int]:
        total = dict.fromkeys(names, 0)
        if self.ids is None:
            for row in rows.values():
                _add(total, row)
            return total
        # A unit's few agencies looked up, not every agency's row scanned: a ranking sums
        # thousands of units.
        for agency_id in self._id_set:
            found = rows.get(agency_id)
            if found is not None:
                _add(total, found)
        return total

    def _tallies(self, mode: str | None = None) -> dict[str, int]:
        total = dict.fromkeys(TALLY_METRICS, 0)
        by_agency = self.readings.tallies_by_agency
        agencies = by_agency.keys() if self.ids is None else self._id_set
        for agency_id in agencies:
            for online_mode, row in by_agency.get(agency_id, ()):
                if mode in (None, online_mode):
                    _add(total, row)
        return total

    @cached_property
    def totals(self) -> dict[str, int]:
        return self._tallies()

    @cached_property
    def full_online(self) -> dict[str, int]:
        return self._tallies(OnlineMode.FULL)

    @cached_property
    def stock(self) -> dict[str, int]:
        return self._sum(self.readings.stock, ("open", "overdue"))

    @cached_property
    def resolved(self) -> dict[str, int]:
        """Dossiers resolved in the period: how many, with a result file, late or rated not
        satisfied (the tallies' counts, kept by the statistics)."""
        totals = self.totals
        return {
            "total": totals["resolved_early"]
            + totals["resolved_on_time"]
            + totals["resolved_late"],
            "electronic": totals["resolved_electronic"],
            "unhappy": totals["resolved_unhappy"],
        }

    @property
    def has_store(self) -> bool:
        """Whether the citizens' document store was open by the end of the period."""
        opened = self.readings.store_opened
        return opened is not None and opened <= self.end

    @property
    def has_sync(self) -> bool:
        """Whether the national portal had acknowledged a call of the connector by the end of
        the period (and the connector is on)."""
        started = self.readings.sync_started
        return started is not None and started <= self.end

    @cached_property
    def communes(self) -> dict[str, int]:
        """The communes of the unit on the period's tree (the city: all of them; a commune:
        itself; an agency: those its agencies are placed in), and of them those where an agency
        placed there certified an electronic copy of a dossier's paper (QĐ 766, 4.3)."""
        readings = self.readings
        placed = readings.placed
        if self.scope.commune is not None:
            every = {self.scope.commune.pk} & readings.communes
        elif self.ids is None:
            every = set(readings.communes)
        else:
            every = {placed[pk] for pk in self._id_set if pk in placed}
        by_agency = readings.tallies_by_agency
        # A ranking counts thousands of units: only the unit's own agencies are looked up.
        agencies = placed.keys() if self.ids is None else self._id_set & placed.keys()
        certifying = {
            placed[agency_id]
            for agency_id in agencies
            if placed[agency_id] in every
            and any(row["certified_copies"] for _mode, row in by_agency.get(agency_id, ()))
        }
        return {"total": len(every), "certifying": len(certifying)}

    @cached_property
    def citizen_reports(self) -> dict[str, int]:
        """The reports of the agency (and its sub-agencies), those about a place in the commune,
        or the city's, as the statistics count them."""
        if self.scope.commune is not None:
            row = self.readings.reports_by_commune.get(self.scope.commune.pk, {})
            return {name: row.get(name, 0) for name in REPORTS}
        return self._sum(self.readings.reports_by_agency, REPORTS)

    @cached_property
    def procedures(self) -> list[Procedure]:
        """The procedures in force serving the unit (as the statistics count them: those its
        agencies decide or receive; for a commune also the commune-level ones)."""
        if self.ids is None:
            return self.readings.procedures
        mine = self._id_set
        commune = self.scope.commune is not None
        return [
            procedure
            for procedure in self.readings.procedures
            if procedure.deciding in mine
            or procedure.receiving & mine
            or (commune and procedure.commune_level and procedure.deciding is None)
        ]
