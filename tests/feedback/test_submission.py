"""Sending a report: checks, routing by category and by commune, deadlines, files, EXIF."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from PIL import Image

from egov.core.models import AuditEvent
from egov.feedback import services
from egov.feedback.models import Media, Report, ReportEvent
from tests.conftest import EICAR
from tests.feedback.conftest import (
    CAI_RANG_POINT,
    NINH_KIEU_POINT,
    draft,
    jpeg,
    mov_with_location,
    mp4_with_location,
)

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_a_report_gets_a_code_history_audit_and_deadline(categories, citizen):
    report = services.submit(draft(categories["light"], reporter=citizen))
    assert report.code.startswith("PA-") and len(report.code) == 13
    assert report.status == Report.Status.NEW
    assert report.agency == categories["works"]
    assert report.cell is not None
    assert report.place_source == Report.PlaceSource.MAP
    assert list(report.events.values_list("kind", flat=True)) == [ReportEvent.Kind.RECEIVED]
    audit = AuditEvent.objects.get(action="feedback.received", object_id=str(report.pk))
    assert audit.agency_id == report.agency_id
    # Personal data stays out of the audit summary.
    assert "congdan" not in str(audit.after)


def test_fixed_agency_routing_ignores_the_commune(categories, boundaries):
    report = services.submit(
        draft(categories["light"], latitude=CAI_RANG_POINT[0], longitude=CAI_RANG_POINT[1])
    )
    assert report.agency == categories["works"]
    assert report.commune.code == "31186"


def test_commune_routing_follows_the_boundary_that_holds_the_point(
    categories, communes, boundaries
):
    west = services.submit(draft(categories["rubbish"], attributes={"kind": "household"}))
    east = services.submit(
        draft(
            categories["rubbish"],
            latitude=CAI_RANG_POINT[0],
            longitude=CAI_RANG_POINT[1],
            attributes={"kind": "household"},
            # The point wins over the commune the reporter chose.
            commune_code="31135",
        )
    )
    assert west.agency == communes["ninh_kieu_committee"]
    assert east.agency == communes["cai_rang_committee"]
    assert east.commune == communes["cai_rang"]


def test_commune_routing_without_boundaries_uses_the_chosen_commune(categories, communes):
    report = services.submit(
        draft(
            categories["rubbish"],
            latitude=None,
            longitude=None,
            commune_code="31186",
            address="Chợ Cái Răng, đầu hẻm 5",
            attributes={"kind": "building"},
        )
    )
    assert report.agency == communes["cai_rang_committee"]
    assert report.place_source == Report.PlaceSource.ADDRESS


def test_commune_routing_falls_back_to_the_category_agency(categories, agencies, boundaries):
    # A point in the city but in no loaded boundary, and no commune chosen.
    report = services.submit(
        draft(
            categories["rubbish"], latitude=10.2, longitude=105.9, attributes={"kind": "household"}
        )
    )
    assert report.commune is None
    assert report.agency == agencies["city"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": "ngắn"}, "description"),
        ({"description": "có ký tự \x07 lạ trong mô tả"}, "description"),
        ({"latitude": None, "longitude": None}, "place"),
        ({"latitude": 10.03, "longitude": None}, "latitude"),
        ({"latitude": 21.03, "longitude": 105.85}, "latitude"),  # Hà Nội: outside the city
        ({"commune_code": "99999"}, "commune"),
        ({"contact_email": "không-phải-email"}, "contact_email"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"category": None}, "category"),
        ({"latitude": 95.0, "longitude": 105.7}, "latitude"),
    ],
)
def test_bad_input_is_refused_with_a_message_per_field(categories, changes, field):
    with pytest.raises(ValidationError) as excinfo:
        services.submit(draft(categories["light"], **changes))
    assert field in errors_of(excinfo)
    assert Report.objects.count() == 0


def test_required_and_listed_attributes(categories):
    with pytest.raises(ValidationError) as excinfo:
        services.submit(draft(categories["rubbish"]))
    assert "attribute[kind]" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.submit(draft(categories["rubbish"], attributes={"kind": "nuclear"}))
    assert "attribute[kind]" in errors_of(excinfo)
    report = services.submit(draft(categories["rubbish"], attributes={"kind": "building"}))
    assert report.attributes == {"kind": "building"}


def test_the_same_submission_twice_makes_one_report(categories):
    first = services.submit(draft(categories["light"], submission_key="portal:abc"))
    second = services.submit(draft(categories["light"], submission_key="portal:abc"))
    assert first.pk == second.pk
    assert Report.objects.count() == 1


def test_deadline_counts_working_days_across_tet(categories):
    # Friday 13 February 2026, 09:00; Tết holidays Monday 16 to Friday 20 February.
    with time_machine.travel(datetime.datetime(2026, 2, 13, 9, 0, tzinfo=HCM), tick=False):
        report = services.submit(
            draft(categories["rubbish"], attributes={"kind": "household"})  # 3 working days
        )
    # 6 hours on the 13th, 8 on the 23rd and on the 24th, 2 on the 25th.
    assert report.due_at == datetime.datetime(2026, 2, 25, 9, 0, tzinfo=HCM)


def test_photo_position_fills_the_place_and_exif_is_stripped(categories, communes, boundaries):
    photo = jpeg(gps=CAI_RANG_POINT)
    report = services.submit(
        draft(
            categories["rubbish"],
            latitude=None,
            longitude=None,
            attributes={"kind": "household"},
            files=[services.Upload("IMG_0001.jpg", photo)],
        )
    )
    assert report.place_source == Report.PlaceSource.PHOTO
    assert report.latitude == pytest.approx(CAI_RANG_POINT[0], abs=1e-5)
    assert report.longitude == pytest.approx(CAI_RANG_POINT[1], abs=1e-5)
    assert report.agency == communes["cai_rang_committee"]
    item = report.media.get()
    for stored in (item.file, item.thumbnail):
        data = stored.open("rb").read()
        image = Image.open(io.BytesIO(data))
        assert not image.getexif(), "no EXIF at all in the copies"
        assert b"Egov Test Camera" not in data and b"SERIAL" not in data
    assert item.kind == Media.Kind.PHOTO and item.width == 64


def test_an_iphone_heic_photo_places_the_report_and_is_kept_as_a_stripped_jpeg(
    categories, communes, boundaries
):
    photo = jpeg(gps=CAI_RANG_POINT, size=(120, 80), image_format="HEIF")
    assert photo[4:12] == b"ftypheic"
    report = services.submit(
        draft(
            categories["rubbish"],
            latitude=None,
            longitude=None,
            attributes={"kind": "household"},
            files=[services.Upload("IMG_0002.HEIC", photo)],
        )
    )
    assert report.place_source == Report.PlaceSource.PHOTO
    assert report.latitude == pytest.approx(CAI_RANG_POINT[0], abs=1e-5)
    item = report.media.get()
    data = item.file.open("rb").read()
    assert data[:3] == b"\xff\xd8\xff" and item.file.name.endswith(".jpg")
    assert not Image.open(io.BytesIO(data)).getexif()
    assert b"Egov Test Camera" not in data and b"SERIAL" not in data
    assert (item.width, item.height) == (120, 80)


def test_the_given_point_wins_over_the_photo_position(categories):
    report = services.submit(
        draft(categories["light"], files=[services.Upload("a.jpg", jpeg(gps=CAI_RANG_POINT))])
    )
    assert (report.latitude, report.longitude) == NINH_KIEU_POINT
    assert report.place_source == Report.PlaceSource.MAP


def test_a_photo_taken_elsewhere_does_not_place_the_report(categories):
    photo = jpeg(gps=(21.03, 105.85))  # Hà Nội
    with pytest.raises(ValidationError) as excinfo:
        services.submit(
            draft(
                categories["light"],
                latitude=None,
                longitude=None,
                files=[services.Upload("a.jpg", photo)],
            )
        )
    assert "place" in errors_of(excinfo)


def test_photo_turned_upright_by_its_orientation(categories):
    photo = jpeg(size=(80, 40), orientation=6)  # taken with the phone on its side
    report = services.submit(draft(categories["light"], files=[services.Upload("a.jpg", photo)]))
    item = report.media.get()
    assert (item.width, item.height) == (40, 80)


def test_video_keeps_its_samples_and_loses_its_position(categories):
    video = mp4_with_location()
    assert b"\xa9xyz" in video
    report = services.submit(draft(categories["light"], files=[services.Upload("clip.mp4", video)]))
    item = report.media.get()
    stored = item.file.open("rb").read()
    assert item.kind == Media.Kind.VIDEO and item.mime == "video/mp4"
    assert len(stored) == len(video)
    assert b"udta" not in stored and b"free" in stored
    assert b"+10.0300+105.7700" not in stored  # not merely renamed: gone from the bytes
    assert stored.endswith(bytes(2048))  # the samples are where they were


def test_photos_and_a_video_together_are_refused(categories):
    with pytest.raises(ValidationError) as excinfo:
        services.submit(
            draft(
                categories["light"],
                files=[
                    services.Upload("a.jpg", jpeg()),
                    services.Upload("clip.mp4", mp4_with_location()),
                ],
            )
        )
    assert "media" in errors_of(excinfo)


def test_too_many_photos_are_refused(categories, settings):
    settings.EGOV_FEEDBACK_MAX_PHOTOS = 2
    with pytest.raises(ValidationError) as excinfo:
        services.submit(
            draft(
                categories["light"], files=[services.Upload(f"{i}.jpg", jpeg()) for i in range(3)]
            )
        )
    assert "media" in errors_of(excinfo)


def test_oversized_photo_is_refused_and_nothing_is_written(categories, settings):
    settings.EGOV_FEEDBACK_PHOTO_MAX_BYTES = 500
    with pytest.raises(ValidationError) as excinfo:
        services.submit(
            draft(categories["light"], files=[services.Upload("big.jpg", jpeg(size=(400, 400)))])
        )
    assert "MB" in errors_of(excinfo)["media"][0]
    assert Report.objects.count() == 0 and Media.objects.count() == 0


def test_a_file_that_is_not_a_photo_is_refused(categories):
    with pytest.raises(ValidationError) as excinfo:
        services.submit(
            draft(categories["light"], files=[services.Upload("a.jpg", b"%PDF-1.7\n" + bytes(100))])
        )
    assert "media" in errors_of(excinfo)


def test_damaged_photo_is_refused(categories):
    broken = jpeg()[:200]
    with pytest.raises(ValidationError) as excinfo:
        services.submit(draft(categories["light"], files=[services.Upload("a.jpg", broken)]))
    assert "media" in errors_of(excinfo)


def test_infected_file_is_refused_by_clamav(categories, settings, clamd_socket):
    settings.EGOV_MALWARE_SCANNER = "clamd"
    settings.EGOV_CLAMD_SOCKET = clamd_socket
    # A real photo carrying the EICAR test string in its comment: the scan sees the bytes.
    infected = jpeg()
    infected = (
        infected[:2] + b"\xff\xfe" + (len(EICAR) + 2).to_bytes(2, "big") + EICAR + infected[2:]
    )
    with pytest.raises(ValidationError) as excinfo:
        services.submit(draft(categories["light"], files=[services.Upload("a.jpg", infected)]))
    assert (
        "virus" in errors_of(excinfo)["media"][0].lower()
        or "vi-rút" in errors_of(excinfo)["media"][0].lower()
    )
    clean = services.submit(draft(categories["light"], files=[services.Upload("b.jpg", jpeg())]))
    assert clean.media.count() == 1


def test_scanner_unreachable_refuses_the_file(categories, settings, tmp_path):
    settings.EGOV_MALWARE_SCANNER = "clamd"
    settings.EGOV_CLAMD_SOCKET = str(tmp_path / "no-such.sock")
    with pytest.raises(ValidationError):
        services.submit(draft(categories["light"], files=[services.Upload("a.jpg", jpeg())]))
    assert Report.objects.count() == 0


def test_a_large_photo_is_decoded_small_and_keeps_nothing_but_pixels(categories):
    big = Image.new("RGB", (4000, 3000), (90, 140, 60))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (10, 1, 48.0), 3: "E", 4: (105, 46, 12.0)}
    out = io.BytesIO()
    big.save(out, "JPEG", exif=exif.tobytes(), xmp=b"<x:xmpmeta>secret place</x:xmpmeta>")
    report = services.submit(
        draft(
            categories["light"],
            latitude=None,
            longitude=None,
            files=[services.Upload("b.jpg", out.getvalue())],
        )
    )
    assert report.place_source == Report.PlaceSource.PHOTO
    assert report.latitude == pytest.approx(10.03, abs=1e-3)
    item = report.media.get()
    assert (item.width, item.height) == (2000, 1500)
    stored = item.file.open("rb").read()
    assert b"xmpmeta" not in stored and b"Exif" not in stored


def test_an_iphone_movie_is_accepted_and_loses_its_place(categories):
    video = mov_with_location()
    assert b"ISO6709" in video and b"+10.0300+105.7900" in video
    report = services.submit(draft(categories["light"], files=[services.Upload("IMG.MOV", video)]))
    item = report.media.get()
    stored = item.file.open("rb").read()
    assert (item.kind, item.mime, item.extension) == (Media.Kind.VIDEO, "video/quicktime", "mov")
    assert len(stored) == len(video) and stored.endswith(bytes(4096))
    # The boxes that hold the place are skipped by every player; the track's header stays.
    assert b"udta" not in stored and b"meta" not in stored and b"tkhd" in stored
    assert b"+10.0300+105.7900" not in stored and b"ISO6709" not in stored
    assert stored.count(b"free") == 2


def test_a_video_over_the_configured_size_is_refused(categories, settings):
    video = mp4_with_location()
    settings.EGOV_FEEDBACK_VIDEO_MAX_BYTES = len(video) - 1
    with pytest.raises(ValidationError) as excinfo:
        services.submit(draft(categories["light"], files=[services.Upload("v.mp4", video)]))
    assert "MB" in errors_of(excinfo)["media"][0]
    assert Report.objects.count() == 0 and Media.objects.count() == 0
    # The photo limit does not apply to videos: the operator sets each.
    settings.EGOV_FEEDBACK_VIDEO_MAX_BYTES = len(video)
    settings.EGOV_FEEDBACK_PHOTO_MAX_BYTES = 100
    report = services.submit(draft(categories["light"], files=[services.Upload("v.mp4", video)]))
    assert report.media.get().size == len(video)


def test_an_older_phone_s_3gp_clip_is_accepted(categories):
    clip = mp4_with_location().replace(
        b"isom\x00\x00\x02\x00isomiso2mp41", b"3gp4\x00\x00\x02\x003gp4isom3gp5"
    )
    assert b"3gp4" in clip
    report = services.submit(draft(categories["light"], files=[services.Upload("clip.3gp", clip)]))
    item = report.media.get()
    # The 3GPP family is MPEG-4 to the type sniffer and to the phones' players.
    assert item.kind == Media.Kind.VIDEO and item.mime == "video/mp4"
    assert b"+10.0300+105.7700" not in item.file.open("rb").read()
