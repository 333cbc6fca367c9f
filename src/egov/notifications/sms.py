"""SMS length rules: GSM 03.38 (7-bit) or UCS-2, single and concatenated segments.

A single SMS carries 160 GSM-7 characters or 70 UCS-2 characters. A longer text is split into
segments of 153 or 67 characters (the rest of each segment holds the concatenation header), and
each segment is billed. Vietnamese with its diacritics is almost never GSM-7 (ư, ơ, ă, đ, ạ …), so
brandname providers usually ask for unaccented text, which fits the cheaper 160-character rule.
"""

import unicodedata
from dataclasses import dataclass

# The GSM 03.38 default alphabet (one septet each) and its extension table (two septets each:
# the escape character and the character).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

SINGLE = {"GSM-7": 160, "UCS-2": 70}
PER_SEGMENT = {"GSM-7": 153, "UCS-2": 67}
ELLIPSIS = "..."


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int

    @property
    def limit(self) -> int:
        """Units that fit in the segments used so far."""
        if self.segments <= 1:
            return SINGLE[self.encoding]
        return PER_SEGMENT[self.encoding] * self.segments


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def _units(text: str, encoding: str) -> int:
    if encoding == "GSM-7":
        return sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
    return len(text.encode("utf-16-le")) // 2


def _segments(units: int, encoding: str) -> int:
    if units <= SINGLE[encoding]:
        return 1
    per = PER_SEGMENT[encoding]
    return -(-units // per)


def measure(text: str) -> SmsLength:
    encoding = "GSM-7" if is_gsm7(text) else "UCS-2"
    units = _units(text, encoding)
    return SmsLength(encoding, units, _segments(units, encoding))


def max_units(encoding: str, max_segments: int) -> int:
    if max_segments <= 1:
        return SINGLE[encoding]
    return PER_SEGMENT[encoding] * max_segments


def strip_diacritics(text: str) -> str:
    """'Hồ sơ đã được tiếp nhận' -> 'Ho so da duoc tiep nhan' (case and spacing kept)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Typographic punctuation is outside GSM-7 too: use the plain forms.
    plain = stripped.translate(str.maketrans({"–": "-", "—": "-", "“": '"', "”": '"', "’": "'"}))
    return unicodedata.normalize("NFC", plain)


def fit(text: str, max_segments: int) -> str:
    """The text, cut at a word boundary with '...' when it would need more segments."""
    length = measure(text)
    if length.segments <= max_segments:
        return text
    budget = max_units(length.encoding, max_segments) - len(ELLIPSIS)
    cut = ""
    used = 0
    for ch in text:
        cost = _units(ch, length.encoding)
        if used + cost > budget:
            break
        cut += ch
        used += cost
    if " " in cut[len(cut) // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:-") + ELLIPSIS
