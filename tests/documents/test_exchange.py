"""The outbox through an outage of the axis: nothing lost, nothing delivered twice; a retried
send with the same key is one message; the axis refuses a stranger."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from egov.documents import exchange
from egov.documents.axis import AxisClient, AxisRefused
from egov.documents.models import ExchangeMessage
from tests.documents.axis_fixtures import OUTSIDE

pytestmark = pytest.mark.django_db


def _outside(axis):
    return AxisClient(axis.url, "vinhlong", "vinhlong-secret")


def test_outbox_waits_through_an_outage_and_delivers_once(issued, axis):
    document = issued(recipients=[{"kind": "external", "code": OUTSIDE[0], "name": OUTSIDE[1]}])
    message = ExchangeMessage.objects.get(document=document, direction="out")
    assert message.state == "pending"

    assert exchange.send_due() == {"sent": 0, "retry": 1, "failed": 0}  # the axis is down
    message.refresh_from_db()
    assert (message.state, message.attempts) == ("pending", 1)
    assert message.next_attempt_at > timezone.now()
    assert "Connection refused" in message.last_error or message.last_error

    axis.start()
    assert exchange.send_due() == {"sent": 0, "retry": 0, "failed": 0}  # not due yet
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        assert exchange.send_due() == {"sent": 1, "retry": 0, "failed": 0}
        assert exchange.send_due() == {"sent": 0, "retry": 0, "failed": 0}
    message.refresh_from_db()
    assert message.state == "sent" and message.axis_id
    waiting = _outside(axis).received("edoc")
    assert [item["id"] for item in waiting] == [message.axis_id]
    assert waiting[0]["from"] == "000.00.03.H13"
    assert document.recipients.get().delivered_at is not None


def test_a_send_repeated_after_a_lost_answer_is_one_message(issued, axis):
    axis.start()
    client = AxisClient()
    first = client.send(
        payload=b"<x/>",
        from_code="000.00.03.H13",
        to_code=OUTSIDE[0],
        message_type="edoc",
        key="same-key",
    )
    again = client.send(
        payload=b"<x/>",
        from_code="000.00.03.H13",
        to_code=OUTSIDE[0],
        message_type="edoc",
        key="same-key",
    )
    assert first == again
    assert len(_outside(axis).received("edoc")) == 1


def test_the_axis_refuses_strangers_and_unknown_agencies(axis):
    axis.start()
    with pytest.raises(AxisRefused, match="401"):
        AxisClient(axis.url, "cantho", "wrong").received("edoc")
    with pytest.raises(AxisRefused, match="404"):
        AxisClient().send(
            payload=b"<x/>",
            from_code="000.00.03.H13",
            to_code="000.00.99.Z99",
            message_type="edoc",
            key="k",
        )
    with pytest.raises(AxisRefused, match="403"):
        AxisClient().send(
            payload=b"<x/>",
            from_code=OUTSIDE[0],
            to_code="000.00.03.H13",
            message_type="edoc",
            key="k2",
        )


def test_a_lost_confirmation_brings_the_message_back_once(
    axis, certificates, setup_agencies, people
):
    """An outside agency's package reaches the Department of Health; the confirmation to the
    axis is lost, so the axis lists it again: it is confirmed again, not registered twice."""
    from egov.documents import edxml
    from egov.documents.axis import AxisUnavailable
    from egov.documents.models import OfficialDocument
    from tests.signatures.fixtures import make_pdf

    axis.start()
    package = edxml.build_package(
        edxml.Package(
            from_code=OUTSIDE[0],
            from_name=OUTSIDE[1],
            to=[("000.00.10.H13", "Sở Y tế")],
            document_id=f"{OUTSIDE[0]},2026/01/05,07/SYT-NV",
            number=7,
            notation="SYT-NV",
            place="Vĩnh Long",
            promulgation_date=datetime.date(2026, 1, 5),
            document_type="CV",
            subject="Về việc phối hợp kiểm tra liên tỉnh",
            signer_name="Trần Văn Long",
            attachments=[edxml.Attachment("07_SYT-NV.pdf", "application/pdf", make_pdf())],
        ),
        certificate=certificates["agency"],
        actor=None,
    )
    _outside(axis).send(
        payload=package,
        from_code=OUTSIDE[0],
        to_code="000.00.10.H13",
        message_type="edoc",
        key="vl-1",
    )

    class LosingConfirmations(AxisClient):
        def confirm(self, doc_id, status="done"):
            raise AxisUnavailable("the answer was lost")

    with pytest.raises(AxisUnavailable):
        exchange.poll(client=LosingConfirmations())
    assert exchange.poll() == {"accepted": 0, "rejected": 0, "duplicates": 1}
    assert exchange.poll() == {"accepted": 0, "rejected": 0, "duplicates": 0}
    copy = OfficialDocument.objects.get(direction="in")
    assert (copy.reference, copy.sender_code, copy.channel) == ("07/SYT-NV", OUTSIDE[0], "exchange")
    assert (
        ExchangeMessage.objects.filter(direction="out", kind="status").get().to_code == (OUTSIDE[0])
    )
