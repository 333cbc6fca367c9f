"""The citizen hears at once that an online dossier was submitted, and finds every message
sent to them on the portal (/thong-bao/), newest first, their own only."""

import datetime

import pytest
from django.utils import timezone

from egov.accounts.models import User
from egov.dossiers import services
from egov.notifications import services as notifications
from egov.notifications.models import Notification
from tests.conftest import PASSWORD
from tests.dossiers.conftest import complete_draft, draft, record_version  # noqa: F401

pytestmark = pytest.mark.django_db


def test_an_online_submission_is_acknowledged(complete_draft, citizen):  # noqa: F811
    dossier = services.submit(complete_draft, applicant=citizen)
    [message] = Notification.objects.filter(event="dossier.submitted", channel="email")
    assert message.recipient == citizen
    assert message.subject == f"Đã nhận hồ sơ nộp trực tuyến {dossier.code}"
    assert "Bộ phận Một cửa sẽ kiểm tra hồ sơ" in message.body
    assert message.object_id == str(dossier.pk)
    # Submitting again (a double click) sends nothing more.
    services.submit(dossier, applicant=citizen)
    assert Notification.objects.filter(event="dossier.submitted").count() == 1


def test_every_channel_has_its_text(complete_draft, citizen):  # noqa: F811
    citizen.phone = "0912345678"
    citizen.save()
    notifications.set_preferences(user=citizen, channels=["email", "sms"], language="vi")
    services.submit(complete_draft, applicant=citizen)
    sms = Notification.objects.get(event="dossier.submitted", channel="sms")
    assert sms.status != Notification.Status.FAILED and "cho Bo phan Mot cua" in sms.body


def _message(user, n, event="dossier.received", **fields):
    return Notification.objects.create(
        event=event,
        channel="email",
        language="vi",
        recipient=user,
        address=user.email or "x@example.vn",
        province_code="92",
        subject=f"Thư số {n}",
        body="Nội dung",
        status=Notification.Status.SENT,
        deadline=timezone.now() + datetime.timedelta(days=3),
        created_at=timezone.now() - datetime.timedelta(minutes=100 - n),
        **fields,
    )


def test_the_inbox_lists_the_citizens_own_messages_newest_first(client, citizen):
    other = User.objects.create_user("nguoikhac", password=PASSWORD, kind=User.Kind.CITIZEN)
    for n in range(25):
        _message(citizen, n)
    _message(other, 99)
    _message(citizen, 50, event="accounts.verification_code", sensitive=True)
    client.force_login(citizen)
    first = client.get("/thong-bao/").content.decode()
    assert first.index("Thư số 24") < first.index("Thư số 23")
    assert "Thư số 99" not in first and "Thư số 50" not in first
    assert "Thư số 4<" not in first
    second = client.get("/thong-bao/?page=2").content.decode()
    assert "Thư số 4<" in second and "Thư số 24" not in second
    assert 'href="/thong-bao/"' in first  # linked from the citizen's menu


def test_the_inbox_links_the_dossier(client, complete_draft, citizen):  # noqa: F811
    dossier = services.submit(complete_draft, applicant=citizen)
    client.force_login(citizen)
    page = client.get("/thong-bao/").content.decode()
    assert "Đã nộp hồ sơ trực tuyến" in page
    assert f'href="/ho-so/{dossier.public_id}/"' in page


def test_the_inbox_is_for_citizens(client, make_staff, agencies):
    assert client.get("/thong-bao/").status_code == 302  # to the sign-in page
    client.force_login(make_staff("canbo", agencies["city"]))
    assert client.get("/thong-bao/").status_code == 404


def test_saving_preferences_still_works(client, citizen):
    """The preferences' service keeps its transaction (the inbox's query was added beside it)."""
    client.force_login(citizen)
    response = client.post("/thong-bao/cai-dat/", {"channels": ["email"], "language": "en"})
    assert response.status_code == 302
