"""Seal images: checks an uploaded PNG, and draws a stand-in round seal for the demo.

A real agency uploads a scan of its seal (red, transparent background, as Nghị định 30/2020
asks); the drawn one says "development" so it is never mistaken for a real seal.
"""

import io
import math
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from egov.signatures.signing import SignatureError

RED = (200, 16, 46, 255)
MAX_SEAL_BYTES = 1024 * 1024


def check_seal_png(data: bytes) -> bytes:
    """The PNG as given, if it is one of a sensible size; otherwise a :class:`SignatureError`."""
    if len(data) > MAX_SEAL_BYTES:
        raise SignatureError(_("The seal image is larger than 1 MB; use a smaller PNG."))
    try:
        image = Image.open(io.BytesIO(data))
        image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise SignatureError(_("The seal image must be a PNG file.")) from exc
    if image.format != "PNG":
        raise SignatureError(_("The seal image must be a PNG file."))
    if min(image.size) < 100 or max(image.size) > 2000:
        raise SignatureError(_("The seal image must be between 100 and 2000 pixels wide."))
    return data


def _font(size: int) -> ImageFont.FreeTypeFont:
    regular = Path(settings.EGOV_SIGNATURE_FONT)
    if not regular.is_file():
        raise SignatureError(
            _("The font of the visible signature is missing (EGOV_SIGNATURE_FONT: %(path)s).")
            % {"path": regular}
        )
    bold = regular.with_name("NotoSans-Bold.ttf")
    return ImageFont.truetype(str(bold if bold.is_file() else regular), size)


def draw_seal(agency_name: str, centre_text: str = "DEV") -> bytes:
    """A round red seal with the agency's name around the edge, as a transparent PNG."""
    size = 420
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    middle = size / 2
    draw.ellipse((6, 6, size - 6, size - 6), outline=RED, width=10)
    draw.ellipse((92, 92, size - 92, size - 92), outline=RED, width=4)
    _star(draw, middle, middle - 18, 46)
    font = _font(30)
    draw.text((middle, middle + 52), centre_text, fill=RED, font=font, anchor="mm")
    text = agency_name.upper()
    radius = 148
    letter_font = _font(30 if len(text) < 40 else 24)
    step = min(300 / max(len(text), 1), 11)  # degrees per letter, centred on the top
    start = -90 - step * (len(text) - 1) / 2
    for index, letter in enumerate(text):
        angle = math.radians(start + index * step)
        tile = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((30, 30), letter, fill=RED, font=letter_font, anchor="mm")
        tile = tile.rotate(-(start + index * step) - 90, resample=Image.BICUBIC)
        x = middle + radius * math.cos(angle) - 30
        y = middle + radius * math.sin(angle) - 30
        image.alpha_composite(tile, (int(x), int(y)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    points = []
    for index in range(10):
        r = radius if index % 2 == 0 else radius * 0.4
        angle = math.radians(-90 + index * 36)
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=RED)
