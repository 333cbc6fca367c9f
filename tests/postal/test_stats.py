import datetime

from django.utils import timezone

from egov.dossiers import services as dossier_services
from egov.dossiers.models import Dossier
from egov.postal import services, stats
from egov.postal.models import Shipment
from tests.postal.conftest import address

TODAY = datetime.date(2026, 3, 10)


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), timezone.get_current_timezone())


def test_counts_received_returned_and_both_ways_by_post(
    result_ready, desk, citizen, agencies, record_version
):
    # One dossier both ways (result_ready: picked up, result by post), received and handed over
    # in the period.
    Dossier.objects.filter(pk=result_ready.pk).update(received_at=_at(TODAY))
    services.hand_over_result(result_ready, desk)
    Shipment.objects.filter(direction="delivery").update(created_at=_at(TODAY))
    # One sent in through the postal channel, received in the period; its result at the desk.
    Dossier.objects.create(
        procedure=record_version.procedure,
        procedure_version=record_version,
        receiving_agency=agencies["city"],
        applicant=citizen,
        channel="post",
        status="received",
        received_at=_at(TODAY),
    )
    # One received online in the period, with only its result by post (handed over later).
    draft = dossier_services.start(
        applicant=citizen, version=record_version, agency=agencies["city"]
    )
    services.save_request(
        draft, applicant=citizen, result_delivery="post", pick_up=False, address=address()
    )
    Dossier.objects.filter(pk=draft.pk).update(
        status=Dossier.Status.RESULT_READY, received_at=_at(TODAY), code="X-1"
    )
    services.hand_over_result(Dossier.objects.get(pk=draft.pk), desk)
    Shipment.objects.filter(dossier=draft).update(created_at=_at(TODAY + datetime.timedelta(40)))

    march = stats.counts(TODAY.replace(day=1), datetime.date(2026, 3, 31))
    assert march == {"received_by_post": 2, "returned_by_post": 1, "both_ways": 1}
    april = stats.counts(datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))
    assert april == {"received_by_post": 0, "returned_by_post": 1, "both_ways": 0}
    elsewhere = stats.counts(TODAY, TODAY, agency_ids=[agencies["health"].pk])
    assert elsewhere == {"received_by_post": 0, "returned_by_post": 0, "both_ways": 0}
    city_only = stats.counts(TODAY, TODAY, agency_ids=[agencies["city"].pk])
    assert city_only == march


def test_a_day_is_counted_in_local_time(result_ready):
    late_evening = datetime.datetime.combine(
        TODAY, datetime.time(23, 30), timezone.get_current_timezone()
    )
    Dossier.objects.filter(pk=result_ready.pk).update(received_at=late_evening)
    assert stats.counts(TODAY, TODAY)["received_by_post"] == 1
    assert stats.counts(TODAY + datetime.timedelta(1), TODAY + datetime.timedelta(1)) == {
        "received_by_post": 0,
        "returned_by_post": 0,
        "both_ways": 0,
    }


def test_a_submission_without_postal_pick_up_is_not_received_by_post(complete_draft, citizen):
    dossier = dossier_services.submit(complete_draft, applicant=citizen)
    Dossier.objects.filter(pk=dossier.pk).update(received_at=_at(TODAY))
    assert stats.counts(TODAY, TODAY)["received_by_post"] == 0
