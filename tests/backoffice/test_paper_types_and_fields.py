"""Creating a missing paper type (loại giấy tờ) and field (lĩnh vực) from the designer: audited,
picked by the papers, refused to anyone but the procedure's catalogue editors."""

from egov.accounts.models import Role
from egov.catalog.models import Field, PaperType
from egov.core.models import AuditEvent
from tests.backoffice.test_form_builder_pages import editor
from tests.backoffice.test_papers_and_fees_pages import PAPERS, posted_with

NEW_TYPE = "/staff/catalog/2.000815/papers/new-type/"


def test_editor_adds_a_paper_type_and_a_paper_picks_it(staff_client, catalogue):
    client = editor(staff_client, catalogue)
    response = client.post(NEW_TYPE, {"t-name": "Giấy chứng nhận  quyền sử dụng đất", "t-code": ""})
    assert response["Location"] == PAPERS
    kind = PaperType.objects.get()
    assert (kind.code, kind.name) == (
        "giay-chung-nhan-quyen-su-dung-dat",
        "Giấy chứng nhận quyền sử dụng đất",
    )
    event = AuditEvent.objects.get(action="catalog.paper_type_created")
    assert event.after == {"code": kind.code, "name": kind.name}
    # The same name without accents, or the same code, is the same type, not a duplicate.
    client.post(NEW_TYPE, {"t-name": "giay chung nhan quyen su dung dat"})
    client.post(NEW_TYPE, {"t-name": "Sổ đỏ", "t-code": kind.code})
    assert PaperType.objects.count() == 1
    assert AuditEvent.objects.filter(action="catalog.paper_type_created").count() == 1
    # A paper picks it: its code becomes the paper's, so the document store matches it.
    formset = client.get(PAPERS).context["formset"]
    assert (kind.code, f"{kind.name} ({kind.code})") in formset.forms[0].fields[
        "paper_type"
    ].choices
    data = posted_with(
        formset,
        "p",
        [
            {
                "name": "Bản sao sổ đỏ",
                "originals": "0",
                "copies": "1",
                "accepted_types": ["pdf"],
                "paper_type": kind.code,
            }
        ],
    )
    assert client.post(PAPERS, data).status_code == 302
    draft = catalogue["copy"].procedure.versions.get(status="draft")
    assert draft.requirements.get(name="Bản sao sổ đỏ").code == kind.code


def test_a_bad_paper_type_is_refused_with_a_message(staff_client, catalogue):
    client = editor(staff_client, catalogue)
    page = client.post(NEW_TYPE, {"t-name": "  ", "t-code": ""}, follow=True)
    assert list(page.context["messages"])
    client.post(NEW_TYPE, {"t-name": "Giấy phép", "t-code": "mã có dấu"})
    assert not PaperType.objects.exists()


def test_only_the_procedures_catalogue_editors_create_types_and_fields(staff_client, catalogue):
    editor(staff_client, catalogue)
    other, _user = staff_client(Role.CATALOGUE_EDITOR, "health", username="other")
    assert other.post(NEW_TYPE, {"t-name": "Giấy phép"}).status_code == 404
    specialist, _user = staff_client(Role.SPECIALIST, "justice", username="spec")
    assert specialist.post(NEW_TYPE, {"t-name": "Giấy phép"}).status_code == 403
    edit = "/staff/catalog/2.000815/edit/"
    assert specialist.post(edit, {"new_field": "Bồi thường nhà nước"}).status_code == 403
    assert not PaperType.objects.exists()
    assert not Field.objects.filter(name="Bồi thường nhà nước").exists()
    assert not AuditEvent.objects.filter(
        action__in=["catalog.paper_type_created", "catalog.field_created"]
    ).exists()
