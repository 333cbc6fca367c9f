import pytest
from django.urls import reverse

from egov.accounts import enrolment
from egov.accounts.models import Role
from egov.core.models import AuditEvent
from tests.conftest import PASSWORD, current_token

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _login(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_citizen_signs_in_with_a_password_only(client, citizen, settings):
    settings.EGOV_STAFF_REQUIRE_2FA = True
    response = _login(client, "congdan")
    assert response.status_code == 302 and response["Location"] == "/"


def test_wrong_password_gets_a_plain_message(client, citizen):
    response = _login(client, "congdan", "wrong")
    assert response.status_code == 200
    assert "mật khẩu" in response.content.decode()  # Vietnamese by default


def test_repeated_failures_lock_the_account_out(client, citizen, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _login(client, "congdan", "wrong")
    response = _login(client, "congdan")  # even the right password is refused now
    assert response.status_code == 403
    assert "15" in response.content.decode()


def test_staff_must_enrol_and_pass_totp_when_required(client, make_staff, agencies, settings):
    settings.EGOV_STAFF_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the throttle has its own test below
    user = make_staff("canbo", agencies["justice"], Role.SPECIALIST)
    _record, code = enrolment.issue(actor=None, user=user)  # from an administrator
    response = _login(client, "canbo")
    assert response["Location"] == reverse("accounts:verify")
    # Nothing on the staff site is reachable before the second step.
    assert client.get("/staff/")["Location"] == reverse("accounts:verify")
    assert client.get(reverse("accounts:verify"))["Location"] == reverse("accounts:setup")
    client.post(reverse("accounts:setup"), {"code": code})
    page = client.get(reverse("accounts:setup"))
    assert b"<svg" in page.content
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username="canbo", confirmed=False)
    wrong = client.post(reverse("accounts:setup"), {"token": "000000"})
    assert wrong.status_code == 200 and "errorlist" in wrong.content.decode()
    done = client.post(reverse("accounts:setup"), {"token": current_token(device)})
    assert done["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"accounts.totp_enrolled", "accounts.staff_login"} <= actions


def test_enrolled_staff_passes_totp(client, make_staff, agencies, totp_device, settings):
    settings.EGOV_STAFF_REQUIRE_2FA = True
    user = make_staff("canbo", agencies["justice"], Role.SPECIALIST)
    device = totp_device(user)
    _login(client, "canbo")
    bad = client.post(reverse("accounts:verify"), {"token": "12345"})
    assert "6" in bad.content.decode()  # the form says six digits
    ok = client.post(reverse("accounts:verify"), {"token": current_token(device)})
    assert ok["Location"] == "/staff/"


def test_staff_without_device_needs_no_totp_in_development(client, make_staff, agencies):
    make_staff("canbo", agencies["justice"], Role.SPECIALIST)
    response = _login(client, "canbo")
    assert response["Location"] == "/staff/"


def test_next_url_to_another_site_is_ignored(client, citizen):
    response = client.post(
        LOGIN + "?next=https://evil.example/",
        {"username": "congdan", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_wrong_totp_codes_are_throttled(client, make_staff, agencies, totp_device, settings):
    settings.EGOV_STAFF_REQUIRE_2FA = True
    user = make_staff("canbo", agencies["justice"], Role.SPECIALIST)
    device = totp_device(user)
    _login(client, "canbo")
    client.post(reverse("accounts:verify"), {"token": "000000"})
    # Right after a wrong code, even the right one is refused: guessing is slowed down.
    refused = client.post(reverse("accounts:verify"), {"token": current_token(device)})
    assert refused.status_code == 200
    assert client.get("/staff/")["Location"] == reverse("accounts:verify")
