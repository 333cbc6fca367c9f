"""The message log's writer outside a transaction, as the gateway's workers use it: concurrent
appends of one process are committed together (group commit) and still chained and signed one
by one; a failed write leaves the chain as it was."""

import threading
import time
import uuid
from unittest import mock

import pytest
from django.db import IntegrityError, connection

from egov.exchange import messagelog
from egov.exchange.models import LogHead, MessageRecord

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def platform_key(transactional_db, pki_settings, dev_pki):
    issued = dev_pki.issue("LGSP", key_type="ec-p256")
    return messagelog.install_platform_key(issued.certificate, issued.key)


def _exchange(number: int, message_id: uuid.UUID | None = None) -> messagelog.Exchange:
    return messagelog.Exchange(
        client_code="so-tu-phap/mot-cua",
        service_code="dan-cu",
        method="POST",
        path=f"cong-dan/{number}",
        purpose="Giải quyết thủ tục hành chính",
        subject_ref="",
        status=200,
        outcome="forwarded",
        request_body=b"{}",
        response_body=b'{"ho_ten": "A"}',
        keep_bodies=number % 2 == 0,
        client_signature="x.y.z",
        duration_ms=1,
        message_id=message_id or uuid.uuid4(),
    )


def _problems() -> list[str]:
    return [f"#{p.seq} {p.reason}" for p in messagelog.verify(check_timestamps=False)]


def test_outside_a_transaction_a_record_is_committed_and_chained(platform_key):
    assert not connection.in_atomic_block
    first = messagelog.append(_exchange(1))
    second = messagelog.append(_exchange(2))
    assert (first.seq, second.seq) == (1, 2)
    assert second.prev_hash == first.record_hash
    assert MessageRecord.objects.get(pk=second.pk).record_hash == second.record_hash
    assert LogHead.objects.get().last_hash == second.record_hash
    assert _problems() == []


def test_concurrent_appends_are_written_together_and_each_is_chained(platform_key):
    messagelog.platform_key()  # loaded once, before the threads
    threads, per_thread = 6, 8
    start = threading.Barrier(threads)
    errors: list[BaseException] = []
    batches: list[int] = []
    write = messagelog._write

    def counting(exchanges):
        batches.append(len(exchanges))
        time.sleep(0.02)  # a slow disk: the other threads' records queue up meanwhile
        return write(exchanges)

    def work(offset: int) -> None:
        try:
            start.wait()
            for number in range(per_thread):
                messagelog.append(_exchange(offset * 100 + number))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch("egov.exchange.messagelog._write", side_effect=counting):
        workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
    assert errors == []
    assert sum(batches) == threads * per_thread
    assert max(batches) > 1  # written together: fewer transactions than records
    seqs = list(MessageRecord.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, threads * per_thread + 1))
    assert _problems() == []


def test_a_failed_write_fails_its_calls_and_leaves_the_chain_as_it_was(platform_key):
    first = messagelog.append(_exchange(1))
    with pytest.raises(IntegrityError):  # the same message id again: the INSERT fails
        messagelog.append(_exchange(2, message_id=first.message_id))
    assert LogHead.objects.get().last_seq == 1
    assert MessageRecord.objects.count() == 1
    # The connection was rolled back and is usable; the next record follows the first.
    third = messagelog.append(_exchange(3))
    assert (third.seq, third.prev_hash) == (2, first.record_hash)
    assert _problems() == []


def test_an_altered_or_deleted_record_written_together_is_detected(platform_key):
    with mock.patch.object(messagelog._GroupWriter, "MAX_BATCH", 3):
        records = messagelog._write([_exchange(n) for n in range(3)])
    assert [r.seq for r in records] == [1, 2, 3]
    assert _problems() == []
    MessageRecord.objects.filter(seq=2).update(path="cong-dan/khac")
    assert "#2 the record's content does not match its hash" in _problems()
    MessageRecord.objects.filter(seq=2).delete()
    assert "#2 records #2–#2 are missing" in _problems()
