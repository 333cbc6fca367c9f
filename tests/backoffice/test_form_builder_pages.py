"""The e-form designer's pages: a catalogue editor builds a form without JSON, scoped to the
procedures of their agency."""

from egov.accounts.models import Role
from egov.core.models import AuditEvent

URL = "/staff/catalog/2.000815/form/"


def posted(formset, extra_rows=()):
    """The formset's fields as the browser would post them, plus new rows."""
    data = {}
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    rows = len(formset.initial_forms)
    for offset, row in enumerate(extra_rows):
        for key, value in row.items():
            data[f"f-{rows + offset}-{key}"] = value
    data["f-TOTAL_FORMS"] = str(rows + max(len(extra_rows), 1))
    data["f-INITIAL_FORMS"] = str(rows)
    return data


def editor(staff_client, catalogue):
    client, _user = staff_client(Role.CATALOGUE_EDITOR, "justice")
    client.post("/staff/catalog/2.000815/draft/")
    return client


def test_editor_adds_a_conditional_field_without_json(staff_client, catalogue):
    client = editor(staff_client, catalogue)
    page = client.get(URL)
    assert page.status_code == 200
    formset = page.context["formset"]
    assert [f["label"].value() for f in formset.forms][:2] == ["Số trang của bản sao", "Số bản sao"]
    data = posted(
        formset,
        [
            {
                "label": "Hình thức nhận kết quả",
                "kind": "choice",
                "required": "on",
                "options": "Tại quầy\nQua bưu điện",
                "ORDER": "3",
            },
            {
                "label": "Địa chỉ nhận qua bưu điện",
                "kind": "text",
                "required": "on",
                "show_when_field": "hinh_thuc_nhan_ket_qua",
                "show_when_value": "Qua bưu điện",
                "ORDER": "4",
            },
        ],
    )
    # The condition names a field added on this page, before it has ever been saved.
    data["f-3-name"] = ""
    data["f-2-name"] = "hinh_thuc_nhan_ket_qua"
    response = client.post(URL, data)
    assert response.status_code == 302, response.context["formset"].errors
    version = catalogue["copy"].procedure.versions.get(status="draft")
    schema = version.form_schema
    assert list(schema["properties"])[-2:] == [
        "hinh_thuc_nhan_ket_qua",
        "dia_chi_nhan_qua_buu_dien",
    ]
    assert schema["properties"]["dia_chi_nhan_qua_buu_dien"]["x-show-when"] == {
        "field": "hinh_thuc_nhan_ket_qua",
        "equals": "qua_buu_dien",
    }
    assert AuditEvent.objects.filter(action="catalog.eform_changed").count() == 1


def test_move_down_reorders_and_deleting_removes(staff_client, catalogue):
    client = editor(staff_client, catalogue)
    data = posted(client.get(URL).context["formset"])
    data["move"] = "0:down"
    assert client.post(URL, data).status_code == 302
    version = catalogue["copy"].procedure.versions.get(status="draft")
    order = sorted(version.form_ui, key=lambda n: version.form_ui[n]["order"])
    assert order == ["so_ban", "so_trang"]
    data = posted(client.get(URL).context["formset"])
    data["f-0-DELETE"] = "on"
    assert client.post(URL, data).status_code == 302
    version.refresh_from_db()
    assert list(version.form_schema["properties"]) == ["so_trang"]


def test_a_bad_field_is_explained_and_nothing_is_saved(staff_client, catalogue):
    client = editor(staff_client, catalogue)
    before = catalogue["copy"].procedure.versions.get(status="draft").form_schema
    data = posted(client.get(URL).context["formset"], [{"label": "Loại", "kind": "choice"}])
    page = client.post(URL, data)
    assert page.status_code == 200
    assert "options" in page.context["formset"].forms[2].errors
    assert catalogue["copy"].procedure.versions.get(status="draft").form_schema == before


def test_the_preview_renders_unsaved_fields_at_both_widths(staff_client, catalogue):
    client = editor(staff_client, catalogue)
    data = posted(client.get(URL).context["formset"], [{"label": "Ghi chú", "kind": "textarea"}])
    fragment = client.post(URL + "preview/", data).content.decode()
    assert 'id="id_phone-ghi_chu"' in fragment and 'id="id_desktop-ghi_chu"' in fragment
    assert catalogue["copy"].procedure.versions.get(status="draft").form_schema[
        "properties"
    ].keys() == {"so_trang", "so_ban"}


def test_another_agencys_editor_gets_404(staff_client, catalogue):
    client = editor(staff_client, catalogue)
    client.logout()
    other, _user = staff_client(Role.CATALOGUE_EDITOR, "health", username="other")
    assert other.get(URL).status_code == 404
    assert other.post(URL + "preview/", {}).status_code == 404


def test_an_untouched_empty_card_is_not_a_new_field(staff_client, catalogue):
    """The browser posts the empty card's defaults (its kind is "Short text"): that card must
    count as unchanged, or the preview and saving would ask for its label."""
    client = editor(staff_client, catalogue)
    data = posted(client.get(URL).context["formset"], [{"kind": "text", "prefill": ""}])
    assert 'id="id_phone-so_ban"' in client.post(URL + "preview/", data).content.decode()
    assert client.post(URL, data).status_code == 302
