import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

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
    with connection.cursor() as cursor:
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
