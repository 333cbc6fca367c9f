"""Public tracking answers from the shared cache and never shows an outdated state."""

import pytest
from django.db import transaction

from egov.dossiers import reception, services, tracking

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def submitted(complete_draft, citizen):
    return services.submit(complete_draft, applicant=citizen)


def test_a_repeated_look_up_reads_no_database(local_cache, submitted, django_assert_num_queries):
    with django_assert_num_queries(1):  # the dossier with its names and its history
        first = tracking.lookup(submitted.code)
    with django_assert_num_queries(0):
        again = tracking.lookup(submitted.code.lower())
    assert again == first
    assert first["status"] == "submitted" and first["status_label"]
    assert [event["status"] for event in first["history"]] == ["submitted"]


def test_a_change_is_visible_at_once(local_cache, submitted, citizen, people):
    assert tracking.lookup(submitted.code)["status"] == "submitted"
    reception.receive(submitted, officer=people["desk"])
    found = tracking.lookup(submitted.code)
    assert found["status"] == "in_progress"
    assert [e["status"] for e in found["history"]][:2] == ["submitted", "received"]
    services.withdraw(submitted, applicant=citizen, reason="Tôi nộp nhầm")
    assert tracking.lookup(submitted.code)["status"] == "withdrawn"


def test_the_answer_is_dropped_again_when_the_change_commits(
    local_cache, submitted, citizen, django_capture_on_commit_callbacks
):
    tracking.lookup(submitted.code)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.withdraw(submitted, applicant=citizen, reason="Tôi nộp nhầm")
        # A look-up before the commit reads the old state and caches it ...
        local_cache.set(tracking._key(submitted.code), {"stale": True})
    # ... and the commit drops it.
    assert tracking.lookup(submitted.code)["status"] == "withdrawn"


def test_labels_follow_the_visitor_language(local_cache, submitted, client):
    vietnamese = client.get(f"/api/v1/tracking/{submitted.code}").json()
    client.cookies["django_language"] = "en"
    english = client.get(f"/api/v1/tracking/{submitted.code}").json()
    assert english["status"] == vietnamese["status"] == "submitted"
    assert english["status_label"] != vietnamese["status_label"]
    assert english["history"][0]["status_label"] == english["status_label"]


def test_drafts_and_unknown_codes_are_not_found(local_cache, draft, client):
    assert tracking.lookup("not a code") is None
    assert tracking.lookup("000.00.00.H13-000101-0001") is None
    assert local_cache.get(tracking._key("000.00.00.H13-000101-0001")) is None
    assert client.get("/api/v1/tracking/000.00.00.H13-000101-0001").status_code == 404
