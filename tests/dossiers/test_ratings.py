"""The applicant rates how a closed dossier was handled: the nine indicators, once, in time."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from egov.accounts import services as accounts
from egov.accounts.models import User
from egov.core.models import AuditEvent
from egov.dossiers import processing, ratings, reception, services
from egov.dossiers.models import Dossier, Rating
from tests.dossiers import closing
from tests.dossiers.conftest import MONDAY, PDF

pytestmark = pytest.mark.django_db

GOOD = {name: 2 for name in Rating.SCORES} | {"publicity": 1, "online_service": 1}


@pytest.fixture(autouse=True)
def _no_scanner(settings):
    settings.EGOV_MALWARE_SCANNER = "none"


@pytest.fixture
def returned(record_version, citizen, people):
    return closing.returned(record_version, citizen, people)


@pytest.fixture
def neighbour(db):
    return accounts.create_user(
        actor=None,
        username="hangxom",
        password=None,
        kind=User.Kind.CITIZEN,
        email="hangxom@example.vn",
    )


def test_the_applicant_rates_a_returned_dossier(returned, citizen, people, agencies):
    rating = ratings.rate(returned, citizen, GOOD, "  Cán bộ nhiệt tình.  ")
    rating.refresh_from_db()
    assert rating.total == 16 and ratings.total(rating) == 16
    assert ratings.grade(rating.total) == "Xuất sắc"
    assert rating.comment == "Cán bộ nhiệt tình."
    # Copied for the statistics: who processed it (the return cleared the holder), where it
    # was received and where decided.
    assert returned.assignee is None
    assert (rating.staff, rating.receiving_agency, rating.deciding_agency) == (
        people["specialist"],
        agencies["city"],
        agencies["justice"],
    )
    assert rating.province_code == returned.province_code
    event = AuditEvent.objects.get(action="dossiers.rated")
    assert event.actor_id == citizen.pk and event.after["total"] == 16
    assert event.object_id == str(returned.pk)


def test_a_dossier_refused_at_the_desk_or_in_processing_can_be_rated_too(
    record_version, citizen, people
):
    at_desk = reception.refuse(
        closing.submitted(record_version, citizen), officer=people["desk"], reason="Sai thủ tục"
    )
    rating = ratings.rate(at_desk, citizen, {name: 0 for name in Rating.SCORES})
    assert rating.staff is None  # before any step: counted for the agency only
    assert ratings.grade(ratings.total(rating)) == "Yếu"
    dossier = processing.take(
        closing.received(record_version, citizen, people), actor=people["specialist"]
    )
    refused = processing.refuse(dossier, actor=people["specialist"], reason="Không đủ điều kiện")
    assert ratings.rate(refused, citizen, GOOD).staff == people["specialist"]


def test_a_dossier_still_in_progress_or_withdrawn_cannot_be_rated(record_version, citizen, people):
    in_progress = closing.result_ready(record_version, citizen, people)
    with pytest.raises(ValidationError) as refused:
        ratings.rate(in_progress, citizen, GOOD)
    assert "trả kết quả" in refused.value.messages[0]
    withdrawn = services.withdraw(
        closing.submitted(record_version, citizen), applicant=citizen, reason="Không cần nữa"
    )
    with pytest.raises(ValidationError):
        ratings.rate(withdrawn, citizen, GOOD)
    assert not Rating.objects.exists()


def test_another_citizen_cannot_rate(returned, neighbour):
    with pytest.raises(Dossier.DoesNotExist):
        ratings.rate(returned, neighbour, GOOD)
    assert not Rating.objects.exists()


def test_the_same_rating_again_changes_nothing_a_different_one_is_refused(returned, citizen):
    first = ratings.rate(returned, citizen, GOOD, "Tốt")
    again = ratings.rate(returned, citizen, GOOD, "Tốt")  # a retried request
    assert again.pk == first.pk
    with pytest.raises(ValidationError) as refused:
        ratings.rate(returned, citizen, GOOD | {"staff_attitude": 0}, "Tốt")
    assert refused.value.code == "already_rated" and "đã đánh giá" in refused.value.messages[0]
    assert Rating.objects.get().staff_attitude == 2
    assert AuditEvent.objects.filter(action="dossiers.rated").count() == 1


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        (GOOD | {"total_time": 3}, "total_time"),
        (GOOD | {"feedback": -1}, "feedback"),
        (GOOD | {"one_stop": "2"}, "one_stop"),
        (GOOD | {"publicity": True}, "publicity"),
        (GOOD | {"agency_time": 1.5}, "agency_time"),
        ({k: v for k, v in GOOD.items() if k != "online_service"}, "online_service"),
        (GOOD | {"speed": 2}, "__all__"),
    ],
)
def test_bad_scores_are_refused_with_the_indicator_named(returned, citizen, scores, field):
    with pytest.raises(ValidationError) as refused:
        ratings.rate(returned, citizen, scores)
    assert field in refused.value.message_dict
    message = " ".join(refused.value.message_dict[field])
    assert any(words in message for words in ("0, 1 hoặc 2", "Hãy chọn", "Không có chỉ số"))
    assert not Rating.objects.exists()
    assert not AuditEvent.objects.filter(action="dossiers.rated").exists()


def test_scores_must_be_a_mapping_and_the_comment_plain_text(returned, citizen):
    with pytest.raises(ValidationError):
        ratings.rate(returned, citizen, [2] * 9)
    with pytest.raises(ValidationError) as long_comment:
        ratings.rate(returned, citizen, GOOD, "x" * 1001)
    assert "comment" in long_comment.value.message_dict
    with pytest.raises(ValidationError):
        ratings.rate(returned, citizen, GOOD, "bell\x07")
    assert not Rating.objects.exists()


def test_the_window_closes_after_the_configured_days(
    record_version, citizen, people, settings, time_machine
):
    settings.EGOV_RATING_WINDOW_DAYS = 30
    time_machine.move_to(MONDAY, tick=False)
    late = closing.returned(record_version, citizen, people)
    in_time = closing.returned(record_version, citizen, people)
    assert ratings.deadline(in_time) == MONDAY + datetime.timedelta(days=30)
    time_machine.move_to(MONDAY + datetime.timedelta(days=29), tick=False)
    assert ratings.rate(in_time, citizen, GOOD)
    time_machine.move_to(MONDAY + datetime.timedelta(days=31), tick=False)
    with pytest.raises(ValidationError) as refused:
        ratings.rate(late, citizen, GOOD)
    assert "Thời hạn đánh giá hồ sơ này đã kết thúc ngày 30/12/2026" in refused.value.messages[0]


def test_the_database_refuses_a_score_out_of_range_and_a_second_rating(returned, citizen, agencies):
    fields = {
        "dossier": returned,
        "applicant": citizen,
        "receiving_agency": agencies["city"],
        "deciding_agency": agencies["city"],
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(**fields, **(GOOD | {"staff_attitude": 3}))
    Rating.objects.create(**fields, **GOOD)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(**fields, **GOOD)


def test_suggested_answers_come_from_the_dossier_record(
    record_version, citizen, people, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    early = closing.returned(record_version, citizen, people)
    assert early.returned_at < early.due_at
    assert ratings.suggested_scores(early) == {
        "total_time": 2,
        "desk_contacts": 2,
        "agency_time": 2,
    }
    dossier = closing.submitted(record_version, citizen)
    reception.request_supplement(dossier, officer=people["desk"], items=["Bản sao CCCD"])
    requirement = record_version.requirements.get()
    services.attach(
        dossier, applicant=citizen, requirement_id=requirement.pk, name="cccd.pdf", data=PDF
    )
    reception.answer_supplement(dossier, applicant=citizen)
    dossier = reception.receive(dossier, officer=people["desk"])
    dossier = processing.take(dossier, actor=people["specialist"])
    processing.attach_result(
        dossier, actor=people["specialist"], name="kq.pdf", data=closing.RESULT_PDF
    )
    # The specialist hands it on three weeks later, long after the appointment.
    time_machine.move_to(MONDAY + datetime.timedelta(days=21), tick=False)
    dossier = processing.advance(Dossier.objects.get(pk=dossier.pk), actor=people["specialist"])
    late = processing.return_result(dossier, actor=people["desk"])
    assert ratings.suggested_scores(late) == {
        "total_time": 0,
        "desk_contacts": 1,
        "agency_time": 0,
    }


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (18, "Xuất sắc"),
        (15, "Xuất sắc"),
        (14.9, "Tốt"),
        (12, "Tốt"),
        (11.5, "Khá"),
        (9, "Khá"),
        (8, "Trung bình"),
        (6, "Trung bình"),
        (5.9, "Yếu"),
        (0, "Yếu"),
    ],
)
def test_grades_follow_the_bands(total, grade):
    assert ratings.grade(total) == grade


def test_the_indicators_are_the_models_columns_in_order():
    assert tuple(indicator.name for indicator in ratings.INDICATORS) == Rating.SCORES
    assert all(
        [score for score, _text in indicator.options] == [2, 1, 0]
        for indicator in ratings.INDICATORS
    )
