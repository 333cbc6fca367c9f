"""Demo data for official documents: the notation abbreviations and registers of a few agencies,
and the clerks, leaders and specialists who draft, sign, issue, receive and handle documents
(the Department of Justice sends, the Department of Health receives). The development PKI
(`create_dev_pki --demo`) gives the Department of Justice and its leader `lanhdao` their
certificates. The Department of Health's leader `lanhdao.syt` and specialist `chuyenvien.syt`
are demo staff of load_demo (they also decide a demo procedure)."""

from egov.accounts import services as accounts
from egov.accounts.models import Role, User
from egov.documents import services
from egov.organizations.models import Agency

PROFILES = [
    # code, abbreviation, governing body
    ("000.00.00.H13", "UBND", ""),
    ("000.00.01.H13", "VP", ""),
    ("000.00.03.H13", "STP", "Ủy ban nhân dân thành phố Cần Thơ"),
    ("000.02.03.H13", "HCTP", ""),
    ("000.00.10.H13", "SYT", "Ủy ban nhân dân thành phố Cần Thơ"),
]
PEOPLE = [
    # username, full name, agency code, role
    ("vanthu.stp", "Trương Thị Văn Thư", "000.00.03.H13", Role.CLERK),
    ("vanthu.syt", "Lê Thị Thư", "000.00.10.H13", Role.CLERK),
]


def load(password: str) -> int:
    made = 0
    for code, abbreviation, governing in PROFILES:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            continue
        services.save_profile(
            agency,
            actor=None,
            abbreviation=abbreviation,
            place_name="Cần Thơ",
            governing_body=governing,
        )
        if agency.parent_id is None or agency.kind != Agency.Kind.OFFICE:
            services.ensure_registers(agency)
        made += 1
    for username, full_name, code, role in PEOPLE:
        agency = Agency.objects.filter(code=code).first()
        if agency is None or User.objects.filter(username=username).exists():
            continue
        user = accounts.create_user(
            actor=None,
            username=username,
            password=password,
            kind=User.Kind.STAFF,
            agency=agency,
            full_name=full_name,
        )
        accounts.grant_role(actor=None, user=user, role=role, agency=agency)
    return made
