"""A document issued to an agency of the platform arrives there at once; its clerk registers or
refuses it, its leader directs it with a deadline on the working-day calendar, the handler
records progress and replies; each step goes back to the sender as a QCVN 102 status."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from egov.core.models import AuditEvent
from egov.documents import incoming, search, services
from egov.documents.models import DocumentFile, OfficialDocument, Recipient
from tests.signatures.fixtures import make_pdf

pytestmark = pytest.mark.django_db
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _copy(document):
    return Recipient.objects.get(document=document).copy


def test_arrival_registration_and_status_back(issued, people, setup_agencies):
    document = issued()
    copy = _copy(document)
    assert copy.agency == setup_agencies["health"]
    assert (copy.state, copy.channel, copy.reference) == ("arrived", "platform", "01/STP-VP")
    assert copy.exchange_id == f"000.00.03.H13,{document.document_date:%Y/%m/%d},01/STP-VP"
    received = copy.files.get(role=DocumentFile.Role.RECEIVED)
    assert received.sha256 == services.file_of(document, DocumentFile.Role.SIGNED).sha256
    assert Recipient.objects.get(document=document).status == "01"

    with pytest.raises(PermissionDenied):
        incoming.register(copy, actor=people["clerk"])  # the sender's clerk
    incoming.register(copy, actor=people["health_clerk"])
    copy.refresh_from_db()
    assert (copy.state, copy.number, copy.register.direction) == ("registered", 1, "in")
    # Registered (03), then waiting for the leader to assign it (04); directed later: 05.
    assert Recipient.objects.get(document=document).status == "04"
    told = AuditEvent.objects.filter(action="documents.status_received", object_id=document.pk)
    assert [r.after["status"] for r in told.order_by("id")] == ["03", "04"]
    with pytest.raises(ValidationError):
        incoming.register(copy, actor=people["health_clerk"])  # not twice


def test_refusal_with_a_reason(issued, people):
    copy = _copy(issued())
    with pytest.raises(ValidationError, match="lý do"):
        incoming.refuse(copy, actor=people["health_clerk"], reason=" ")
    incoming.refuse(copy, actor=people["health_clerk"], reason="Không đúng thẩm quyền.")
    recipient = Recipient.objects.get(copy=copy)
    assert (recipient.status, recipient.status_note) == ("02", "Không đúng thẩm quyền.")


def test_direction_deadline_across_tet_progress_and_reply(issued, people, setup_agencies):
    copy = _copy(issued())
    incoming.register(copy, actor=people["health_clerk"])
    with time_machine.travel(datetime.datetime(2026, 2, 13, 10, 0, tzinfo=VN), tick=False):
        with pytest.raises(PermissionDenied):
            incoming.direct(
                copy,
                actor=people["health_clerk"],
                instruction="x",
                handler=people["health_handler"],
                days=3,
            )
        incoming.direct(
            copy,
            actor=people["health_leader"],
            instruction="Giao chuyên viên tổng hợp số liệu, trả lời trước hạn.",
            handler=people["health_handler"],
            days=3,
        )
    copy.refresh_from_db()
    # Three working days from Friday 13 February 2026, 10:00: Tết closes 16–20 February.
    assert copy.handling_due == datetime.datetime(2026, 2, 25, 10, 0, tzinfo=VN)
    assert copy.state == "in_progress"
    assert Recipient.objects.get(copy=copy).status == "05"

    with time_machine.travel(datetime.datetime(2026, 2, 24, 9, 0, tzinfo=VN), tick=False):
        assert copy in incoming.queue(people["health_leader"], "due_soon")
        assert copy in incoming.queue(people["health_handler"], "mine")
    with time_machine.travel(datetime.datetime(2026, 2, 25, 11, 0, tzinfo=VN), tick=False):
        assert copy in incoming.queue(people["health_leader"], "overdue")

    with pytest.raises(PermissionDenied):
        incoming.record_progress(copy, actor=people["health_clerk"], text="…")
    incoming.record_progress(copy, actor=people["health_handler"], text="Đã tổng hợp số liệu.")
    reply = services.create_draft(
        setup_agencies["health"],
        actor=people["health_handler"],
        subject="Về việc số liệu",
        body="Sở Y tế gửi số liệu.",
        in_reply_to=copy,
        recipients=[{"kind": "platform", "agency": setup_agencies["justice"]}],
    )
    incoming.complete(copy, actor=people["health_handler"], reply=reply, note="Đã trả lời.")
    copy.refresh_from_db()
    assert copy.state == "done" and copy.replies.get() == reply
    assert Recipient.objects.get(copy=copy).status == "06"


def test_paper_document_is_scanned_and_registered(setup_agencies, people):
    health = setup_agencies["health"]
    with pytest.raises(ValidationError, match="bí mật"):
        incoming.register_paper(
            health,
            actor=people["health_clerk"],
            subject="x",
            sender_name="y",
            secrecy="toi_mat",
            scan=("a.pdf", make_pdf()),
        )
    with pytest.raises(ValidationError, match="bản quét"):
        incoming.register_paper(health, actor=people["health_clerk"], subject="x", sender_name="y")
    first = incoming.register_paper(
        health,
        actor=people["health_clerk"],
        subject="Giấy mời họp giao ban",
        sender_name="Bảo hiểm xã hội thành phố",
        reference="45/GM-BHXH",
        scan=("giay-moi.pdf", make_pdf()),
    )
    second = incoming.register_paper(
        health,
        actor=people["health_clerk"],
        subject="Báo cáo",
        sender_name="Công an",
        scan=("bc.pdf", make_pdf()),
    )
    assert (first.number, second.number, first.channel) == (1, 2, "paper")
    assert first.state == "registered"


def test_revocation_asked_and_agreed(issued, people):
    document = issued()
    copy = _copy(document)
    incoming.register(copy, actor=people["health_clerk"])
    services.revoke(document, actor=people["clerk"], reason="Ban hành nhầm đối tượng.")
    copy.refresh_from_db()
    assert copy.revocation_reason == "Ban hành nhầm đối tượng."
    incoming.answer_revocation(copy, actor=people["health_clerk"], agree=True)
    copy.refresh_from_db()
    assert copy.state == "revoked"
    assert Recipient.objects.get(copy=copy).status == "15"


def test_replacement_marks_the_old_copy(issued, people, draft, setup_agencies):
    old = issued()
    new = draft(replaces=old, subject="Về việc cung cấp số liệu (thay thế)")
    services.submit(new, actor=people["specialist"])
    services.approve_and_sign(new, actor=people["leader"])
    services.issue(new, actor=people["clerk"])
    old.refresh_from_db()
    assert old.state == "replaced"
    assert _copy(old).__class__.objects.get(pk=_copy(old).pk).state == "replaced"


def test_search_is_accent_free_and_scoped(issued, people, make_staff, agencies):
    from egov.accounts.models import Role

    document = issued()
    clerk = people["clerk"]
    assert list(search.search(clerk, "giam dinh phap y")) == [document]
    assert list(search.search(clerk, "01/STP")) == [document]
    assert list(search.search(clerk, "giám định", direction="in")) == []
    outsider = make_staff("vanthu.tgpl", agencies["legal_aid"], Role.CLERK)
    assert list(search.search(outsider, "giam dinh")) == []
    health = list(search.search(people["health_clerk"], "giam dinh"))
    assert [d.direction for d in health] == ["in"]
    assert OfficialDocument.objects.count() == 2


def test_short_words_stay_with_their_neighbour():
    assert search.chunks("Sở Y tế") == ["so y te"]
    assert search.chunks("giám định pháp y") == ["giam", "dinh", "phap y"]
    assert search.chunks("kế hoạch 2025") == ["ke hoach", "2025"]
    assert search.chunks("") == []


def test_clerks_and_handlers_hear_of_their_work(issued, people):
    from egov.notifications.models import Notification

    for key, address in (
        ("health_clerk", "vanthu.syt@example.vn"),
        ("health_handler", "xu@example.vn"),
    ):
        people[key].email = address
        people[key].save(update_fields=["email"])
    copy = _copy(issued(urgency="1"))
    arrived = Notification.objects.get(event="documents.to_handle", address="vanthu.syt@example.vn")
    assert "Khẩn" in arrived.subject and "01/STP-VP" in arrived.subject
    incoming.register(copy, actor=people["health_clerk"])
    incoming.direct(
        copy,
        actor=people["health_leader"],
        instruction="Xử lý.",
        handler=people["health_handler"],
        days=2,
    )
    assigned = Notification.objects.get(address="xu@example.vn")
    assert "Chủ trì xử lý" in assigned.subject and "Hạn xử lý" in assigned.body


def test_a_document_entering_a_register_is_announced_and_found_by_other_apps(
    issued, setup_agencies, people, monkeypatch
):
    """Other apps (personnel) find a document by its number and date, and hear when one enters a
    register, without importing this app (egov.core.references)."""
    from egov.core import events, references

    heard = []
    monkeypatch.setitem(
        events._subscribers, "documents.entered_register", [lambda **payload: heard.append(payload)]
    )
    document = issued()
    assert heard == [
        {
            "public_id": document.public_id,
            "reference": document.reference,
            "document_date": document.document_date,
        }
    ]
    found = references.find_document(document.reference, document.document_date)
    assert found.public_id == document.public_id
    assert references.document_url(found.public_id) == f"/staff/documents/{document.public_id}/"
    paper = incoming.register_paper(
        setup_agencies["health"],
        actor=people["health_clerk"],
        subject="Quyết định về việc nâng bậc lương",
        sender_name="Sở Nội vụ",
        reference="12/QĐ-SNV",
        document_date=datetime.date(2026, 3, 2),
        scan=("qd.pdf", make_pdf()),
    )
    assert heard[-1]["reference"] == "12/QĐ-SNV" and heard[-1]["public_id"] == paper.public_id
    assert references.find_document("12/qđ-snv", datetime.date(2026, 3, 2)).public_id == (
        paper.public_id
    )
