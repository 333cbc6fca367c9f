"""Shared parts of the CSV imports: reading, per-row errors, the all-or-nothing report."""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class RowError:
    row: int  # 1-based line number in the file, the header being line 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("line %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, str(message)))


class CsvFormatError(Exception):
    """The file as a whole cannot be read (encoding, missing columns)."""


def read_rows(data: bytes | str, required: list[str], optional: list[str] = ()):
    """Yields (line number, row dict) with surrounding blanks stripped from every value."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CsvFormatError(_("The file is not UTF-8 text; save it as CSV UTF-8.")) from exc
    reader = csv.DictReader(io.StringIO(data))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in required if name not in header]
    if missing:
        raise CsvFormatError(
            _("Missing columns: %(columns)s. The first line must name the columns: %(expected)s.")
            % {"columns": ", ".join(missing), "expected": ", ".join([*required, *optional])}
        )
    reader.fieldnames = header
    for line, row in enumerate(reader, start=2):
        yield line, {key: (value or "").strip() for key, value in row.items() if key}


def read_all(data, required, optional, report: ImportReport) -> list | None:
    """Every row, or None with the reason in ``report`` when the file cannot be read at all."""
    try:
        return list(read_rows(data, required, optional))
    except CsvFormatError as exc:
        report.add(1, "-", str(exc))
        return None


def parse_date(value: str) -> datetime.date | None:
    """ISO dates (2025-07-01); empty means open-ended. Raises ValueError with a hint."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(
            _("“%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2025-07-01.")
            % {"value": value}
        ) from exc


def write_rows(out: io.TextIOBase, header: list[str], rows) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
