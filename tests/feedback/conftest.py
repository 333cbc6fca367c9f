import datetime
import io
import struct

import pytest
from PIL import Image

from egov.accounts.models import Role
from egov.feedback import services
from egov.feedback.models import Attribute, Category
from egov.organizations import services as organizations
from egov.organizations.models import AdministrativeUnit, Agency

TWO_TIER = datetime.date(2025, 7, 1)
# Two wards side by side, west and east of longitude 105.78 (schematic squares).
NINH_KIEU_POINT = (10.03, 105.77)
CAI_RANG_POINT = (10.03, 105.79)


def square(south, west, north, east) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


@pytest.fixture
def communes(province, agencies):
    def make(code, name):
        unit = AdministrativeUnit.objects.create(
            code=code, name=name, level=3, kind="phuong", parent=province, valid_from=TWO_TIER
        )
        committee = organizations.save_agency(
            Agency(
                code=f"000.{code[-2:]}.51.H13",
                name=f"Ủy ban nhân dân {name}",
                kind="ubnd",
                parent=agencies["city"],
                unit=unit,
                valid_from=TWO_TIER,
            ),
            actor=None,
        )
        return unit, committee

    ninh_kieu, ninh_kieu_committee = make("31135", "Phường Ninh Kiều")
    cai_rang, cai_rang_committee = make("31186", "Phường Cái Răng")
    return {
        "ninh_kieu": ninh_kieu,
        "cai_rang": cai_rang,
        "ninh_kieu_committee": ninh_kieu_committee,
        "cai_rang_committee": cai_rang_committee,
    }


@pytest.fixture
def boundaries(communes):
    services.load_boundaries(
        [
            {"properties": {"code": "31135"}, "geometry": square(10.0, 105.75, 10.06, 105.78)},
            {"properties": {"code": "31186"}, "geometry": square(10.0, 105.78, 10.06, 105.81)},
        ],
        actor=None,
        source="test squares",
    )


@pytest.fixture
def categories(agencies, communes):
    works = organizations.save_agency(
        Agency(code="000.00.07.H13", name="Sở Xây dựng", kind="so", parent=agencies["city"]),
        actor=None,
    )
    light = Category.objects.create(
        code="street-light",
        name="Đèn chiếu sáng công cộng hỏng",
        routing=Category.Routing.AGENCY,
        agency=works,
        deadline_days=5,
        group="Hạ tầng",
    )
    rubbish = Category.objects.create(
        code="rubbish",
        name="Rác thải, vệ sinh môi trường",
        routing=Category.Routing.COMMUNE,
        agency=agencies["city"],
        deadline_days=3,
    )
    Attribute.objects.create(
        category=light,
        code="pole",
        description="Số cột đèn (nếu thấy)",
        datatype=Attribute.Datatype.STRING,
        position=1,
    )
    Attribute.objects.create(
        category=rubbish,
        code="kind",
        description="Loại rác",
        datatype=Attribute.Datatype.SINGLE,
        required=True,
        values=[
            {"key": "household", "name": "Rác sinh hoạt"},
            {"key": "building", "name": "Xà bần"},
        ],
    )
    return {"light": light, "rubbish": rubbish, "works": works}


@pytest.fixture
def handler(make_staff, communes):
    """A specialist of Ninh Kiều's People's Committee."""
    return make_staff("canbo.nk", communes["ninh_kieu_committee"], Role.SPECIALIST)


@pytest.fixture
def neighbour(make_staff, communes):
    """A specialist of Cái Răng's People's Committee."""
    return make_staff("canbo.cr", communes["cai_rang_committee"], Role.SPECIALIST)


def jpeg(
    gps: tuple[float, float] | None = None, size=(64, 48), orientation=None, image_format="JPEG"
) -> bytes:
    """A JPEG photo (or ``image_format``: "HEIF" for an iPhone's HEIC), with the position in
    EXIF GPS tags when given."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Egov Test Camera"  # Make
    exif[0xA431] = "SERIAL-1234567"  # BodySerialNumber (in the Exif IFD in real files)
    if orientation:
        exif[0x0112] = orientation
    if gps is not None:
        latitude, longitude = gps

        def dms(value):
            value = abs(value)
            degrees = int(value)
            minutes = int((value - degrees) * 60)
            seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
            return (degrees, minutes, seconds)

        exif[0x8825] = {
            1: "N" if latitude >= 0 else "S",
            2: dms(latitude),
            3: "E" if longitude >= 0 else "W",
            4: dms(longitude),
        }
    out = io.BytesIO()
    image.save(out, image_format, exif=exif.tobytes())
    return out.getvalue()


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4_with_location() -> bytes:
    """A small MP4 (ftyp, moov with a movie header and a user-data box holding a position as
    phones write it, mdat)."""
    ftyp = box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    mvhd = box(b"mvhd", bytes(4) + struct.pack(">IIII", 0, 0, 1000, 5000) + bytes(80))
    location = b"+10.0300+105.7700/"
    xyz = box(b"\xa9xyz", struct.pack(">HH", len(location), 0x15C7) + location)
    udta = box(b"udta", xyz)
    moov = box(b"moov", mvhd + udta)
    mdat = box(b"mdat", bytes(2048))
    return ftyp + moov + mdat


def mov_with_location() -> bytes:
    """A small QuickTime movie as an iPhone writes it: brand ``qt  ``, the place in the movie's
    metadata (``moov/meta`` with the ``com.apple.quicktime.location.ISO6709`` key) and in a
    track's user data."""
    ftyp = box(b"ftyp", b"qt  " + struct.pack(">I", 0) + b"qt  ")
    mvhd = box(b"mvhd", bytes(4) + struct.pack(">IIII", 0, 0, 600, 3000) + bytes(80))
    key = b"com.apple.quicktime.location.ISO6709"
    keys = box(b"keys", bytes(4) + struct.pack(">I", 1) + box(b"mdta", key))
    place = b"+10.0300+105.7900+005.000/"
    ilst = box(b"ilst", box(struct.pack(">I", 1), box(b"data", struct.pack(">II", 1, 0) + place)))
    meta = box(b"meta", box(b"hdlr", bytes(8) + b"mdta" + bytes(13)) + keys + ilst)
    tkhd = box(b"tkhd", bytes(84))
    trak = box(b"trak", tkhd + box(b"udta", box(b"\xa9xyz", place)))
    moov = box(b"moov", mvhd + trak + meta)
    mdat = box(b"mdat", bytes(4096))
    return ftyp + moov + mdat


def draft(chosen, **changes) -> services.Draft:
    fields = {
        "category": chosen,
        "description": "Đèn đường trước số 12 bị tắt ba đêm liền.",
        "latitude": NINH_KIEU_POINT[0],
        "longitude": NINH_KIEU_POINT[1],
    }
    fields.update(changes)
    return services.Draft(**fields)
