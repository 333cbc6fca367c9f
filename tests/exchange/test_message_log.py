"""The message log proves an exchange and shows an altered or a removed record."""

import pytest
from django.core.management import CommandError, call_command

from egov.exchange import messagelog
from egov.exchange.models import LogTimestamp, MessageRecord


@pytest.fixture
def logged(client, caller):
    for number in range(4):
        assert caller.call(client, f"cong-dan/{number}", sub="001203004567").status_code == 200
    messagelog.stamp_pending()
    return MessageRecord.objects.order_by("seq")


def _problems() -> list[str]:
    return [f"#{p.seq} {p.reason}" for p in messagelog.verify()]


def test_an_intact_log_verifies_with_its_time_stamp(logged, capsys):
    stamp = LogTimestamp.objects.get()
    assert stamp.up_to_seq == 4
    assert _problems() == []
    call_command("verify_message_log", message=str(logged[1].message_id))
    out = capsys.readouterr().out
    assert "time-stamped at" in out and "message log intact: 4" in out


def test_the_subject_is_kept_only_as_a_keyed_hash(logged):
    record = logged[0]
    assert record.subject_ref == messagelog.subject_ref("001203004567")
    assert "001203004567" not in record.subject_ref


def test_an_altered_record_is_detected(logged):
    MessageRecord.objects.filter(seq=2).update(purpose="Mục đích khác")
    assert "#2 the record's content does not match its hash" in _problems()
    with pytest.raises(CommandError):
        call_command("verify_message_log")


def test_a_rehashed_alteration_breaks_the_signature_and_the_next_link(logged):
    record = logged.get(seq=2)
    record.status = 404
    record.record_hash = messagelog.compute_hash(record)
    record.save()
    problems = _problems()
    assert "#2 the platform's signature on the record does not hold" in problems
    assert "#3 the link to the previous record is broken" in problems


def test_a_deleted_record_is_detected(logged):
    MessageRecord.objects.filter(seq=3).delete()
    assert "#3 records #3–#3 are missing" in _problems()


def test_a_deleted_last_record_is_detected(logged):
    MessageRecord.objects.filter(seq=4).delete()
    problems = _problems()
    assert "#4 records after #3 are missing" in problems
    assert "#4 the time-stamped record no longer matches the time-stamp" in problems


def test_an_altered_time_stamp_is_detected(logged):
    stamp = LogTimestamp.objects.get()
    token = bytearray(bytes(stamp.token))
    token[-10] ^= 0xFF
    stamp.token = bytes(token)
    stamp.save()
    assert any(p.startswith("#4 the time-stamp") for p in _problems())


def test_stamping_fails_without_the_authority(logged, client, caller, settings):
    caller.call(client, "x")
    settings.EGOV_TSA_URL = "http://127.0.0.1:9/tsa"
    with pytest.raises(messagelog.LogError):
        messagelog.stamp_pending()
    with pytest.raises(CommandError):
        call_command("stamp_message_log")
