"""Demo civil servant records: personnel officers of Home Affairs (the whole city) and of the
justice department, 120 generated careers across the departments, the headcount approved for
this year, and the demo specialist's own record linked to their account."""

from django.utils import timezone

from egov.accounts import services as accounts
from egov.accounts.models import Role, User
from egov.organizations.models import Agency
from egov.personnel import generate, services
from egov.personnel.models import CivilServant

OFFICERS = [
    # username, full name, works in, role held in, covers the sub-tree
    ("tochuc.snv", "Lê Thị Nội Vụ", "000.00.02.H13", "000.00.00.H13", True),
    ("tochuc.stp", "Phan Văn Tổ", "000.00.03.H13", "000.00.03.H13", True),
]
DEPARTMENTS = ["000.00.02.H13", "000.00.03.H13", "000.00.04.H13", "000.00.09.H13",
               "000.00.10.H13", "000.01.03.H13", "000.02.03.H13"]  # fmt: skip
QUOTAS = {"000.00.03.H13": (45, 0), "000.01.03.H13": (6, 8), "000.00.10.H13": (60, 20)}
PEOPLE = 120
SEED = 2026


def load(password: str) -> list[str]:
    """Loads once (nothing if records exist); returns the sign-in lines to print."""
    lines = []
    for username, full_name, works_in, role_in, subtree in OFFICERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = accounts.create_user(
                actor=None,
                username=username,
                password=password,
                full_name=full_name,
                kind=User.Kind.STAFF,
                agency=Agency.objects.get(code=works_in),
                email=f"{username}@cantho.example.vn",
            )
            accounts.grant_role(
                actor=None,
                user=user,
                role=Role.PERSONNEL_OFFICER,
                agency=Agency.objects.get(code=role_in),
                include_subtree=subtree,
            )
        lines.append(f"  {username:<14} {Role(Role.PERSONNEL_OFFICER).label} — {user.agency.name}")
    if CivilServant.objects.exists():
        return lines
    today = timezone.localdate()
    agencies = list(Agency.objects.filter(code__in=DEPARTMENTS).order_by("code"))
    generator = generate.Generator(SEED, agencies, today=today, events=20)
    generate.write((generator.person(n, f"HS{n:06d}") for n in range(1, PEOPLE + 1)), generator)
    for code, (civil_servants, public_employees) in QUOTAS.items():
        services.set_quota(
            Agency.objects.get(code=code),
            today.year,
            civil_servants=civil_servants,
            public_employees=public_employees,
            decision=f"12/QĐ-UBND ngày 05/01/{today.year}",
            actor=None,
        )
    specialist = User.objects.filter(username="chuyenvien").first()
    first = CivilServant.objects.filter(state__agency__code="000.00.03.H13").order_by("code")
    if specialist is not None and first.exists():
        person = first.first()
        services.update_record(
            person,
            {"full_name": specialist.full_name, "sex": "male"},
            actor=None,
        )
        services.link_account(person, specialist, actor=None)
    return lines
