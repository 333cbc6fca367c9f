"""The register search's word table: the words of every document under its agency, kept up to
date by every write (draft, revision, issue, arrival, registration, paper), written for the
documents already there by the migration, and read by the search for its rarest word alone."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.documents import incoming, search, services
from egov.documents.models import DocumentWord, DocumentWordForm, OfficialDocument, Recipient
from tests.signatures.fixtures import make_pdf

pytestmark = pytest.mark.django_db


def words(document) -> set[str]:
    return set(DocumentWord.objects.filter(document=document).values_list("word", flat=True))


def test_every_write_keeps_the_words(issued, draft, people, setup_agencies):
    document = draft(subject="Về việc kế hoạch thủy lợi")
    assert {"viec", "hoach", "thuy", "loi"} <= words(document)
    assert not {"ve", "ke"} & words(document)  # one or two letters lead no search
    services.revise(document, actor=people["specialist"], subject="Về việc quyết toán ngân sách")
    assert "thuy" not in words(document) and {"quyet", "toan", "ngan"} <= words(document)
    assert set(DocumentWord.objects.filter(document=document).values_list("agency", flat=True)) == {
        setup_agencies["justice"].pk
    }

    letter = issued()
    assert {"01/stp-vp", "01", "stp", "giam", "phap"} <= words(letter)
    copy = Recipient.objects.get(document=letter).copy
    health = setup_agencies["health"].pk
    assert {"01/stp-vp", "giam", "tu", "phap"} - {"tu"} <= words(copy)
    assert DocumentWord.objects.filter(document=copy, agency_id=health).count() == len(words(copy))
    incoming.register(copy, actor=people["health_clerk"])
    assert "1" in words(copy)  # the incoming number (số đến)

    paper = incoming.register_paper(
        setup_agencies["health"],
        actor=people["health_clerk"],
        subject="Giấy mời họp giao ban",
        sender_name="Bảo hiểm xã hội thành phố",
        reference="45/GM-BHXH",
        scan=("giay-moi.pdf", make_pdf()),
    )
    assert {"45/gm-bhxh", "bhxh", "giao", "hiem", "2"} <= words(paper)
    assert list(search.search(people["health_clerk"], "bảo hiểm giao ban")) == [paper]
    assert list(search.search(people["health_clerk"], "45/GM")) == [paper]


def test_the_rarest_word_leads(draft, people, monkeypatch):
    clerk = people["clerk"]
    common = [draft(subject=f"Về việc kế hoạch tuyển dụng đợt {n}") for n in range(4)]
    rare = draft(subject="Về việc kế hoạch thủy lợi mùa khô")
    with CaptureQueriesContext(connection) as queries:
        assert list(search.search(clerk, "ke hoach thuy")) == [rare]
    found = queries.captured_queries[-1]["sql"]
    assert "documents_documentword" in found and "'thuy'" in found and "'hoach'" not in found

    # When every word is common, the two rarest narrow the documents together.
    monkeypatch.setattr(search, "RARE", 1)
    assert list(search.search(clerk, "ke hoach tuyen dung")) == common[::-1]
    # A word that no document of the agency holds answers at once, without reading documents.
    with CaptureQueriesContext(connection) as queries:
        assert list(search.search(clerk, "ke hoach hoả táng")) == []
    assert not any("documents_officialdocument" in q["sql"] for q in queries.captured_queries)
    # Words start words: "thuy l" finds "thủy lợi"; "uy loi" does not.
    assert list(search.search(clerk, "thuy l")) == [rare]
    assert list(search.search(clerk, "huy loi")) == []
    # Only one- and two-letter words: the text alone is checked.
    assert list(search.search(clerk, "mùa kh")) == [rare]


def test_the_migration_writes_the_words_of_documents_already_there(draft):
    from django.apps import apps

    documents = [draft(subject=f"Về việc giám định pháp y số {n}") for n in (7, 12)]
    expected = {d.pk: words(d) for d in documents}
    DocumentWord.objects.all().delete()
    migration = importlib.import_module("egov.documents.migrations.0003_search_words")
    # What the migration is handed: its connection, and a way to run SQL (PostgreSQL).
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.backfill(apps, editor)
    assert {d.pk: words(d) for d in documents} == expected
    assert expected[documents[0].pk] >= {"giam", "dinh", "phap", "7"}
    assert OfficialDocument.objects.count() == 2


def test_past_the_cap_the_newest_page_is_read_in_windows(draft, people, monkeypatch):
    clerk = people["clerk"]
    found = [draft(subject=f"Về việc kế hoạch tuyển dụng đợt {n}") for n in range(7)]
    draft(subject="Về việc thủy lợi")
    monkeypatch.setattr(search, "WINDOW", 1)  # one id, then two, four...
    monkeypatch.setattr(search, "RARE", 1)  # no rare word bounds the matches
    paginator = search.SearchPaginator(search._found(clerk, "tuyen dung"), 2, cap=3)
    assert paginator.capped
    assert list(paginator.page(1)) == found[:-3:-1]
    assert list(paginator.page(2)) == found[-3:-5:-1]
    uncapped = search.paginator(clerk, "tuyen dung", 5)
    assert uncapped.count == 7 and list(uncapped.page(2)) == found[1::-1]


def test_words_common_across_agencies_are_asked_of_the_text(
    draft, people, make_staff, setup_agencies, monkeypatch
):
    from egov.accounts.models import Role

    city = make_staff("vanthu.tp", setup_agencies["city"], Role.CLERK, include_subtree=True)
    letter = draft(subject="Về việc kế hoạch tuyển dụng")
    monkeypatch.setattr(search, "RARE", 1)
    with CaptureQueriesContext(connection) as queries:
        assert list(search.search(city, "tuyen dung")) == [letter]
    assert "documents_documentword" not in queries.captured_queries[-1]["sql"]
    # One agency's clerk: its own word lists are short, they narrow.
    with CaptureQueriesContext(connection) as queries:
        assert list(search.search(people["clerk"], "tuyen dung")) == [letter]
    assert "documents_documentword" in queries.captured_queries[-1]["sql"]


def test_typed_beginnings_become_the_whole_words_of_the_registers(draft, issued, monkeypatch):
    """The full-text query of a city-wide search: one word a chunk, a word followed by another
    as it is, the last one as the whole words that start with it (docs/documents.md)."""
    draft(subject="Về việc kế hoạch tuyển dụng")
    draft(subject="Về việc bảo mật tuyệt đối")
    issued()  # 01/STP-VP: its words "01" and "01/stp-vp" start alike
    assert DocumentWordForm.objects.filter(word__in=["tuyen", "tuyet", "hoach"]).count() == 3
    assert search.tsquery(search.chunks("tuy")) == "(tuyen | tuyet)"
    assert search.tsquery(search.chunks("ke hoach tuyen")) == "hoach & tuyen"
    assert search.tsquery(search.chunks("phap y")) == "phap"  # "y" may begin any word
    assert search.tsquery(search.chunks("so y te")) == ""  # no word to ask: the text alone
    # "01/stp-vp" is one token of the parser, not "01": the beginning itself is asked.
    assert search.tsquery(search.chunks("01")) == "01:*"
    assert search.tsquery(search.chunks("khongco")) == "khongco"  # in no register
    monkeypatch.setattr(search, "MAX_FORMS", 1)
    assert search.tsquery(search.chunks("tuy")) == "tuy:*"


def test_the_migration_writes_the_word_forms(draft):
    from django.apps import apps

    draft(subject="Về việc giám định pháp y")
    DocumentWordForm.objects.all().delete()
    migration = importlib.import_module("egov.documents.migrations.0004_search_word_forms")
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.backfill(apps, editor)
    assert set(DocumentWordForm.objects.values_list("word", flat=True)) == set(
        DocumentWord.objects.values_list("word", flat=True)
    )


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_city_wide_search_of_common_words_asks_the_full_text_index(
    draft, make_staff, setup_agencies, monkeypatch
):
    from egov.accounts.models import Role

    city = make_staff("vanthu.tp", setup_agencies["city"], Role.CLERK, include_subtree=True)
    letter = draft(subject="Về việc kế hoạch tuyển dụng")
    other = draft(subject="Về việc bảo mật tuyệt đối")
    tools = draft(subject="Về việc dụng cụ tuyển sinh")  # both words, apart
    monkeypatch.setattr(search, "RARE", 1)
    with CaptureQueriesContext(connection) as queries:
        assert list(search.search(city, "tuyen dung")) == [tools, letter]
    sql = queries.captured_queries[-1]["sql"]
    assert "to_tsquery('simple'::regconfig, 'tuyen & dung')" in sql
    assert "documents_documentword" not in sql
    assert list(search.search(city, "tuy")) == [tools, other, letter]
    assert list(search.search(city, "ke hoach tuyen d")) == [letter]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'documents_search_words'")
        assert cursor.fetchone() == (1,)


def test_past_the_cap_a_walk_through_the_newest_documents_counts_and_pages(
    draft, make_staff, setup_agencies, monkeypatch
):
    """Words too short for any index ("so y te"), across agencies: the newest documents are
    walked back first, and when they hold more matches than the cap, that walk answers the
    count and every page; otherwise the text is asked of all of them."""
    from egov.accounts.models import Role

    city = make_staff("vanthu.tp", setup_agencies["city"], Role.CLERK, include_subtree=True)
    letters = [draft(subject=f"Về việc góp ý Sở Y tế lần {n}") for n in range(4)]
    draft(subject="Về việc thủy lợi")
    walked = search.SearchPaginator(search._found(city, "so y te"), 1, cap=2)
    assert walked.count == 3 and walked.capped and walked.newest is not None
    assert [list(walked.page(n)) for n in (1, 2, 3)] == [[d] for d in letters[:0:-1]]
    monkeypatch.setattr(search, "WALK_REACH", 1)  # the newest document alone: not enough
    asked = search.SearchPaginator(search._found(city, "so y te"), 1, cap=2)
    assert asked.count == 3 and asked.capped and asked.newest is None
    assert list(asked.page(2)) == [letters[2]]
