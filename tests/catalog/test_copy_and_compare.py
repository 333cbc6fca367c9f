"""Starting a procedure from another, and the draft's differences from the published version
in words."""

from egov.accounts.models import Role
from egov.catalog import diff, services
from egov.catalog.models import Field, Procedure
from egov.core.models import AuditEvent


def test_a_draft_lists_its_changes_in_words(catalogue):
    published = catalogue["copy"]
    draft = services.start_draft(published.procedure, actor=None)
    assert diff.changes(published, draft) == []
    services.update_draft(draft, actor=None, time_limit=2, name="Chứng thực bản sao")
    schema = {**draft.form_schema, "properties": {**draft.form_schema["properties"]}}
    schema["properties"]["ghi_chu"] = {"type": "string", "title": "Ghi chú", "maxLength": 200}
    services.save_form(draft, actor=None, schema=schema, ui=draft.form_ui)
    draft.fees.update(amount=5000, rule=None)
    draft.workflow_steps.filter(position=1).update(name="Nhận hồ sơ")
    draft.requirements.all().delete()
    draft.refresh_from_db()
    lines = diff.changes(published, draft)
    text = "\n".join(f"{section}: {sentence}" for section, sentence in lines)
    assert "Chứng thực bản sao từ bản chính → Chứng thực bản sao" in text
    assert "→ 2" in text
    assert "Ghi chú" in text
    assert "Tờ khai" in text  # the removed paper
    assert "5000" in text and "Nhận hồ sơ" in text
    assert "{" not in text  # no raw JSON


def test_editor_starts_a_procedure_from_another(staff_client, catalogue):
    client, _user = staff_client(Role.CATALOGUE_EDITOR, "justice")
    page = client.get("/staff/catalog/2.000815/")
    assert "copy_form" in page.context
    response = client.post(
        "/staff/catalog/2.000815/copy/",
        {
            "code": "2.999999",
            "owner_agency": catalogue["copy"].procedure.owner_agency_id,
            "name": "Chứng thực chữ ký",
        },
    )
    assert response["Location"] == "/staff/catalog/2.999999/edit/"
    new = Procedure.objects.get(code="2.999999").versions.get()
    source = catalogue["copy"]
    assert new.is_draft and new.number == 1 and new.name == "Chứng thực chữ ký"
    assert new.form_schema == source.form_schema
    assert [f.rule for f in new.fees.all()] == [f.rule for f in source.fees.all()]
    assert new.workflow_steps.count() == source.workflow_steps.count()
    assert new.workflow_transitions.count() == source.workflow_transitions.count()
    assert source.procedure.versions.count() == 1  # the source is untouched
    assert AuditEvent.objects.filter(action="catalog.procedure_copied").exists()
    # A code in use is refused; another agency's procedure cannot be copied.
    again = client.post(
        "/staff/catalog/2.000815/copy/",
        {"code": "2.999999", "owner_agency": source.procedure.owner_agency_id, "name": "X"},
    )
    assert again.status_code == 302 and Procedure.objects.filter(code="2.999999").count() == 1
    assert client.post("/staff/catalog/1.002000/copy/", {}).status_code == 404


def test_a_missing_field_is_created_from_the_draft_page(staff_client, catalogue):
    client, _user = staff_client(Role.CATALOGUE_EDITOR, "justice")
    client.post("/staff/catalog/2.000815/draft/")
    form = client.get("/staff/catalog/2.000815/edit/").context["form"]
    data = {key: form[key].value() for key in form.fields}
    data.update(
        receiving_agencies=[], deciding_agency="", field="", new_field="Bồi thường nhà nước"
    )
    assert client.post("/staff/catalog/2.000815/edit/", data).status_code == 302
    draft = catalogue["copy"].procedure.versions.get(status="draft")
    assert (draft.field.code, draft.field.name) == ("boi_thuong_nha_nuoc", "Bồi thường nhà nước")
    # The same name again (another case, no accents) picks the field, not a duplicate.
    data.update(new_field="boi thuong nha nuoc")
    client.post("/staff/catalog/2.000815/edit/", data)
    assert Field.objects.filter(code__startswith="boi_thuong").count() == 1
    assert AuditEvent.objects.filter(action="catalog.field_created").count() == 1
    data.update(new_field="")
    page = client.post("/staff/catalog/2.000815/edit/", data)
    assert page.status_code == 200 and "field" in page.context["form"].errors
