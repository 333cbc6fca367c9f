"""The HTTP adapter against the local simulator, served by the live test server: the code that
books and reads webhooks here is the code that talks to the real operator in production."""

import re
import socket
import uuid

import pytest
import requests

from egov.notifications.models import Notification
from egov.postal import services, simulator
from egov.postal.models import Shipment, SimulatedOrder
from egov.postal.operators import OperatorUnavailable, Order, OrderRefused, Party
from egov.postal.operators.http import HttpOperator
from egov.postal.tasks import book_shipment
from tests.postal.conftest import IMMEDIATE_TASKS

pytestmark = pytest.mark.django_db(transaction=True)


def _order(reference=None) -> Order:
    citizen = Party("Nguyễn Thị Công Dân", "0912345678", "Số 12, Phường Ninh Kiều", "31135", "92")
    office = Party("Bộ phận Một cửa", "02923820000", "Số 02 Hòa Bình", "", "92")
    return Order(
        reference=reference or str(uuid.uuid4()),
        direction="delivery",
        sender=office,
        recipient=citizen,
        weight_class="250g",
        dossier_code="000.00.00.H13-261124-0001",
        callback_url="http://127.0.0.1:9/api/v1/postal/webhook",
    )


def test_s10_check_digit_matches_the_upu_example():
    # UPU S10 example: RR 47312482 9 GB.
    assert simulator.s10_check_digit("47312482") == 9
    assert re.fullmatch(r"EH\d{9}VN", simulator.tracking_number())


def test_booking_gives_a_tracking_number_and_a_retry_books_nothing_new(operator_settings):
    order = _order()
    first = HttpOperator().book(order)
    again = HttpOperator().book(order)
    assert re.fullmatch(r"EH\d{9}VN", first.tracking_number)
    assert first.tracking_number == again.tracking_number
    assert SimulatedOrder.objects.count() == 1
    assert SimulatedOrder.objects.get().payload["recipient"]["commune_code"] == "31135"


def test_a_wrong_api_key_is_a_refusal(operator_settings):
    adapter = HttpOperator()
    adapter.api_key = "not-the-key"  # the simulator reads the same settings: change one side
    with pytest.raises(OrderRefused, match="401"):
        adapter.book(_order())


def test_an_unreachable_operator_is_worth_trying_again(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EGOV_POSTAL_API_URL = f"http://127.0.0.1:{port}"
    with pytest.raises(OperatorUnavailable):
        HttpOperator().book(_order())


def test_without_an_operator_nothing_is_booked(settings):
    settings.EGOV_POSTAL_API_URL = ""
    with pytest.raises(OrderRefused, match="EGOV_POSTAL_API_URL"):
        HttpOperator().book(_order())


def test_the_simulator_is_off_unless_the_setting_allows_it(operator_settings, live_server):
    operator_settings.EGOV_POSTAL_SIMULATOR = False
    for method, path in [("get", "/"), ("post", "/v1/orders"), ("get", "/orders/EH1/advance/")]:
        response = requests.request(method, f"{live_server.url}/postal-simulator{path}", timeout=10)
        assert response.status_code == 404
    with pytest.raises(OrderRefused, match="404"):
        HttpOperator().book(_order())


def test_the_desk_hands_over_and_the_shipment_follows_the_operator(
    result_ready, desk, operator_settings, live_server
):
    operator_settings.TASKS = IMMEDIATE_TASKS
    shipment = services.hand_over_result(result_ready, desk)  # booked once it commits
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.BOOKED
    order = SimulatedOrder.objects.get(reference=str(shipment.public_id))
    assert order.tracking_number == shipment.tracking_number
    assert order.callback_url == f"{live_server.url}/api/v1/postal/webhook"
    # The agency has no desk address on record: the post is told its name and unit.
    assert order.payload["sender"]["address"] == (
        "Ủy ban nhân dân thành phố Cần Thơ, Thành phố Cần Thơ"
    )
    assert order.payload["recipient"]["commune_code"] == "31135"
    for status in ["picked_up", "in_transit", "delivered"]:
        assert simulator.send_webhook(order, status) == 200
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.DELIVERED
    assert [e.status for e in shipment.timeline()] == [
        "requested",
        "booked",
        "picked_up",
        "in_transit",
        "delivered",
    ]
    told = Notification.objects.filter(event="postal.shipment_updated").order_by("id")
    assert [m.body.count(shipment.tracking_number) > 0 for m in told] == [True] * 3


def test_booking_waits_and_records_why_while_the_operator_is_down(result_ready, desk, settings):
    settings.EGOV_POSTAL_API_URL = "http://127.0.0.1:9"
    settings.TASKS = IMMEDIATE_TASKS
    shipment = services.hand_over_result(result_ready, desk)
    assert book_shipment.call(shipment.pk) == "unavailable"
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.REQUESTED
    assert shipment.booking_attempts >= 1 and "cannot reach" in shipment.last_error
