"""The indicators of the QĐ 766 service index, in one place: each with its group, weight, the
rate at which it earns all its points, its formula and legal source, and the function that
measures it from the platform's data (None where the platform holds no data for it: an
administrator enters the figure, see ``models.EnteredFigure``).

Sources (docs/index.md): Quyết định 766/QĐ-TTg ngày 23/6/2022 of the Prime Minister (the five
groups and their 100 points); the formulas of the Government Office's description of the
index as computed on the National Public Service Portal ("Mô tả công thức tính chỉ số 766");
the points of each indicator as the National Public Service Portal publishes them with each
score (its scoring table, "Công thức 766", sheet METRICS).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.indicators.readings import Unit

DECISION = "Quyết định 766/QĐ-TTg ngày 23/6/2022"
GUIDANCE = "Mô tả công thức tính chỉ số 766 (Văn phòng Chính phủ)"
PORTAL_TABLE = "Cổng Dịch vụ công quốc gia, bảng điểm “Công thức 766”"


@dataclass
class Measure:
    """What an indicator measured: its rate (percent; None when there was nothing to count)
    and the counts it came from, shown beside the score. ``drill`` names the dossiers behind
    the figure (a key of ``drilldown.FILTERS``) when there is a list to show."""

    rate: Decimal | None
    inputs: list[tuple[Promise, int]] = field(default_factory=list)
    drill: str = ""
    # Some indicators award all their points when there is nothing to count (no citizen
    # report in the period is no report handled late).
    full_when_empty: bool = False


# None: the platform held no data for the indicator in the period (e.g. before the citizens'
# document store opened): "not measured yet", or the figure an administrator entered.
Measurer = Callable[[Unit], Measure | None]


@dataclass(frozen=True)
class Group:
    code: str
    name: Promise
    weight: int


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    number: str
    name: Promise
    weight: Decimal
    formula: Promise
    source: str
    measure: Measurer | None = None
    # The rate that earns the whole weight (points = weight × min(1, rate / full_at)).
    full_at: Decimal = Decimal(100)
    note: Promise | str = ""
    # Measured only for periods in which its data exists (its measure may give None); for the
    # others an administrator may enter the figure.
    entered_before_data: bool = False

    @property
    def measured(self) -> bool:
        return self.measure is not None

    @property
    def enterable(self) -> bool:
        """Whether an administrator may enter its figure for some period."""
        return self.measure is None or self.entered_before_data

    def points(self, rate: Decimal | None) -> Decimal | None:
        if rate is None:
            return None
        return min(self.weight, self.weight * rate / self.full_at)


def _share(part: int, whole: int) -> Decimal | None:
    return Decimal(100 * part) / Decimal(whole) if whole else None


# --- The measurements --------------------------------------------------------------------------


def complete_procedures(unit: Unit) -> Measure:
    """1.3: procedures in force at the end of the period, serving the unit, whose published
    record has every part the catalogue holds."""
    procedures = unit.procedures
    done = sum(1 for procedure in procedures if procedure.complete)
    return Measure(
        _share(done, len(procedures)),
        [(_("Procedures in force"), len(procedures)), (_("Published with every part"), done)],
    )


def synchronised(unit: Unit) -> Measure | None:
    """1.4: dossiers received in the period whose record (DongBoHoSoMC) the national portal
    acknowledged, over all the dossiers received. None while the connector is off or before
    the portal first acknowledged one of its calls."""
    if not unit.has_sync:
        return None
    totals = unit.totals
    return Measure(
        _share(totals["synced"], _received(totals)),
        [
            (_("Dossiers received"), _received(totals)),
            (_("Acknowledged by the national portal"), totals["synced"]),
        ],
    )


def on_time(unit: Unit) -> Measure:
    """2.1: resolved early or on time in the period, and still open within their time at its
    end, over everything resolved in the period and still open at its end."""
    totals, stock = unit.totals, unit.stock
    resolved = totals["resolved_early"] + totals["resolved_on_time"] + totals["resolved_late"]
    within = stock["open"] - stock["overdue"]
    good = totals["resolved_early"] + totals["resolved_on_time"] + within
    return Measure(
        _share(good, resolved + stock["open"]),
        [
            (_("Resolved early"), totals["resolved_early"]),
            (_("Resolved on time"), totals["resolved_on_time"]),
            (_("Resolved late"), totals["resolved_late"]),
            (_("Open within time at the end"), within),
            (_("Open and overdue at the end"), stock["overdue"]),
        ],
        drill="late",
    )


def _received(row: dict[str, int]) -> int:
    return row["received_online"] + row["received_desk"] + row["received_post"]


def full_online(unit: Unit) -> Measure:
    """3.1: dossiers received online for the procedures offered full-process online, over all
    the dossiers received for those procedures."""
    row = unit.full_online
    return Measure(
        _share(row["received_online"], _received(row)),
        [
            (_("Dossiers of full-online procedures"), _received(row)),
            (_("Of which received online"), row["received_online"]),
        ],
        drill="not_online",
    )


def paid_online(unit: Unit) -> Measure:
    """3.2: dossiers whose fees were paid online over the dossiers with fees to pay."""
    totals = unit.totals
    return Measure(
        _share(totals["paid_online"], totals["fees_due"]),
        [
            (_("Dossiers with fees to pay"), totals["fees_due"]),
            (_("Paid online"), totals["paid_online"]),
        ],
        drill="not_paid_online",
    )


def electronic_results(unit: Unit) -> Measure:
    """4.1: dossiers resolved in the period whose result was issued as a file, over all the
    dossiers resolved in the period."""
    counts = unit.resolved
    return Measure(
        _share(counts["electronic"], counts["total"]),
        [
            (_("Dossiers resolved"), counts["total"]),
            (_("With an electronic result"), counts["electronic"]),
        ],
        drill="no_electronic_result",
    )


def digitised(unit: Unit) -> Measure | None:
    """4.2: dossiers received in the period with at least one paper in the citizen's document
    store made from them (digitised at the desk or submitted online: the digitisation figures'
    ``dossiers_digitised``), over all the dossiers received. None before the store opened."""
    if not unit.has_store:
        return None
    totals = unit.totals
    return Measure(
        _share(totals["stored"], _received(totals)),
        [
            (_("Dossiers received"), _received(totals)),
            (_("With papers digitised into the store"), totals["stored"]),
        ],
    )


def certified_copies(unit: Unit) -> Measure | None:
    """4.3: the communes (of the unit, on the period's tree) where a desk certified an
    electronic copy from an original (bản sao điện tử từ bản chính) of a dossier's paper in the
    period, over the communes. None before the store opened."""
    if not unit.has_store:
        return None
    counts = unit.communes
    return Measure(
        _share(counts["certifying"], counts["total"]),
        [
            (_("Communes and wards"), counts["total"]),
            (_("Certifying electronic copies"), counts["certifying"]),
        ],
    )


def reusing(unit: Unit) -> Measure | None:
    """4.4: dossiers received in the period with at least one paper taken from the citizen's
    document store (the digitisation figures' ``dossiers_reusing``), over all the dossiers
    received. None before the store opened."""
    if not unit.has_store:
        return None
    totals = unit.totals
    return Measure(
        _share(totals["reusing"], _received(totals)),
        [
            (_("Dossiers received"), _received(totals)),
            (_("Reusing a paper from the store"), totals["reusing"]),
        ],
    )


def reports_on_time(unit: Unit) -> Measure:
    """5.1: citizen reports answered in the period by their deadline, and still waiting at its
    end within their deadline, over all answered and waiting."""
    counts = unit.citizen_reports
    return Measure(
        _share(counts["on_time"] + counts["open_within"], counts["total"] + counts["open"]),
        [
            (_("Citizen reports answered"), counts["total"]),
            (_("Answered on time"), counts["on_time"]),
            (_("Answered late"), counts["total"] - counts["on_time"]),
            (_("Waiting within their deadline at the end"), counts["open_within"]),
            (_("Waiting past their deadline at the end"), counts["open"] - counts["open_within"]),
        ],
        full_when_empty=True,
    )


def reports_satisfied(unit: Unit) -> Measure:
    """5.2: citizen reports answered in the period, less those answered late, rated not
    satisfied or reopened, over all answered."""
    counts = unit.citizen_reports
    return Measure(
        _share(counts["total"] - counts["unhappy"], counts["total"]),
        [
            (_("Citizen reports answered"), counts["total"]),
            (_("Late, not satisfied or reopened"), counts["unhappy"]),
        ],
        full_when_empty=True,
    )


def dossiers_satisfied(unit: Unit) -> Measure:
    """5.3: dossiers resolved in the period, less those resolved late or rated not satisfied,
    over all resolved."""
    counts = unit.resolved
    return Measure(
        _share(counts["total"] - counts["unhappy"], counts["total"]),
        [
            (_("Dossiers resolved"), counts["total"]),
            (_("Late or rated not satisfied"), counts["unhappy"]),
        ],
        drill="unsatisfied",
    )


# --- The index ---------------------------------------------------------------------------------

GROUPS = (
    Group("transparency", _("Public transparency"), 18),
    Group("progress", _("Progress and results of handling"), 20),
    Group("online", _("Online provision"), 22),
    Group("digitisation", _("Digitisation of dossiers"), 22),
    Group("satisfaction", _("Satisfaction"), 18),
)

D = Decimal
INDICATORS = (
    Indicator(
        "PUBLISH_ON_TIME",
        "transparency",
        "1.1",
        _("Procedures published on time"),
        D(6),
        _(
            "Procedures whose publishing decision was signed on time / procedures published in "
            "the period × 100 (on time: at least 5 working days before the legal text takes "
            "effect, for a province)"
        ),
        f"{DECISION}; {GUIDANCE}, 1.1",
        note=_("Kept in the National Database on Administrative Procedures."),
    ),
    Indicator(
        "PUBLIC_UPDATE_ON_TIME",
        "transparency",
        "1.2",
        _("Procedures updated and made public on time"),
        D(4),
        _(
            "Procedures made public on the national database within 5 working days of their "
            "publishing decision / procedures to update in the period × 100"
        ),
        f"{DECISION}; {GUIDANCE}, 1.2",
        note=_("Kept in the National Database on Administrative Procedures."),
    ),
    Indicator(
        "PUBLIC_CONTENT_FULL",
        "transparency",
        "1.3",
        _("Procedures published with every required part"),
        D(2),
        _(
            "Procedures in force published with their name, steps and ways of doing it, "
            "papers, time limit and agency / procedures in force × 100"
        ),
        f"{DECISION}; {GUIDANCE}, 1.3; Nghị định 63/2010/NĐ-CP, Điều 8 khoản 2",
        measure=complete_procedures,
        note=_("The catalogue holds no list of who may apply: that part is not checked."),
    ),
    Indicator(
        "DOSSIER_SYNC",
        "transparency",
        "1.4",
        _("Dossiers synchronised with the National Public Service Portal"),
        D(6),
        _("Dossiers synchronised with the national portal / dossiers received in the period × 100"),
        f"{DECISION}; {GUIDANCE}, 1.4",
        measure=synchronised,
        entered_before_data=True,
        note=_(
            "Synchronised: the national portal acknowledged the dossier's record "
            "(DongBoHoSoMC). Entered while the connector is off or before its first "
            "acknowledged call."
        ),
    ),
    Indicator(
        "ON_TIME",
        "progress",
        "2.1",
        _("Dossiers handled early or on time"),
        D(20),
        _(
            "(Resolved early or on time + still open within time) / (resolved + still open) in "
            "the period × 100"
        ),
        f"{DECISION}; {GUIDANCE}, 2.1",
        measure=on_time,
    ),
    Indicator(
        "FULL_ONLINE",
        "online",
        "3.1",
        _("Full-process online dossiers"),
        D(12),
        _(
            "Dossiers received online for full-online procedures / dossiers received for those "
            "procedures × 100"
        ),
        f"{DECISION}; {PORTAL_TABLE}",
        measure=full_online,
    ),
    Indicator(
        "ONLINE_PAYMENT",
        "online",
        "3.2",
        _("Dossiers paid online"),
        D(10),
        _("Dossiers whose fees were paid online / dossiers with fees to pay × 100"),
        f"{DECISION}; {GUIDANCE}, 3.6",
        measure=paid_online,
    ),
    Indicator(
        "ORIGINAL_RESULT_AVAILABLE",
        "digitisation",
        "4.1",
        _("Dossiers with an electronic result"),
        D(6),
        _("Dossiers resolved with their result issued as a file / dossiers resolved × 100"),
        f"{DECISION}; {GUIDANCE}, 4.1",
        measure=electronic_results,
        note=_("Counts a result file; whether it is signed is not checked yet."),
    ),
    Indicator(
        "DIGITISED_DOSSIERS",
        "digitisation",
        "4.2",
        _("Dossiers digitised"),
        D(4),
        _(
            "Dossiers received with papers digitised into the citizen's document store / "
            "dossiers received × 100"
        ),
        f"{DECISION}; {GUIDANCE}, 4.2",
        measure=digitised,
        entered_before_data=True,
    ),
    Indicator(
        "ELECTRONIC_CERTIFIED_COPY",
        "digitisation",
        "4.3",
        _("Communes certifying electronic copies from originals"),
        D(2),
        _("Communes offering electronic certified copies / communes × 100"),
        f"{DECISION}; {PORTAL_TABLE}",
        measure=certified_copies,
        entered_before_data=True,
        note=_(
            "A commune offers it when one of its desks certified an electronic copy of a "
            "dossier's paper received in the period."
        ),
    ),
    Indicator(
        "REUSED_DIGITISED_DATA",
        "digitisation",
        "4.4",
        _("Dossiers reusing digitised data"),
        D(2),
        _(
            "Dossiers with at least one paper taken from digitised data / dossiers received × "
            "100; all points from 80%"
        ),
        f"{DECISION}; {GUIDANCE}, 4.3",
        measure=reusing,
        full_at=D(80),
        entered_before_data=True,
    ),
    Indicator(
        "SYNCED_PERSONAL_STORAGE",
        "digitisation",
        "4.5",
        _("Digitised dossiers shared for reuse"),
        D(4),
        _(
            "Dossiers linked with the applicant's document store on the national portal / "
            "dossiers received × 100"
        ),
        f"{DECISION}; {GUIDANCE}, 4.4",
    ),
    Indicator(
        "CITIZEN_DATA_DOSSIER",
        "digitisation",
        "4.6",
        _("Dossiers using population data"),
        D(2),
        _(
            "Dossiers using the National Population Database (VNeID sign-in or data taken from "
            "it) / dossiers × 100"
        ),
        f"{DECISION}; {GUIDANCE}, 4.5",
    ),
    Indicator(
        "CITIZEN_DATA_PROCEDURE",
        "digitisation",
        "4.7",
        _("Procedures connected to population data"),
        D(2),
        _(
            "Procedures for citizens connected to the National Population Database / "
            "procedures for citizens × 100"
        ),
        f"{DECISION}; {GUIDANCE}, 4.5",
    ),
    Indicator(
        "PETITION_ON_TIME",
        "satisfaction",
        "5.1",
        _("Citizen reports handled on time"),
        D(6),
        _(
            "(Citizen reports answered by their deadline + still waiting within it) / (citizen "
            "reports answered + still waiting) × 100; all points when there was none"
        ),
        f"{DECISION}; {GUIDANCE}, 5.2",
        measure=reports_on_time,
    ),
    Indicator(
        "PETITION_SATISFACTION",
        "satisfaction",
        "5.2",
        _("Satisfaction with the handling of citizen reports"),
        D(6),
        _(
            "(Citizen reports answered − answered late, rated not satisfied or reopened) / "
            "citizen reports answered × 100; all points when there was none"
        ),
        f"{DECISION}; {GUIDANCE}, 5.3",
        measure=reports_satisfied,
    ),
    Indicator(
        "DOSSIER_SATISFACTION",
        "satisfaction",
        "5.3",
        _("Satisfaction with the receipt and handling of dossiers"),
        D(6),
        _(
            "(Dossiers resolved − resolved late or rated not satisfied) / dossiers resolved × "
            "100; all points from 90%"
        ),
        f"{DECISION}; {GUIDANCE}, 5.4",
        measure=dossiers_satisfied,
        full_at=D(90),
    ),
)

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
