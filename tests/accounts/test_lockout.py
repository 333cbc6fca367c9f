"""The sign-in limit per client address across accounts, beside axes's per-account limit."""

import io

import pytest
from django.core.management import call_command

from egov.accounts.models import User
from egov.core.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
ELSEWHERE = "198.51.100.7"


@pytest.fixture(autouse=True)
def _address_limit(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.EGOV_SIGNIN_ADDRESS_FAILURE_LIMIT = 4
    settings.EGOV_SIGNIN_ADDRESS_WINDOW_MINUTES = 15
    settings.EGOV_SIGNIN_ADDRESS_COOLOFF_MINUTES = 30


def _login(client, username, password="wrong", **extra):  # noqa: S107
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def _fail_on_many_accounts(client, count, **extra):
    return [_login(client, f"nguoi{n}", **extra) for n in range(count)]


def test_many_accounts_from_one_address_lock_the_address_out(client, citizen):
    answers = _fail_on_many_accounts(client, 4)
    # One failure per user name: axes's per-account limit (5) is far away, yet the fourth
    # failure from the address is the last one.
    assert [answer.status_code for answer in answers] == [200, 200, 200, 403]
    page = _login(client, "congdan", PASSWORD)  # even a right password, on another account
    assert page.status_code == 403
    text = page.content.decode()
    assert "địa chỉ mạng" in text and "30 phút" in text  # in Vietnamese, with the cool-off
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_in_english(client, citizen):
    _fail_on_many_accounts(client, 4)
    client.cookies["django_language"] = "en"
    page = _login(client, "congdan", PASSWORD)
    assert "Too many failed sign-ins came from your network address" in page.content.decode()
    assert "30 minutes" in page.content.decode()


def test_another_address_is_not_locked(client, citizen):
    _fail_on_many_accounts(client, 4)
    answer = _login(client, "congdan", PASSWORD, REMOTE_ADDR=ELSEWHERE)
    assert answer.status_code == 302


def test_a_successful_sign_in_does_not_clear_the_address_count(client, citizen):
    _fail_on_many_accounts(client, 3)
    assert _login(client, "congdan", PASSWORD).status_code == 302  # an account of one's own
    client.post("/accounts/logout/")
    assert _login(client, "nguoi9").status_code == 403


def test_the_account_limit_still_holds_below_the_address_limit(client, citizen, settings):
    settings.AXES_FAILURE_LIMIT = 2
    _login(client, "congdan")
    assert _login(client, "congdan").status_code == 403
    page = _login(client, "congdan", PASSWORD).content.decode()
    assert "cho tài khoản này" in page  # the per-account explanation, not the address one


def test_the_address_is_let_in_again_after_the_cool_off(client, citizen, time_machine):
    time_machine.move_to("2026-12-07T09:00:00+07:00", tick=False)
    _fail_on_many_accounts(client, 4)
    time_machine.move_to("2026-12-07T09:29:00+07:00", tick=False)
    assert _login(client, "congdan", PASSWORD).status_code == 403
    time_machine.move_to("2026-12-07T09:31:00+07:00", tick=False)
    assert _login(client, "congdan", PASSWORD).status_code == 302


def test_failures_across_a_window_end_count_together(client, citizen, time_machine):
    time_machine.move_to("2026-12-07T09:14:00+07:00", tick=False)
    _fail_on_many_accounts(client, 2)
    time_machine.move_to("2026-12-07T09:16:00+07:00", tick=False)
    assert _login(client, "nguoi7").status_code == 200
    assert _login(client, "nguoi8").status_code == 403


def test_the_django_admin_sign_in_shares_the_limit(client, citizen):
    _fail_on_many_accounts(client, 2)
    for name in ("quantri1", "quantri2"):
        client.post("/admin/login/", {"username": name, "password": "wrong"})
    # Four failures through two doors: both refuse now.
    assert _login(client, "congdan", PASSWORD).status_code == 403
    admin = client.post("/admin/login/", {"username": "congdan", "password": PASSWORD})
    assert admin.status_code == 403


def test_a_lock_is_audited_and_can_be_lifted(client, citizen):
    _fail_on_many_accounts(client, 4)
    event = AuditEvent.objects.get(action="accounts.address_locked_out")
    assert event.object_id == "127.0.0.1" and event.after["failures"] == 4
    out = io.StringIO()
    call_command("signin_unlock_address", "127.0.0.1", stdout=out)
    assert "127.0.0.1: unlocked" in out.getvalue()
    assert _login(client, "congdan", PASSWORD).status_code == 302


def test_zero_turns_the_address_limit_off(client, citizen, settings):
    settings.EGOV_SIGNIN_ADDRESS_FAILURE_LIMIT = 0
    _fail_on_many_accounts(client, 10)
    assert _login(client, "congdan", PASSWORD).status_code == 302
    assert not User.objects.filter(username__startswith="nguoi").exists()
