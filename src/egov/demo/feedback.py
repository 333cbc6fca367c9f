"""Demo citizen reports: the categories a city starts with, who answers them, and a few reports
in central Cần Thơ at various stages (points approximate, on today's wards).

No commune boundaries are loaded: the platform has none of its own (docs/feedback.md says where
a city gets them). Routing by commune then uses the ward the reporter chose.
"""

from django.db import transaction
from django.utils import timezone

from egov.accounts import services as accounts
from egov.accounts.models import Role, User
from egov.feedback import services
from egov.feedback.models import Attribute, Category
from egov.organizations.models import AdministrativeUnit, Agency

CATEGORIES = [
    # code, name, group, routing, agency code, working days, description
    (
        "den-chieu-sang",
        "Đèn chiếu sáng công cộng hỏng",
        "Hạ tầng đô thị",
        "agency",
        "000.00.07.H13",
        5,
        "Đèn đường không sáng, sáng cả ngày, cột đèn nghiêng đổ.",
    ),
    (
        "mat-duong",
        "Hư hỏng mặt đường, ổ gà",
        "Hạ tầng đô thị",
        "agency",
        "000.00.07.H13",
        7,
        "Ổ gà, sụt lún, nắp hố ga hư hỏng gây nguy hiểm.",
    ),
    (
        "ngap-nuoc",
        "Ngập nước, cống thoát nước",
        "Hạ tầng đô thị",
        "commune",
        "000.00.07.H13",
        3,
        "Ngập sau mưa, triều cường, cống nghẹt.",
    ),
    (
        "rac-thai",
        "Rác thải, vệ sinh môi trường",
        "Môi trường",
        "commune",
        "000.00.06.H13",
        3,
        "Rác tồn đọng, đổ rác không đúng nơi quy định, xả thải.",
    ),
    (
        "lan-chiem-via-he",
        "Lấn chiếm vỉa hè, lòng đường",
        "Trật tự đô thị",
        "commune",
        "000.00.00.H13",
        5,
        "Buôn bán, để xe, vật dụng chiếm vỉa hè hoặc lòng đường.",
    ),
    (
        "thu-tuc-hanh-chinh",
        "Phản ánh về thủ tục hành chính",
        "Hành chính công",
        "agency",
        "000.00.01.H13",
        10,
        "Quy định, thái độ phục vụ, thời gian giải quyết hồ sơ.",
    ),
]
# Points in central Cần Thơ (approximate), with the ward each is in.
REPORTS = [
    (
        "den-chieu-sang",
        "Phường Ninh Kiều",
        (10.0336, 105.7868),
        "Đường Hai Bà Trưng, gần bến Ninh Kiều",
        "Ba cột đèn liền nhau trên đường Hai Bà Trưng không sáng từ tối thứ Hai.",
        "answer",
    ),
    (
        "rac-thai",
        "Phường Ninh Kiều",
        (10.0302, 105.7791),
        "Hẻm 51 đường 3 Tháng 2",
        "Rác sinh hoạt dồn ở đầu hẻm ba ngày chưa thu gom, bốc mùi.",
        "start",
    ),
    (
        "ngap-nuoc",
        "Phường Ninh Kiều",
        (10.0279, 105.7712),
        "Đường Mậu Thân, đoạn gần chợ",
        "Sau mưa chiều nước ngập gần nửa bánh xe, cống thoát chậm.",
        "",
    ),
    (
        "lan-chiem-via-he",
        "Phường Ninh Kiều",
        (10.0351, 105.7830),
        "Đường Phan Đình Phùng",
        "Quán ăn bày bàn ghế kín vỉa hè, người đi bộ phải xuống lòng đường.",
        "",
    ),
    (
        "mat-duong",
        "Phường Ninh Kiều",
        (10.0250, 105.7660),
        "Đường Nguyễn Văn Cừ",
        "Ổ gà lớn giữa làn xe máy, đã có người té ngã buổi tối.",
        "answer",
    ),
]
OFFICERS = [
    ("canbo.ninhkieu", "Trần Văn Phường", "ward:Phường Ninh Kiều"),
    ("canbo.xaydung", "Lê Thị Xây", "000.00.07.H13"),
]
ANSWER = "Đơn vị quản lý đã kiểm tra hiện trường và khắc phục xong; cảm ơn Ông/Bà đã phản ánh."


def load(password: str) -> str:
    if Category.objects.exists():
        return "citizen reports: already loaded"
    people = _people(password)
    with transaction.atomic():
        agencies = {a.code: a for a in Agency.objects.filter(code__in={c[4] for c in CATEGORIES})}
        for position, (code, name, group, routing, agency, days, text) in enumerate(CATEGORIES):
            Category.objects.create(
                code=code,
                name=name,
                group=group,
                routing=routing,
                agency=agencies[agency],
                deadline_days=days,
                description=text,
                position=position,
            )
        Attribute.objects.create(
            category=Category.objects.get(code="rac-thai"),
            code="loai-rac",
            description="Loại rác",
            datatype=Attribute.Datatype.SINGLE,
            values=[
                {"key": "sinh-hoat", "name": "Rác sinh hoạt"},
                {"key": "xay-dung", "name": "Xà bần, rác xây dựng"},
                {"key": "cong-nghiep", "name": "Chất thải công nghiệp"},
            ],
        )
        Attribute.objects.create(
            category=Category.objects.get(code="den-chieu-sang"),
            code="so-cot",
            description="Số hiệu cột đèn (ghi trên cột, nếu thấy)",
            datatype=Attribute.Datatype.STRING,
        )
    reports = _reports()
    return "\n".join([f"Citizen reports: {len(CATEGORIES)} categories, {reports} reports", *people])


def _reports() -> int:
    today = timezone.localdate()
    wards = {
        unit.name: unit
        for unit in AdministrativeUnit.objects.as_of(today).filter(
            level=AdministrativeUnit.Level.COMMUNE, parent__code="92"
        )
    }
    citizen = User.objects.filter(username="congdan").first()
    made = 0
    for index, (code, ward, (lat, lon), address, text, step) in enumerate(REPORTS):
        category = Category.objects.get(code=code)
        report = services.submit(
            services.Draft(
                category=category,
                description=text,
                latitude=lat,
                longitude=lon,
                address=address,
                commune_code=wards[ward].code if ward in wards else "",
                attributes={"loai-rac": "sinh-hoat"} if code == "rac-thai" else {},
                reporter=citizen if index == 0 else None,
                submission_key=f"demo:{index}",
            )
        )
        officer = User.objects.filter(
            role_assignments__agency=report.agency,
            role_assignments__role__in=services.HANDLING_ROLES,
        ).first()
        if officer is not None and step:
            services.assign(report, actor=officer, assignee=officer)
            if step == "answer":
                services.answer(report, actor=officer, text=ANSWER)
        made += 1
    return made


def _agency(key: str) -> Agency | None:
    """By code, or "ward:<name>" for the People's Committee of a ward in force today."""
    if key.startswith("ward:"):
        return (
            Agency.objects.as_of(timezone.localdate())
            .filter(unit__name=key[5:], unit__parent__code="92", kind=Agency.Kind.PEOPLES_COMMITTEE)
            .first()
        )
    return Agency.objects.filter(code=key).first()


def _people(password: str) -> list[str]:
    """An officer of Ninh Kiều ward's People's Committee and one of the Department of
    Construction, who answer the demo reports."""
    lines = []
    for username, full_name, agency_code in OFFICERS:
        agency = _agency(agency_code)
        if agency is None or User.objects.filter(username=username).exists():
            continue
        user = accounts.create_user(
            actor=None,
            username=username,
            password=password,
            full_name=full_name,
            kind=User.Kind.STAFF,
            agency=agency,
            email=f"{username}@cantho.example.vn",
        )
        accounts.grant_role(actor=None, user=user, role=Role.SPECIALIST, agency=agency)
        lines.append(f"  {username:<14} {Role.SPECIALIST.label} — {agency.name}")
    return lines
