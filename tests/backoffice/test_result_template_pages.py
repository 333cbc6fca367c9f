"""The designer's result template page: edit without JSON, preview as PDF, refusals, scope."""

from egov.accounts.models import Role
from egov.catalog.models import ResultTemplate
from egov.core.models import AuditEvent
from tests.backoffice.test_form_builder_pages import editor

URL = "/staff/catalog/2.000815/result/"

FORM = {
    "title": "Bản sao được chứng thực",
    "parent_agency": "UBND thành phố Cần Thơ",
    "place": "Cần Thơ",
    "signer_title": "Giám đốc",
    "validity_months": "",
    "body": "# Chứng thực\nBản sao đúng với bản chính ({{ to_khai.so_trang }} trang) "
    "cho **{{ ho_so.nguoi_nop }}**.",
    "recipients": "Như trên;\nLưu: VT.",
}


def test_editor_builds_the_result_template_and_previews_it(staff_client, catalogue):
    client = editor(staff_client, catalogue)
    page = client.get(URL)
    assert page.status_code == 200
    codes = [code for _group, items in page.context["groups"] for code, _label in items]
    assert "{{ to_khai.so_trang }}" in codes and "{{ ho_so.so_quyet_dinh }}" in codes
    assert page.context["paper"] is None
    response = client.post(URL, FORM)
    assert response.status_code == 302
    template = ResultTemplate.objects.get(version__procedure__code="2.000815")
    assert template.body == FORM["body"]
    assert AuditEvent.objects.filter(action="catalog.result_template_changed").count() == 1
    page = client.get(URL)
    html = page.content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Nguyễn Văn An" in html
    pdf = client.post(f"{URL}preview.pdf", {**FORM, "title": "Chưa lưu"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert ResultTemplate.objects.get(pk=template.pk).title == FORM["title"]  # not saved
    client.post(f"{URL}remove/")
    assert not ResultTemplate.objects.exists()


def test_unsafe_template_code_is_refused_with_a_message(staff_client, catalogue):
    client = editor(staff_client, catalogue)
    for body in ["{{ ho_so.nguoi_nop.__class__.__mro__ }}", "{% debug %}"]:
        response = client.post(URL, {**FORM, "body": body})
        assert response.status_code == 400
        assert response.context["form"].errors["body"]
        assert client.post(f"{URL}preview.pdf", {**FORM, "body": body}).status_code == 400
    assert not ResultTemplate.objects.exists()


def test_other_agencies_and_other_roles_are_refused(staff_client, catalogue):
    editor(staff_client, catalogue)
    other, _user = staff_client(Role.CATALOGUE_EDITOR, "health", username="other")
    assert other.get(URL).status_code == 404
    assert other.post(URL, FORM).status_code == 404
    specialist, _user = staff_client(Role.SPECIALIST, "justice", username="spec")
    assert specialist.get(URL).status_code == 403
    assert not ResultTemplate.objects.exists()
