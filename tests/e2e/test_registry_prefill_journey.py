"""A citizen's declaration is filled from the national population database (with consent), the
identity paper needs no upload, the dossier goes in, the look-up shows in the citizen's account
and the desk sees what the registry returned and when — on a desk and on a phone."""

import threading

import httpx
import pytest
from playwright.sync_api import expect

from egov.accounts.models import Role
from egov.catalog.models import DocumentRequirement
from egov.dossiers import registry_prefill, services
from egov.dossiers.models import Dossier, RegistryExtract
from egov.exchange import services as exchange
from egov.exchange.registries import population
from tests.catalog_fixtures import make_procedure
from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP, PHONE
from tests.exchange.conftest import (  # noqa: F401 - fixtures
    caller,
    dev_pki,
    pki_settings,
    platform_key,
    provider_url,
)
from tests.exchange.test_registry_prefill import FORM, PERSON

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def registry_server():
    httpd = population.server()
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def through_gateway(caller, registry_server, live_server, monkeypatch, settings):  # noqa: F811
    """The one-stop system asks the registry through this live server's gateway, over HTTP."""
    service = exchange.publish_service(
        actor=None,
        provider=caller.service.provider,
        code="dan-cu-tra-cuu",
        name="Tra cứu công dân",
        base_url=registry_server,
        openapi_url=f"{registry_server}/openapi.json",
    )
    exchange.grant_right(
        actor=None,
        client=caller.client,
        service=service,
        purpose="Điền sẵn tờ khai khi nộp hồ sơ",
        legal_basis="Nghị định 45/2020/NĐ-CP",
    )
    settings.EGOV_POPULATION_REGISTRY = {"gateway_url": live_server.url}
    monkeypatch.setattr(
        registry_prefill,
        "client",
        lambda name: population.PopulationRegistry(
            http=httpx.Client(base_url=live_server.url, timeout=10),
            service_code="dan-cu-tra-cuu",
            client_code=caller.client.code,
            fingerprint=caller.client.fingerprint,
            key=caller.issued.key,
        ),
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_identity_from_the_registry_submitted_and_the_look_up_in_the_account(
    browser, check_page, live_server, citizen, agencies, make_staff, through_gateway, viewport
):
    citizen.citizen_id = PERSON
    citizen.save(update_fields=["citizen_id"])
    version = make_procedure(
        "1.004222",
        "Đăng ký thường trú",
        owner=agencies["justice"],
        level="province",
        deciding=agencies["justice"].code,
        form=FORM,
    )
    # The declaration is the e-form; the identity paper comes from the registry.
    version.requirements.filter(name="Tờ khai").update(filled_by_eform=True)
    DocumentRequirement.objects.create(
        version=version,
        position=5,
        name="Căn cước công dân",
        registry=DocumentRequirement.Registry.POPULATION,
        accepted_types=["pdf"],
    )
    dossier = services.start(
        applicant=citizen, version=version, agency=services.receiving_agency_for(version)
    )
    page = browser.new_context(viewport=viewport, locale="vi-VN").new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(msg.text))
    page.goto(f"{live_server.url}/accounts/login/?next=/ho-so/{dossier.public_id}/to-khai/")
    page.fill("#id_username", citizen.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()

    expect(
        page.get_by_role("heading", name="Lấy giấy tờ từ Cơ sở dữ liệu quốc gia về dân cư")
    ).to_be_visible()
    check_page(page, "registry-prefill-offer")
    page.get_by_role("button", name="Lấy từ cơ sở dữ liệu").click()
    # Without the consent box ticked nothing is asked.
    expect(page.get_by_text("Đánh dấu ô đồng ý", exact=False).first).to_be_visible()
    page.get_by_label("Tôi đồng ý", exact=False).check()
    page.get_by_role("button", name="Lấy từ cơ sở dữ liệu").click()
    expect(
        page.get_by_text("đã được lấy từ Cơ sở dữ liệu quốc gia về dân cư", exact=False)
    ).to_be_visible()
    expect(page.get_by_label("Họ, chữ đệm, tên")).to_have_value("Nguyễn Văn An")
    expect(page.get_by_label("Nơi thường trú")).to_have_value(
        "Số 12 đường 30 Tháng 4, phường Ninh Kiều, thành phố Cần Thơ"
    )
    check_page(page, "registry-prefill-filled")

    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(
        page.get_by_text("Đã lấy từ Cơ sở dữ liệu quốc gia về dân cư lúc", exact=False)
    ).to_be_visible()
    # Nothing to upload for the identity paper: no file box asks for it.
    assert page.locator("input[type=file]").count() == 0
    check_page(page, "registry-prefill-documents")

    # The dossier goes in without the citizen uploading anything.
    page.get_by_role("link", name="Tiếp tục").click()
    page.get_by_label("Trực tuyến").check()
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_role("button", name="Nộp hồ sơ")).to_be_visible()
    taken = "Căn cước công dân: đã lấy từ Cơ sở dữ liệu quốc gia về dân cư lúc"
    expect(page.locator(".registry-taken")).to_contain_text(taken)
    check_page(page, "registry-prefill-review")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator("h1")).to_contain_text("Hồ sơ ")
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED
    assert not dossier.attachments.exists()  # uploaded nothing
    extract = RegistryExtract.objects.get(dossier=dossier)
    assert extract.outcome == RegistryExtract.Outcome.TAKEN and extract.message_id
    expect(page.locator(".registry-taken")).to_contain_text(taken)
    check_page(page, "registry-prefill-submitted")

    page.goto(f"{live_server.url}/tai-khoan/thong-tin/")
    page.get_by_role("link", name="Ai đã tra cứu dữ liệu của tôi").click()
    expect(page.locator("h1")).to_have_text("Ai đã tra cứu dữ liệu của tôi")
    expect(page.get_by_role("cell", name="Tra cứu công dân")).to_be_visible()
    expect(page.get_by_role("cell", name="Điền sẵn tờ khai khi nộp hồ sơ")).to_be_visible()
    expect(page.get_by_role("cell", name="Nghị định 45/2020/NĐ-CP")).to_be_visible()
    check_page(page, "data-lookups")
    page.context.close()

    # The desk sees what the registry returned, when, and the message log record.
    make_staff("motcua.stp", agencies["justice"], Role.DESK_OFFICER)
    desk = browser.new_context(viewport=viewport, locale="vi-VN").new_page()
    desk.problems = []
    desk.on("console", lambda msg: msg.type == "error" and desk.problems.append(msg.text))
    desk.goto(f"{live_server.url}/accounts/login/?next=/staff/dossiers/{dossier.public_id}/")
    desk.fill("#id_username", "motcua.stp")
    desk.fill("#id_password", PASSWORD)
    desk.get_by_role("button", name="Đăng nhập").last.click()
    taken = desk.locator(".registry-extracts")
    expect(
        desk.get_by_role("heading", name="Đã lấy từ các cơ sở dữ liệu dùng chung")
    ).to_be_visible()
    expect(taken).to_contain_text("Căn cước công dân")
    expect(taken).to_contain_text(f"bản ghi nhật ký thông điệp {extract.message_id}")
    expect(taken).to_contain_text("Nguyễn Văn An")
    expect(taken).to_contain_text("Số 12 đường 30 Tháng 4, phường Ninh Kiều")
    check_page(desk, "registry-prefill-desk")
