"""Official documents by their number and date, for apps that may not import the documents app.

A decision recorded elsewhere (a civil servant's recruitment, say) cites the document that
carries it: “45/QĐ-UBND of 15/02/2016”. The documents app registers how to find such documents
in its registers and how to link to one; an app below or beside it asks through here, so the
layering holds. With no finder registered nothing is found and the citation stays as written.

When a document enters a register later (issued, or an incoming one registered), the documents
app publishes ``documents.entered_register`` (egov.core.events) with ``public_id``,
``reference`` and ``document_date``, so that a citation recorded before can be linked then.
"""

import datetime
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Key = tuple[str, datetime.date]  # (number and notation, date of the document)


@dataclass(frozen=True)
class DocumentLink:
    public_id: uuid.UUID
    reference: str
    subject: str


Finder = Callable[[list[Key]], dict[Key, DocumentLink]]
_finder: list[Finder] = []
_url: list[Callable[[uuid.UUID], str]] = []


def register(finder: Finder, url: Callable[[uuid.UUID], str]) -> None:
    _finder[:] = [finder]
    _url[:] = [url]


def normalize(reference: str) -> str:
    """How a citation is compared: without spaces, in capitals (“45/qđ-ubnd ” is 45/QĐ-UBND)."""
    return "".join(reference.split()).upper()


def find_documents(keys: Iterable[Key]) -> dict[Key, DocumentLink]:
    """The documents found for the (normalised reference, date) keys; missing keys are absent."""
    wanted = list({(normalize(reference), day) for reference, day in keys if reference and day})
    if not wanted or not _finder:
        return {}
    return _finder[0](wanted)


def find_document(reference: str, day: datetime.date) -> DocumentLink | None:
    return find_documents([(reference, day)]).get((normalize(reference), day))


def document_url(public_id: uuid.UUID) -> str | None:
    """Where the document's page is (its own app scopes who may open it)."""
    return _url[0](public_id) if _url else None
