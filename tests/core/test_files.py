"""A file follows the transaction that wrote it: kept when it commits, removed when it (or the
savepoint it was written in) rolls back."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from egov.core import files

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def _write(name: str) -> str:
    stored = default_storage.save(f"tests/{name}", ContentFile(b"%PDF-1.7 personal data"))
    files.follow_transaction(default_storage, stored)
    return stored


def test_a_file_written_in_a_rolled_back_transaction_is_removed():
    with pytest.raises(Boom), transaction.atomic():
        name = _write("receipt.pdf")
        assert default_storage.exists(name)
        raise Boom
    assert not default_storage.exists(name)


def test_a_file_of_a_rolled_back_savepoint_goes_and_the_others_stay(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        kept = _write("kept.pdf")
        try:
            with transaction.atomic():
                lost = _write("lost.pdf")
                raise Boom
        except Boom:
            pass
        assert not default_storage.exists(lost)
    assert default_storage.exists(kept)


def test_a_committed_file_stays(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        name = _write("result.pdf")
    import gc

    gc.collect()
    assert default_storage.exists(name)


def test_a_file_written_outside_a_transaction_stays(settings):
    # No atomic block of our own: the test's transaction holds it, and it has not rolled back.
    name = _write("plain.pdf")
    assert default_storage.exists(name)
