"""The portal's session token, as OpenCPS's connector obtains it (VietOpenCPS/opencps-v2,
DVCQGIntegrationActionImpl.getAccessToken): user name and password to the auth address, the
session in the body of every call, kept until it expires, asked again once when refused."""

import time

import pytest
import requests
from django.utils import timezone

from egov.national_portal import outbox
from egov.national_portal.client import PortalAuthFailed, PortalClient
from egov.national_portal.models import OutboxMessage

State = OutboxMessage.State

pytestmark = pytest.mark.django_db


def test_a_call_without_a_valid_session_is_refused_by_the_portal(portal):
    for body in (
        {"service": "TraCuuHoSo", "madonvi": "x", "data": []},
        {"session": "made-up", "service": "TraCuuHoSo", "data": []},
    ):
        answer = requests.post(f"{portal.url}/api/integration", json=body, timeout=5)
        assert answer.status_code == 401 and answer.json()["error_code"] == "401"


def test_the_session_is_obtained_once_and_reused(portal, received):
    client = PortalClient()
    client.call("TraCuuHoSo", [])
    PortalClient().statuses([received.code])  # another client of the same process
    assert outbox.send_due()["sent"] == 2
    assert portal.state.sessions_issued == 1


def test_an_expired_session_is_renewed_once(portal, received):
    client = PortalClient()
    client.call("TraCuuHoSo", [])
    portal.state.expire_sessions()  # the portal forgot it (its own time-out, a restart)
    assert outbox.send_due()["sent"] == 2
    assert portal.state.sessions_issued == 2
    assert OutboxMessage.objects.filter(dossier=received, state=State.SENT).count() == 2


def test_a_session_past_the_expiry_the_portal_gave_is_not_sent(portal):
    portal.stop()
    portal.session_seconds = 31  # the client renews 30 s before: this one lasts 1 s for it
    portal.start()
    client = PortalClient()
    client.call("TraCuuHoSo", [])
    time.sleep(1.1)
    client.call("TraCuuHoSo", [])
    assert portal.state.sessions_issued == 2


def test_a_refused_renewal_is_not_tried_again_in_a_loop(portal, monkeypatch):
    client = PortalClient()
    client.call("TraCuuHoSo", [])
    # The portal gives sessions but refuses each of them at once.
    monkeypatch.setattr(portal.state, "valid_session", lambda token: False)
    with pytest.raises(PortalAuthFailed):
        client.call("TraCuuHoSo", [])
    assert portal.state.sessions_issued == 2  # one renewal, then the failure


def test_wrong_credentials_keep_the_calls_and_say_why(portal, received, settings):
    settings.EGOV_NATIONAL_PORTAL_PASSWORD = "wrong"
    with pytest.raises(PortalAuthFailed):
        PortalClient().call("TraCuuHoSo", [])
    assert outbox.send_due() == {"sent": 0, "retry": 1, "failed": 0}  # the round stops there
    waiting = OutboxMessage.objects.filter(dossier=received).order_by("sequence")
    assert [m.state for m in waiting] == [State.PENDING, State.PENDING]  # nothing lost
    assert "EGOV_NATIONAL_PORTAL_PASSWORD" in waiting[0].last_error
    assert portal.state.calls() == []
    # Fixed: everything goes, once, in order.
    settings.EGOV_NATIONAL_PORTAL_PASSWORD = portal_password()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox.send_due()["sent"] == 2
    assert [c["key"] for c in portal.state.calls(received.code)] == [
        f"{received.code}:1",
        f"{received.code}:2",
    ]


def test_no_bearer_secret_is_sent_any_more(portal):
    seen = []
    http = requests.Session()
    original = http.post

    def post(url, **kwargs):
        seen.append((url, kwargs.get("headers", {}), kwargs.get("json", {})))
        return original(url, **kwargs)

    http.post = post
    PortalClient(session=http).call("TraCuuHoSo", [])
    (auth_url, _h, auth_body), (_u, headers, body) = seen
    assert auth_url.endswith("/api/auth") and set(auth_body) == {"username", "password"}
    assert "Authorization" not in headers and body["session"] and body["madonvi"]


def portal_password():
    from tests.national_portal.conftest import PASSWORD

    return PASSWORD


def test_check_deploy_warns_when_the_credentials_are_missing(settings):
    from egov.national_portal.checks import portal_credentials

    settings.EGOV_NATIONAL_PORTAL_ENABLED = True
    settings.EGOV_NATIONAL_PORTAL_PASSWORD = ""
    (warning,) = portal_credentials(None)
    assert warning.id == "egov.national_portal.W001"
    assert "EGOV_NATIONAL_PORTAL_PASSWORD" in warning.msg
    settings.EGOV_NATIONAL_PORTAL_PASSWORD = "set"
    assert portal_credentials(None) == []
    settings.EGOV_NATIONAL_PORTAL_ENABLED = False
    settings.EGOV_NATIONAL_PORTAL_USERNAME = ""
    assert portal_credentials(None) == []  # the connector is off: nothing to say
