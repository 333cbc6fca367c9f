import datetime
import importlib
import itertools

import pytest

from egov.accounts import services as accounts
from egov.accounts.models import Role
from egov.organizations import services as organizations
from egov.organizations.models import Agency
from egov.personnel import services
from egov.personnel.models import Rank
from egov.personnel.services import EventInput

D = datetime.date
RECRUITED = D(2015, 3, 1)
_numbers = itertools.count(1)


def event(kind, on, **fields) -> EventInput:
    """An event with its decision (a new number each time unless given)."""
    fields.setdefault("decision_number", f"{next(_numbers)}/QĐ-SNV")
    fields.setdefault("decision_signed_on", min(on, datetime.date.today()))
    fields.setdefault("decision_signer", "Nguyễn Văn Ký")
    return EventInput(kind=kind, effective_on=on, **fields)


def person_values(**values) -> dict:
    base = {
        "full_name": "Trần Văn An",
        "sex": "male",
        "date_of_birth": D(1985, 4, 12),
        "hometown": "Phong Điền, Cần Thơ",
        "ethnicity": "Kinh",
        "education_level": "university",
    }
    base.update(values)
    return base


@pytest.fixture
def home_affairs(agencies):
    return organizations.save_agency(
        Agency(
            code="000.00.02.H13",
            name="Sở Nội vụ",
            kind="so",
            parent=agencies["city"],
            unit=agencies["city"].unit,
        ),
        actor=None,
    )


@pytest.fixture
def officers(make_staff, agencies, home_affairs):
    """Home Affairs (the whole city), the justice department (and its centre), health."""
    home = make_staff("tochuc.snv", home_affairs, full_name="Lê Thị Nội Vụ")
    accounts.grant_role(
        actor=None,
        user=home,
        role=Role.PERSONNEL_OFFICER,
        agency=agencies["city"],
        include_subtree=True,
    )
    return {
        "home": home,
        "justice": make_staff(
            "tochuc.stp", agencies["justice"], Role.PERSONNEL_OFFICER, include_subtree=True
        ),
        "health": make_staff("tochuc.syt", agencies["health"], Role.PERSONNEL_OFFICER),
    }


def load_ranks() -> dict:
    """The ranks the migration loads: a transactional test (the browser journeys) empties every
    table when it ends, the migration's rows too, so tests that need them put them back."""
    migration = importlib.import_module("egov.personnel.migrations.0002_ranks")
    for code, name, group in migration.RANKS:
        Rank.objects.get_or_create(code=code, defaults={"name": name, "salary_group": group})
    return {rank.code: rank for rank in Rank.objects.all()}


@pytest.fixture(autouse=True)
def ranks(db):
    return load_ranks()


@pytest.fixture
def recruit(agencies, ranks):
    """Creates a record with its recruitment (as Home Affairs would, actor None)."""

    def make(agency="justice", on=RECRUITED, rank="01.003", step=1, actor=None, **values):
        first = event(
            "recruitment",
            on,
            agency=agencies[agency] if isinstance(agency, str) else agency,
            employment_kind="civil_servant",
            rank=ranks[rank],
            step=step,
        )
        return services.create_person(person_values(**values), first, actor=actor)

    return make
