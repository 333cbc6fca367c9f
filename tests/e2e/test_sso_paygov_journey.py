"""A citizen signs in through the portal's SSO (the local OpenID provider), is matched to the
account the desk knows by the personal identification number, and pays the fees of a received
dossier through the local PayGov simulator on a phone (issue 28)."""

import datetime

import pytest
import requests
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.payments.models import Payment
from tests.accounts.test_sso import CLAIMS, provider  # noqa: F401 - the local OpenID provider
from tests.payments.conftest import receive_another

pytestmark = pytest.mark.django_db(transaction=True)


def test_citizen_signs_in_with_vneid_and_pays_through_paygov(
    live_server,
    page,
    check_page,
    settings,
    provider,  # noqa: F811
    citizen,
    catalogue,
    make_staff,
    agencies,
):
    settings.EGOV_OIDC_ENABLED = True
    settings.EGOV_OIDC_DISCOVERY_URL = f"{provider}/.well-known/openid-configuration"
    settings.EGOV_OIDC_CLIENT_ID = "egov-test"
    settings.EGOV_OIDC_CLIENT_SECRET = "egov-test-secret"
    settings.PAYGOV_URL = ""  # the simulator stands in for PayGov
    settings.EGOV_PAYMENT_GATEWAYS = ["paygov"]
    settings.EGOV_PAYMENT_SIMULATOR = True
    settings.EGOV_PUBLIC_BASE_URL = live_server.url
    settings.EGOV_MALWARE_SCANNER = "none"
    citizen.citizen_id = "092090077777"
    citizen.date_of_birth = datetime.date(1990, 5, 17)
    citizen.save()
    body = {**CLAIMS, "citizen_id": "092090077777", "acr": "2"}
    body.pop("sub")
    requests.put(f"{provider}/users/vneid-e2e", json=body, timeout=5).raise_for_status()
    officer = make_staff("motcua", agencies["city"], Role.DESK_OFFICER)
    dossier = receive_another(citizen, catalogue["record"], officer)

    page.goto(f"{live_server.url}/accounts/login/?next=/ho-so/{dossier.public_id}/")
    page.locator("a[href*='/accounts/sso/login/']").first.click()
    page.fill("input[name=sub]", "vneid-e2e")
    page.get_by_role("button", name="Authorize").click()
    # The provider's own test page loads styles from the Internet, which this machine cannot
    # reach; that is the provider's console, not ours.
    page.problems.clear()

    expect(page.locator("main")).to_contain_text("200.000 đ")
    check_page(page, "sso-paygov-dossier")
    page.get_by_label("Nền tảng thanh toán trực tuyến quốc gia (PayGov)").check()
    page.get_by_role("button", name="Nộp 200.000 đ trực tuyến").click()

    assert "/gia-lap-paygov/thanh-toan/?" in page.url
    # The name the identity provider vouches for replaced the one typed at the desk.
    expect(page.locator("main")).to_contain_text("Trần Văn Bình")
    check_page(page, "paygov-simulator")
    page.get_by_role("button", name="Xác nhận thanh toán").click()

    assert "/thanh-toan/ket-qua/?cong=paygov" in page.url
    payment = Payment.objects.get()
    assert (payment.gateway, payment.status) == ("paygov", Payment.Status.PAID)
    expect(page.locator("main")).to_contain_text(payment.receipt_number)
    check_page(page, "paygov-result")
    citizen.refresh_from_db()
    assert citizen.identity_level == 2
