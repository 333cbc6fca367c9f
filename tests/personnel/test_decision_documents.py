"""A decision is linked to the document of the registers that carries it: found by its number
and date when it is recorded, or linked when the document enters a register later."""

import datetime

import pytest

from egov.core import references
from egov.core.models import AuditEvent
from egov.documents import references as document_references
from egov.documents.models import OfficialDocument
from egov.personnel import services, spreadsheet
from egov.personnel.models import Decision
from tests.personnel.conftest import event
from tests.personnel.test_spreadsheet import EVENTS, PEOPLE, workbook

D = datetime.date
pytestmark = pytest.mark.django_db


def document(agencies, reference, day, state="issued", direction="out"):
    return OfficialDocument.objects.create(
        agency=agencies["city"],
        direction=direction,
        state=state,
        subject="Quyết định về việc tuyển dụng công chức",
        reference=reference,
        document_date=day,
    )


def test_a_decision_in_the_registers_is_linked_when_recorded(client, recruit, agencies, officers):
    issued = document(agencies, "45/QĐ-UBND", D(2021, 2, 15))
    document(agencies, "46/QĐ-UBND", D(2021, 2, 15), state="draft")  # not in a register yet
    person = recruit()
    services.record_event(
        person,
        event("reward", D(2021, 3, 1), detail="Bằng khen", decision_number="45/qđ-UBND ",
              decision_signed_on=D(2021, 2, 15)),
        actor=None,
    )  # fmt: skip
    services.record_event(
        person,
        event("reward", D(2021, 3, 2), detail="Giấy khen", decision_number="46/QĐ-UBND",
              decision_signed_on=D(2021, 2, 15)),
        actor=None,
    )  # fmt: skip
    assert Decision.objects.get(number="45/qđ-UBND").document_id == issued.public_id
    assert Decision.objects.get(number="46/QĐ-UBND").document_id is None
    client.force_login(officers["justice"])
    html = client.get(f"/staff/personnel/{person.public_id}/").content.decode()
    assert f'href="/staff/documents/{issued.public_id}/"' in html


def test_a_document_registered_later_links_the_decisions_that_cite_it(recruit, agencies):
    person = recruit()
    services.record_event(
        person,
        event("reward", D(2022, 5, 1), detail="Giấy khen", decision_number="12/QĐ-SNV",
              decision_signed_on=D(2022, 4, 20)),
        actor=None,
    )  # fmt: skip
    decision = Decision.objects.get(number="12/QĐ-SNV")
    assert decision.document_id is None
    other_day = document(agencies, "12/QĐ-SNV", D(2022, 4, 21), state="registered", direction="in")
    document_references.publish(other_day)
    decision.refresh_from_db()
    assert decision.document_id is None
    arrived = document(agencies, "12/QĐ-SNV", D(2022, 4, 20), state="registered", direction="in")
    document_references.publish(arrived)
    decision.refresh_from_db()
    assert decision.document_id == arrived.public_id
    linked = AuditEvent.objects.get(action="personnel.decision_linked")
    assert linked.object_id == str(decision.pk) and linked.after == {"document": "12/QĐ-SNV"}


def test_the_issuers_document_comes_before_a_receivers_copy(agencies):
    copy = document(agencies, "7/QĐ-UBND", D(2020, 1, 6), state="registered", direction="in")
    own = document(agencies, "7/QĐ-UBND", D(2020, 1, 6))
    assert copy.pk < own.pk
    assert references.find_document("7/QĐ-UBND", D(2020, 1, 6)).public_id == own.public_id
    assert references.find_document("7/QĐ-UBND", D(2020, 1, 7)) is None
    assert references.find_documents([]) == {}


def test_the_import_links_its_decisions(agencies, officers):
    issued = document(agencies, "1/QĐ-UBND", D(2004, 12, 20))
    result = spreadsheet.import_workbook(workbook(PEOPLE, EVENTS), actor=officers["home"])
    assert result.ok, result.report.errors
    assert Decision.objects.get(number="1/QĐ-UBND").document_id == issued.public_id
    assert Decision.objects.get(number="2/QĐ-UBND").document_id is None
