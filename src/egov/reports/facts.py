"""A dossier's fact (``DossierFact``) computed from what the dossiers, payments and postal apps
store: the one function both the live updates and the from-scratch recount use, so that the two
cannot disagree by construction.

The rules (docs/reports.md):
- a dossier counts as *received* on the day the desk received it, by its channel;
- it is *resolved* on the day its result was issued: *early* before the day of its appointment,
  *on time* on that day (not after the hour), *late* after; an apology letter's new appointment
  does not make a late dossier on time, so the appointment compared is the one before the letter;
- *refused* and *withdrawn* on the day that happened, whether it had been received or not;
- it is *in progress* from its receipt to the day it was closed (result issued, refused,
  withdrawn), and *overdue* from its appointment to that day; a dossier waiting for a supplement
  or paused has its clock stopped and is not overdue (its appointment moves when it resumes);
- *came by post*: sent through the postal channel or picked up by the post; *sent by post* on
  the day the desk first handed its result to the post;
- *digitised*: its papers are on file electronically (a submitted or supplemented document);
- *fees due* when its fees came to more than nothing; *paid online* when a payment through a
  gateway settled them;
- for the QĐ 766 index (docs/index.md): *stored* when at least one of its papers is in the
  citizen's document store made from it (digitised at the desk or submitted online: the
  digitisation figures' "dossiers digitised"); *reusing* when at least one of its papers was
  taken from the store; *certified copy* when the desk signed an electronic copy of one of its
  papers; *electronic result* when its result was issued as a file; *rated not satisfied* when
  its rating totals under 6 of 18 (the grade "Yếu"); *returned* on the day its result was
  handed over (the operations dashboard's "returned today"); *synced* when the national portal
  acknowledged its record (a ``DongBoHoSoMC`` call marked sent: QĐ 766, 1.4).
"""

import datetime
from collections.abc import Iterable

from django.db.models import Max, Min
from django.utils import timezone

from egov.catalog.models import ProcedureVersion
from egov.digitization.models import Paper, Reuse
from egov.dossiers.models import ApologyLetter, Attachment, Channel, Dossier, DossierEvent, Rating
from egov.national_portal.models import OutboxMessage
from egov.payments.models import Payment, PaymentOrder
from egov.postal.models import Shipment
from egov.reports.models import DossierFact, Resolution

S = Dossier.Status
RESOLVED = {S.RESULT_READY, S.RETURNED}
# A rating under this total (of 18) is graded "Yếu" (dossiers.ratings.GRADES): not satisfied.
UNSATISFIED_BELOW = 6
STOPPED_CLOCK = {S.SUPPLEMENT_REQUESTED, S.PAUSED}
DOSSIER_FIELDS = (
    "id",
    "province_code",
    "procedure_version_id",
    "receiving_agency_id",
    "deciding_agency_id",
    "channel",
    "status",
    "received_at",
    "due_at",
    "decided_at",
    "returned_at",
)


def counts(row: dict) -> bool:
    """Whether a dossier in this state appears in any figure: before its receipt only a refusal
    or a withdrawal does."""
    return row["received_at"] is not None or row["status"] in (S.REFUSED, S.WITHDRAWN)


def _version_dimensions(ids: set[int]) -> dict[int, tuple[int, str, int, int | None]]:
    # Read for each batch rather than kept per process: ids are reused when a database is
    # restored or a test rolls back, and a stale dimension would go unnoticed until a check.
    return {
        version["id"]: (
            version["field_id"],
            version["online_mode"],
            version["legacy_service_level"],
            version["deciding_agency_id"],
        )
        for version in ProcedureVersion.objects.filter(pk__in=ids).values(
            "id", "field_id", "online_mode", "legacy_service_level", "deciding_agency_id"
        )
    }


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def resolution(decided_at: datetime.datetime, due: datetime.datetime | None, day=_day) -> str:
    if due is None:
        return Resolution.ON_TIME
    if decided_at > due:
        return Resolution.LATE
    return Resolution.EARLY if day(decided_at) < day(due) else Resolution.ON_TIME


def compute(dossier_ids: Iterable[int]) -> dict[int, DossierFact | None]:
    """The facts of these dossiers as stored now (None for one that counts nowhere yet)."""
    rows = list(Dossier.objects.filter(pk__in=list(dossier_ids)).values(*DOSSIER_FIELDS))
    return compute_rows(rows)


def compute_rows(rows: list[dict], id_range=None) -> dict[int, DossierFact | None]:
    """``id_range`` (first, last): the rows are every dossier in it, so related rows are read
    by range, cheaper than a list of thousands of ids."""
    facts: dict[int, DossierFact | None] = {row["id"]: None for row in rows}
    rows = [row for row in rows if counts(row)]
    if not rows:
        return facts
    ids = [row["id"] for row in rows]
    zone = timezone.get_current_timezone()

    def _day(moment):
        return moment.astimezone(zone).date() if moment is not None else None

    def of_these(prefix: str = "dossier_id") -> dict:
        if id_range is not None:
            return {f"{prefix}__gte": id_range[0], f"{prefix}__lte": id_range[1]}
        return {f"{prefix}__in": ids}

    versions = _version_dimensions({row["procedure_version_id"] for row in rows})
    closed = [row["id"] for row in rows if row["status"] in (S.REFUSED, S.WITHDRAWN)]
    closings = (
        {
            (event["dossier_id"], event["status"]): event["last"]
            for event in DossierEvent.objects.filter(
                dossier_id__in=closed, status__in=[S.REFUSED, S.WITHDRAWN]
            )
            .values("dossier_id", "status")
            .annotate(last=Max("at"))
        }
        if closed
        else {}
    )
    apologies = {
        letter["dossier_id"]: letter
        for letter in ApologyLetter.objects.filter(**of_these()).values(
            "dossier_id", "issued_at", "previous_due_at"
        )
    }
    with_fees = set(
        PaymentOrder.objects.filter(**of_these(), amount__gt=0).values_list("dossier_id", flat=True)
    )
    paid_online = set(
        Payment.objects.filter(
            **of_these("order__dossier_id"),
            method=Payment.Method.ONLINE,
            status=Payment.Status.PAID,
        ).values_list("order__dossier_id", flat=True)
    )
    shipments = {
        (shipment["dossier_id"], shipment["direction"]): shipment["first"]
        for shipment in Shipment.objects.filter(**of_these())
        .values("dossier_id", "direction")
        .annotate(first=Min("created_at"))
    }
    digitised = set(
        Attachment.objects.filter(
            **of_these(), kind__in=[Attachment.Kind.SUBMISSION, Attachment.Kind.SUPPLEMENT]
        ).values_list("dossier_id", flat=True)
    )
    results = set(
        Attachment.objects.filter(**of_these(), kind=Attachment.Kind.RESULT).values_list(
            "dossier_id", flat=True
        )
    )
    unhappy = set(
        Rating.objects.filter(**of_these(), total__lt=UNSATISFIED_BELOW).values_list(
            "dossier_id", flat=True
        )
    )
    stored, certified = set(), set()
    for dossier_id, source, signed in Paper.objects.filter(
        **of_these(), source__in=[Paper.Source.DESK, Paper.Source.ONLINE]
    ).values_list("dossier_id", "source", "signed"):
        stored.add(dossier_id)
        if source == Paper.Source.DESK and signed:
            certified.add(dossier_id)
    reusing = set(Reuse.objects.filter(**of_these()).values_list("dossier_id", flat=True))
    synced = set(
        OutboxMessage.objects.filter(
            **of_these(),
            service=OutboxMessage.Service.SYNC,
            state=OutboxMessage.State.SENT,
        ).values_list("dossier_id", flat=True)
    )
    for row in rows:
        pk = row["id"]
        field_id, mode, level, version_agency = versions[row["procedure_version_id"]]
        fact = DossierFact(
            dossier_id=pk,
            province_code=row["province_code"],
            agency_id=row["deciding_agency_id"] or version_agency or row["receiving_agency_id"],
            field_id=field_id,
            online_mode=mode,
            legacy_level=level,
            receiving_agency_id=row["receiving_agency_id"],
            channel=row["channel"],
            received_on=_day(row["received_at"]),
            fees_due=pk in with_fees,
            paid_online=pk in with_fees and pk in paid_online,
            came_by_post=row["channel"] == Channel.POST
            or (pk, Shipment.Direction.PICK_UP) in shipments,
            digitised=pk in digitised,
            stored=pk in stored,
            reusing=pk in reusing,
            certified_copy=pk in certified,
            electronic_result=pk in results,
            rated_unsatisfied=pk in unhappy,
            synced=pk in synced,
            sent_by_post_on=_day(shipments.get((pk, Shipment.Direction.DELIVERY))),
            returned_on=_day(row["returned_at"]) if row["received_at"] is not None else None,
        )
        letter = apologies.get(pk)
        if letter is not None:
            fact.apology_on = _day(letter["issued_at"])
        due = letter["previous_due_at"] if letter is not None else row["due_at"]
        closed_at = None
        if row["status"] in RESOLVED and row["decided_at"] is not None:
            closed_at = row["decided_at"]
            fact.resolved_on = _day(closed_at)
            fact.resolution = resolution(closed_at, due, _day)
        elif row["status"] == S.REFUSED:
            closed_at = row["decided_at"] or closings.get((pk, S.REFUSED))
            fact.refused_on = _day(closed_at)
        elif row["status"] == S.WITHDRAWN:
            closed_at = closings.get((pk, S.WITHDRAWN))
            fact.withdrawn_on = _day(closed_at)
        if row["received_at"] is not None:
            fact.closed_on = _day(closed_at)
            if row["status"] not in STOPPED_CLOCK and due is not None:
                overdue_from = max(row["received_at"], due)
                if closed_at is None or closed_at > overdue_from:
                    fact.overdue_on = _day(overdue_from)
        facts[pk] = fact
    return facts


FACT_FIELDS = [
    field.attname for field in DossierFact._meta.concrete_fields if field.attname != "dossier_id"
]


def same(a: DossierFact | None, b: DossierFact | None) -> bool:
    if a is None or b is None:
        return a is b
    return all(getattr(a, name) == getattr(b, name) for name in FACT_FIELDS)
