"""A citizen on a phone searches without diacritics, opens a procedure, downloads its form."""

import pytest
from django.core.files.base import ContentFile

from egov.catalog.templates_docx import declaration_form
from tests.e2e.conftest import DESKTOP

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_open_and_download(live_server, page, check_page, catalogue, tmp_path):
    birth = catalogue["birth"]
    requirement = birth.requirements.get()
    requirement.template_name = "Tờ khai đăng ký khai sinh"
    requirement.template_file.save(
        "to-khai-khai-sinh.docx",
        ContentFile(
            declaration_form(
                "Tờ khai đăng ký khai sinh", birth.name, birth.form_schema, birth.form_ui
            )
        ),
    )
    requirement.save()

    page.goto(live_server.url + "/")
    page.fill("#home-q", "dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    first = page.locator("ol.results li h2 a").first
    assert first.inner_text() == "Đăng ký khai sinh"
    check_page(page, "procedure-search")
    page.get_by_text("Bộ lọc").click()
    check_page(page, "procedure-search-filters")

    first.click()
    assert page.locator("h1").inner_text() == "Đăng ký khai sinh"
    assert "Luật Hộ tịch" in page.locator("main").inner_text()
    check_page(page, "procedure")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải “Tờ khai đăng ký khai sinh”").click()
    download = info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.name == "1.001193-mau-1.docx"
    assert saved.read_bytes()[:2] == b"PK"  # a Word document (zip)
    page.set_viewport_size(DESKTOP)
    check_page(page, "procedure")
