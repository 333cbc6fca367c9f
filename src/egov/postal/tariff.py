"""Postal fees by destination zone and weight step, read from a tariff file (JSON).

The packaged file is configurable demo data (its ``source`` says so); an installation points
EGOV_POSTAL_TARIFF_FILE at the prices of its contract with the postal enterprise. Amounts are
integer VND. The zone is the same province, the same region (north, centre, south) or another
region, between the agency's province and the applicant's.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.postal.models import WeightClass

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "tariff_demo.json"
# A result is a few sheets: its delivery is priced at the first step.
RESULT_WEIGHT = WeightClass.UP_TO_250G


class Area(models.TextChoices):
    SAME_PROVINCE = "same_province", _("within the province")
    SAME_REGION = "same_region", _("within the region")
    OTHER_REGION = "other_region", _("to another region")


@dataclass(frozen=True)
class Tariff:
    source: str
    region_of: dict[str, str]
    prices: dict[str, dict[str, int]]

    def area(self, origin: str, destination: str) -> str:
        if origin == destination:
            return Area.SAME_PROVINCE
        region = self.region_of.get(origin)
        if region is not None and region == self.region_of.get(destination):
            return Area.SAME_REGION
        return Area.OTHER_REGION

    def price(self, area: str, weight_class: str) -> int:
        return self.prices[area][weight_class]


def load(path: Path) -> Tariff:
    """Reads and checks a tariff file: every zone must price every weight step."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        region_of = {code: region for region, codes in data["regions"].items() for code in codes}
        prices = {
            area: {weight: int(data["prices"][area][weight]) for weight in WeightClass.values}
            for area in Area.values
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ImproperlyConfigured(f"postal tariff {path}: {exc!r}") from exc
    if any(amount < 0 for zone in prices.values() for amount in zone.values()):
        raise ImproperlyConfigured(f"postal tariff {path}: negative price")
    return Tariff(source=str(data.get("source", "")), region_of=region_of, prices=prices)


@lru_cache(maxsize=4)
def _cached(path: str) -> Tariff:
    return load(Path(path))


def current() -> Tariff:
    return _cached(str(settings.EGOV_POSTAL_TARIFF_FILE or DEFAULT_FILE))


@dataclass(frozen=True)
class QuoteLine:
    direction: str  # Shipment.Direction value
    weight_class: str
    amount: int


@dataclass(frozen=True)
class Quote:
    area: str
    lines: list[QuoteLine]

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def area_label(self) -> str:
        return Area(self.area).label

    def amount(self, direction: str) -> int:
        return sum(line.amount for line in self.lines if line.direction == direction)


def quote(
    *,
    destination_province: str,
    pick_up: bool,
    deliver_result: bool,
    weight_class: str = WeightClass.UP_TO_250G,
    origin_province: str | None = None,
) -> Quote:
    """The fees for the legs asked for, between the agency's province and the applicant's."""
    tariff = current()
    area = tariff.area(origin_province or settings.EGOV_PROVINCE_CODE, destination_province)
    lines = []
    if pick_up:
        lines.append(QuoteLine("pick_up", weight_class, tariff.price(area, weight_class)))
    if deliver_result:
        lines.append(QuoteLine("delivery", RESULT_WEIGHT, tariff.price(area, RESULT_WEIGHT)))
    return Quote(area=area, lines=lines)
