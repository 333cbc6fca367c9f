import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from egov.accounts import services as accounts
from egov.accounts.models import Role, User
from egov.catalog.models import Field
from egov.demo import agencies as demo
from egov.demo import boundary_free as demo_boundary_free
from egov.demo import catalog as demo_catalog
from egov.demo import documents as demo_documents
from egov.demo import feedback as demo_feedback
from egov.demo import personnel as demo_personnel
from egov.organizations import reference
from egov.organizations import services as organizations
from egov.organizations.models import AdministrativeUnit, Agency, OneStopDesk
from egov.queueing import services as queueing

DEMO_PASSWORD = "demo-egov-2026"  # noqa: S105 - printed for the demo; never in production data
TWO_TIER = datetime.date(2025, 7, 1)
LAST_THREE_TIER_DAY = datetime.date(2025, 6, 30)
# Fields on the service centre's queue kiosk, lettered A, B, C… in this order.
QUEUE_FIELDS = [
    "ho_tich",
    "dang_ky_kinh_doanh",
    "chung_thuc",
    "hoat_dong_xay_dung",
    "dat_dai",
    "ly_lich_tu_phap",
]

# The demo commune: its People's Committee receives, decides and returns the commune-level
# procedures of the demo catalogue (a citizen applies "where they live"; the demo picks one ward).
DEMO_COMMUNE = "Phường Ninh Kiều"
WARD = f"ward:{DEMO_COMMUNE}"
WARD_CENTRE = f"centre:{DEMO_COMMUNE}"
POLICE = "000.00.15.H13"
APPROVER_LEADER = (Role.APPROVER, Role.LEADER)

DEMO_STAFF = [
    # username, full name, agency code (or WARD), role(s), covers sub-tree
    ("quantri", "Nguyễn Văn Quản", "000.00.00.H13", Role.SYSTEM_ADMIN, True),
    ("kiemtoan", "Trần Thị Kiểm", "000.00.00.H13", Role.AUDITOR, True),
    # The city's Public Administration Service Centre receives and returns the city-level
    # procedures; each deciding agency below processes, reviews and approves its own.
    ("motcua", "Lê Thị Một Cửa", "000.00.30.H13", Role.DESK_OFFICER, False),
    # The demo commune (commune-level procedures of civil status, authentication, business
    # households, construction, land, social protection, culture and trade).
    ("motcua.ninhkieu", "Trần Thị Tiếp Nhận", WARD, Role.DESK_OFFICER, False),
    ("chuyenvien.ninhkieu", "Nguyễn Văn Thụ Lý", WARD, Role.SPECIALIST, False),
    ("lanhdao.ninhkieu", "Phạm Thị Chủ Tịch", WARD, APPROVER_LEADER, False),
    # The ward's Public Administration Service Centre: receives the procedures on the city's
    # list received regardless of administrative boundary for any commune (ND 118/2025).
    ("tiepnhan.ninhkieu", "Võ Thị Liên Thông", WARD_CENTRE, Role.DESK_OFFICER, False),
    # The city police: judicial records, driving licences and the residence and identity
    # procedures it decides (the commune-level ones are received at its own desk); its
    # specialist and the social insurance's take the birth–residence–health insurance card
    # transfer (liên thông).
    ("motcua.congan", "Lê Văn Tiếp Dân", POLICE, Role.DESK_OFFICER, False),
    ("chuyenvien.congan", "Huỳnh Văn Lý Lịch", POLICE, Role.SPECIALIST, False),
    ("lanhdao.congan", "Đỗ Minh Công", POLICE, APPROVER_LEADER, False),
    ("chuyenvien.bhxh", "Châu Thị Bảo Hiểm", "000.00.16.H13", Role.SPECIALIST, False),
    # The departments deciding the other city-level procedures.
    ("chuyenvien.snnmt", "Lâm Văn Đất", "000.00.06.H13", Role.SPECIALIST, False),
    ("lanhdao.snnmt", "Tạ Thị Môi", "000.00.06.H13", APPROVER_LEADER, False),
    ("chuyenvien.sxd", "Phan Văn Dựng", "000.00.07.H13", Role.SPECIALIST, False),
    ("lanhdao.sxd", "Kiều Minh Xây", "000.00.07.H13", APPROVER_LEADER, False),
    ("chuyenvien.syt", "Ngô Thị Xử", "000.00.10.H13", Role.SPECIALIST, False),
    ("lanhdao.syt", "Trần Văn Đạo", "000.00.10.H13", APPROVER_LEADER, False),
    ("chuyenvien.sgddt", "Vũ Thị Văn Bằng", "000.00.09.H13", Role.SPECIALIST, False),
    ("lanhdao.sgddt", "Cao Văn Giáo", "000.00.09.H13", APPROVER_LEADER, False),
    # The Department of Justice decides none of the demo procedures: its specialist and leader
    # demonstrate official documents, signatures and civil servant records.
    ("chuyenvien", "Phạm Văn Chuyên", "000.00.03.H13", Role.SPECIALIST, False),
    ("lanhdao", "Võ Minh Lãnh", "000.00.03.H13", Role.LEADER, True),
    ("vanthu", "Đặng Thu Văn", "000.00.01.H13", Role.CLERK, False),
    ("quantri.stp", "Huỳnh Quốc Trị", "000.00.03.H13", Role.AGENCY_ADMIN, True),
    ("kiemtoan.stp", "Bùi Thanh Toán", "000.00.03.H13", Role.AUDITOR, True),
    ("bientap.stp", "Lý Thị Biên", "000.00.03.H13", Role.CATALOGUE_EDITOR, True),
]


def demo_agency(key: str) -> Agency:
    """By code, WARD for the demo commune's People's Committee in force today, or WARD_CENTRE
    for its Public Administration Service Centre."""
    if key.startswith("centre:"):
        return (
            Agency.objects.as_of(timezone.localdate())
            .filter(
                unit__name=key[7:],
                unit__parent__code="92",
                kind=Agency.Kind.COMMUNE_SERVICE_CENTRE,
            )
            .get()
        )
    if key.startswith("ward:"):
        return (
            Agency.objects.as_of(timezone.localdate())
            .filter(unit__name=key[5:], unit__parent__code="92", kind=Agency.Kind.PEOPLES_COMMITTEE)
            .get()
        )
    return Agency.objects.get(code=key)


class Command(BaseCommand):
    help = "Loads the demo city (Cần Thơ): units over time, agencies, desks and demo accounts."

    def handle(self, *args, **options):
        created = reference.load_two_tier_tree()
        self.stdout.write(f"Two-tier units created: {created}")
        if not AdministrativeUnit.objects.filter(code="916").exists():
            for line in reference.load_city_history():
                self.stdout.write(line)
        with transaction.atomic():
            self._agencies()
            self._people()
        self.stdout.write(f"Procedures published: {demo_catalog.load()}")
        self.stdout.write(
            "Procedures put on the list received regardless of administrative boundary: "
            f"{demo_boundary_free.load()}"
        )
        self._queue()
        with transaction.atomic():
            made = demo_documents.load(DEMO_PASSWORD)
        self.stdout.write(f"Agencies issuing official documents: {made}")
        lines = demo_personnel.load(DEMO_PASSWORD)
        self.stdout.write("Personnel officers (civil servant records):\n" + "\n".join(lines))
        self.stdout.write(demo_feedback.load(DEMO_PASSWORD))
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def _agency(self, code, name, kind, parent=None, unit=None, valid_from=None, valid_to=None):
        agency = Agency.objects.filter(code=code).first()
        if agency:
            return agency
        agency = Agency(
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            unit=unit,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        return organizations.save_agency(agency, actor=None)

    def _agencies(self):
        code, name, kind, unit_code = demo.PROVINCE
        city_unit = AdministrativeUnit.objects.get(code=unit_code, valid_from=TWO_TIER)
        city = self._agency(code, name, kind, unit=city_unit)
        by_part = {}
        for part, dept_name, dept_kind in demo.DEPARTMENTS:
            valid_to = datetime.date(2025, 2, 28) if part in demo.ENDED_2025_03 else None
            by_part[part] = self._agency(
                f"000.00.{part}.H13", dept_name, dept_kind, parent=city, valid_to=valid_to
            )
        for sub_code, part, sub_name, sub_kind in demo.SUB_DEPARTMENTS:
            self._agency(sub_code, sub_name, sub_kind, parent=by_part[part])
        centre = by_part["30"]
        if not centre.desks.exists():
            organizations.save_desk(
                OneStopDesk(
                    agency=centre,
                    name="Bộ phận Một cửa – Trung tâm Phục vụ hành chính công",
                    address="Số 02 Hòa Bình, phường Ninh Kiều, thành phố Cần Thơ",
                ),
                actor=None,
            )
        for part, unit_code in demo.DISTRICTS:
            unit = AdministrativeUnit.objects.as_of(LAST_THREE_TIER_DAY).get(code=unit_code)
            self._agency(
                f"000.00.{part}.H13",
                f"Ủy ban nhân dân {unit.name}",
                "ubnd",
                parent=city,
                unit=unit,
                valid_to=LAST_THREE_TIER_DAY,
            )
        communes = AdministrativeUnit.objects.as_of(TWO_TIER).filter(parent=city_unit)
        for index, unit in enumerate(communes.order_by("code")):
            group, number = divmod(index, 99)
            commune_code = f"000.{number + 1:02d}.{50 + group}.H13"
            committee = self._agency(
                commune_code,
                f"Ủy ban nhân dân {unit.name}",
                "ubnd",
                parent=city,
                unit=unit,
                valid_from=TWO_TIER,
            )
            self._commune_centre(committee, unit, number, group)

    def _commune_centre(self, committee, unit, number, group):
        """The commune's Public Administration Service Centre (Trung tâm Phục vụ hành chính
        công cấp xã), a level-4 unit under its People's Committee, with the commune's desk."""
        centre = self._agency(
            f"001.{number + 1:02d}.{50 + group}.H13",
            f"Trung tâm Phục vụ hành chính công {unit.name}",
            Agency.Kind.COMMUNE_SERVICE_CENTRE,
            parent=committee,
            unit=unit,
            valid_from=TWO_TIER,
        )
        if centre.desks.exists():
            return
        # A demo loaded before the centres had the desk under the People's Committee.
        desk = committee.desks.first() or OneStopDesk(name=f"Bộ phận Một cửa {unit.name}")
        desk.agency = centre
        organizations.save_desk(desk, actor=None)

    def _queue(self):
        """The service centre's kiosk offers the fields with the most demo procedures."""
        desk = OneStopDesk.objects.filter(agency__code="000.00.30.H13").first()
        if desk is None or desk.queue_fields.exists():
            return
        by_code = Field.objects.in_bulk(QUEUE_FIELDS, field_name="code")
        offers = [
            (by_code[code], letter)
            for code, letter in zip(QUEUE_FIELDS, "ABCDEF", strict=True)
            if code in by_code
        ]
        queueing.offer_fields(desk, offers, actor=None)

    def _people(self):
        lines = []
        for username, full_name, agency_key, roles, subtree in DEMO_STAFF:
            agency = demo_agency(agency_key)
            roles = roles if isinstance(roles, tuple) else (roles,)
            user = User.objects.filter(username=username).first()
            if user is None:
                user = accounts.create_user(
                    actor=None,
                    username=username,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    kind=User.Kind.STAFF,
                    agency=agency,
                    email=f"{username}@cantho.example.vn",
                    is_staff=Role.SYSTEM_ADMIN in roles,
                    is_superuser=Role.SYSTEM_ADMIN in roles,
                )
            held = set(user.role_assignments.filter(agency=agency).values_list("role", flat=True))
            for granted in roles:
                # A demo loaded before a role was added to the list gets it on the next load.
                if granted not in held:
                    accounts.grant_role(
                        actor=None, user=user, role=granted, agency=agency, include_subtree=subtree
                    )
            labels = " + ".join(str(Role(granted).label) for granted in roles)
            lines.append(f"  {username:<19} {labels} — {agency.name}")
        if not User.objects.filter(username="congdan").exists():
            accounts.create_user(
                actor=None,
                username="congdan",
                password=DEMO_PASSWORD,
                full_name="Nguyễn Thị Công Dân",
                kind=User.Kind.CITIZEN,
                email="congdan@example.vn",
                citizen_id="092190012345",
                date_of_birth=datetime.date(1990, 5, 17),
            )
        lines.append(f"  {'congdan':<19} {User.Kind.CITIZEN.label}")
        self.stdout.write(f"Demo sign-ins (password: {DEMO_PASSWORD}):\n" + "\n".join(lines))
        self.stdout.write(
            "Staff sign in with the password alone while EGOV_STAFF_REQUIRE_2FA is off (the "
            "development default). With it on, each staff member first enrols an authenticator "
            "app with a one-time setup code: python manage.py totp_setup_code <user name>."
        )
