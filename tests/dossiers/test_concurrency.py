"""Concurrent writers on PostgreSQL: 50 citizens submit to the same agency at the same moment
(50 codes, no duplicate, no gap); two specialists take the same dossier (one wins)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from egov.core import audit
from egov.core.models import AuditEvent
from egov.dossiers import processing, services, transitions
from egov.dossiers.models import DailySequence, Dossier
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers are a PostgreSQL property; SQLite has one writer",
)
def test_fifty_parallel_submissions(record_version, citizen, settings):
    settings.EGOV_MALWARE_SCANNER = "none"
    agency = services.receiving_agency_for(record_version)
    requirement = record_version.requirements.get()
    drafts = []
    for _ in range(50):
        dossier = services.start(applicant=citizen, version=record_version, agency=agency)
        services.save_answers(
            dossier,
            applicant=citizen,
            answers={"ho_ten_tre": "A", "ngay_sinh": "2026-01-05", "gioi_tinh": "Nam"},
        )
        services.attach(
            dossier, applicant=citizen, requirement_id=requirement.pk, name="a.pdf", data=PDF
        )
        drafts.append(dossier)
    barrier = threading.Barrier(50)
    errors = []

    def submit(dossier):
        try:
            barrier.wait()
            services.submit(dossier, applicant=citizen)
        except Exception as exc:  # collected and reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(int(code[-4:]) for code in Dossier.objects.values_list("code", flat=True))
    assert numbers == list(range(1, 51))
    assert DailySequence.objects.get().last == 50
    # Fifty writers appended to the one audit chain at once: each got its own link, unbroken.
    assert AuditEvent.objects.filter(action="dossiers.submitted").count() == 50
    assert list(audit.verify_chain()) == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers are a PostgreSQL property; SQLite has one writer",
)
def test_two_specialists_take_the_same_dossier_at_once(received, people):
    colleague, specialist = people["colleague"], people["specialist"]
    barrier = threading.Barrier(2)
    outcomes = {}

    def take(user, revision):
        try:
            barrier.wait()
            processing.take(received, actor=user, revision=revision)
            outcomes[user.username] = "took it"
        except (transitions.StaleDossier, ValidationError) as exc:
            outcomes[user.username] = type(exc).__name__
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=take, args=(user, received.revision))
        for user in (specialist, colleague)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["StaleDossier", "took it"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "took it")
    assert Dossier.objects.get(pk=received.pk).assignee.username == winner
    assert received.steps.get(finished_at__isnull=True).assignee.username == winner


def test_twenty_identical_requests_at_once_make_one_dossier_and_one_201(record_version, citizen):
    """A client retrying a timed-out request many times at once: one draft, and only one caller
    is told it created it (201); the others get the same dossier (200)."""
    from django.test import Client

    from egov.accounts import tokens

    token = tokens.create(citizen, name="race")[1]
    body = {"procedure_code": record_version.procedure.code, "answers": {"ho_ten_tre": "An"}}
    barrier = threading.Barrier(20)
    answers = []

    def create():
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        try:
            barrier.wait()
            response = client.post(
                "/api/v1/dossiers",
                body,
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY="retry-1",
            )
            answers.append((response.status_code, response.json().get("id")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * 19 + [201], answers
    assert len({dossier for _, dossier in answers}) == 1
    assert Dossier.objects.count() == 1
