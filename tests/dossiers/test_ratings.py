"""The applicant rates how a closed dossier was handled: the nine indicators, once, in time."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from egov.accounts import services as accounts
from egov.accounts.models import Role, User
from egov.core.models import AuditEvent
from egov.dossiers import ratings, reception, services
from egov.dossiers.models import Dossier, Rating
from tests.dossiers import closing

pytestmark = pytest.mark.django_db

GOOD = {name: 2 for name in Rating.SCORES} | {"publicity": 1, "online_service": 1}


@pytest.fixture(autouse=True)
def _no_scanner(settings):
    settings.EGOV_MALWARE_SCANNER = "none"


@pytest.fixture
def officer(make_staff, agencies):
    return make_staff("motcua", agencies["city"], Role.DESK_OFFICER)


@pytest.fixture
def returned(record_version, citizen, officer):
    return closing.returned(record_version, citizen, officer)


@pytest.fixture
def neighbour(db):
    return accounts.create_user(
        actor=None,
        username="hangxom",
        password=None,
        kind=User.Kind.CITIZEN,
        email="hangxom@example.vn",
    )


def test_the_applicant_rates_a_returned_dossier(returned, citizen, officer, agencies):
    rating = ratings.rate(returned, citizen, GOOD, "  Cán bộ nhiệt tình.  ")
    rating.refresh_from_db()
    assert rating.total == 16 and ratings.total(rating) == 16
    assert ratings.grade(rating.total) == "Xuất sắc"
    assert rating.comment == "Cán bộ nhiệt tình."
    # Copied for the statistics: who handled it, where it was received and decided.
    assert (rating.staff, rating.receiving_agency, rating.deciding_agency) == (
        officer,
        agencies["city"],
        agencies["justice"],
    )
    assert rating.province_code == returned.province_code
    event = AuditEvent.objects.get(action="dossiers.rated")
    assert event.actor_id == citizen.pk and event.after["total"] == 16
    assert event.object_id == str(returned.pk)


def test_a_refused_dossier_can_be_rated_too(record_version, citizen, officer, agencies):
    dossier = reception.refuse(
        closing.submitted(record_version, citizen), officer=officer, reason="Thiếu giấy tờ"
    )
    rating = ratings.rate(dossier, citizen, {name: 0 for name in Rating.SCORES})
    assert rating.staff is None  # nobody was assigned yet
    assert ratings.grade(ratings.total(rating)) == "Yếu"


def test_a_dossier_still_in_progress_or_withdrawn_cannot_be_rated(record_version, citizen, officer):
    in_progress = closing.received(record_version, citizen, officer)
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


def test_the_window_closes_after_the_configured_days(record_version, citizen, officer, settings):
    settings.EGOV_RATING_WINDOW_DAYS = 30
    now = timezone.now()
    late = closing.returned(record_version, citizen, officer, when=now - datetime.timedelta(31))
    with pytest.raises(ValidationError) as refused:
        ratings.rate(late, citizen, GOOD)
    assert "Thời hạn đánh giá" in refused.value.messages[0]
    in_time = closing.returned(record_version, citizen, officer, when=now - datetime.timedelta(29))
    assert ratings.rate(in_time, citizen, GOOD)
    assert ratings.deadline(in_time) == in_time.returned_at + datetime.timedelta(30)


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
    record_version, citizen, officer, complete_draft
):
    early = closing.returned(record_version, citizen, officer)
    assert early.returned_at < early.due_at
    assert ratings.suggested_scores(early) == {"total_time": 2, "desk_contacts": 2}
    dossier = services.submit(complete_draft, applicant=citizen)
    reception.request_supplement(dossier, officer=officer, items=["Bản sao CCCD"])
    assert ratings.suggested_scores(dossier)["desk_contacts"] == 1
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Dossier.Status.RETURNED, returned_at=dossier.due_at + datetime.timedelta(days=2)
    )
    dossier.refresh_from_db()
    assert ratings.suggested_scores(dossier)["total_time"] == 0


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
