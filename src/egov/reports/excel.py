"""Excel workbooks of the report tables (openpyxl): one sheet per table, its header rows with
merged cells as on the page, numbers as numbers and each percentage as its exact share with the
table's number format (two decimals)."""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from egov.reports.tables import Table

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDE7F0")
FORMATS = {"int": "#,##0", "percent": "0.00%", "decimal": "0.0", "text": "@"}


def _sheet_title(table: Table) -> str:
    # Excel refuses some characters and more than 31 in a sheet name.
    return "".join(c for c in table.title if c not in "[]:*?/\\")[:31]


def _write(sheet, table: Table, heading: list[str]) -> None:
    row = 1
    for line in heading:
        sheet.cell(row=row, column=1, value=line).font = Font(bold=row == 1, size=12)
        row += 1
    row += 1
    sheet.cell(row=row, column=1, value=table.title).font = Font(bold=True, size=12)
    row += 1
    top = row
    taken: set[tuple[int, int]] = set()
    for heads in table.heads:
        column = 1
        for head in heads:
            while (row, column) in taken:
                column += 1
            cell = sheet.cell(row=row, column=column, value=str(head.text))
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if head.colspan > 1 or head.rowspan > 1:
                sheet.merge_cells(
                    start_row=row,
                    start_column=column,
                    end_row=row + head.rowspan - 1,
                    end_column=column + head.colspan - 1,
                )
            for r in range(row, row + head.rowspan):
                for c in range(column, column + head.colspan):
                    taken.add((r, c))
            column += head.colspan
        row += 1
    for r in range(top, row):
        for c in range(1, table.width + 1):
            sheet.cell(row=r, column=c).border = BORDER
            sheet.cell(row=r, column=c).fill = HEAD_FILL
    for cells in table.rows:
        for column, item in enumerate(cells, start=1):
            value = item.value
            number_format = FORMATS[item.kind]
            if item.kind == "percent":
                # The exact share in the cell (a sum or a chart over it stays exact); the format
                # shows the table's precision.
                number_format = "0." + "0" * item.places + "%" if item.places else "0%"
                if value is not None:
                    value = float(Decimal(value) / 100)
            elif isinstance(value, Decimal):
                value = float(value)
            cell = sheet.cell(row=row, column=column, value=value)
            cell.number_format = number_format
            cell.border = BORDER
            if item.kind == "text":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    if table.note:
        sheet.cell(row=row + 1, column=1, value=table.note).font = Font(italic=True)
    sheet.column_dimensions["A"].width = 40
    for column in range(2, table.width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    sheet.freeze_panes = sheet.cell(row=top + len(table.heads), column=2)


def workbook(tables: list[Table], heading: list[str]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        _write(book.create_sheet(_sheet_title(table)), table, heading)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
