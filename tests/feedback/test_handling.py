"""The agency's work on a report and the reporter's answer to it: every step with its history,
audit record and message."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from egov.accounts.models import Role
from egov.core.audit import verify_chain
from egov.core.models import AuditEvent
from egov.feedback import links, services
from egov.feedback.models import Attribute, Rating, Report, ReportEvent
from egov.notifications.models import Notification
from tests.feedback.conftest import NINH_KIEU_POINT, draft, jpeg

pytestmark = pytest.mark.django_db
S = Report.Status


@pytest.fixture
def report(categories, citizen, boundaries):
    return services.submit(
        draft(categories["rubbish"], reporter=citizen, attributes={"kind": "household"})
    )


def messages_about(report, event=None):
    rows = Notification.objects.filter(object_type="feedback.report", object_id=str(report.pk))
    return rows.filter(event=event) if event else rows


def test_the_reporter_is_told_of_the_receipt_with_their_link(report, citizen):
    sent = messages_about(report, "feedback.received").get()
    assert sent.recipient == citizen and sent.channel == "email"
    assert report.code in sent.subject
    assert links.reporter_path(report) in sent.body


def test_an_anonymous_reporter_with_a_phone_hears_by_sms(categories):
    anonymous = services.submit(draft(categories["light"], contact_phone="0912 345 678"))
    sent = messages_about(anonymous, "feedback.received").get()
    assert sent.channel == "sms" and sent.address == "0912345678"


def test_a_reporter_who_left_no_contact_is_not_messaged(categories):
    anonymous = services.submit(draft(categories["light"]))
    assert not messages_about(anonymous).exists()


def test_assign_takes_the_report_up(report, handler, make_staff, communes):
    colleague = make_staff("canbo2.nk", communes["ninh_kieu_committee"], Role.SPECIALIST)
    services.assign(report, actor=handler, assignee=colleague)
    report.refresh_from_db()
    assert report.status == S.IN_PROGRESS and report.assignee == colleague
    kinds = list(report.events.values_list("kind", "public"))
    assert (ReportEvent.Kind.ASSIGNED, False) in kinds  # the name is for staff only
    assert (ReportEvent.Kind.STARTED, True) in kinds
    assert messages_about(report, "feedback.updated").count() == 1


def test_assign_only_to_someone_of_the_agency(report, handler, neighbour):
    with pytest.raises(ValidationError):
        services.assign(report, actor=handler, assignee=neighbour)


def test_another_agency_cannot_act(report, neighbour):
    for operation in (
        lambda: services.assign(report, actor=neighbour, assignee=neighbour),
        lambda: services.answer(report, actor=neighbour, text="Đã xử lý xong phản ánh."),
        lambda: services.hide(report, actor=neighbour, reason="Lạm dụng"),
        lambda: services.close(report, actor=neighbour, note="Không thuộc thẩm quyền"),
    ):
        with pytest.raises(PermissionDenied):
            operation()
    report.refresh_from_db()
    assert report.status == S.NEW


def test_transfer_moves_the_report_and_keeps_the_deadline(report, handler, communes):
    due = report.due_at
    services.transfer(
        report,
        actor=handler,
        agency=communes["cai_rang_committee"],
        reason="Địa bàn phường Cái Răng",
    )
    report.refresh_from_db()
    assert report.agency == communes["cai_rang_committee"] and report.status == S.NEW
    assert report.due_at == due
    event = report.events.get(kind=ReportEvent.Kind.TRANSFERRED)
    assert "Cái Răng" in event.note and event.public
    # The giving agency's chain records it; the old agency no longer reaches the report.
    audit = AuditEvent.objects.get(action="feedback.transferred")
    assert audit.agency_id == communes["ninh_kieu_committee"].pk
    with pytest.raises(PermissionDenied):
        services.answer(report, actor=handler, text="Đã xử lý xong phản ánh.")


def test_transfer_needs_a_reason_and_another_agency(report, handler, communes):
    with pytest.raises(ValidationError):
        services.transfer(report, actor=handler, agency=communes["cai_rang_committee"], reason="")
    with pytest.raises(ValidationError):
        services.transfer(
            report, actor=handler, agency=communes["ninh_kieu_committee"], reason="Thử lại"
        )


def test_merge_duplicates_of_the_same_category_nearby(report, handler, categories, citizen):
    twin = services.submit(
        draft(
            categories["rubbish"],
            latitude=NINH_KIEU_POINT[0] + 0.0003,  # about 33 m north
            attributes={"kind": "household"},
            contact_email="nguoi.khac@example.vn",
        )
    )
    assert report in services.duplicate_candidates(twin)
    services.merge(twin, actor=handler, into=report)
    twin.refresh_from_db()
    assert twin.status == S.MERGED and twin.merged_into == report
    assert report.events.filter(kind=ReportEvent.Kind.DUPLICATE, note=twin.code).exists()
    told = messages_about(twin, "feedback.updated").get()
    assert report.code in told.body


def test_merge_refuses_far_away_or_other_category(report, handler, categories):
    far = services.submit(
        draft(categories["rubbish"], latitude=10.05, attributes={"kind": "household"})
    )
    other = services.submit(draft(categories["light"]))
    for duplicate in (far, other):
        with pytest.raises((ValidationError, PermissionDenied)):
            services.merge(duplicate, actor=handler, into=report)
    with pytest.raises(ValidationError):
        services.merge(report, actor=handler, into=report)


def test_answer_then_rate_then_reopen_once(report, handler, citizen):
    services.answer(
        report,
        actor=handler,
        text="Đã thu gom rác và nhắc nhở các hộ dân.",
        files=[services.Upload("after.jpg", jpeg())],
    )
    report.refresh_from_db()
    assert report.status == S.ANSWERED and report.answered_by == handler
    assert report.media.filter(role="answer").count() == 1
    answered = messages_about(report, "feedback.answered").get()
    assert "Đã thu gom rác" in answered.body

    services.rate(report, score=Rating.UNSATISFIED, comment="Rác lại đầy sau hai ngày", by=citizen)
    report.refresh_from_db()
    assert report.rating == Rating.UNSATISFIED

    before = report.due_at
    services.reopen(report, reason="Rác lại bị đổ ra đường.", by=citizen)
    report.refresh_from_db()
    assert report.status == S.IN_PROGRESS and report.reopen_count == 1
    assert report.answered_at is None
    # The time limit runs again from the reopening (the same moment as before when both fall
    # outside working hours, e.g. in the lunch break).
    assert report.due_at == services.due_at(report.reopened_at, report.category) >= before
    assert messages_about(report, "feedback.updated").filter(body__contains="Rác lại").exists()

    services.answer(report, actor=handler, text="Đã lắp biển cấm đổ rác và camera.")
    report.refresh_from_db()
    with pytest.raises(ValidationError):
        services.reopen(report, reason="Vẫn chưa được", by=citizen)


def test_reopen_only_within_the_window(report, handler, settings):
    services.answer(report, actor=handler, text="Đã thu gom rác và nhắc nhở các hộ dân.")
    later = timezone.now() + datetime.timedelta(days=settings.EGOV_FEEDBACK_REOPEN_DAYS + 1)
    with time_machine.travel(later):
        with pytest.raises(ValidationError):
            services.reopen(report, reason="Quá hạn rồi mới mở lại")
        with pytest.raises(ValidationError):
            services.rate(report, score=Rating.SATISFIED)


def test_rate_or_reopen_refused_before_the_answer(report):
    with pytest.raises(ValidationError):
        services.rate(report, score=Rating.SATISFIED)
    with pytest.raises(ValidationError):
        services.reopen(report, reason="Chưa có trả lời")


def test_close_an_open_report_needs_a_note_that_becomes_the_answer(report, handler):
    with pytest.raises(ValidationError):
        services.close(report, actor=handler)
    services.close(report, actor=handler, note="Đã được xử lý trước khi nhận phản ánh.")
    report.refresh_from_db()
    assert report.status == S.CLOSED and report.answer.startswith("Đã được xử lý")
    with pytest.raises(ValidationError):
        services.close(report, actor=handler, note="Lần nữa")


def test_answered_reports_close_after_the_window(report, handler, settings):
    services.answer(report, actor=handler, text="Đã thu gom rác và nhắc nhở các hộ dân.")
    assert services.close_answered() == 0
    later = timezone.now() + datetime.timedelta(days=settings.EGOV_FEEDBACK_REOPEN_DAYS + 1)
    assert services.close_answered(now=later) == 1
    report.refresh_from_db()
    assert report.status == S.CLOSED


def test_hide_redact_and_hide_media(report, handler):
    services.hide(report, actor=handler, reason="Nội dung xúc phạm")
    report.refresh_from_db()
    assert report.is_hidden
    services.show(report, actor=handler)
    services.redact(
        report,
        actor=handler,
        public_description="Rác thải trước nhà số [đã ẩn].",
        reason="Có số điện thoại cá nhân",
    )
    report.refresh_from_db()
    assert report.shown_description.endswith("[đã ẩn].")
    assert report.description != report.shown_description
    with pytest.raises(ValidationError):
        services.hide(report, actor=handler, reason="")


def test_the_audit_chain_holds_after_a_whole_life(report, handler, citizen):
    services.assign(report, actor=handler, assignee=handler)
    services.answer(report, actor=handler, text="Đã thu gom rác và nhắc nhở các hộ dân.")
    services.rate(report, score=Rating.VERY_SATISFIED, by=citizen)
    services.close(report, actor=handler)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "feedback.received",
        "feedback.assigned",
        "feedback.answered",
        "feedback.rated",
        "feedback.closed",
    } <= actions
    assert list(verify_chain()) == []


def test_reporter_signature_is_bound_to_the_code(report, categories):
    other = services.submit(draft(categories["light"]))
    signature = links.reporter_signature(report)
    assert links.is_reporter_signature(report, signature)
    assert not links.is_reporter_signature(other, signature)
    assert not links.is_reporter_signature(report, signature[:-1] + "x")


def test_api_keys_are_issued_and_revoked_by_administrators(make_staff, agencies, handler):
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN, include_subtree=True)
    with pytest.raises(PermissionDenied):
        services.issue_api_key(actor=handler, name="App", contact_email="a@example.vn")
    client, key = services.issue_api_key(
        actor=admin, name="Ứng dụng phản ánh", contact_email="dev@example.vn"
    )
    assert services.client_for_key(key) == client
    assert key not in str(client.__dict__)
    services.revoke_api_key(client, actor=admin)
    assert services.client_for_key(key) is None


def test_transfer_and_close_tell_the_reporter(report, handler, communes, make_staff):
    services.transfer(
        report, actor=handler, agency=communes["cai_rang_committee"], reason="Địa bàn Cái Răng"
    )
    told = messages_about(report, "feedback.updated").get()
    assert "Cái Răng" in told.body and "Địa bàn Cái Răng" in told.body
    officer = make_staff("canbo.cr3", communes["cai_rang_committee"], Role.SPECIALIST)
    services.close(report, actor=officer, note="Đã được xử lý trước khi nhận phản ánh.")
    assert (
        messages_about(report, "feedback.updated")
        .filter(body__contains="Đã được xử lý trước")
        .exists()
    )


def test_closing_after_the_window_tells_the_reporter(report, handler, settings):
    services.answer(report, actor=handler, text="Đã thu gom rác và nhắc nhở các hộ dân.")
    later = timezone.now() + datetime.timedelta(days=settings.EGOV_FEEDBACK_REOPEN_DAYS + 1)
    assert services.close_answered(now=later) == 1
    told = messages_about(report, "feedback.updated").get()
    assert report.code in told.subject and "Đã đóng" in told.subject


@pytest.mark.parametrize("how", ["answer", "close"])
def test_duplicates_hear_the_answer_of_the_report_they_went_into(report, handler, categories, how):
    twin = services.submit(
        draft(
            categories["rubbish"],
            latitude=NINH_KIEU_POINT[0] + 0.0003,
            attributes={"kind": "household"},
            contact_email="nguoi.khac@example.vn",
        )
    )
    services.merge(twin, actor=handler, into=report)
    assert messages_about(twin, "feedback.updated").count() == 1  # told where to follow
    text = "Đã thu gom rác và nhắc nhở các hộ dân."
    if how == "answer":
        services.answer(report, actor=handler, text=text)
    else:
        services.close(report, actor=handler, note=text)
    told = messages_about(twin, "feedback.updated").order_by("id").last()
    assert told.address == "nguoi.khac@example.vn"
    assert text in told.body and report.code in told.body
    assert links.reporter_path(twin) in told.body  # their own page, which links to the other
    # Closing the answered report later tells them nothing new.
    if how == "answer":
        services.close(report, actor=handler)
        assert messages_about(twin, "feedback.updated").count() == 2


def test_every_staff_step_writes_its_audit_record(report, handler, categories, communes, citizen):
    twin = services.submit(
        draft(
            categories["rubbish"],
            latitude=NINH_KIEU_POINT[0] + 0.0003,
            attributes={"kind": "household"},
            files=[services.Upload("a.jpg", jpeg())],
        )
    )
    services.merge(twin, actor=handler, into=report)
    services.hide(report, actor=handler, reason="Nội dung xúc phạm")
    services.show(report, actor=handler)
    services.redact(
        report, actor=handler, public_description="Rác thải [đã ẩn].", reason="Có số nhà riêng"
    )
    services.hide_media(twin.media.get(), actor=handler, reason="Có biển số xe")
    services.answer(report, actor=handler, text="Đã thu gom rác và nhắc nhở các hộ dân.")
    services.reopen(report, reason="Rác lại bị đổ ra đường.", by=citizen)
    services.transfer(
        report, actor=handler, agency=communes["cai_rang_committee"], reason="Địa bàn Cái Răng"
    )
    trail = {
        (event.action, event.object_id, event.actor_id)
        for event in AuditEvent.objects.filter(object_type="feedback.report")
    }
    for action, about, actor in [
        ("feedback.merged", twin, handler),
        ("feedback.hidden", report, handler),
        ("feedback.shown", report, handler),
        ("feedback.redacted", report, handler),
        ("feedback.media_hidden", twin, handler),
        ("feedback.answered", report, handler),
        ("feedback.reopened", report, citizen),
        ("feedback.transferred", report, handler),
    ]:
        assert (action, str(about.pk), actor.pk) in trail, action
    assert list(verify_chain()) == []


@pytest.mark.parametrize(
    ("datatype", "values", "fine"),
    [
        ("singlevaluelist", [{"key": "a", "name": "Một"}, {"key": 2, "name": "Hai"}], True),
        ("multivaluelist", [{"key": "a"}], True),
        ("string", [], True),
        ("singlevaluelist", [], False),  # a list question without choices
        ("multivaluelist", [{"name": "Không có khóa"}], False),
        ("singlevaluelist", [{"key": "a", "name": "Một"}, {"key": "a", "name": "Hai"}], False),
        ("singlevaluelist", {"a": "Một"}, False),
        ("singlevaluelist", ["a", "b"], False),
        ("string", [{"key": "a", "name": "Một"}], False),  # choices on a text question
    ],
)
def test_a_category_s_questions_are_checked(categories, datatype, values, fine):
    question = Attribute(
        category=categories["light"],
        code="q1",
        description="Câu hỏi thử",
        datatype=datatype,
        values=values,
    )
    if fine:
        question.full_clean()
    else:
        with pytest.raises(ValidationError) as excinfo:
            question.full_clean()
        assert "values" in excinfo.value.message_dict


def test_changes_of_questions_are_audited_with_before_and_after(
    categories, make_staff, agencies, handler
):
    admin = make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN, include_subtree=True)
    light = categories["light"]
    before = services.questions_of(light)
    assert set(before) == {"pole"}
    with pytest.raises(PermissionDenied):
        services.record_questions(light, actor=handler, before=before)
    services.record_questions(light, actor=admin, before=before)
    assert not AuditEvent.objects.filter(action="feedback.questions_saved").exists()
    light.attributes.filter(code="pole").update(required=True)
    services.record_questions(light, actor=admin, before=before)
    record = AuditEvent.objects.get(action="feedback.questions_saved")
    assert record.before["questions"]["pole"]["required"] is False
    assert record.after["questions"]["pole"]["required"] is True
    assert list(verify_chain()) == []


def test_reports_merged_earlier_follow_the_report_their_own_went_into(report, handler, categories):
    def near(metres_north: float, email: str) -> Report:
        return services.submit(
            draft(
                categories["rubbish"],
                latitude=NINH_KIEU_POINT[0] + metres_north / 111_320,
                attributes={"kind": "household"},
                contact_email=email,
            )
        )

    first_copy = near(20, "nguoi.mot@example.vn")
    survivor = near(40, "nguoi.hai@example.vn")
    services.merge(first_copy, actor=handler, into=report)
    services.merge(report, actor=handler, into=survivor)
    first_copy.refresh_from_db()
    assert first_copy.merged_into == survivor
    notes = set(
        survivor.events.filter(kind=ReportEvent.Kind.DUPLICATE).values_list("note", flat=True)
    )
    assert notes == {report.code, first_copy.code}
    record = AuditEvent.objects.filter(action="feedback.merged", object_id=str(report.pk)).get()
    assert record.after["followers"] == [first_copy.code]
    services.answer(survivor, actor=handler, text="Đã thu gom rác và nhắc nhở các hộ dân.")
    told = messages_about(first_copy, "feedback.updated").order_by("id").last()
    assert survivor.code in told.body and "Đã thu gom rác" in told.body
