"""Search across the registers: number, notation, subject, sender and dates, accent- and
case-insensitive, always narrowed to the agencies a person may see.

Each document keeps ``search_text``: its number, notation, subject, sender and type, accent-free,
lower-case and padded with spaces, so a query word matches the start of a word. On PostgreSQL a
trigram index serves ``LIKE '% word%'`` (migration 0002)."""

import datetime

from django.db.models import Q, QuerySet

from egov.accounts import scoping
from egov.core.text import normalize_search_text
from egov.documents.models import OfficialDocument


def text_of(document: OfficialDocument) -> str:
    parts = [
        document.reference,
        document.reference.replace("/", " ").replace("-", " "),
        str(document.number or ""),
        document.number_display,
        document.subject,
        document.sender_name,
        document.sender_code,
        document.get_document_type_display() if document.document_type else "",
    ]
    return f" {normalize_search_text(' '.join(p for p in parts if p))} "


def index(document: OfficialDocument) -> None:
    text = text_of(document)
    if text != document.search_text:
        OfficialDocument.objects.filter(pk=document.pk).update(search_text=text)
        document.search_text = text


def chunks(query: str) -> list[str]:
    """The query's words, a word of one or two letters kept with the next one ("so y te", "ke
    hoach"): alone it would match nearly every document, and a trigram index cannot narrow it."""
    words = normalize_search_text(query).split()[:12]
    found, pending = [], []
    for word in words:
        pending.append(word)
        if len(word) >= 3:
            found.append(" ".join(pending))
            pending = []
    if pending:
        if found:
            found[-1] = f"{found[-1]} {' '.join(pending)}"
        else:
            found.append(" ".join(pending))
    return found


def search(
    user,
    query: str = "",
    *,
    direction: str | None = None,
    agency_ids=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    document_type: str | None = None,
    state: str | None = None,
) -> QuerySet[OfficialDocument]:
    documents = OfficialDocument.objects.all()
    # A clerk of the whole city sees every agency: no list of agencies to filter by.
    if not scoping.covers_everything(user):
        documents = scoping.scoped(documents, user)
    if agency_ids:
        documents = documents.filter(agency_id__in=agency_ids)
    if direction:
        documents = documents.filter(direction=direction)
    if document_type:
        documents = documents.filter(document_type=document_type)
    if state:
        documents = documents.filter(state=state)
    if date_from:
        documents = documents.filter(
            Q(document_date__gte=date_from)
            | Q(document_date__isnull=True, created_at__date__gte=date_from)
        )
    if date_to:
        documents = documents.filter(
            Q(document_date__lte=date_to)
            | Q(document_date__isnull=True, created_at__date__lte=date_to)
        )
    for chunk in chunks(query):
        documents = documents.filter(search_text__contains=f" {chunk}")
    return documents.select_related("agency").defer("body", "search_text").order_by("-id")
