"""The tallies: each dossier's contribution, moved by the difference between its old and new
fact, and rebuilt or checked from scratch.

Lock order: a change takes an audit chain's head, then its turn at the tallies
(:func:`take_turn`), before touching a tally row (the dossier services announce a change just
before recording it), so two transactions never hold tally rows and a chain head in opposite
orders, nor tally rows in opposite orders.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import Model

from egov.core import audit
from egov.dossiers.models import Dossier
from egov.reports import facts as facts_module
from egov.reports.models import (
    AgencyDayTally,
    AgencyMonthTally,
    DayTally,
    DossierFact,
    MonthTally,
    ReceiptDayTally,
    Resolution,
)

# pg_advisory_xact_lock's key for the turn at the tallies ("tally" in ASCII).
TURN = 0x74616C6C79

Key = tuple  # (province_code, agency_id, field_id, online_mode, legacy_level)
Buckets = dict[tuple[datetime.date, Key], Counter]


def key_of(fact: DossierFact) -> Key:
    return (fact.province_code, fact.agency_id, fact.field_id, fact.online_mode, fact.legacy_level)


def contributions(fact: DossierFact | None, sign: int = 1, into: Buckets | None = None) -> Buckets:
    """What one dossier adds to the daily tallies (``sign=-1`` takes it away)."""
    into = defaultdict(Counter) if into is None else into
    if fact is None:
        return into
    key = key_of(fact)

    def add(day, metric, amount=1):
        into[(day, key)][metric] += sign * amount

    if fact.received_on:
        day = fact.received_on
        add(day, f"received_{fact.channel}")
        add(day, "opened")
        add(day, "fees_due", fact.fees_due)
        add(day, "paid_online", fact.paid_online)
        add(day, "came_by_post", fact.came_by_post)
        add(day, "digitised", fact.digitised)
        add(day, "stored", fact.stored)
        add(day, "reusing", fact.reusing)
        add(day, "certified_copies", fact.certified_copy)
        add(day, "synced", fact.synced)
        if fact.closed_on:
            add(fact.closed_on, "closed")
        if fact.overdue_on:
            add(fact.overdue_on, "overdue_opened")
            if fact.closed_on:
                add(fact.closed_on, "overdue_closed")
    if fact.resolved_on:
        add(fact.resolved_on, f"resolved_{fact.resolution}")
        add(fact.resolved_on, "resolved_electronic", fact.electronic_result)
        add(
            fact.resolved_on,
            "resolved_unhappy",
            fact.resolution == Resolution.LATE or fact.rated_unsatisfied,
        )
    if fact.returned_on:
        add(fact.returned_on, "returned")
    if fact.refused_on:
        add(fact.refused_on, "refused")
    if fact.withdrawn_on:
        add(fact.withdrawn_on, "withdrawn")
    if fact.apology_on:
        add(fact.apology_on, "apologies")
    if fact.sent_by_post_on:
        add(fact.sent_by_post_on, "sent_by_post")
        add(fact.sent_by_post_on, "sent_by_post_both_ways", fact.came_by_post)
    return into


def receipts(fact: DossierFact | None, sign: int = 1, into: Buckets | None = None) -> Buckets:
    """What one dossier adds to the tallies by receiving desk: the day it was received, the
    desk that received it and the agency responsible, by channel."""
    into = defaultdict(Counter) if into is None else into
    if fact is None or not fact.received_on or fact.receiving_agency_id is None:
        return into
    key = (fact.province_code, fact.receiving_agency_id, fact.agency_id)
    into[(fact.received_on, key)][f"received_{fact.channel}"] += sign
    return into


def by_month(days: Buckets) -> Buckets:
    months: Buckets = defaultdict(Counter)
    for (day, key), metrics in days.items():
        months[(day.replace(day=1), key)].update(metrics)
    return months


def by_agency(buckets: Buckets) -> Buckets:
    """The same sums by agency and online mode only (``AgencyDayTally``, ``AgencyMonthTally``)."""
    rolled: Buckets = defaultdict(Counter)
    for (day, key), metrics in buckets.items():
        rolled[(day, (key[0], key[1], key[3]))].update(metrics)
    return rolled


def increment_sql(table: str, key: Iterable[str], sums: Iterable[str]) -> str:
    """An upsert that adds to the sums of the row with this key (PostgreSQL and SQLite).
    Only column names of our own models go into the text; the values are parameters."""
    key, sums = list(key), list(sums)
    columns = ", ".join([*key, *sums])
    placeholders = ", ".join(["%s"] * (len(key) + len(sums)))
    updates = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in sums)
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
    )


def _add(model, bucket: str, deltas: Buckets) -> None:
    rows = [
        (day, *key, *(metrics.get(m, 0) for m in model.METRICS))
        for (day, key), metrics in sorted(deltas.items())
        if any(metrics.values())
    ]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(
                increment_sql(model._meta.db_table, [bucket, *model.KEY], model.METRICS), rows
            )


def take_turn(agency_id: int | None) -> None:
    """Waits for the transactions adding to tally rows before this one to commit.

    One transaction may add to several rows (a day's and a month's, an old agency's and a new
    one's, once per announcement), in no order that holds across transactions; taking turns
    keeps two of them from each waiting for a row the other holds. The audit chain's head comes
    first, as in every change of a dossier, so that a transaction whose turn it is never waits
    for a head. (SQLite lets one transaction write at a time already.)"""
    audit.hold_chain(agency_id)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TURN])


def apply(old: DossierFact | None, new: DossierFact | None) -> None:
    """Moves the tallies from ``old``'s contribution to ``new``'s; runs in the caller's
    transaction."""
    deltas = contributions(old, -1)
    contributions(new, 1, deltas)
    deltas = {bucket: metrics for bucket, metrics in deltas.items() if any(metrics.values())}
    by_desk = _clean(receipts(new, 1, receipts(old, -1)))
    if not deltas and not by_desk:
        return
    take_turn((new or old).agency_id)
    months = by_month(deltas)
    _add(DayTally, "day", deltas)
    _add(MonthTally, "month", months)
    _add(AgencyDayTally, "day", by_agency(deltas))
    _add(AgencyMonthTally, "month", by_agency(months))
    _add(ReceiptDayTally, "day", by_desk)


def refresh(dossier_id: int) -> None:
    """Brings one dossier's fact and its contribution up to date (inside a transaction)."""
    new = facts_module.compute([dossier_id])[dossier_id] if dossier_id else None
    old = DossierFact.objects.filter(pk=dossier_id).first()
    if facts_module.same(old, new):
        return
    apply(old, new)
    if new is None:
        DossierFact.objects.filter(pk=dossier_id).delete()
    else:
        new.save(force_insert=old is None)


def recomputed_facts(batch_size: int = 5000) -> Iterator[list[DossierFact]]:
    """Every dossier's fact computed from scratch, a batch at a time, in id order."""
    last = 0
    dossiers = Dossier.objects.order_by("pk").values(*facts_module.DOSSIER_FIELDS)
    while True:
        rows = list(dossiers.filter(pk__gt=last)[:batch_size])
        if not rows:
            return
        first, last = rows[0]["id"], rows[-1]["id"]
        facts = facts_module.compute_rows(rows, id_range=(first, last))
        yield [fact for fact in facts.values() if fact is not None]


def stored(model, bucket: str) -> Buckets:
    rows: Buckets = {}
    for row in model.objects.values(bucket, *model.KEY, *model.METRICS).iterator(chunk_size=5000):
        metrics = Counter({m: row[m] for m in model.METRICS if row[m]})
        if metrics:
            rows[(row[bucket], tuple(row[k] for k in model.KEY))] = metrics
    return rows


def _clean(buckets: Buckets) -> Buckets:
    return {
        bucket: Counter({m: v for m, v in metrics.items() if v})
        for bucket, metrics in buckets.items()
        if any(metrics.values())
    }


def _insert(model, columns: list[str], rows: Iterable[tuple], batch_size: int) -> None:
    """Bulk insert of plain rows; on PostgreSQL through COPY: Django's bulk_create prepares
    each value in Python and cost 3/4 of a rebuild's time at 100,000 dossiers."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            (model(**dict(zip(columns, row, strict=True))) for row in rows),
            batch_size=batch_size,
        )
        return
    sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


FACT_COLUMNS = [field.attname for field in DossierFact._meta.concrete_fields]


def rebuild(batch_size: int = 5000, progress=None) -> int:
    """Replaces every fact and tally by a recount; returns the number of facts."""
    with transaction.atomic():
        tables: tuple[type[Model], ...] = (
            DayTally,
            MonthTally,
            AgencyDayTally,
            AgencyMonthTally,
            ReceiptDayTally,
        )
        for model in tables:
            model._default_manager.all().delete()
        DossierFact.objects.all().delete()
        days: Buckets = defaultdict(Counter)
        by_desk: Buckets = defaultdict(Counter)
        count = 0
        for batch in recomputed_facts(batch_size):
            _insert(
                DossierFact,
                FACT_COLUMNS,
                ([getattr(fact, name) for name in FACT_COLUMNS] for fact in batch),
                batch_size,
            )
            for fact in batch:
                contributions(fact, 1, days)
                receipts(fact, 1, by_desk)
            count += len(batch)
            if progress:
                progress(count)
        months = by_month(days)
        for model, bucket, buckets in (
            (DayTally, "day", days),
            (MonthTally, "month", months),
            (AgencyDayTally, "day", by_agency(days)),
            (AgencyMonthTally, "month", by_agency(months)),
            (ReceiptDayTally, "day", by_desk),
        ):
            _insert(
                model,
                [bucket, *model.KEY, *model.METRICS],
                (
                    (day, *key, *(metrics.get(name, 0) for name in model.METRICS))
                    for (day, key), metrics in _clean(buckets).items()
                ),
                batch_size,
            )
    return count


def differences(batch_size: int = 5000, limit: int = 20) -> list[str]:
    """Where the stored facts and tallies disagree with a recount (empty when they agree)."""
    problems: list[str] = []
    recounted: Buckets = defaultdict(Counter)
    by_desk: Buckets = defaultdict(Counter)
    fact_count = 0
    for batch in recomputed_facts(batch_size):
        stored_facts = DossierFact.objects.in_bulk([fact.pk for fact in batch])
        for fact in batch:
            contributions(fact, 1, recounted)
            receipts(fact, 1, by_desk)
            if not facts_module.same(stored_facts.get(fact.pk), fact):
                problems.append(f"dossier {fact.pk}: its stored fact differs from a recount")
        fact_count += len(batch)
    extra = DossierFact.objects.count() - fact_count
    if extra > 0:
        problems.append(f"{extra} stored facts belong to dossiers that count nowhere")
    recounted = _clean(recounted)
    months = by_month(recounted)
    for model, bucket, expected in (
        (DayTally, "day", recounted),
        (MonthTally, "month", _clean(months)),
        (AgencyDayTally, "day", _clean(by_agency(recounted))),
        (AgencyMonthTally, "month", _clean(by_agency(months))),
        (ReceiptDayTally, "day", _clean(by_desk)),
    ):
        actual = stored(model, bucket)
        for at in sorted(expected.keys() | actual.keys()):
            if expected.get(at, Counter()) != actual.get(at, Counter()):
                problems.append(
                    f"{model.__name__} {at[0]} {at[1]}: stored {dict(actual.get(at, {}))}, "
                    f"recounted {dict(expected.get(at, {}))}"
                )
    return problems[:limit] if limit else problems
