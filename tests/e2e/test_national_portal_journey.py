"""The national portal journey end to end (issue 28): a citizen signs in through the portal's SSO
(the local OpenID provider vouches a VNeID level-2 identity), submits a dossier of a procedure that
requires level 2 and takes the fees first, pays through PayGov (the simulator), the desk receives
it, the sync worker sends its calls to the local portal server, and the operator's sync page
shows the dossier acknowledged. Axe-clean, at 360 px and desktop.

The screenshots in docs/screenshots/national-portal-*.png are copies of this test's
(test-results/screenshots/)."""

import datetime

import pytest
import requests
from django.core.management import call_command
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.catalog.models import ProcedureVersion
from egov.dossiers import reception
from egov.dossiers.models import Dossier
from egov.national_portal.models import OutboxMessage
from egov.payments.models import Payment
from tests.accounts.test_sso import CLAIMS, provider  # noqa: F401 - the local OpenID provider
from tests.dossiers.conftest import PDF
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_back_office_journey import signed_in
from tests.national_portal.conftest import portal  # noqa: F401 - the local portal server

pytestmark = pytest.mark.django_db(transaction=True)
CITIZEN_ID = "092090066666"


def _both_widths(page, check_page, name):
    check_page(page, name)
    page.set_viewport_size(DESKTOP)
    check_page(page, name)
    page.set_viewport_size(PHONE)


def test_sso_level_2_submit_pay_through_paygov_and_see_it_acknowledged(
    browser,
    live_server,
    page,
    check_page,
    settings,
    provider,  # noqa: F811
    portal,  # noqa: F811
    citizen,
    catalogue,
    make_staff,
    agencies,
    tmp_path,
):
    settings.EGOV_OIDC_ENABLED = True
    settings.EGOV_OIDC_DISCOVERY_URL = f"{provider}/.well-known/openid-configuration"
    settings.EGOV_OIDC_CLIENT_ID = "egov-test"
    settings.EGOV_OIDC_CLIENT_SECRET = "egov-test-secret"
    settings.VNPAY_URL = ""
    settings.PAYGOV_URL = ""  # the simulators stand in for VNPAY and PayGov
    settings.EGOV_PAYMENT_GATEWAY = "vnpay"
    settings.EGOV_PAYMENT_GATEWAYS = ["paygov"]
    settings.EGOV_PAYMENT_SIMULATOR = True
    settings.EGOV_PUBLIC_BASE_URL = live_server.url
    settings.EGOV_MALWARE_SCANNER = "none"
    version = catalogue["record"]
    ProcedureVersion.objects.filter(pk=version.pk).update(
        payment_first=True, requires_identity_level_2=True
    )
    # The citizen the desk already knows, by the personal identification number.
    citizen.citizen_id = CITIZEN_ID
    citizen.date_of_birth = datetime.date(1990, 5, 17)
    citizen.save()
    claims = {**CLAIMS, "citizen_id": CITIZEN_ID, "acr": "2"}
    claims.pop("sub")
    requests.put(f"{provider}/users/vneid-level2", json=claims, timeout=5).raise_for_status()
    officer = make_staff("motcua", agencies["city"], Role.DESK_OFFICER)
    make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN, full_name="Quản Trị Viên")
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(PDF)

    # 1. Sign-in through the portal's SSO.
    page.goto(f"{live_server.url}/accounts/login/?next=/thu-tuc/2.000488/")
    sso = page.get_by_role("link", name="Đăng nhập bằng VNeID")
    expect(sso).to_be_visible()
    _both_widths(page, check_page, "national-portal-sso-sign-in")
    sso.click()
    page.fill("input[name=sub]", "vneid-level2")
    page.get_by_role("button", name="Authorize").click()
    # The provider's own test page loads styles from the Internet, which this machine cannot
    # reach; that is the provider's console, not ours.
    page.problems.clear()
    assert page.url.endswith("/thu-tuc/2.000488/")
    citizen.refresh_from_db()
    assert citizen.identity_level == 2  # matched by number: no second account

    # 2. A level-2 procedure, paid first: submitted.
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_role("button", name="Bắt đầu").click()
    page.fill("#id_ho_ten_tre", "Nguyễn Văn An")
    page.fill("#id_ngay_sinh", "2026-01-05")
    page.select_option("#id_gioi_tinh", "Nam")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.set_input_files("input[type=file]", str(scan))
    page.get_by_role("button", name="Đính kèm").click()
    page.get_by_role("link", name="Tiếp tục").click()
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.locator("h1", has_text="Hồ sơ 000.00.00.H13-").wait_for()
    dossier = Dossier.objects.get(applicant=citizen)
    assert dossier.status == Dossier.Status.SUBMITTED

    # 3. The gateway choice; PayGov.
    paygov = page.get_by_label("Nền tảng thanh toán trực tuyến quốc gia (PayGov)")
    expect(paygov).to_be_visible()
    expect(page.get_by_label("VNPAY")).to_be_checked()
    _both_widths(page, check_page, "national-portal-gateway-choice")
    paygov.check()
    page.get_by_role("button", name="Nộp 200.000 đ trực tuyến").click()
    assert "/gia-lap-paygov/thanh-toan/?" in page.url
    check_page(page, "national-portal-paygov")
    page.get_by_role("button", name="Xác nhận thanh toán").click()
    assert "/thanh-toan/ket-qua/?cong=paygov" in page.url
    payment = Payment.objects.get(order__dossier=dossier)
    assert (payment.gateway, payment.status) == ("paygov", Payment.Status.PAID)
    expect(page.locator("main")).to_contain_text(payment.receipt_number)

    # 4. The desk receives it (paid first, so it may); the sync worker's round sends its calls.
    dossier = reception.receive(Dossier.objects.get(pk=dossier.pk), officer=officer)
    call_command("national_portal_worker", verbosity=0)
    calls = [c["service"] for c in portal.state.calls(dossier.code)]
    assert calls == ["DongBoHoSoMC", "DongBoHoSoMC"]  # submitted (1), then received (2)
    held = portal.state.dossier(dossier.code)
    assert held["status"] == 2 and held["KenhThucHien"] == 2  # received, online
    assert not OutboxMessage.objects.exclude(state="sent").exists()

    # 5. The operator's sync page shows it acknowledged.
    operator = signed_in(browser, live_server, "quantri", viewport=PHONE)
    operator.goto(live_server.url + "/staff/national-portal/")
    acknowledged = operator.locator(
        "table", has=operator.locator("caption", has_text="đã xác nhận gần nhất")
    )
    row = acknowledged.locator("tr", has_text=f"{dossier.code} · 2")
    expect(row).to_contain_text("Đồng bộ hồ sơ")
    expect(row).to_contain_text("2 — Được tiếp nhận")
    expect(operator.locator("main")).to_contain_text("Không có: Cổng đã chấp nhận mọi lời gọi.")
    _both_widths(operator, check_page, "national-portal-acknowledged")
    operator.context.close()
