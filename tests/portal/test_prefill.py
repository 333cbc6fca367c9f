"""Profile data pre-fills the e-form fields that describe the applicant, and only those."""

import datetime

import pytest

from egov.catalog.eforms import schema_from_fields
from egov.dossiers import services
from egov.portal import prefill
from tests.catalog_fixtures import make_procedure

pytestmark = pytest.mark.django_db

RESIDENCE_FORM = [
    {"name": "ho_ten", "label": "Họ, chữ đệm, tên", "type": "string", "required": True},
    {"name": "ngay_sinh", "label": "Ngày sinh", "type": "date", "required": True},
    {"name": "so_dinh_danh", "label": "Số định danh cá nhân", "type": "string"},
    {"name": "dia_chi", "label": "Địa chỉ", "type": "string"},
    {"name": "so_dien_thoai", "label": "Số điện thoại", "type": "string"},
]


@pytest.fixture
def profiled(citizen):
    citizen.date_of_birth = datetime.date(1990, 5, 31)
    citizen.citizen_id = "092090123456"
    citizen.address = "12 Hòa Bình, Phường Ninh Kiều, Thành phố Cần Thơ"
    citizen.save()
    return citizen


def test_the_applicants_own_fields_are_filled(profiled):
    schema, _ui = schema_from_fields(RESIDENCE_FORM)
    assert prefill.from_profile(profiled, schema) == {
        "ho_ten": "Nguyễn Thị Công Dân",
        "ngay_sinh": "1990-05-31",
        "so_dinh_danh": "092090123456",
        "dia_chi": "12 Hòa Bình, Phường Ninh Kiều, Thành phố Cần Thơ",
    }  # no phone on the profile: nothing is invented


def test_a_childs_date_of_birth_is_not_the_applicants(profiled):
    schema, _ui = schema_from_fields(
        [
            {"name": "ho_ten_tre", "label": "Họ, chữ đệm, tên của trẻ", "type": "string"},
            {"name": "ngay_sinh", "label": "Ngày sinh", "type": "date"},
        ]
    )
    assert prefill.from_profile(profiled, schema) == {}


def test_the_declaration_page_shows_the_profile_and_keeps_saved_answers(client, profiled, agencies):
    version = make_procedure(
        "1.004194",
        "Đăng ký tạm trú",
        owner=agencies["justice"],
        level="province",
        deciding=agencies["justice"].code,
        form=RESIDENCE_FORM,
    )
    dossier = services.start(
        applicant=profiled, version=version, agency=services.receiving_agency_for(version)
    )
    client.force_login(profiled)
    url = f"/ho-so/{dossier.public_id}/to-khai/"
    form = client.get(url).context["form"]
    assert form["ngay_sinh"].value() == "1990-05-31"
    assert form["dia_chi"].value().startswith("12 Hòa Bình")
    page = client.get(url).content.decode()
    assert 'value="1990-05-31"' in page and 'value="092090123456"' in page
    services.save_answers(
        dossier, applicant=profiled, answers={"ho_ten": "Trần Văn Khác", "ngay_sinh": "1980-01-01"}
    )
    form = client.get(url).context["form"]
    assert form["ho_ten"].value() == "Trần Văn Khác" and form["ngay_sinh"].value() == "1980-01-01"
    assert form["so_dinh_danh"].value() == "092090123456"
