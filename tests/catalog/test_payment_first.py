"""The catalogue's "payment first" flag: edited by catalogue editors, kept by new versions,
carried by imports, exports and the API."""

import pytest

from egov.accounts.models import Role
from egov.catalog import content, exchange, services
from egov.catalog.models import ProcedureVersion
from tests.catalog.test_exchange import FEE, REQUIREMENT, _procedure_row, _tables

pytestmark = pytest.mark.django_db


def test_the_editor_sets_it_on_a_draft(staff_client, catalogue):
    client, _user = staff_client(Role.CATALOGUE_EDITOR, "justice")
    client.post("/staff/catalog/2.000488/draft/")
    form = client.get("/staff/catalog/2.000488/edit/").context["form"]
    assert "payment_first" in form.fields
    data = {key: form[key].value() for key in form.fields}
    data.update(payment_first="on", deciding_agency=catalogue["record"].deciding_agency.code)
    data["receiving_agencies"] = [a.code for a in catalogue["record"].receiving_agencies.all()]
    saved = client.post("/staff/catalog/2.000488/edit/", data)
    assert saved.status_code == 302, saved.context["form"].errors
    draft = ProcedureVersion.objects.get(procedure__code="2.000488", status="draft")
    assert draft.payment_first is True


def test_a_new_draft_keeps_it(catalogue):
    version = catalogue["record"]
    ProcedureVersion.objects.filter(pk=version.pk).update(payment_first=True)
    draft = services.start_draft(version.procedure, actor=None)
    assert draft.payment_first is True
    assert content.dump(draft)["payment_first"] is True


def test_import_and_export_carry_it(agencies):
    row = _procedure_row(agencies, payment_first="có")
    report = exchange.import_tables(_tables([row], [REQUIREMENT], [FEE]), actor=None)
    assert report.ok, report.errors
    version = ProcedureVersion.objects.get(procedure__code="1.009999")
    assert version.payment_first is True
    exported = exchange.export_rows([version])["procedures"]
    header, line = exported[0], exported[1]
    assert line[header.index("payment_first")] == "yes"


def test_a_sheet_without_the_column_means_no(agencies):
    report = exchange.import_tables(
        _tables([_procedure_row(agencies)], [REQUIREMENT], [FEE]), actor=None
    )
    assert report.ok
    assert ProcedureVersion.objects.get(procedure__code="1.009999").payment_first is False


def test_the_api_says_so(client, catalogue):
    ProcedureVersion.objects.filter(pk=catalogue["record"].pk).update(payment_first=True)
    assert client.get("/api/v1/procedures/2.000488").json()["payment_first"] is True
