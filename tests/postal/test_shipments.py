"""Shipments: requested on submission (pick-up) or by the desk (result), their status flow."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from egov.accounts.models import Role
from egov.core.models import AuditEvent
from egov.dossiers import services as dossier_services
from egov.dossiers.models import Dossier
from egov.postal import services
from egov.postal.models import Shipment, ShipmentEvent
from egov.postal.operators import StatusReport
from tests.postal.conftest import address

S = Shipment.Status


def test_submitting_asks_the_post_to_pick_up_the_papers(
    by_post, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        dossier = dossier_services.submit(by_post, applicant=citizen)
    shipment = Shipment.objects.get()
    assert (shipment.dossier, shipment.direction) == (dossier, "pick_up")
    assert shipment.status == S.REQUESTED
    assert shipment.agency == dossier.receiving_agency
    assert (shipment.fee, shipment.weight_class) == (26000, "500g")
    assert shipment.address == "Số 12, đường Hòa Bình, Phường Ninh Kiều, Thành phố Cần Thơ"
    # Booking is scheduled once the submission commits (tracking's cache drop is the other).
    assert sum("_create_shipment" in c.__qualname__ for c in callbacks) == 1
    assert AuditEvent.objects.filter(action="postal.shipment_requested").count() == 1


def test_no_pick_up_when_the_citizen_brings_the_papers(complete_draft, citizen, units):
    services.save_request(
        complete_draft,
        applicant=citizen,
        result_delivery="post",
        pick_up=False,
        address=address(),
    )
    dossier_services.submit(complete_draft, applicant=citizen)
    assert not Shipment.objects.exists()


def test_the_desk_hands_the_result_to_the_post(result_ready, desk):
    shipment = services.hand_over_result(result_ready, desk)
    assert (shipment.direction, shipment.status, shipment.fee) == ("delivery", S.REQUESTED, 22000)
    assert shipment.requested_by == desk
    assert shipment.weight_class == "250g"


def test_the_result_is_handed_over_once(result_ready, desk):
    services.hand_over_result(result_ready, desk)
    with pytest.raises(ValidationError, match="đã được giao cho bưu điện"):
        services.hand_over_result(result_ready, desk)
    assert Shipment.objects.filter(direction="delivery").count() == 1


def test_a_returned_parcel_may_be_handed_over_again(result_ready, desk):
    first = services.hand_over_result(result_ready, desk)
    Shipment.objects.filter(pk=first.pk).update(status=S.RETURNED)
    second = services.hand_over_result(result_ready, desk)
    assert second.pk != first.pk


def test_only_a_result_asked_for_by_post_is_handed_over(result_ready, desk):
    Dossier.objects.filter(pk=result_ready.pk).update(result_delivery="desk")
    with pytest.raises(ValidationError, match="không yêu cầu nhận kết quả qua bưu chính"):
        services.hand_over_result(result_ready, desk)
    assert not Shipment.objects.filter(direction="delivery").exists()


def test_only_an_issued_result_is_handed_over(by_post, citizen, desk):
    dossier = dossier_services.submit(by_post, applicant=citizen)
    with pytest.raises(ValidationError, match="chưa có kết quả"):
        services.hand_over_result(dossier, desk)


def test_a_desk_officer_of_another_agency_may_not_hand_over(result_ready, agencies, make_staff):
    neighbour = make_staff("motcua.yte", agencies["health"], Role.DESK_OFFICER)
    specialist = make_staff("chuyenvien", agencies["city"], Role.SPECIALIST)
    for officer in (neighbour, specialist):
        with pytest.raises(PermissionDenied):
            services.hand_over_result(result_ready, officer)
    assert not Shipment.objects.filter(direction="delivery").exists()


def _booked(dossier, desk) -> Shipment:
    shipment = services.hand_over_result(dossier, desk)
    shipment.tracking_number = "EH123456785VN"
    shipment.status = S.BOOKED
    shipment.status_at = timezone.now() - datetime.timedelta(hours=1)
    shipment.save()
    return shipment


def _report(status, minutes, event_id=None):
    return StatusReport(
        event_id=event_id or f"{status}-{minutes}",
        tracking_number="EH123456785VN",
        status=status,
        occurred_at=timezone.now() + datetime.timedelta(minutes=minutes),
        note="Bưu cục Ninh Kiều",
    )


def test_the_status_follows_the_operator_reports_in_order(result_ready, desk):
    shipment = _booked(result_ready, desk)
    for minutes, status in enumerate(["picked_up", "in_transit", "in_transit", "delivered"]):
        assert services.apply_report(_report(status, minutes)) == "applied"
    shipment.refresh_from_db()
    assert shipment.status == S.DELIVERED
    assert [e.status for e in shipment.timeline()][-4:] == [
        "picked_up",
        "in_transit",
        "in_transit",
        "delivered",
    ]
    assert AuditEvent.objects.filter(action="postal.status_changed").count() == 4


def test_a_failed_attempt_ends_delivered_or_returned(result_ready, desk):
    shipment = _booked(result_ready, desk)
    services.apply_report(_report("picked_up", 1))
    services.apply_report(_report("failed", 2))
    assert services.apply_report(_report("returned", 3)) == "applied"
    shipment.refresh_from_db()
    assert shipment.status == S.RETURNED


def test_an_older_report_is_kept_but_changes_nothing(result_ready, desk):
    shipment = _booked(result_ready, desk)
    services.apply_report(_report("delivered", 10))
    assert services.apply_report(_report("in_transit", 5)) == "ignored"
    shipment.refresh_from_db()
    assert shipment.status == S.DELIVERED
    late = ShipmentEvent.objects.get(event_id="in_transit-5")
    assert not late.applied
    assert late not in shipment.timeline()


def test_a_report_that_cannot_follow_the_current_status_is_ignored(result_ready, desk):
    shipment = _booked(result_ready, desk)
    assert services.apply_report(_report("returned", 1)) == "ignored"
    services.apply_report(_report("picked_up", 2))
    services.apply_report(_report("delivered", 3))
    assert services.apply_report(_report("failed", 4)) == "ignored"
    shipment.refresh_from_db()
    assert shipment.status == S.DELIVERED


def test_the_same_report_twice_changes_nothing_the_second_time(result_ready, desk):
    shipment = _booked(result_ready, desk)
    report = _report("picked_up", 1, event_id="evt-1")
    assert services.apply_report(report) == "applied"
    assert services.apply_report(report) == "duplicate"
    assert ShipmentEvent.objects.filter(shipment=shipment, status="picked_up").count() == 1


def test_a_report_for_an_unknown_parcel_is_refused(result_ready, desk):
    _booked(result_ready, desk)
    with pytest.raises(services.UnknownShipment):
        services.apply_report(StatusReport("e", "EH000000000VN", "delivered", timezone.now(), ""))


def test_the_citizen_is_told_what_matters_not_every_scan(result_ready, desk):
    from egov.notifications.models import Notification

    _booked(result_ready, desk)
    services.apply_report(_report("picked_up", 1))
    services.apply_report(_report("in_transit", 2))
    services.apply_report(_report("delivered", 3))
    messages = Notification.objects.filter(event="postal.shipment_updated", channel="email")
    assert messages.count() == 2
    last = messages.latest("id")
    assert last.recipient == result_ready.applicant
    assert "EH123456785VN" in last.subject
    assert "Chuyển trả kết quả đến người nộp: Đã phát thành công" in last.body
