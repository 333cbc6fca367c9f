"""Search across the registers: number, notation, subject, sender and dates, accent- and
case-insensitive, always narrowed to the agencies a person may see.

Each document keeps ``search_text``: its number, notation, subject, sender and type, accent-free,
lower-case and padded with spaces, so a query word matches the start of a word. Its words are
also kept in ``DocumentWord`` under the document's agency (a B-tree on agency, word, document).
A query first counts, up to ``RARE``, the entries of each of its words within the person's
agencies, then reads the documents of its rarest word (or of its two rarest, when every word is
common) and checks the whole query on those alone. At a million documents a common phrase is
found in 70,000 of them, but a query's rarest word under one agency holds a few hundred."""

import datetime

from django.db.models import Q, QuerySet

from egov.accounts import scoping
from egov.core.text import normalize_search_text
from egov.documents.models import DocumentWord, OfficialDocument
from egov.organizations.models import Agency

WORD_LENGTH = 64
# Above this many entries in the person's agencies a word is common: the search then narrows by
# its two rarest words in the word table before it reads any document.
RARE = 2000


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


def kept(word: str) -> bool:
    """Words of one or two letters ("y", "te", "so") are in most documents and lead no search:
    they are left out of the word table. Numbers are kept whatever their length ("15")."""
    return len(word) >= 3 or any(ch in "0123456789" for ch in word)


def words_of(text: str) -> set[str]:
    return {word[:WORD_LENGTH] for word in text.split() if kept(word)}


def index(document: OfficialDocument) -> None:
    """Brings the search text and the word table up to date, in the caller's transaction."""
    text = text_of(document)
    if text != document.search_text:
        OfficialDocument.objects.filter(pk=document.pk).update(search_text=text)
        document.search_text = text
        DocumentWord.objects.filter(document_id=document.pk).delete()
    elif DocumentWord.objects.filter(document_id=document.pk).exists():
        return
    DocumentWord.objects.bulk_create(
        [
            DocumentWord(agency_id=document.agency_id, word=word, document_id=document.pk)
            for word in sorted(words_of(text))
        ],
        ignore_conflicts=True,
    )


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


def lookups(query_chunks: list[str]) -> list[tuple[str, bool]]:
    """The words to look up in the word table, each with whether it must be whole: a word
    followed by another in its chunk ends there ("giam" in "giam dinh" typed as one chunk is
    not "giamx"); the last word of a chunk may be the beginning of a word."""
    found: dict[str, bool] = {}
    for chunk in query_chunks:
        words = chunk.split()
        for position, word in enumerate(words):
            whole = position < len(words) - 1 and len(word) <= WORD_LENGTH
            if kept(word):
                found[word[:WORD_LENGTH]] = found.get(word[:WORD_LENGTH], False) or whole
    return sorted(found.items(), key=lambda item: (-len(item[0]), item[0]))[:4]


def _entries(word: str, whole: bool, agency_ids: list[int]):
    entries = DocumentWord.objects.filter(agency_id__in=agency_ids)
    if whole:
        return entries.filter(word=word)
    # The words that start with ``word``: one range of the index (the column compares bytes).
    return entries.filter(word__gte=word, word__lt=word[:-1] + chr(ord(word[-1]) + 1))


def _visible_agency_ids(user, agency_ids) -> list[int]:
    visible = (
        Agency.objects.all() if scoping.covers_everything(user) else scoping.agency_scope(user)
    )
    if agency_ids:
        visible = visible.filter(pk__in=agency_ids)
    return list(visible.values_list("pk", flat=True))


def _narrow(documents, user, query_chunks, agency_ids):
    words = lookups(query_chunks)
    if not words:
        return documents  # only short words ("y te"): the text alone is checked
    visible = _visible_agency_ids(user, agency_ids)
    counted = []
    for word, whole in words:
        count = _entries(word, whole, visible)[:RARE].count()
        if count == 0:
            return documents.none()
        counted.append((count, word, whole))
    counted.sort()
    leaders = counted[:1] if counted[0][0] < RARE else counted[:2]
    for _count, word, whole in leaders:
        documents = documents.filter(pk__in=_entries(word, whole, visible).values("document_id"))
    return documents


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
    query_chunks = chunks(query)
    if query_chunks:
        documents = _narrow(documents, user, query_chunks, agency_ids)
    for chunk in query_chunks:
        documents = documents.filter(search_text__contains=f" {chunk}")
    return documents.select_related("agency").defer("body", "search_text").order_by("-id")
