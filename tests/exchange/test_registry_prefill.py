"""At submission the portal fills the e-form from the population database (with consent), marks
the papers the catalogue takes from it, shows the desk what came back, and falls back to an
upload when the registry cannot answer."""

import httpx
import pytest
from django.urls import reverse

from egov.catalog.models import DocumentRequirement
from egov.core.models import AuditEvent
from egov.dossiers import registry_prefill, services
from egov.dossiers.models import RegistryExtract
from egov.exchange.registries import population
from tests.catalog_fixtures import make_procedure
from tests.exchange.test_population import (  # noqa: F401 - shared fixtures
    registry,
    registry_url,
)

PERSON = "001203004567"  # in the registry's demo data
FORM = [
    {"name": "ho_ten", "label": "Họ, chữ đệm, tên", "type": "string", "required": True},
    {"name": "ngay_sinh", "label": "Ngày sinh", "type": "date", "required": True},
    {"name": "so_dinh_danh", "label": "Số định danh cá nhân", "type": "string"},
    {"name": "noi_thuong_tru", "label": "Nơi thường trú", "type": "string"},
    {"name": "ly_do", "label": "Lý do", "type": "string"},
]


@pytest.fixture
def applicant(citizen):
    citizen.citizen_id = PERSON
    citizen.save(update_fields=["citizen_id"])
    return citizen


@pytest.fixture
def dossier(applicant, agencies):
    version = make_procedure(
        "1.004222",
        "Đăng ký thường trú",
        owner=agencies["justice"],
        level="province",
        deciding=agencies["justice"].code,
        form=FORM,
    )
    DocumentRequirement.objects.create(
        version=version,
        position=5,
        name="Căn cước công dân",
        registry=DocumentRequirement.Registry.POPULATION,
        accepted_types=["pdf"],
    )
    return services.start(
        applicant=applicant, version=version, agency=services.receiving_agency_for(version)
    )


@pytest.fixture
def live_registry(monkeypatch, settings, registry):  # noqa: F811
    settings.EGOV_POPULATION_REGISTRY = {"gateway_url": "http://testserver"}
    monkeypatch.setattr(registry_prefill, "client", lambda name: registry)
    return registry


@pytest.fixture
def registry_down(monkeypatch, settings, caller):
    """A registry client whose gateway cannot be reached (connection refused)."""
    settings.EGOV_POPULATION_REGISTRY = {"gateway_url": "http://127.0.0.1:9"}
    down = population.PopulationRegistry(
        http=httpx.Client(base_url="http://127.0.0.1:9", timeout=2),
        service_code="dan-cu-tra-cuu",
        client_code=caller.client.code,
        fingerprint=caller.client.fingerprint,
        key=caller.issued.key,
    )
    monkeypatch.setattr(registry_prefill, "client", lambda name: down)


def identity_paper(dossier):
    return dossier.procedure_version.requirements.get(registry="population")


def take(client, dossier, consent=True):
    url = reverse("portal:dossier_take_from_registry", args=[dossier.public_id])
    return client.post(url, {"consent": "1"} if consent else {}, follow=True)


def test_the_declaration_is_filled_from_the_registry(client, applicant, dossier, live_registry):
    client.force_login(applicant)
    page = client.get(reverse("portal:dossier_form", args=[dossier.public_id])).content.decode()
    assert "Cơ sở dữ liệu quốc gia về dân cư" in page and 'name="consent"' in page
    answer = take(client, dossier)
    form = answer.context["form"]
    assert form["ho_ten"].value() == "Nguyễn Văn An"
    assert form["ngay_sinh"].value() == "2003-05-14"
    assert form["noi_thuong_tru"].value().startswith("Số 12 đường 30 Tháng 4")
    assert "ly_do" not in form.initial or not form["ly_do"].value()  # nothing invented
    dossier.refresh_from_db()
    assert dossier.form_data["so_dinh_danh"] == PERSON
    extract = dossier.registry_extracts.get()
    assert extract.outcome == RegistryExtract.Outcome.TAKEN and extract.message_id
    assert extract.consent_ref.startswith("DY-")
    event = AuditEvent.objects.get(action="dossiers.registry_asked")
    assert event.after["outcome"] == "taken"


def test_without_consent_nothing_is_asked(client, applicant, dossier, live_registry):
    client.force_login(applicant)
    page = take(client, dossier, consent=False).content.decode()
    assert "Đánh dấu ô đồng ý" in page
    assert not dossier.registry_extracts.exists()


def test_a_paper_taken_from_the_registry_needs_no_upload_and_the_desk_sees_it(
    client, applicant, dossier, live_registry, staff_client
):
    client.force_login(applicant)
    take(client, dossier)
    assert identity_paper(dossier) not in services.papers_to_attach(dossier)
    page = client.get(reverse("portal:dossier_documents", args=[dossier.public_id]))
    assert "Đã lấy từ Cơ sở dữ liệu quốc gia về dân cư" in page.content.decode()
    # The declaration is the e-form; the identity paper comes from the registry: nothing to
    # upload, and the dossier goes in.
    dossier.procedure_version.requirements.filter(name="Tờ khai").update(filled_by_eform=True)
    dossier.refresh_from_db()
    assert services.missing_items(dossier) == []
    services.submit(dossier, applicant=applicant)
    mine = client.get(reverse("portal:dossier", args=[dossier.public_id])).content.decode()
    assert "Căn cước công dân: đã lấy từ Cơ sở dữ liệu quốc gia về dân cư lúc" in mine
    assert "Chưa đính kèm tệp nào" not in mine
    desk, _user = staff_client()
    page = desk.get(reverse("backoffice:dossier", args=[dossier.public_id])).content.decode()
    assert "Đã lấy từ các cơ sở dữ liệu dùng chung" in page
    assert "Nguyễn Văn An" in page and "Số 12 đường 30 Tháng 4" in page


def test_the_look_up_shows_in_the_citizens_account(client, applicant, dossier, live_registry):
    client.force_login(applicant)
    take(client, dossier)
    page = client.get(reverse("portal:data_lookups")).content.decode()
    assert "Tra cứu công dân" in page and "Điền sẵn tờ khai khi nộp hồ sơ" in page


def test_a_registry_that_is_down_turns_into_upload_instead(
    client, applicant, dossier, registry_down
):
    client.force_login(applicant)
    page = take(client, dossier).content.decode()
    assert "tải lên bản chụp" in page  # the clear choice: upload it instead
    dossier.refresh_from_db()
    assert dossier.is_draft  # kept, nothing lost
    assert dossier.registry_extracts.get().outcome == RegistryExtract.Outcome.UNAVAILABLE
    assert identity_paper(dossier) in services.papers_to_attach(dossier)
    page = client.get(reverse("portal:dossier_documents", args=[dossier.public_id]))
    assert "tải lên bản chụp của giấy tờ này" in page.content.decode()


def test_another_citizens_dossier_cannot_be_filled(client, dossier, live_registry, make_staff):
    from egov.accounts import services as accounts
    from egov.accounts.models import User
    from tests.conftest import PASSWORD

    other = accounts.create_user(
        actor=None,
        username="khac",
        password=PASSWORD,
        kind=User.Kind.CITIZEN,
        email="khac@example.vn",
        full_name="Người Khác",
    )
    client.force_login(other)
    url = reverse("portal:dossier_take_from_registry", args=[dossier.public_id])
    assert client.post(url, {"consent": "1"}).status_code == 404
    assert not dossier.registry_extracts.exists()


def test_without_a_configured_registry_the_box_is_not_offered(client, applicant, dossier, settings):
    settings.EGOV_POPULATION_REGISTRY = None
    client.force_login(applicant)
    page = client.get(reverse("portal:dossier_form", args=[dossier.public_id])).content.decode()
    assert 'name="consent"' not in page
