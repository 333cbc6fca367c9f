"""Prefill from the civil status, business and land registries at submission: the e-form is
filled, the papers the catalogue takes from them need no upload, the desk sees what came back,
and a registry that is down turns into "upload it instead" with nothing lost."""

import pytest
from django.urls import reverse
from django.utils import timezone

from egov.catalog.models import DocumentRequirement
from egov.core.models import AuditEvent
from egov.dossiers import registry_prefill, services
from egov.dossiers.models import RegistryExtract
from tests.catalog_fixtures import make_procedure

NGOC = "092190001234"  # born in Phong Điền, married: both in the civil status demo data
Registry = DocumentRequirement.Registry
SETTINGS = {
    Registry.CIVIL_STATUS: "EGOV_CIVIL_STATUS_REGISTRY",
    Registry.BUSINESS: "EGOV_BUSINESS_REGISTRY",
    Registry.LAND: "EGOV_LAND_REGISTRY",
}


@pytest.fixture
def applicant(citizen):
    citizen.citizen_id = NGOC
    citizen.save(update_fields=["citizen_id"])
    return citizen


def _procedure(agencies, code, name, form, papers):
    version = make_procedure(
        code,
        name,
        owner=agencies["justice"],
        level="province",
        deciding=agencies["justice"].code,
        form=form,
    )
    # The declaration is the e-form (nothing to upload for it once filled).
    version.requirements.filter(name="Tờ khai").update(filled_by_eform=True)
    for position, (paper, registry) in enumerate(papers, start=5):
        DocumentRequirement.objects.create(
            version=version,
            position=position,
            name=paper,
            registry=registry,
            accepted_types=["pdf"],
        )
    return version


def _start(applicant, version):
    return services.start(
        applicant=applicant, version=version, agency=services.receiving_agency_for(version)
    )


@pytest.fixture
def use(monkeypatch, settings):
    """Makes the one-stop system ask the given adapters (registry name → adapter)."""

    def configure(adapters):
        for setting in SETTINGS.values():
            setattr(settings, setting, {"gateway_url": "http://testserver"})
        monkeypatch.setattr(registry_prefill, "client", lambda name: adapters[name])

    return configure


def take(client, dossier, registry, **keys):
    url = reverse("portal:dossier_take_from_registry", args=[dossier.public_id])
    return client.post(url, {"consent": "1", "registry": registry, **keys}, follow=True)


@pytest.fixture
def marriage_dossier(applicant, agencies):
    form = [
        {"name": "ho_ten", "label": "Họ, chữ đệm, tên", "type": "string", "required": True},
        {"name": "gioi_tinh", "label": "Giới tính", "type": "enum", "choices": ["Nam", "Nữ"]},
        {"name": "noi_sinh", "label": "Nơi sinh", "type": "string"},
        {"name": "ho_ten_me", "label": "Họ tên mẹ", "type": "string"},
        {"name": "ho_ten_chong", "label": "Họ tên chồng", "type": "string"},
        {"name": "ly_do", "label": "Lý do", "type": "string"},
    ]
    version = _procedure(
        agencies,
        "1.001193",
        "Cấp bản sao trích lục hộ tịch",
        form,
        [
            ("Trích lục khai sinh", Registry.CIVIL_STATUS),
            ("Giấy chứng nhận kết hôn", Registry.CIVIL_STATUS),
        ],
    )
    return _start(applicant, version)


def test_birth_and_marriage_are_taken_from_the_civil_status_database(
    client, applicant, marriage_dossier, registries, use, staff_client
):
    use(registries)
    client.force_login(applicant)
    form_url = reverse("portal:dossier_form", args=[marriage_dossier.public_id])
    page = client.get(form_url).content.decode()
    assert "Lấy giấy tờ từ Cơ sở dữ liệu hộ tịch điện tử" in page
    answer = take(client, marriage_dossier, "civil_status")
    assert "Dữ liệu đã được lấy từ Cơ sở dữ liệu hộ tịch điện tử" in answer.content.decode()
    marriage_dossier.refresh_from_db()
    assert marriage_dossier.form_data["noi_sinh"].startswith("Trạm y tế xã Nhơn Ái")
    assert marriage_dossier.form_data["gioi_tinh"] == "Nữ"  # "nu" answers the choice
    assert marriage_dossier.form_data["ho_ten_chong"] == "Phạm Minh Tuấn"
    assert "ly_do" not in marriage_dossier.form_data
    extracts = {e.requirement.name: e for e in marriage_dossier.registry_extracts.all()}
    assert {e.outcome for e in extracts.values()} == {RegistryExtract.Outcome.TAKEN}
    assert extracts["Giấy chứng nhận kết hôn"].data["so_dang_ky_ket_hon"] == "42"
    assert extracts["Trích lục khai sinh"].data["ho_ten_me"] == "Võ Thị Lan"
    assert (
        extracts["Trích lục khai sinh"].message_id != extracts["Giấy chứng nhận kết hôn"].message_id
    )
    assert services.papers_to_attach(marriage_dossier) == []
    services.submit(marriage_dossier, applicant=applicant)
    desk, _user = staff_client()
    detail = reverse("backoffice:dossier", args=[marriage_dossier.public_id])
    page = desk.get(detail).content.decode()
    assert "Họ và tên chồng" in page and "Phạm Minh Tuấn" in page
    assert "Nơi đăng ký kết hôn" in page
    # The look-ups were about her: they show on her "who looked up my data" page.
    client.force_login(applicant)
    page = client.get(reverse("portal:data_lookups")).content.decode()
    assert "Tra cứu hộ tịch" in page


@pytest.fixture
def business_dossier(applicant, agencies):
    form = [
        {"name": "ma_so_doanh_nghiep", "label": "Mã số doanh nghiệp", "type": "string"},
        {"name": "ten_doanh_nghiep", "label": "Tên doanh nghiệp", "type": "string"},
        {"name": "dia_chi_tru_so", "label": "Địa chỉ trụ sở", "type": "string"},
        {"name": "von_dieu_le", "label": "Vốn điều lệ", "type": "integer"},
    ]
    version = _procedure(
        agencies,
        "2.001610",
        "Cấp giấy phép kinh doanh rượu",
        form,
        [("Giấy chứng nhận đăng ký doanh nghiệp", Registry.BUSINESS)],
    )
    return _start(applicant, version)


def test_an_enterprise_is_taken_from_the_business_registry_and_submitted(
    client, applicant, business_dossier, registries, use, staff_client
):
    use(registries)
    client.force_login(applicant)
    page = client.get(reverse("portal:dossier_form", args=[business_dossier.public_id]))
    assert 'name="enterprise_code"' in page.content.decode()
    take(client, business_dossier, "business", enterprise_code="1801234567")
    business_dossier.refresh_from_db()
    assert business_dossier.form_data["ten_doanh_nghiep"] == "Công ty TNHH Nông sản Sông Hậu"
    assert business_dossier.form_data["von_dieu_le"] == 5_000_000_000
    extract = business_dossier.registry_extracts.get()
    assert extract.outcome == RegistryExtract.Outcome.TAKEN and extract.message_id
    assert AuditEvent.objects.get(action="dossiers.registry_asked").after["registry"] == "business"
    page = client.get(reverse("portal:dossier_documents", args=[business_dossier.public_id]))
    assert "Đã lấy từ Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp" in page.content.decode()
    assert services.missing_items(business_dossier) == []
    services.submit(business_dossier, applicant=applicant)
    desk, _user = staff_client()
    page = desk.get(reverse("backoffice:dossier", args=[business_dossier.public_id]))
    assert "Người đại diện theo pháp luật" in page.content.decode()
    assert "Lê Hoàng Nam" in page.content.decode()


def test_a_malformed_or_unknown_enterprise_code(
    client, applicant, business_dossier, registries, use
):
    use(registries)
    client.force_login(applicant)
    page = take(client, business_dossier, "business", enterprise_code="12345").content.decode()
    assert "10 chữ số" in page
    assert not business_dossier.registry_extracts.exists()  # nothing asked
    page = take(client, business_dossier, "business", enterprise_code="1809999999").content.decode()
    assert "không có dữ liệu" in page
    assert business_dossier.registry_extracts.get().outcome == RegistryExtract.Outcome.NOT_FOUND
    paper = business_dossier.procedure_version.requirements.get(registry="business")
    assert paper in services.papers_to_attach(business_dossier)  # upload it instead


@pytest.fixture
def land_dossier(applicant, agencies):
    form = [
        {"name": "so_to_ban_do", "label": "Số tờ bản đồ", "type": "integer"},
        {"name": "so_thua", "label": "Số thửa", "type": "integer"},
        {"name": "dien_tich", "label": "Diện tích (m²)", "type": "number"},
        {"name": "muc_dich_su_dung", "label": "Mục đích sử dụng", "type": "string"},
    ]
    version = _procedure(
        agencies,
        "1.012345",
        "Đăng ký biến động đất đai",
        form,
        [("Giấy chứng nhận quyền sử dụng đất", Registry.LAND)],
    )
    return _start(applicant, version)


def test_a_parcel_is_taken_from_the_land_database_by_certificate(
    client, applicant, land_dossier, registries, use
):
    use(registries)
    client.force_login(applicant)
    page = client.get(reverse("portal:dossier_form", args=[land_dossier.public_id]))
    assert 'name="certificate"' in page.content.decode()
    take(client, land_dossier, "land", certificate="cs 654321")
    land_dossier.refresh_from_db()
    assert land_dossier.form_data["so_to_ban_do"] == 7
    assert land_dossier.form_data["dien_tich"] == 1520.0
    assert land_dossier.form_data["muc_dich_su_dung"].startswith("Đất trồng cây lâu năm")
    assert land_dossier.registry_extracts.get().data["nguoi_su_dung"].endswith("Bích Ngọc")
    assert services.papers_to_attach(land_dossier) == []


def test_a_parcel_by_its_place_on_the_map(applicant, land_dossier, registries, use):
    use(registries)
    outcome = registry_prefill.take(
        land_dossier,
        applicant=applicant,
        registry="land",
        consent=True,
        keys={"commune": "31135", "sheet": 12, "parcel_number": 345},
    )
    assert outcome == RegistryExtract.Outcome.TAKEN
    land_dossier.refresh_from_db()
    assert land_dossier.form_data["so_thua"] == 345


def test_a_parcel_without_a_key_says_what_to_give(client, applicant, land_dossier, registries, use):
    use(registries)
    client.force_login(applicant)
    page = take(client, land_dossier, "land").content.decode()
    assert "số phát hành giấy chứng nhận" in page
    assert not land_dossier.registry_extracts.exists()


@pytest.mark.parametrize(
    ("fixture", "registry", "keys"),
    [
        ("marriage_dossier", "civil_status", {}),
        ("business_dossier", "business", {"enterprise_code": "1801234567"}),
        ("land_dossier", "land", {"certificate": "DA 123456"}),
    ],
)
def test_a_registry_that_is_down_turns_into_upload_instead(
    request, client, applicant, registries_down, use, fixture, registry, keys
):
    dossier = request.getfixturevalue(fixture)
    use(registries_down)
    client.force_login(applicant)
    page = take(client, dossier, registry, **keys).content.decode()
    assert "Hồ sơ của bạn vẫn được giữ" in page and "tải lên bản chụp" in page
    dossier.refresh_from_db()
    assert dossier.is_draft and dossier.form_data == {}
    papers = list(dossier.procedure_version.requirements.filter(registry=registry))
    assert {e.outcome for e in dossier.registry_extracts.all()} == {"unavailable"}
    assert all(paper in services.papers_to_attach(dossier) for paper in papers)
    page = client.get(reverse("portal:dossier_documents", args=[dossier.public_id]))
    assert "tải lên bản chụp của giấy tờ này" in page.content.decode()


def test_without_consent_nothing_is_asked(client, applicant, business_dossier, registries, use):
    use(registries)
    client.force_login(applicant)
    url = reverse("portal:dossier_take_from_registry", args=[business_dossier.public_id])
    page = client.post(url, {"registry": "business", "enterprise_code": "1801234567"}, follow=True)
    assert "Đánh dấu ô đồng ý" in page.content.decode()
    assert not business_dossier.registry_extracts.exists()


def test_the_desk_names_an_older_extract_by_the_forms_labels(applicant, marriage_dossier):
    """Extracts written before the registries' own names were kept hold e-form answers."""
    paper = marriage_dossier.procedure_version.requirements.filter(registry="civil_status")[0]
    RegistryExtract.objects.create(
        dossier=marriage_dossier,
        requirement=paper,
        registry="civil_status",
        outcome=RegistryExtract.Outcome.TAKEN,
        data={"ho_ten_chong": "Phạm Minh Tuấn", "ly_do": "Bản sao", "ma_cu": "42"},
        consent_ref="DY-1",
        asked_at=timezone.now(),
    )
    rows = registry_prefill.extract_rows(
        marriage_dossier.registry_extracts.get(), marriage_dossier.procedure_version.form_schema
    )
    # PostgreSQL's jsonb keeps its own key order: the labels are what this test is about.
    assert sorted(rows) == [
        ("Họ và tên chồng", "Phạm Minh Tuấn"),  # the registry's name for it
        ("Lý do", "Bản sao"),  # the form's label
        ("ma_cu", "42"),
    ]


def test_the_catalogue_says_which_civil_status_record_a_paper_is(
    client, applicant, marriage_dossier, registries, use
):
    """The catalogue's civil_status_record wins over the paper's name: a paper named with
    "kết hôn" that the catalogue marks as the birth record asks the birth register, and one
    whose name says nothing that it marks as the marriage record asks the marriage register."""
    papers = marriage_dossier.procedure_version.requirements
    Record = DocumentRequirement.CivilStatusRecord
    papers.filter(name="Trích lục khai sinh").update(
        name="Thông tin hộ tịch của người yêu cầu", civil_status_record=Record.MARRIAGE
    )
    papers.filter(name="Giấy chứng nhận kết hôn").update(
        name="Trích lục khai sinh (kèm giấy kết hôn nếu có)", civil_status_record=Record.BIRTH
    )
    use(registries)
    client.force_login(applicant)
    take(client, marriage_dossier, "civil_status")
    extracts = {e.requirement.name: e for e in marriage_dossier.registry_extracts.all()}
    assert extracts["Thông tin hộ tịch của người yêu cầu"].data["so_dang_ky_ket_hon"] == "42"
    assert extracts["Trích lục khai sinh (kèm giấy kết hôn nếu có)"].data["ho_ten_me"] == (
        "Võ Thị Lan"
    )


def test_without_the_catalogue_saying_the_name_decides():
    Record = DocumentRequirement.CivilStatusRecord
    assert registry_prefill.is_marriage_paper(DocumentRequirement(name="Giấy chứng nhận kết hôn"))
    assert not registry_prefill.is_marriage_paper(DocumentRequirement(name="Trích lục khai sinh"))
    assert not registry_prefill.is_marriage_paper(
        DocumentRequirement(name="Giấy chứng nhận kết hôn", civil_status_record=Record.BIRTH)
    )
