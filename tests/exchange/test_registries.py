"""The civil status, business and land adapters against their local servers, through the
gateway: each look-up is signed, checked against the right and in the message log."""

import pytest

from egov.exchange import messagelog, services
from egov.exchange.models import AccessRight, MessageRecord
from egov.exchange.registries.base import RegistryInputError, RegistryUnavailable

AN = "001203004567"
NGOC = "092190001234"


def logged(message_id: str) -> MessageRecord:
    return MessageRecord.objects.get(message_id=message_id)


def test_a_birth_record_by_identification_number_is_logged_about_the_person(registries):
    birth = registries["civil_status"].birth(AN, consent="DY-1")
    assert birth.full_name == "Nguyễn Văn An" and birth.mother_name == "Lê Thị Thu Hà"
    assert birth.entry_number == "125" and birth.book == "01/2003"
    record = logged(birth.message_id)
    assert record.service_code == "ho-tich-tra-cuu" and record.status == 200
    assert record.purpose == "Điền sẵn tờ khai khi nộp hồ sơ"
    assert record.request_body is None  # personal data: hashes only
    assert list(messagelog.lookups_about(AN)) == [record]


def test_a_birth_record_by_register_entry(registries):
    birth = registries["civil_status"].birth(entry="87", book="01/1990", consent="DY-1")
    assert birth.full_name == "Trần Thị Bích Ngọc"
    assert registries["civil_status"].birth(entry="87", book="02/1990", consent="DY-1") is None


def test_a_marriage_record_by_either_spouse(registries):
    marriage = registries["civil_status"].marriage(NGOC, consent="DY-2")
    assert marriage.husband_name == "Phạm Minh Tuấn" and marriage.wife_id == NGOC
    by_husband = registries["civil_status"].marriage("092088005678", consent="DY-3")
    assert by_husband.entry_number == "42"
    assert registries["civil_status"].marriage(AN, consent="DY-4") is None  # not married
    assert MessageRecord.objects.filter(service_code="ho-tich-tra-cuu", status=404).count() == 1


def test_civil_status_without_consent_or_key_is_refused(registries):
    with pytest.raises(RegistryUnavailable, match="tải lên"):
        registries["civil_status"].birth(AN, consent="")
    with pytest.raises(RegistryInputError, match="số định danh"):
        registries["civil_status"].birth(consent="DY-1")


def test_an_enterprise_by_its_code_or_tax_code(registries):
    enterprise = registries["business"].lookup("1801 234 567")
    assert enterprise.name == "Công ty TNHH Nông sản Sông Hậu"
    assert enterprise.tax_code == "1801234567" and enterprise.representative == "Lê Hoàng Nam"
    assert "Ninh Kiều" in enterprise.head_office
    branch = registries["business"].lookup("1801234567-001")
    assert branch.kind == "Chi nhánh"
    assert registries["business"].lookup("1809999999") is None
    records = MessageRecord.objects.filter(service_code="doanh-nghiep-tra-cuu")
    assert sorted(records.values_list("status", flat=True)) == [200, 200, 404]
    assert all(r.subject_ref == "" for r in records)  # about an enterprise, not a person


def test_a_malformed_enterprise_code_is_refused_before_anything_is_sent(registries):
    with pytest.raises(RegistryInputError, match="10 chữ số"):
        registries["business"].lookup("18012")
    assert not MessageRecord.objects.exists()


def test_a_parcel_by_map_sheet_and_number_or_by_certificate(registries):
    parcel = registries["land"].lookup(
        commune="31135", sheet="12", number=345, consent="DY-5", subject=AN
    )
    assert parcel.area_m2 == 86.5 and parcel.certificate_number == "DA 123456"
    assert parcel.user_names == "Nguyễn Văn An"
    assert list(messagelog.lookups_about(AN)) == [logged(parcel.message_id)]
    same = registries["land"].lookup(certificate="cs654321", consent="DY-6")
    assert same.user_names == "Phạm Minh Tuấn, Trần Thị Bích Ngọc"
    assert same.land_use.startswith("Đất trồng cây lâu năm")
    none = registries["land"].lookup(commune="31135", sheet=12, number=346, consent="DY-7")
    assert none is None


def test_a_parcel_without_its_place_or_consent_is_refused(registries):
    with pytest.raises(RegistryInputError, match="số tờ bản đồ"):
        registries["land"].lookup(commune="31135", sheet="mười hai", number=1, consent="DY")
    with pytest.raises(RegistryUnavailable, match="đất đai"):
        registries["land"].lookup(certificate="DA 123456", consent="")


@pytest.mark.parametrize(
    ("name", "ask"),
    [
        ("civil_status", lambda r: r.birth(AN, consent="DY-1")),
        ("business", lambda r: r.lookup("1801234567")),
        ("land", lambda r: r.lookup(certificate="DA 123456", consent="DY-1")),
    ],
)
def test_a_registry_that_is_down_or_without_a_right_says_upload_instead(
    registries, registries_down, name, ask
):
    with pytest.raises(RegistryUnavailable) as refused:
        ask(registries_down[name])
    assert "tải lên" in refused.value.message
    # A registry whose server is down behind the gateway: the attempt is logged, 502.
    service = services.Service.objects.get(code=registries[name].service_code)
    service.base_url = "http://127.0.0.1:9"
    service.save(update_fields=["base_url"])
    with pytest.raises(RegistryUnavailable):
        ask(registries[name])
    assert MessageRecord.objects.get().status == 502
    # No right: refused at the gateway, nothing forwarded.
    right = AccessRight.objects.get(service=service)
    services.revoke_right(actor=None, right=right, reason="Hết hạn")
    with pytest.raises(RegistryUnavailable):
        ask(registries[name])
    assert MessageRecord.objects.count() == 1
