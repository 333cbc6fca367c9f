import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError, OperationalError
from django.utils import timezone

from egov.core import audit
from egov.core.models import AppendOnlyError, AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db


def _append(n=3):
    with transaction.atomic():
        return [
            audit.record(
                actor=None,
                action="test.changed",
                object_type="test.thing",
                object_id=str(i),
                before={"v": i},
                after={"v": i + 1},
            )
            for i in range(n)
        ]


def _tamper(sql, params=()):
    """What an attacker with database access would do: bypass the guards, then write."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
        cursor.execute(sql, params)


def test_records_are_chained_and_verify():
    events = _append(3)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == audit.GENESIS_HASH
    assert events[1].prev_hash == events[0].hash
    assert list(audit.verify_chain()) == []
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (3, events[2].hash)


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit.record(actor=None, action="test.changed", object_type="x")


def test_record_rolls_back_with_the_change():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit.record(actor=None, action="test.changed", object_type="x")
        1 / 0  # noqa: B018 - the business change fails after the record was written
    assert AuditEvent.objects.count() == 0
    assert list(audit.verify_chain()) == []


def test_orm_cannot_change_or_delete_a_record():
    event = _append(1)[0]
    event.action = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_database_refuses_an_update():
    _append(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'forged'")


def test_altered_record_is_found_by_the_command():
    _append(3)
    _tamper("UPDATE core_auditevent SET after = %s WHERE seq = 2", ['{"v": 999}'])
    with pytest.raises(CommandError, match="record #2: record content does not match"):
        call_command("verify_audit")


def test_deleted_record_in_the_middle_is_found():
    _append(3)
    _tamper("DELETE FROM core_auditevent WHERE seq = 2")
    problems = list(audit.verify_chain())
    assert problems[0].seq == 2
    assert "missing" in problems[0].reason


def test_deleted_last_record_is_found():
    _append(3)
    _tamper("DELETE FROM core_auditevent WHERE seq = 3")
    problems = list(audit.verify_chain())
    assert [p.seq for p in problems] == [3]


def test_rewritten_chain_is_found_through_the_head():
    """Recomputing hashes after an edit still breaks the link to the head row."""
    _append(2)
    last = AuditEvent.objects.get(seq=2)
    last.after = {"v": 0}
    new_hash = audit.compute_hash(last)
    _tamper(
        "UPDATE core_auditevent SET after = %s, hash = %s WHERE seq = 2", ['{"v": 0}', new_hash]
    )
    assert [p.seq for p in audit.verify_chain()] == [2]


def test_intact_chain_passes_the_command(capsys):
    _append(2)
    call_command("verify_audit")
    assert "2 records verified" in capsys.readouterr().out


# -- chains ------------------------------------------------------------------------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one transaction write at a time: each record goes to its agency's chain",
)

# Each _in() its own transaction, as in production (not savepoints of the test's transaction).
separate_transactions = pytest.mark.django_db(transaction=True)


def _in(agency_id, n=1):
    with transaction.atomic():
        return [
            audit.record(actor=None, action="test.changed", object_type="x", agency_id=agency_id)
            for _ in range(n)
        ]


@separate_transactions
def test_each_agency_has_its_own_chain():
    _in(7, 2)
    _in(9)
    _in(None)
    _in(7)
    chains = sorted(AuditEvent.objects.values_list("chain", "seq"))
    assert chains == [(0, 1), (7, 1), (7, 2), (7, 3), (9, 1)]
    first_of_nine = AuditEvent.objects.get(chain=9)
    assert first_of_nine.prev_hash == audit.GENESIS_HASH
    assert list(audit.verify_chain()) == []
    heads = {h.chain: h.last_seq for h in AuditChainHead.objects.all()}
    assert heads == {0: 1, 7: 3, 9: 1}


@separate_transactions
def test_a_broken_chain_is_named(capsys):
    _in(7, 2)
    _in(9, 2)
    _tamper("UPDATE core_auditevent SET after = %s WHERE chain = 9 AND seq = 2", ['{"v": 1}'])
    with pytest.raises(CommandError, match="Audit chain 9 broken at record #2: record content"):
        call_command("verify_audit")


@separate_transactions
def test_a_record_moved_to_another_chain_is_found():
    _in(7, 2)
    _in(9, 1)
    _tamper("UPDATE core_auditevent SET chain = 9, seq = 2 WHERE chain = 7 AND seq = 2")
    problems = {(p.chain, p.reason) for p in audit.verify_chain()}
    assert (9, "link to the previous record is broken") in problems
    assert (7, "records after #1 are missing") in problems


@separate_transactions
def test_a_deleted_head_is_found():
    _in(7)
    _in(9)
    _tamper("DELETE FROM core_auditchainhead WHERE chain = 9")
    assert [(p.chain, p.reason) for p in audit.verify_chain()] == [
        (9, "the chain's head row is missing")
    ]


@separate_transactions
def test_a_chain_emptied_of_its_records_is_found():
    _in(7, 2)
    _tamper("DELETE FROM core_auditevent WHERE chain = 7")
    assert [(p.chain, p.seq) for p in audit.verify_chain()] == [(7, 1)]


@separate_transactions
def test_the_command_counts_records_and_chains(capsys):
    _in(7)
    _in(9, 2)
    call_command("verify_audit")
    assert "3 records verified in 2 chain(s)" in capsys.readouterr().out


@on_postgresql
@separate_transactions
def test_a_transaction_appends_to_the_chain_of_its_first_record():
    """Two transactions taking two heads in opposite orders would wait for each other forever."""
    with transaction.atomic():
        audit.record(actor=None, action="test.changed", object_type="x", agency_id=7)
        second = audit.record(actor=None, action="test.changed", object_type="x", agency_id=9)
    assert (second.chain, second.seq, second.agency_id) == (7, 2, 9)
    assert [e.chain for e in _in(9)] == [9]  # the next transaction chooses again
    with transaction.atomic():
        audit.hold_chain(9)
        held = audit.record(actor=None, action="test.changed", object_type="x", agency_id=7)
    assert held.chain == 9
    assert list(audit.verify_chain()) == []


@on_postgresql
def test_a_savepoint_rolled_back_forgets_its_chain():
    with transaction.atomic():
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            audit.record(actor=None, action="test.changed", object_type="x", agency_id=7)
            1 / 0  # noqa: B018 - the inner change fails, its record and its head's lock go
        kept = audit.record(actor=None, action="test.changed", object_type="x", agency_id=9)
    assert (kept.chain, kept.seq) == (9, 1)
    assert list(AuditEvent.objects.values_list("chain", flat=True)) == [9]
    assert list(audit.verify_chain()) == []


@on_postgresql
@separate_transactions
def test_agencies_do_not_wait_for_each_other():
    """While one agency's change is open, another agency's record is written at once, and the
    same agency's next record waits for the commit."""
    _in(7)
    _in(9)  # both chains exist: a first record of a chain waits for any other first record
    holding, release, failures = threading.Event(), threading.Event(), []

    def open_change():
        try:
            with transaction.atomic():
                audit.record(actor=None, action="test.changed", object_type="x", agency_id=7)
                holding.set()
                release.wait(10)
        except Exception as exc:  # reported by the assertion below
            failures.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=open_change)
    thread.start()
    try:
        assert holding.wait(10)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
            other = audit.record(actor=None, action="test.changed", object_type="x", agency_id=9)
        assert (other.chain, other.seq) == (9, 2)
        with pytest.raises(OperationalError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")
            audit.record(actor=None, action="test.changed", object_type="x", agency_id=7)
    finally:
        release.set()
        thread.join(10)
    assert failures == []
    assert AuditChainHead.objects.get(chain=7).last_seq == 2
    assert list(audit.verify_chain()) == []


@separate_transactions
def test_a_trail_from_before_the_chains_carries_on_as_chain_zero():
    """Migration 0005 on a trail written with the single head (its row inserted with id 1): the
    old records verify as chain 0, and new chains get heads of their own."""
    from django.db.migrations.executor import MigrationExecutor

    # Every app's last migration: going back to core 0004 also takes back the apps whose
    # migrations depend on later core ones.
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    MigrationExecutor(connection).migrate([("core", "0004_cache_table")])
    with transaction.atomic(), connection.cursor() as cursor:
        # What the single-head code wrote: the head with an explicit id, then the records.
        cursor.execute(
            "INSERT INTO core_auditchainhead (id, last_seq, last_hash) VALUES (1, 0, %s)",
            [audit.GENESIS_HASH],
        )
    old = AuditEvent(
        seq=1,
        occurred_at=timezone.now(),
        actor_label="system",
        action="test.before",
        object_type="x",
        prev_hash=audit.GENESIS_HASH,
    )
    old.hash = audit.compute_hash(old)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (seq, occurred_at, actor_label, action, object_type, "
            "object_id, object_repr, request_id, prev_hash, hash) "
            "VALUES (1, %s, 'system', 'test.before', 'x', '', '', '', %s, %s)",
            [old.occurred_at, old.prev_hash, old.hash],
        )
        cursor.execute("UPDATE core_auditchainhead SET last_seq = 1, last_hash = %s", [old.hash])
    MigrationExecutor(connection).migrate(latest)
    assert [e.chain for e in _in(None)] == [0]
    assert [e.chain for e in _in(7)] == [7]
    assert sorted(AuditEvent.objects.values_list("chain", "seq")) == [(0, 1), (0, 2), (7, 1)]
    assert list(audit.verify_chain()) == []
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'forged'")


@on_postgresql
@separate_transactions
def test_changes_about_two_agencies_in_opposite_orders_do_not_deadlock():
    """Each transaction records about agencies 7 and 9, one in each order, both at once: with a
    head per record's agency each would hold one head and wait for the other's."""
    _in(7)
    _in(9)
    barrier, failures = threading.Barrier(2, timeout=10), []

    def change(first, second):
        try:
            with transaction.atomic():
                audit.record(actor=None, action="test.one", object_type="x", agency_id=first)
                barrier.wait()
                audit.record(actor=None, action="test.two", object_type="x", agency_id=second)
        except Exception as exc:  # reported by the assertion below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=change, args=pair) for pair in [(7, 9), (9, 7)]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert failures == []
    two = dict(AuditEvent.objects.filter(action="test.two").values_list("agency_id", "chain"))
    assert two == {9: 7, 7: 9}
    assert list(audit.verify_chain()) == []
