"""The operator's sync page in a browser: a refused call with the portal's reason, sent again after
the fix and acknowledged; the status mapping table changed. Axe-clean, at 360 px and desktop."""

import pytest

from egov.accounts.models import Role
from egov.dossiers import reception
from egov.national_portal import outbox
from egov.national_portal.models import OutboxMessage, StatusMapping
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_back_office_journey import signed_in
from tests.national_portal.conftest import (  # noqa: F401
    consulted_version,
    people,
    portal,
    submitted_dossier,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_operator_resends_a_refused_dossier_and_changes_the_mapping(
    browser,
    live_server,
    check_page,
    portal,  # noqa: F811
    consulted_version,  # noqa: F811
    citizen,
    settings,
    people,  # noqa: F811
    make_staff,
    agencies,
):
    make_staff("quantri", agencies["city"], Role.SYSTEM_ADMIN, full_name="Quản Trị Viên")
    dossier = reception.receive(
        submitted_dossier(consulted_version, citizen, settings), officer=people["desk"]
    )
    portal.state.refusals[dossier.code] = ("-7", "Mã đơn vị xử lý không có trong danh mục")
    outbox.send_due()

    page = signed_in(browser, live_server, "quantri", viewport=PHONE)
    page.goto(live_server.url + "/staff/national-portal/")
    assert page.locator("h1").inner_text() == "Đồng bộ Cổng DVC quốc gia"
    refused = page.locator("table", has=page.locator("caption", has_text="Bị Cổng từ chối"))
    assert "Mã đơn vị xử lý không có trong danh mục" in refused.inner_text()
    check_page(page, "national-portal-sync-refused")

    del portal.state.refusals[dossier.code]  # fixed on the portal's side
    page.get_by_role("button", name="Gửi lại").click()
    assert f"Hồ sơ {dossier.code} sẽ được gửi lại" in page.locator("main").inner_text()
    outbox.send_due()
    assert not OutboxMessage.objects.exclude(state="sent").exists()
    page.reload()
    assert "Không có: Cổng đã chấp nhận mọi lời gọi." in page.locator("main").inner_text()
    page.set_viewport_size(DESKTOP)
    check_page(page, "national-portal-sync")

    page.get_by_role("link", name="Bảng ánh xạ trạng thái").click()
    row = StatusMapping.objects.get(status="paused", transition="")
    page.locator(f"#code-{row.pk}").select_option("6")
    page.locator("form", has=page.locator(f"#code-{row.pk}")).get_by_role(
        "button", name="Lưu"
    ).click()
    assert "Đã thay đổi ánh xạ" in page.locator("main").inner_text()
    assert StatusMapping.objects.get(pk=row.pk).portal_code == 6
    check_page(page, "national-portal-mapping")
    page.set_viewport_size(PHONE)
    check_page(page, "national-portal-mapping")
