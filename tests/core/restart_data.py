"""Data for the database-restart test, written into its private PostgreSQL by a subprocess
(`python -m tests.core.restart_data`, with the private DATABASE_URL): a city, a commune's
People's Committee with its desk, a published procedure, citizens and a desk officer with API
tokens. Prints what the clients need as JSON."""

import datetime
import json
import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings")
django.setup()

from django.db import transaction  # noqa: E402

from egov.accounts import services as accounts  # noqa: E402
from egov.accounts import tokens  # noqa: E402
from egov.accounts.models import Role, User  # noqa: E402
from egov.organizations import services as organizations  # noqa: E402
from egov.organizations.models import AdministrativeUnit, Agency, OneStopDesk  # noqa: E402
from tests.catalog_fixtures import make_procedure  # noqa: E402

CITIZENS = 3


def main() -> None:
    with transaction.atomic():
        valid = datetime.date(2025, 7, 1)
        city_unit = AdministrativeUnit.objects.create(
            code="92", name="Thành phố Cần Thơ", level=1, kind="thanh_pho_tw", valid_from=valid
        )
        ward = AdministrativeUnit.objects.create(
            code="31117",
            name="Phường Ninh Kiều",
            level=3,
            kind="phuong",
            parent=city_unit,
            valid_from=valid,
        )
        city = organizations.save_agency(
            Agency(
                code="000.00.00.H13", name="UBND thành phố Cần Thơ", kind="ubnd", unit=city_unit
            ),
            actor=None,
        )
        committee = organizations.save_agency(
            Agency(
                code="000.01.50.H13",
                name="UBND phường Ninh Kiều",
                kind="ubnd",
                parent=city,
                unit=ward,
            ),
            actor=None,
        )
        organizations.save_desk(
            OneStopDesk(agency=committee, name="Bộ phận Một cửa phường Ninh Kiều"), actor=None
        )
        version = make_procedure("1.001193", "Đăng ký khai sinh", owner=committee)
        officer = accounts.create_user(
            actor=None,
            username="motcua",
            password="a-long-test-password-123",
            kind=User.Kind.STAFF,
            agency=committee,
            full_name="Lê Thị Một Cửa",
        )
        accounts.grant_role(actor=None, user=officer, role=Role.DESK_OFFICER, agency=committee)
        citizens = [
            accounts.create_user(
                actor=None,
                username=f"congdan{number}",
                password="a-long-test-password-123",
                kind=User.Kind.CITIZEN,
                email=f"congdan{number}@example.vn",
                full_name=f"Nguyễn Văn Dân {number}",
            )
            for number in range(CITIZENS)
        ]
        plan = {
            "procedure_code": version.procedure.code,
            "commune_code": ward.code,
            "requirement_id": version.requirements.get().pk,
            "answers": {
                "ho_ten_tre": "Nguyễn Văn An",
                "ngay_sinh": "2026-11-30",
                "gioi_tinh": "Nam",
            },
            "citizen_tokens": [
                tokens.create(person, name="restart", days=1)[1] for person in citizens
            ],
            "officer_token": tokens.create(officer, name="restart", days=1)[1],
        }
    print(json.dumps(plan))


if __name__ == "__main__":
    main()
