"""A Department of Justice that issues and a Department of Health that receives, each with a
clerk, a leader and a specialist, agency certificates and the leader's personal certificate."""

import pytest

from egov.accounts.models import Role
from egov.documents import services
from egov.documents.models import Recipient
from egov.organizations import services as organizations
from egov.organizations.models import Agency
from tests.documents.axis_fixtures import axis  # noqa: F401 - a fixture
from tests.signatures.fixtures import (  # noqa: F401 - fixtures
    P12_PASSWORD,
    agency_issued,
    dev_pki,
    foreign_pki,
    import_agency_certificate,
    pki_settings,
)

TEXT = (
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn "
    "thư;\nSở Tư pháp đề nghị Sở Y tế cung cấp số liệu về hoạt động giám định pháp y năm 2025.\n"
    "Thời hạn gửi số liệu trước ngày 20 tháng 01 năm 2026."
)


@pytest.fixture(scope="session")
def personal_issued(dev_pki):  # noqa: F811
    return dev_pki.issue(
        "Võ Minh Lãnh", organization="Sở Tư pháp thành phố Cần Thơ", key_type="ec-p256"
    )


@pytest.fixture(scope="session")
def health_issued(dev_pki):  # noqa: F811
    return dev_pki.issue("Sở Y tế thành phố Cần Thơ", key_type="ec-p256")


@pytest.fixture
def office(agencies):
    """The Department of Justice's administrative division, which drafts its letters."""
    return organizations.save_agency(
        Agency(
            code="000.03.03.H13",
            name="Văn phòng Sở",
            kind="phong",
            parent=agencies["justice"],
            unit=agencies["justice"].unit,
        ),
        actor=None,
    )


@pytest.fixture
def people(agencies, make_staff, office):
    justice, health = agencies["justice"], agencies["health"]
    return {
        "specialist": make_staff(
            "chuyenvien", justice, Role.SPECIALIST, full_name="Phạm Văn Chuyên"
        ),
        "leader": make_staff("lanhdao", justice, Role.LEADER, full_name="Võ Minh Lãnh"),
        "clerk": make_staff("vanthu", justice, Role.CLERK, full_name="Đặng Thu Văn"),
        "health_clerk": make_staff("vanthu.syt", health, Role.CLERK, full_name="Lê Thị Thư"),
        "health_leader": make_staff("lanhdao.syt", health, Role.LEADER, full_name="Trần Văn Đạo"),
        "health_handler": make_staff(
            "chuyenvien.syt", health, Role.SPECIALIST, full_name="Ngô Thị Xử"
        ),
    }


@pytest.fixture
def setup_agencies(agencies, office, people):
    justice, health = agencies["justice"], agencies["health"]
    services.save_profile(
        justice,
        actor=None,
        abbreviation="STP",
        place_name="Cần Thơ",
        governing_body="Ủy ban nhân dân thành phố Cần Thơ",
    )
    services.save_profile(office, actor=None, abbreviation="VP")
    services.save_profile(
        health,
        actor=None,
        abbreviation="SYT",
        place_name="Cần Thơ",
        governing_body="Ủy ban nhân dân thành phố Cần Thơ",
    )
    services.ensure_registers(justice)
    services.ensure_registers(health)
    return agencies


@pytest.fixture
def certificates(
    setup_agencies,
    people,
    agency_issued,  # noqa: F811
    personal_issued,
    health_issued,
    import_agency_certificate,  # noqa: F811
    settings,
):
    from egov.signatures import services as signatures

    settings.EGOV_SIGNATURE_DEFAULT_LEVEL = "B-B"
    agency = import_agency_certificate(setup_agencies["justice"], agency_issued["ec-p256"])
    import_agency_certificate(setup_agencies["health"], health_issued)
    personal = signatures.import_pkcs12(
        personal_issued.pkcs12(P12_PASSWORD), P12_PASSWORD, actor=None, user=people["leader"]
    )
    return {"agency": agency, "personal": personal}


@pytest.fixture
def draft(setup_agencies, people, office):
    def make(**options):
        options.setdefault("subject", "Về việc cung cấp số liệu giám định pháp y năm 2025")
        options.setdefault("body", TEXT)
        options.setdefault(
            "recipients",
            [{"kind": Recipient.Kind.PLATFORM, "agency": setup_agencies["health"]}],
        )
        options.setdefault("drafting_unit", office)
        options.setdefault("approver", people["leader"])
        options.setdefault("signer_title", "Giám đốc")
        return services.create_draft(
            setup_agencies["justice"], actor=people["specialist"], **options
        )

    return make


@pytest.fixture
def issued(draft, people, certificates):
    """A letter drafted, approved and signed, and issued by the clerk."""

    def make(**options):
        document = draft(**options)
        services.submit(document, actor=people["specialist"])
        services.approve_and_sign(document, actor=people["leader"])
        return services.issue(document, actor=people["clerk"])

    return make
