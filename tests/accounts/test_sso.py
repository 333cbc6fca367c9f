"""Single sign-on against a real OpenID Connect provider (oidc-provider-mock, built on Authlib)
started on this machine: discovery, authorization code flow, signed ID token, nonce."""

import datetime
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests

from egov.accounts import sso
from egov.accounts.models import ExternalIdentity, User
from egov.core.models import AuditEvent

pytestmark = pytest.mark.django_db
CLAIMS = {
    "sub": "vneid-0001",
    "name": "Trần Văn Bình",
    "email": "binh@example.vn",
    "email_verified": True,
    "phone_number": "0912345678",
    "birthdate": "1990-05-17",
    "citizen_id": "092090012345",
    "address_text": "12 Hòa Bình, phường Ninh Kiều",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def provider():
    port = _free_port()
    binary = shutil.which("oidc-provider-mock") or str(
        Path(sys.executable).parent / "oidc-provider-mock"
    )
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--require-nonce",
            "true",
            "--user-claims",
            json.dumps(CLAIMS),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    # On a busy machine the provider takes a while to import; a test must not start before it.
    deadline = time.monotonic() + 90
    while True:
        try:
            requests.get(f"{base}/.well-known/openid-configuration", timeout=5)
            break
        except requests.RequestException:
            if time.monotonic() > deadline or process.poll() is not None:
                raise
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def sso_settings(settings, provider):
    settings.EGOV_OIDC_ENABLED = True
    settings.EGOV_OIDC_DISCOVERY_URL = f"{provider}/.well-known/openid-configuration"
    settings.EGOV_OIDC_CLIENT_ID = "egov-test"
    settings.EGOV_OIDC_CLIENT_SECRET = "egov-test-secret"
    return settings


def _sign_in(client, subject="vneid-0001"):
    start = client.get("/accounts/sso/login/")
    assert start.status_code == 302
    authorize = start["Location"]
    assert "nonce=" in authorize and "state=" in authorize
    answer = requests.post(authorize, data={"sub": subject}, allow_redirects=False, timeout=5)
    callback = urlparse(answer.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def test_first_sign_in_creates_the_citizen_from_the_claims(client, sso_settings):
    response = _sign_in(client)
    assert response["Location"] == "/"
    user = User.objects.get(external_identities__subject="vneid-0001")
    assert (user.kind, user.full_name, user.email, user.citizen_id) == (
        "citizen",
        "Trần Văn Bình",
        "binh@example.vn",
        "092090012345",
    )
    assert user.date_of_birth.isoformat() == "1990-05-17" and user.email_verified_at
    assert user.address.startswith("12 Hòa Bình")
    assert not user.has_usable_password()
    assert client.get("/ho-so/").status_code == 200  # signed in
    assert AuditEvent.objects.filter(action="accounts.sso_sign_in").count() == 1


def test_the_same_person_gets_the_same_account(client, sso_settings):
    _sign_in(client)
    client.post("/accounts/logout/")
    _sign_in(client)
    assert ExternalIdentity.objects.count() == 1 and User.objects.count() == 1


def test_a_forged_callback_signs_nobody_in(client, sso_settings):
    client.get("/accounts/sso/login/")
    response = client.get("/accounts/sso/callback/?code=forged&state=forged", follow=True)
    assert "không thành công" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_sso_is_off_unless_configured(client):
    assert client.get("/accounts/sso/login/").status_code == 404
    assert "sso" not in client.get("/accounts/login/").content.decode()


def test_the_login_page_offers_it(client, sso_settings):
    assert "/accounts/sso/login/" in client.get("/accounts/login/").content.decode()


# --- Identity level and matching by personal identification number (issue 28) ----------------


def _person(provider, subject, **claims):
    """Claims of another person at the local provider (its admin endpoint)."""
    body = {**CLAIMS, **claims}
    body.pop("sub")
    requests.put(f"{provider}/users/{subject}", json=body, timeout=5).raise_for_status()


def test_an_existing_citizen_is_matched_by_the_personal_identification_number(
    client, sso_settings, provider, citizen
):
    citizen.citizen_id = "092090054321"
    citizen.date_of_birth = datetime.date(1990, 5, 17)
    citizen.save()
    _person(provider, "vneid-match", citizen_id="092090054321", email="other@example.vn")
    _sign_in(client, subject="vneid-match")
    _sign_in(client, subject="vneid-match")
    assert User.objects.count() == 1
    identity = ExternalIdentity.objects.get()
    assert identity.user == citizen and identity.subject == "vneid-match"
    event = AuditEvent.objects.filter(action="accounts.sso_sign_in").order_by("pk").first()
    assert event.after["matched_by_citizen_id"] is True


def test_a_staff_account_with_that_number_is_never_taken_over(sso_settings, make_staff, agencies):
    staff = make_staff("canbo", agencies["justice"])
    staff.citizen_id = "092090012345"
    staff.save()
    user = sso.sign_in({**CLAIMS, "iss": "https://sso.example"})
    assert user != staff and user.kind == "citizen" and user.citizen_id is None


def test_the_identity_level_is_recorded_for_the_sign_in(client, sso_settings, provider):
    _person(provider, "vneid-level2", acr="2", citizen_id="092090000002")
    _sign_in(client, subject="vneid-level2")
    user = User.objects.get(external_identities__subject="vneid-level2")
    assert user.identity_level == 2
    assert client.session["identity_level"] == 2


def test_a_provider_that_vouches_for_nothing_more_gives_level_1(client, sso_settings, provider):
    _person(provider, "vneid-level1", acr="1", citizen_id="092090000001")
    _sign_in(client, subject="vneid-level1")
    assert User.objects.get(external_identities__subject="vneid-level1").identity_level == 1
    assert client.session["identity_level"] == 1


def test_the_level_claim_and_its_values_are_configurable(settings):
    settings.EGOV_OIDC_CLAIM_IDENTITY_LEVEL = "loa"
    settings.EGOV_OIDC_LEVEL2_VALUES = ["vneid:level2"]
    assert sso.identity_level({"loa": "vneid:level2", "acr": "1"}) == 2
    assert sso.identity_level({"acr": "2"}) == 1
    assert sso.identity_level({}) == 1
