"""Agency identification codes in the QCVN 102:2016/BTTTT form ``V1V2V3.Z1Z2.Y1Y2.MX1X2``.

Read right to left: ``MX1X2`` is the level-1 body (a letter and two digits: ``H13`` is Cần Thơ's
People's Committee), ``Y1Y2`` a level-2 unit under it (a department), ``Z1Z2`` level 3 and
``V1V2V3`` level 4. A group of zeros means "this level is not used", so ``000.00.00.H13`` is the
level-1 body itself and ``000.00.05.H13`` one of its departments.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

AGENCY_CODE_RE = re.compile(r"^(\d{3})\.(\d{2})\.(\d{2})\.([A-Z]\d{2})$")


def parse_agency_code(code: str) -> tuple[str, str, str, str]:
    match = AGENCY_CODE_RE.match(code or "")
    if not match:
        raise ValidationError(
            _(
                "“%(code)s” is not an agency code in the QCVN 102:2016 form "
                "000.00.00.A00 (three digits, two digits, two digits, a capital letter and "
                "two digits, separated by dots), e.g. 000.00.01.H13."
            ),
            code="agency_code_format",
            params={"code": code},
        )
    level4, level3, level2, level1 = match.groups()
    if level4 != "000" and (level3 == "00" or level2 == "00"):
        raise ValidationError(
            _("“%(code)s”: a level-4 unit needs its level-2 and level-3 parts."),
            code="agency_code_gap",
            params={"code": code},
        )
    if level3 != "00" and level2 == "00":
        raise ValidationError(
            _("“%(code)s”: a level-3 unit needs its level-2 part."),
            code="agency_code_gap",
            params={"code": code},
        )
    return level4, level3, level2, level1


def agency_code_level(code: str) -> int:
    """1 for the top body, up to 4 for the deepest unit."""
    level4, level3, level2, _level1 = parse_agency_code(code)
    return 1 + sum(part.strip("0") != "" for part in (level2, level3, level4))


def validate_agency_code(code: str) -> None:
    parse_agency_code(code)
