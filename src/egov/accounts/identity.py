"""The 12-digit citizen identification number (số định danh cá nhân / CCCD).

Structure (Thông tư 59/2021/TT-BCA): 3 digits for the province where the birth was registered,
1 digit for century and sex, 2 digits for the year of birth, 6 random digits.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Province codes of birth registration (the 63 provinces before 2025; numbers are not reused).
BIRTH_PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)


def birth_year_from_citizen_id(value: str) -> int:
    century = 1900 + 100 * (int(value[3]) // 2)
    return century + int(value[4:6])


def validate_citizen_id(value: str, date_of_birth: datetime.date | None = None) -> None:
    if not (len(value) == 12 and value.isdigit()):
        raise ValidationError(
            _("The citizen ID number has exactly 12 digits, as printed on the CCCD card."),
            code="citizen_id_format",
        )
    if value[:3] not in BIRTH_PROVINCE_CODES:
        raise ValidationError(
            _("The first three digits (%(code)s) are not a province code; check the number."),
            code="citizen_id_province",
            params={"code": value[:3]},
        )
    year = birth_year_from_citizen_id(value)
    if year > datetime.date.today().year:
        raise ValidationError(
            _("Digits 4 to 6 give a birth year in the future; check the number."),
            code="citizen_id_year",
        )
    if date_of_birth and date_of_birth.year != year:
        raise ValidationError(
            _("The number says the holder was born in %(year)s, but the date of birth is %(dob)s."),
            code="citizen_id_birth_year",
            params={"year": year, "dob": date_of_birth.isoformat()},
        )
