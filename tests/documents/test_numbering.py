"""Numbers per register and calendar year from 01, notations of Nghị định 30/2020 Phụ lục I."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from egov.documents import numbering, services
from egov.documents.models import DocumentRegister, OfficialDocument, RegisterSequence

pytestmark = pytest.mark.django_db
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _document(agency, **fields):
    fields.setdefault("subject", "Về việc thử")
    return OfficialDocument(agency=agency, direction="out", state="approved", **fields)


def test_numbers_follow_each_other_per_register_and_year(setup_agencies):
    register = numbering.register_for(_document(setup_agencies["justice"]))
    assert [numbering.next_number(register, 2026) for _ in range(3)] == [1, 2, 3]
    assert numbering.next_number(register, 2027) == 1  # a new year starts again at 01
    assert RegisterSequence.objects.get(register=register, year=2026).last == 3


def test_notations(setup_agencies, office):
    justice = setup_agencies["justice"]
    general = numbering.register_for(_document(justice))
    decision = _document(justice, document_type="QĐ", year=2026)
    assert numbering.reference(15, numbering.notation(decision, general)) == "15/QĐ-STP"
    letter = _document(justice, document_type="CV", drafting_unit=office)
    assert numbering.reference(120, numbering.notation(letter, general)) == "120/STP-VP"
    assert numbering.reference(7, numbering.notation(_document(justice), general)) == "07/STP"
    legal = services.create_register(
        justice,
        actor=None,
        direction="out",
        name="Sổ văn bản quy phạm pháp luật",
        kind=DocumentRegister.Kind.LEGAL_NORMATIVE,
    )
    normative = _document(justice, document_type="QĐ", legal_normative=True, year=2026)
    assert numbering.register_for(normative) == legal
    assert numbering.notation(normative, legal) == "2026/QĐ-STP"


def test_a_register_for_named_types_and_a_board_with_its_own_numbering(setup_agencies):
    justice = setup_agencies["justice"]
    invitations = services.create_register(
        justice, actor=None, direction="out", name="Sổ giấy mời", document_types=["GM"]
    )
    board = services.create_register(
        justice,
        actor=None,
        direction="out",
        name="Hội đồng thi đua",
        issuer_abbreviation="HĐTĐ",
        kind=DocumentRegister.Kind.OWN_BODY,
    )
    assert numbering.register_for(_document(justice, document_type="GM")) == invitations
    assert numbering.register_for(_document(justice, document_type="QĐ")).kind == "admin"
    assert numbering.notation(_document(justice, document_type="QĐ"), board) == "QĐ-HĐTĐ"


def test_missing_profile_and_registers_are_explained(agencies):
    with pytest.raises(ValidationError, match="viết tắt"):
        numbering.profile_of(agencies["city"])
    with pytest.raises(ValidationError, match="sổ văn bản đi"):
        numbering.register_for(_document(agencies["city"]))
    with pytest.raises(ValidationError):
        services.create_register(
            agencies["city"], actor=None, direction="out", name="S", document_types=["XYZ"]
        )


def test_issue_across_the_year_boundary(issued):
    with time_machine.travel(datetime.datetime(2026, 12, 31, 16, 55, tzinfo=VN), tick=False):
        last = issued()
    with time_machine.travel(datetime.datetime(2027, 1, 1, 7, 30, tzinfo=VN), tick=False):
        first = issued()
    assert (last.year, last.number, last.reference) == (2026, 1, "01/STP-VP")
    assert (first.year, first.number, first.reference) == (2027, 1, "01/STP-VP")
    assert first.document_date == datetime.date(2027, 1, 1)
