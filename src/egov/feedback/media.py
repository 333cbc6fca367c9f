"""Photos and videos of reports: what they really are, and the copies that others see.

Every file first passes the platform's upload checks (`egov.core.uploads`: type sniffed from the
content, size, ClamAV). A photo's position is read from its EXIF (Pillow) before the photo is
written again without any metadata: the copy and its thumbnail are the only files kept, so no
position, camera serial or owner name leaves with them. A video is not transcoded: its metadata
boxes (ISO base media file format: ``udta``, ``meta`` and XMP ``uuid`` boxes, where phones write
the place and the device) are renamed ``free``, which every player skips, and their content is
zeroed; nothing else moves, so the offsets of the samples stay right.
"""

import io
import struct
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from egov.core import uploads

# iPhones take HEIC photos, which native Open311 apps send as they are (a browser converts them to
# JPEG when the form asks for JPEG): pillow-heif (libheif) lets Pillow read them, and the copy
# kept is a JPEG like any other.
register_heif_opener()
PHOTO_TYPES = ["jpg", "png", "webp", "heic"]
# Phones record MP4 (Android), QuickTime MOV (iPhone), 3GP (older phones) and WebM (browsers).
VIDEO_TYPES = ["mp4", "mov", "3gp", "m4v", "webm"]
ISO_MEDIA = {"mp4", "mov", "3gp", "m4v"}
DISPLAY_EDGE = 2000  # half of a 12-megapixel photo: JPEG decodes straight to it (draft)
THUMBNAIL_EDGE = 320
MAX_PIXELS = 60_000_000  # a 60-megapixel photo; larger is refused rather than decoded


@dataclass
class Prepared:
    """A file ready to store: the copy others may see and, for a photo, its thumbnail."""

    kind: str  # "photo" or "video"
    data: bytes
    extension: str
    mime: str
    thumbnail: bytes = b""
    width: int | None = None
    height: int | None = None
    latitude: float | None = None
    longitude: float | None = None


def kind_of(data: bytes) -> str | None:
    found = uploads.sniff(data)
    if found is None:
        return None
    if found[0] in PHOTO_TYPES:
        return "photo"
    if found[0] in VIDEO_TYPES:
        return "video"
    return None


def prepare(data: bytes, *, photos_only: bool = False) -> Prepared:
    """Checks the file and returns the copy to keep; raises UploadRejected saying what to do."""
    kind = kind_of(data)
    if kind == "video" and not photos_only:
        checked = uploads.check(
            data, accepted=VIDEO_TYPES, max_bytes=settings.EGOV_FEEDBACK_VIDEO_MAX_BYTES
        )
        clean = strip_video_metadata(data) if checked.extension in ISO_MEDIA else data
        return Prepared("video", clean, checked.extension, checked.mime)
    accepted = PHOTO_TYPES if photos_only else PHOTO_TYPES + VIDEO_TYPES
    if kind is None or kind == "video":
        raise uploads.UploadRejected(
            _(
                "This file is not a photo or a video of an accepted type (%(types)s), whatever "
                "its name says."
            )
            % {"types": ", ".join(accepted)}
        )
    checked = uploads.check(
        data, accepted=PHOTO_TYPES, max_bytes=settings.EGOV_FEEDBACK_PHOTO_MAX_BYTES
    )
    return _photo(data, checked.extension)


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise uploads.UploadRejected(
                _("The photo is too large (%(mp)s megapixels). Send a smaller copy.")
                % {"mp": round(image.width * image.height / 1_000_000)}
            )
        # A JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) that still covers the copy
        # kept: four to sixty-four times less work for a phone's photo.
        edge = max(image.width, image.height)
        if image.format == "JPEG" and edge > DISPLAY_EDGE:
            ratio = DISPLAY_EDGE / edge
            image.draft("RGB", (round(image.width * ratio), round(image.height * ratio)))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise uploads.UploadRejected(
            _("The photo could not be read: the file is damaged. Take or choose it again.")
        ) from None
    return image


def _photo(data: bytes, extension: str) -> Prepared:
    image = _open(data)
    latitude, longitude = gps_position(image)
    # Turned upright as the EXIF orientation says, since that tag goes with the rest.
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in {"RGBA", "LA", "PA"} or "transparency" in upright.info
    display = upright.convert("RGBA" if has_alpha else "RGB")
    display.thumbnail((DISPLAY_EDGE, DISPLAY_EDGE))
    copy_format, copy_extension, mime = (
        ("PNG", "png", "image/png") if has_alpha else ("JPEG", "jpg", "image/jpeg")
    )
    thumb = display.convert("RGB")
    thumb.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
    return Prepared(
        kind="photo",
        data=_encode(display, copy_format),
        extension=copy_extension,
        mime=mime,
        thumbnail=_encode(thumb, "JPEG"),
        width=display.width,
        height=display.height,
        latitude=latitude,
        longitude=longitude,
    )


def _encode(image: Image.Image, image_format: str) -> bytes:
    """Written without EXIF, XMP, comments or text chunks: the image's metadata is dropped and
    Pillow writes none it is not given. The colour profile says how to show the colours,
    nothing about the person: it stays."""
    colours = image.info.get("icc_profile")
    image.info = {}
    extra = {"icc_profile": colours} if colours else {}
    out = io.BytesIO()
    if image_format == "JPEG":
        image.save(out, "JPEG", quality=85, progressive=True, **extra)
    else:
        image.save(out, "PNG", **extra)
    return out.getvalue()


def _degrees(value, reference) -> float | None:
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if isinstance(reference, bytes):
        reference = reference.decode(errors="ignore")
    return -result if str(reference).strip().upper() in {"S", "W"} else result


def gps_position(image: Image.Image) -> tuple[float | None, float | None]:
    """The position in the photo's EXIF GPS tags, or (None, None)."""
    try:
        gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # a damaged EXIF block: the photo is still a photo
        return None, None
    tags = ExifTags.GPS
    if not gps or tags.GPSLatitude not in gps or tags.GPSLongitude not in gps:
        return None, None
    latitude = _degrees(gps[tags.GPSLatitude], gps.get(tags.GPSLatitudeRef, "N"))
    longitude = _degrees(gps[tags.GPSLongitude], gps.get(tags.GPSLongitudeRef, "E"))
    if latitude is None or longitude is None:
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or (latitude, longitude) == (0, 0):
        return None, None
    return round(latitude, 7), round(longitude, 7)


# --- Video metadata ------------------------------------------------------------------------------

CONTAINERS = {b"moov", b"trak", b"mdia", b"minf"}
METADATA = {b"udta", b"meta"}


def _boxes(data: bytearray, start: int, end: int):
    """(offset, header length, size, type) of each box between start and end."""
    offset = start
    while offset + 8 <= end:
        size, box_type = struct.unpack_from(">I4s", data, offset)
        header = 8
        if size == 1:
            if offset + 16 > end:
                return
            size = struct.unpack_from(">Q", data, offset + 8)[0]
            header = 16
        elif size == 0:
            size = end - offset
        if size < header or offset + size > end:
            return  # a damaged box: stop here rather than guess
        yield offset, header, size, box_type
        offset += size


def strip_video_metadata(data: bytes) -> bytes:
    """The same file with its user-data, metadata and XMP boxes turned into free space: the
    type renamed and the content zeroed, since a renamed box still holds the place in its
    bytes for anyone who reads the file rather than plays it."""
    buffer = bytearray(data)

    def free(offset: int, header: int, size: int) -> None:
        buffer[offset + 4 : offset + 8] = b"free"
        buffer[offset + header : offset + size] = bytes(size - header)

    def walk(start: int, end: int, top: bool) -> None:
        for offset, header, size, box_type in _boxes(buffer, start, end):
            if box_type in METADATA and not top:
                free(offset, header, size)
            elif box_type == b"uuid" and top:
                free(offset, header, size)  # XMP packets of cameras
            elif box_type == b"meta" and top:
                free(offset, header, size)
            elif box_type in CONTAINERS:
                walk(offset + header, offset + size, False)

    walk(0, len(buffer), True)
    return bytes(buffer)
