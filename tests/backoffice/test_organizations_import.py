import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.accounts.models import Role
from egov.core.models import AuditEvent
from egov.organizations.models import AdministrativeUnit

pytestmark = pytest.mark.django_db
URL = "/staff/organizations/import/"
UNITS = (
    "code,name,level,kind,parent_code,valid_from,valid_to\n"
    "93,Tỉnh Hậu Giang,1,tinh,,,2025-06-30\n"
    "930,Thành phố Vị Thanh,2,thanh_pho,93,,2025-06-30\n"
)


def _upload(client, text, name="units.csv", kind="units"):
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(URL, {"kind": kind, "file": file})


def test_system_admin_imports_a_good_file(staff_client):
    client, user = staff_client(Role.SYSTEM_ADMIN, "city")
    response = _upload(client, UNITS)
    assert response.status_code == 302
    assert AdministrativeUnit.objects.filter(code__in=["93", "930"]).count() == 2
    event = AuditEvent.objects.get(action="organizations.units_imported")
    assert event.actor_id == user.pk and event.object_repr == "units.csv"


def test_bad_rows_are_listed_and_nothing_is_imported(staff_client):
    client, _user = staff_client(Role.SYSTEM_ADMIN, "city")
    response = _upload(client, UNITS + "93001,Xã Sai,3,xa,930,2025-02-30,\n")
    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page and "YYYY-MM-DD" in page
    assert not AdministrativeUnit.objects.filter(code__in=["93", "930"]).exists()


def test_a_file_that_is_not_csv_is_refused(staff_client):
    client, _user = staff_client(Role.SYSTEM_ADMIN, "city")
    response = _upload(client, "%PDF-1.7", name="units.pdf")
    assert ".csv" in response.content.decode()


def test_others_may_neither_import_nor_export(staff_client):
    client, _user = staff_client(Role.AGENCY_ADMIN, "justice", include_subtree=True)
    assert _upload(client, UNITS).status_code == 403
    assert client.get("/staff/organizations/export/agencies.csv").status_code == 403


def test_export_downloads_csv(staff_client):
    client, _user = staff_client(Role.SYSTEM_ADMIN, "city")
    response = client.get("/staff/organizations/export/agencies.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "000.00.03.H13,Sở Tư pháp,so,000.00.00.H13" in response.content.decode()
    assert client.get("/staff/organizations/export/people.csv").status_code == 404
