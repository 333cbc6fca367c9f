"""Shares are exact decimals, rounded half up only where they are shown (docs/reports.md)."""

from decimal import Decimal

from django.utils.translation import override

from egov.core import shares
from egov.reports import tables


def test_a_share_is_the_exact_ratio():
    assert shares.share(9, 2000) == Decimal("0.45")
    assert shares.share(1, 3) == Decimal(100) / Decimal(3)
    assert shares.share(5, 0) is None


def test_rounding_is_half_up_on_the_exact_value_not_on_a_float():
    # round(100 * 9 / 2000, 1) is 0.5 with floats; the rule on the exact 0.45 gives 0.5 at one
    # decimal only by half up, and 0.45 at two. 1 of 800 is 0.125: 0.13 half up (floats: 0.12).
    assert shares.rounded(shares.share(9, 2000), 1) == Decimal("0.5")
    assert shares.rounded(shares.share(9, 2000), 2) == Decimal("0.45")
    assert shares.rounded(shares.share(1, 800), 2) == Decimal("0.13")
    assert round(100 * 1 / 800, 2) == 0.12  # what the float rounding gave
    assert shares.rounded(Decimal("14.95"), 1) == Decimal("15.0")


def test_tables_show_two_decimals_with_vietnamese_separators():
    with override("vi"):
        assert tables.percent(shares.share(9, 2000)) == "0,45%"
        assert tables.percent(shares.share(1, 800)) == "0,13%"
        assert tables.percent(shares.share(2, 3)) == "66,67%"
        assert tables.percent(None) == "—"
        assert tables.number(1234567) == "1.234.567"
        assert tables.show(tables.Cell(shares.share(1, 8), "percent", places=1)) == "12,5%"
    with override("en"):
        assert tables.percent(shares.share(9, 2000)) == "0.45%"


def test_an_excel_cell_keeps_the_exact_share_with_the_tables_format():
    import io

    from openpyxl import load_workbook

    from egov.reports import excel

    table = tables.Table("t", "Shares", [[tables.Head("Unit"), tables.Head("Share")]])
    table.rows.append([tables.Cell("A", "text"), tables.Cell(shares.share(1, 3), "percent")])
    sheet = load_workbook(io.BytesIO(excel.workbook([table], ["Heading"]))).active
    cell = next(c for row in sheet.iter_rows() for c in row if c.number_format == "0.00%")
    assert cell.value == 1 / 3  # the exact ratio, not 0.333 or 0.3333
