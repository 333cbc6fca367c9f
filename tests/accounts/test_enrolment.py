"""Enrolling the second factor needs a setup code from an administrator, not only the password."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts import enrolment
from egov.accounts.models import Role, TOTPSetupCode
from egov.core.models import AuditEvent
from tests.conftest import PASSWORD, current_token

pytestmark = pytest.mark.django_db
SETUP = reverse("accounts:setup")


@pytest.fixture
def staff(make_staff, agencies, settings):
    settings.EGOV_STAFF_REQUIRE_2FA = True
    return make_staff("canbo", agencies["justice"], Role.SPECIALIST)


@pytest.fixture
def admin(make_staff, agencies):
    return make_staff("quantri", agencies["justice"], Role.AGENCY_ADMIN)


def _sign_in(client, username="canbo"):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def test_the_password_alone_does_not_enrol_an_authenticator(client, staff):
    _sign_in(client)
    page = client.get(SETUP)
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" not in text and "totp-secret" not in text  # no secret before the code
    assert not TOTPDevice.objects.filter(user=staff).exists()
    wrong = client.post(SETUP, {"code": "ABCDE-23456"})
    assert "errorlist" in wrong.content.decode()
    assert "<svg" not in client.get(SETUP).content.decode()
    assert client.get("/staff/")["Location"] == reverse("accounts:verify")


def test_a_setup_code_from_the_administrator_lets_the_staff_member_enrol(client, staff, admin):
    _record, code = enrolment.issue(actor=admin, user=staff)
    _sign_in(client)
    assert client.post(SETUP, {"code": code.lower().replace("-", " ")})["Location"] == SETUP
    page = client.get(SETUP)
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    done = client.post(SETUP, {"token": current_token(device)})
    assert done["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    events = list(
        AuditEvent.objects.filter(object_id=str(staff.pk)).values_list("action", flat=True)
    )
    assert "accounts.totp_setup_code_issued" in events
    assert "accounts.totp_setup_code_used" in events
    assert "accounts.totp_enrolled" in events
    issued = AuditEvent.objects.get(action="accounts.totp_setup_code_issued")
    assert issued.actor_id == admin.pk and issued.agency_id == staff.agency_id


def test_the_code_is_stored_hashed(staff, admin):
    record, code = enrolment.issue(actor=admin, user=staff)
    plain = code.replace("-", "")
    assert len(plain) == 10
    stored = TOTPSetupCode.objects.filter(pk=record.pk).values().get()
    assert all(plain not in str(value) for value in stored.values())
    assert plain not in str(AuditEvent.objects.get(action="accounts.totp_setup_code_issued").after)


def test_a_used_code_does_not_work_again(client, staff, admin):
    _record, code = enrolment.issue(actor=admin, user=staff)
    _sign_in(client)
    client.post(SETUP, {"code": code})
    client.post("/accounts/logout/")
    _sign_in(client)  # a new session: the enrolment step starts over
    again = client.post(SETUP, {"code": code})
    assert again.status_code == 200 and "errorlist" in again.content.decode()
    assert enrolment.redeem(staff, code) is None


def test_an_expired_code_is_refused(client, staff, admin, time_machine, settings):
    settings.EGOV_TOTP_SETUP_CODE_HOURS = 24
    time_machine.move_to("2026-12-07T09:00:00+07:00", tick=False)
    _record, code = enrolment.issue(actor=admin, user=staff)
    time_machine.move_to("2026-12-08T09:01:00+07:00", tick=False)
    _sign_in(client)
    refused = client.post(SETUP, {"code": code})
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
    assert "<svg" not in client.get(SETUP).content.decode()


def test_wrong_tries_use_the_code_up(staff, admin):
    _record, code = enrolment.issue(actor=admin, user=staff)
    for _ in range(enrolment.MAX_ATTEMPTS):
        assert enrolment.redeem(staff, "AAAAA-AAAAA") is None
    assert enrolment.redeem(staff, code) is None  # the right code comes too late


def test_a_new_code_replaces_the_previous_one(staff, admin):
    _first, old = enrolment.issue(actor=admin, user=staff)
    _second, new = enrolment.issue(actor=admin, user=staff)
    assert enrolment.redeem(staff, old) is None
    assert enrolment.redeem(staff, new) is not None


def test_a_code_is_for_its_own_person(staff, admin, make_staff, agencies):
    other = make_staff("canbo2", agencies["justice"], Role.SPECIALIST)
    _record, code = enrolment.issue(actor=admin, user=staff)
    assert enrolment.redeem(other, code) is None


def test_another_agencys_admin_cannot_issue_a_code(client, staff, make_staff, agencies, settings):
    settings.EGOV_STAFF_REQUIRE_2FA = False  # the administrators here have no device
    outsider = make_staff("quantri_yte", agencies["health"], Role.AGENCY_ADMIN)
    with pytest.raises(PermissionDenied):
        enrolment.issue(actor=outsider, user=staff)
    client.force_login(outsider)
    response = client.post(reverse("backoffice:issue_setup_code", args=[staff.pk]))
    assert response.status_code == 404  # not even told that the person exists
    assert not TOTPSetupCode.objects.exists()
    assert not AuditEvent.objects.filter(action="accounts.totp_setup_code_issued").exists()


def test_other_roles_and_oneself_cannot_issue_a_code(staff, admin, make_staff, agencies):
    colleague = make_staff("chuyenvien", agencies["justice"], Role.SPECIALIST)
    with pytest.raises(PermissionDenied):
        enrolment.issue(actor=colleague, user=staff)
    with pytest.raises(PermissionDenied):
        enrolment.issue(actor=admin, user=admin)


def test_a_subtree_admin_and_a_system_admin_may_issue(staff, make_staff, agencies, citizen):
    city_admin = make_staff("quantri_tp", agencies["city"], Role.AGENCY_ADMIN, include_subtree=True)
    system = make_staff("hethong", agencies["health"], Role.SYSTEM_ADMIN)
    assert enrolment.may_issue(city_admin, staff)
    assert enrolment.may_issue(system, staff)
    assert not enrolment.may_issue(system, citizen)  # citizens have no second factor


def test_the_admin_issues_a_code_on_the_people_page(client, staff, admin, settings):
    settings.EGOV_STAFF_REQUIRE_2FA = False  # the administrator here has no device
    client.force_login(admin)
    people = client.get(reverse("backoffice:people")).content.decode()
    assert reverse("backoffice:issue_setup_code", args=[staff.pk]) in people
    assert reverse("backoffice:issue_setup_code", args=[admin.pk]) not in people
    assert client.get(reverse("backoffice:issue_setup_code", args=[staff.pk])).status_code == 405
    page = client.post(reverse("backoffice:issue_setup_code", args=[staff.pk]))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    code = page.content.decode().split('id="setup-code">')[1].split("<")[0].strip()
    assert enrolment.redeem(staff, code) is not None


def test_an_operator_issues_a_code_from_the_command_line(staff, citizen):
    out = io.StringIO()
    call_command("totp_setup_code", "canbo", stdout=out)
    code = out.getvalue().split(": ")[1].split(" ")[0]
    assert enrolment.redeem(staff, code) is not None
    with pytest.raises(CommandError):
        call_command("totp_setup_code", "congdan", stdout=io.StringIO())


def test_a_secret_shown_before_the_code_is_never_offered(client, staff, admin):
    # An unconfirmed device left from before (its secret may be known to someone else).
    old = TOTPDevice.objects.create(user=staff, name="old", confirmed=False)
    _record, code = enrolment.issue(actor=admin, user=staff)
    _sign_in(client)
    client.post(SETUP, {"code": code})
    client.get(SETUP)
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert TOTPDevice.objects.get(user=staff, confirmed=False).key != old.key
