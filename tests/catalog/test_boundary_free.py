"""The province's list of procedures received regardless of administrative boundary (tiếp nhận
không phụ thuộc địa giới hành chính, Nghị định 118/2025/NĐ-CP): set by an editor with its
decision, carried to new versions, public on the portal."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from egov.accounts.models import Role
from egov.catalog import services
from egov.core.models import AuditEvent

pytestmark = pytest.mark.django_db
DECISION = "Quyết định số 1234/QĐ-UBND ngày 30/6/2025"


def test_an_editor_lists_a_version_with_the_decision_and_new_versions_keep_it(catalogue):
    birth = catalogue["birth"]
    with pytest.raises(ValidationError) as refused:
        services.set_boundary_free(birth, actor=None, listed=True, decision="  ")
    assert "boundary_free_decision" in refused.value.message_dict
    birth = services.set_boundary_free(birth, actor=None, listed=True, decision=DECISION)
    assert birth.boundary_free and birth.boundary_free_decision == DECISION
    event = AuditEvent.objects.filter(action="catalog.boundary_free_changed").get()
    assert event.after["boundary_free"] is True and event.before["boundary_free"] is False
    assert list(services.boundary_free_versions()) == [birth]
    draft = services.start_draft(birth.procedure, actor=None)
    assert draft.boundary_free and draft.boundary_free_decision == DECISION
    # Taken off the list: the decision goes with it.
    birth = services.set_boundary_free(birth, actor=None, listed=False, decision=DECISION)
    assert not birth.boundary_free and birth.boundary_free_decision == ""
    assert not services.boundary_free_versions().exists()


def test_the_list_is_public_on_the_portal(client, catalogue):
    services.set_boundary_free(catalogue["copy"], actor=None, listed=True, decision=DECISION)
    page = client.get(reverse("portal:boundary_free")).content.decode()
    assert "Chứng thực bản sao từ bản chính" in page and DECISION in page
    assert "Đăng ký khai sinh" not in page  # not listed
    assert "không phụ thuộc địa giới hành chính" in page
    detail = client.get(reverse("portal:procedure", args=["2.000815"])).content.decode()
    assert reverse("portal:boundary_free") in detail
    other = client.get(reverse("portal:procedure", args=["1.001193"])).content.decode()
    assert reverse("portal:boundary_free") not in other
    search = client.get(reverse("portal:procedures")).content.decode()
    assert reverse("portal:boundary_free") in search


def test_the_editor_sets_it_on_the_procedure_page_and_others_cannot(staff_client, catalogue):
    client, _editor = staff_client(Role.CATALOGUE_EDITOR, "justice", True, username="bientap")
    url = reverse("backoffice:catalog_boundary_free", args=["1.001193"])
    page = client.get(reverse("backoffice:catalog_procedure", args=["1.001193"]))
    assert "không phụ thuộc địa giới hành chính" in page.content.decode()
    client.post(url, {"listed": "on", "decision": ""}, follow=True)
    catalogue["birth"].refresh_from_db()
    assert not catalogue["birth"].boundary_free  # no decision named: refused
    client.post(url, {"listed": "on", "decision": DECISION})
    catalogue["birth"].refresh_from_db()
    assert catalogue["birth"].boundary_free
    client.logout()
    outsider, _user = staff_client(Role.SPECIALIST, "health", username="yte")
    assert outsider.post(url, {"decision": ""}).status_code in (403, 404)
    catalogue["birth"].refresh_from_db()
    assert catalogue["birth"].boundary_free
