"""Two clerks issuing at the same moment: no number given twice or skipped (PostgreSQL)."""

import pytest
from django.db import connection

from egov.documents import numbering
from egov.documents.models import OfficialDocument
from tests.queueing.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers are a PostgreSQL property; SQLite has one writer",
    ),
]


def test_thirty_numbers_taken_at_once(setup_agencies):
    from django.db import transaction

    justice = setup_agencies["justice"]
    register = numbering.register_for(
        OfficialDocument(agency=justice, direction="out", subject="x")
    )

    def take(_):
        with transaction.atomic():
            return numbering.next_number(register, 2026)

    results, errors = run_together(take, range(30))
    assert errors == []
    assert sorted(results) == list(range(1, 31))


def test_two_clerks_issue_at_once(issued, draft, people):
    from egov.documents import services

    documents = []
    for _ in range(4):
        document = draft()
        services.submit(document, actor=people["specialist"])
        services.approve_and_sign(document, actor=people["leader"])
        documents.append(document)

    results, errors = run_together(
        lambda document: services.issue(document, actor=people["clerk"]), documents
    )
    assert errors == []
    assert sorted(d.number for d in results) == [1, 2, 3, 4]
    assert len({d.reference for d in results}) == 4
