"""Shares (tỷ lệ) and averages as exact decimals, rounded only where they are shown.

A float cannot hold 0.45 or 12.125 exactly, so ``round(100 * 9 / 2000, 1)`` gave 0.5 where the
published rule (round half up on the exact ratio, as Vietnamese statistics do) gives 0.4 at one
decimal and 0.45 at two. The figures keep the exact ratio as a Decimal (28 significant digits,
far beyond any count the platform holds); each table rounds it to its own precision.
"""

from decimal import ROUND_HALF_UP, Decimal


def share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent; None when there is nothing to divide by."""
    if not whole:
        return None
    return Decimal(100 * part) / Decimal(whole)


def ratio(total: int, count: int) -> Decimal | None:
    """An average: ``total`` over ``count``; None when there is nothing to average."""
    if not count:
        return None
    return Decimal(total) / Decimal(count)


def rounded(value: Decimal | float | int, places: int) -> Decimal:
    """Half up, on the exact value (a float is read as the decimal it prints as)."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
