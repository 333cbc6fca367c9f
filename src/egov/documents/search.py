"""Search across the registers: number, notation, subject, sender and dates, accent- and
case-insensitive, always narrowed to the agencies a person may see.

Each document keeps ``search_text``: its number, notation, subject, sender and type, accent-free,
lower-case and padded with spaces, so a query word matches the start of a word. Its words are
also kept in ``DocumentWord`` under the document's agency (a B-tree on agency, word, document).
A query first counts, up to ``RARE``, the entries of each of its words within the person's
agencies, then reads the documents of its rarest word (or of all its words, when every one is
common) and checks the whole query on those alone. At a million documents a common phrase is
found in 70,000 of them, but a query's rarest word under one agency holds a few hundred.

When every word is common across several agencies (a city-wide clerk's "quyết toán ngân
sách"), PostgreSQL's full-text index over the search text answers: it is asked for whole words
(``tsquery``), which it intersects as compressed lists. Without it (SQLite), or for a query of
words of one or two letters, the newest documents are walked back first, then the text asked."""

import datetime
import re
from functools import cached_property

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.db.models.functions import StrIndex

from egov.accounts import scoping
from egov.core.paging import CappedPaginator, rows_by_ids
from egov.core.text import normalize_search_text
from egov.documents.models import DocumentWord, DocumentWordForm, OfficialDocument
from egov.organizations.models import Agency

WORD_LENGTH = 64
PLAIN_WORD = re.compile(r"[a-z0-9]+")
# A beginning standing for more whole words than this is asked as a beginning (search.tsquery).
MAX_FORMS = 32
# Above this many entries in the person's agencies a word is common: the search then narrows by
# all its words in the word table before it reads any document.
RARE = 2000
# The first window of ids the newest page of a common search reads (SearchPaginator).
WINDOW = 2000
# How far back (in ids) a search of common words across agencies looks for more matches than
# the cap before it asks the trigram index instead: a walk of 30,000 documents costs about what
# the index does, and finds the cap when at least one document in 30 matches.
WALK_REACH = 30_000


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
    words = sorted(words_of(text))
    DocumentWord.objects.bulk_create(
        [
            DocumentWord(agency_id=document.agency_id, word=word, document_id=document.pk)
            for word in words
        ],
        ignore_conflicts=True,
    )
    DocumentWordForm.objects.bulk_create(
        [DocumentWordForm(word=word) for word in words], ignore_conflicts=True
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


class HasWords(Func):
    """``text`` holds the words of a full-text query (PostgreSQL): the expression of the index
    of migration 0004, so that the index serves it."""

    template = "(to_tsvector('simple'::regconfig, %(expressions)s))"
    arg_joiner = ") @@ to_tsquery('simple'::regconfig, "
    output_field = BooleanField()


def tsquery(query_chunks: list[str]) -> str:
    """A full-text query (PostgreSQL, ``simple`` configuration) that every match satisfies:
    one word of each chunk, its longest, preferring a word another follows in the chunk
    (whole) to the chunk's last (a beginning). A beginning is asked as the whole words the
    registers hold that start with it (``DocumentWordForm``): the index reads a beginning
    (``giam:*``) into a bitmap of every list first, 150 ms for three common words at a million
    documents against 20-30 ms for the whole words. One word a chunk is enough, its neighbours
    come with it. Only plain words of letters and digits are asked (the parser reads
    "01/stp-vp" as one token); a chunk without one is checked by its text alone. Empty when no
    chunk has such a word."""
    terms = []
    for chunk in query_chunks:
        words = chunk.split()
        candidates = [
            (position < len(words) - 1, len(word), word)
            for position, word in enumerate(words)
            if kept(word) and PLAIN_WORD.fullmatch(word) and len(word) < WORD_LENGTH
        ]
        if not candidates:
            continue
        whole, _length, word = max(candidates)
        terms.append(word if whole else _beginning(word))
    return " & ".join(dict.fromkeys(terms))


def _beginning(word: str) -> str:
    """The whole words that start with ``word``, as one alternative; the beginning itself
    (``word:*``) when they are many or one is not a plain word (its token would be another)."""
    forms = list(
        DocumentWordForm.objects.filter(word__gte=word, word__lt=_after(word))
        .order_by("word")
        .values_list("word", flat=True)[: MAX_FORMS + 1]
    )
    if not forms:
        return word  # in no register: matches nothing, as the text would not
    if len(forms) > MAX_FORMS or not all(
        PLAIN_WORD.fullmatch(form) and len(form) < WORD_LENGTH for form in forms
    ):
        return f"{word}:*"
    return forms[0] if len(forms) == 1 else f"({' | '.join(forms)})"


def _after(word: str) -> str:
    """The first string after every word starting with ``word`` (bytes order)."""
    return word[:-1] + chr(ord(word[-1]) + 1)


def _entries(word: str, whole: bool, agency_ids: list[int]):
    entries = DocumentWord.objects.filter(agency_id__in=agency_ids)
    if whole:
        return entries.filter(word=word)
    # The words that start with ``word``: one range of the index (the column compares bytes).
    return entries.filter(word__gte=word, word__lt=_after(word))


def _visible_agency_ids(everything: bool, scope: list[int], agency_ids) -> list[int]:
    if not everything:
        return scope
    visible = Agency.objects.all()
    if agency_ids:
        visible = visible.filter(pk__in=agency_ids)
    return list(visible.values_list("pk", flat=True))


def _narrow(documents, query_chunks, visible):
    """``documents`` narrowed by the word table; the chunks it answers (None: it does not
    narrow, the text alone is checked); and whether a rare word bounds the matches. A chunk of
    one word is the word table's own question (a word of the text starts with it), so its text
    is not checked again: PostgreSQL, expecting few documents to match a text, would read them
    all first."""
    words = lookups(query_chunks)
    if not words:
        return documents, None, False  # only short words ("y te"): the text alone is checked
    counted = []
    for word, whole in words:
        count = _entries(word, whole, visible)[:RARE].count()
        if count == 0:
            return documents.none(), set(), True
        counted.append((count, word, whole))
    counted.sort()
    if counted[0][0] >= RARE and len(visible) > 1:
        # Every word is common across several agencies (a city-wide clerk's "ke hoach"): the
        # word lists to intersect hold tens of thousands of documents each, where the trigram
        # index (PostgreSQL) intersects compressed lists; the text alone is asked.
        return documents, None, False
    # Common words often come together ("giam dinh"): every one of them narrows then.
    leaders = counted[:1] if counted[0][0] < RARE else counted
    for _count, word, whole in leaders:
        documents = documents.filter(pk__in=_entries(word, whole, visible).values("document_id"))
    answered = {word for _count, word, whole in leaders if not whole}
    return documents, answered, counted[0][0] < RARE


def search(user, query: str = "", **filters) -> QuerySet[OfficialDocument]:
    """The documents ``user`` may see that match ``query`` and ``filters``, newest first."""
    return _found(user, query, **filters)[0]


class SearchPaginator(CappedPaginator):
    """The search page's pages. The matches are counted (up to the cap) from the word table;
    past the cap, the newest page is read by walking the person's newest documents and checking
    the text, without the word table: with more than a thousand matches they are close together
    there, while the word table would hand every document of a common word to be sorted."""

    def __init__(self, found, per_page, **kwargs):
        narrowed, self.newest_first, self.bounded, self.common = found
        super().__init__(narrowed, per_page, **kwargs)
        # The ids of the newest matches, when a walk back through the newest documents found
        # more than the cap of them.
        self.newest: list[int] | None = None

    @cached_property
    def _matches(self) -> list[tuple]:
        if self.common:
            # Only common words, across agencies: when they come together often (a phrase
            # found in 7% of a million documents), the newest few thousand documents hold more
            # matches than the cap, found in one walk that also gives every page (the trigram
            # index read 70,000 documents to count them: 120-270 ms).
            ids = newest_ids(self.newest_first, self.cap + 1, reach=WALK_REACH)
            if len(ids) > self.cap:
                self.newest = ids
                return [(pk, pk) for pk in ids]
        return super()._matches

    def page(self, number):
        # Led by a rare word, the matches are few enough to sort in one query.
        if not self.capped or self.bounded:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.newest is not None:
            ids = self.newest[bottom : bottom + self.per_page]
        else:
            ids = newest_ids(self.newest_first, bottom + self.per_page)[bottom:]
        return self._get_page(  # type: ignore[attr-defined]
            rows_by_ids(self.newest_first, ids), number, self
        )


def newest_ids(
    documents: QuerySet[OfficialDocument], wanted: int, reach: int | None = None
) -> list[int]:
    """The ids of the ``wanted`` newest of ``documents``, read in windows of ids going back,
    each twice as wide as the one before, no further back than ``reach`` ids from the newest
    when given. Asked in one query, PostgreSQL expects few documents to match a text and sorts
    all of them (0.7 s for a common phrase at a million); a window bounds what each query
    reads, and with more than a thousand matches the first ones hold the page."""
    top = OfficialDocument.objects.order_by("-pk").values_list("pk", flat=True).first()
    found: list[int] = []
    high, width = (top or 0) + 1, WINDOW
    floor = 0 if reach is None else max(high - reach, 0)
    while len(found) < wanted and high > floor:
        width = min(width, high - floor)
        low = max(high - width, 0)
        window = documents.filter(pk__gte=low, pk__lt=high).values_list("pk", flat=True)
        found += window[: wanted - len(found)]
        high, width = low, width * 2
    return found


def paginator(user, query: str, per_page: int, **filters) -> SearchPaginator:
    return SearchPaginator(_found(user, query, **filters), per_page)


def _found(
    user,
    query: str = "",
    *,
    direction: str | None = None,
    agency_ids=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    document_type: str | None = None,
    state: str | None = None,
) -> tuple[QuerySet[OfficialDocument], QuerySet[OfficialDocument], bool, bool]:
    """The matches narrowed by the word table, the same matches without it, whether a rare
    word bounds them, and whether only common words across agencies were asked (the text
    alone then answers)."""
    documents = OfficialDocument.objects.all()
    # A clerk of the whole city sees every agency: no list of agencies to filter by. The scope
    # is read once, as ids, for the documents and the word table alike.
    everything = scoping.covers_everything(user)
    scope: list[int] = []
    if not everything:
        scope = list(scoping.agency_scope(user).values_list("pk", flat=True))
        if agency_ids:
            scope = [pk for pk in scope if pk in set(agency_ids)]
        documents = documents.filter(agency_id__in=scope)
    elif agency_ids:
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
    documents = documents.select_related("agency").defer("body", "search_text").order_by("-id")
    query_chunks = chunks(query)
    visible = _visible_agency_ids(everything, scope, agency_ids) if query_chunks else []
    narrowed, answered, bounded = (
        _narrow(documents, query_chunks, visible) if query_chunks else (documents, None, False)
    )
    walked = documents
    common = bool(query_chunks) and answered is None and len(visible) > 1
    words_query = tsquery(query_chunks) if common and connection.vendor == "postgresql" else ""
    if words_query:
        narrowed = narrowed.filter(HasWords(F("search_text"), Value(words_query)))
    for index, chunk in enumerate(query_chunks):
        # Checked on the documents the word table gave, or in a window of the newest ones,
        # never through the trigram index: PostgreSQL would read its lists for the whole city.
        found_at = {f"at_{index}": StrIndex("search_text", Value(f" {chunk}"))}
        walked = walked.alias(**found_at).filter(**{f"at_{index}__gt": 0})
        if common and not words_query:
            # The text alone (no word narrows) across agencies: the trigram index (PostgreSQL)
            # serves it. For one agency its own documents are fewer than a common trigram's.
            narrowed = narrowed.filter(search_text__contains=f" {chunk}")
        elif (answered is None or chunk not in answered) and (not common or words_query):
            narrowed = narrowed.alias(**found_at).filter(**{f"at_{index}__gt": 0})
    # Without the words' index (SQLite), the newest documents are walked first (SearchPaginator).
    return narrowed, walked, bounded, common and not words_query
