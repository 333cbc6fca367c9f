"""Files that follow the database transaction that wrote them.

A file is written to storage at once (the row that names it is written in the same
transaction), and removed again if that transaction, or the savepoint it was written in, rolls
back: a failed receipt must not leave a PDF of personal data on disk with no row pointing at it.

How: each write registers a callback with ``transaction.on_commit``. Django calls the callbacks
of a committed transaction and drops, without calling them, those of a rolled-back transaction
or savepoint. A callback that is dropped without having been called is garbage, and its
finalizer removes the file. Outside a transaction the callback runs at once and the file stays.
"""

import logging
import weakref

from django.core.files.base import ContentFile
from django.db import transaction

logger = logging.getLogger(__name__)


def _remove_unless_kept(state: dict) -> None:
    if state["kept"]:
        return
    try:
        state["storage"].delete(state["name"])
    except Exception:  # a file that cannot be removed is logged, never a second failure
        logger.exception("could not remove %s after its transaction rolled back", state["name"])
    else:
        logger.info("removed %s: its transaction rolled back", state["name"])


class _KeepOnCommit:
    def __init__(self, storage, name: str, using: str | None):
        self.state = {"storage": storage, "name": name, "kept": False}
        weakref.finalize(self, _remove_unless_kept, self.state)
        transaction.on_commit(self, using=using)

    def __call__(self) -> None:
        self.state["kept"] = True


def follow_transaction(storage, name: str, using: str | None = None) -> None:
    """Removes the stored file ``name`` if the current transaction does not commit."""
    _KeepOnCommit(storage, name, using)


def save(field_file, name: str, data: bytes | ContentFile, using: str | None = None) -> str:
    """``field_file.save(name, data, save=False)``, with the file removed again if the current
    transaction (or savepoint) rolls back. Returns the name the storage chose."""
    content = data if isinstance(data, ContentFile) else ContentFile(data)
    field_file.save(name, content, save=False)
    follow_transaction(field_file.storage, field_file.name, using)
    return field_file.name
