"""Writing spreadsheets that are safe to open (F01).

A cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or a
carriage return, which some programs skip before reading a formula) is run as
a formula by Excel and LibreOffice when the file is a CSV: a learner's name or
an organisation's name becomes a link that leaks the sheet, or a command. So:

- in CSV such text is written with a leading apostrophe, which spreadsheets
  read as "this is text" and do not show;
- in XLSX every text is a string cell (never a formula cell), written as it
  is; numbers and dates stay numbers and dates, so that people can compute.

Leading spaces do not disarm a formula in every program, so text is judged
after them. XLSX files are written with openpyxl's write-only mode: rows go to
the file as they come, and memory stays flat however many there are."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Full-width forms that some spreadsheet programs fold into the ASCII ones.
_WIDE_PREFIXES = ("\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBERS = (int, float, Decimal)
BOM = "\ufeff"
MAX_TEXT = 32_767  # characters in one XLSX cell


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula."""
    if text.startswith(FORMULA_PREFIXES):
        return True
    stripped = text.lstrip()
    return stripped.startswith(FORMULA_PREFIXES + _WIDE_PREFIXES)


def safe_text(value) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if is_formula_like(text):
        return "'" + text
    return text


def csv_cell(value) -> str:
    """A CSV cell: numbers as they are (a negative number is a number, not a
    formula), dates in ISO form, any other value as safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return safe_text(value)
    if isinstance(value, _NUMBERS):
        return str(value)
    if isinstance(value, datetime):
        return _local(value).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return safe_text(value)


def _local(moment: datetime) -> datetime:
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None)


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    """The lines of a CSV file, one at a time, beginning with a byte-order mark
    so that Excel reads UTF-8 (Cyrillic, Georgian, ...) correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield BOM
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def csv_chunks(rows: Iterable[list], *, lines: int = 500) -> Iterator[bytes]:
    """The CSV file as UTF-8 bytes in chunks of about ``lines`` rows, for a
    streamed response or a file."""
    batch: list[str] = []
    for line in csv_lines(rows):
        batch.append(line)
        if len(batch) >= lines:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


class XlsxWriter:
    """One sheet written row by row with openpyxl's write-only workbook::

    with XlsxWriter(file, title="Report") as sheet:
        sheet.append(["Name", 3, Decimal("4.5")])
    """

    DATE_FORMAT = "yyyy-mm-dd"
    DATETIME_FORMAT = "yyyy-mm-dd hh:mm"

    def __init__(self, file, *, title: str = "Sheet1"):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

        self._new_cell = WriteOnlyCell
        self._errors = frozenset(ERROR_CODES)
        self._illegal = ILLEGAL_CHARACTERS_RE
        self.file = file
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(title=_sheet_title(title))
        self.rows = 0

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if kind is None:
            self.close()
        return False

    def cell(self, value):
        """What to append for ``value``: numbers as numbers, dates as dates,
        everything else as a string cell that is never a formula."""
        if value is None:
            return None
        kind = type(value)
        if kind is not str:
            if kind is bool:
                return self.text(str(value))
            if isinstance(value, _NUMBERS):
                return value
            if isinstance(value, datetime):
                return self._dated(_local(value), self.DATETIME_FORMAT)
            if isinstance(value, date):
                return self._dated(value, self.DATE_FORMAT)
        return self.text(str(value))

    def text(self, text: str):
        if self._illegal.search(text):
            text = self._illegal.sub("", text)
        text = text[:MAX_TEXT]
        if is_formula_like(text) or text in self._errors:
            cell = self._new_cell(self.sheet)
            # Set directly: assigning ``value`` would make "=..." a formula.
            cell._value = text
            cell.data_type = "s"
            return cell
        return text

    def _dated(self, value, number_format):
        cell = self._new_cell(self.sheet, value=value)
        cell.number_format = number_format
        return cell

    def append(self, row: list):
        self.sheet.append([self.cell(value) for value in row])
        self.rows += 1

    def add_sheet(self, title: str):
        """Start another sheet: the rows appended from now on go to it."""
        self.sheet = self.workbook.create_sheet(title=_sheet_title(title))

    def close(self):
        self.workbook.save(self.file)


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in a sheet's name, and more than 31.
    for character in "[]:*?/\\":
        title = title.replace(character, " ")
    return title.strip()[:31] or "Sheet1"


def write_xlsx(file, rows: Iterable[list], *, title: str = "Sheet1") -> int:
    """Write ``rows`` as one sheet to ``file`` (a path or a binary file);
    returns the number of rows written."""
    with XlsxWriter(file, title=title) as sheet:
        for row in rows:
            sheet.append(row)
    return sheet.rows


def write_xlsx_sheets(file, sheets: Iterable[tuple[str, Iterable[list]]]) -> int:
    """Write several sheets, each a ``(title, rows)`` pair, to ``file``;
    returns the number of rows written in all."""
    writer = None
    for title, rows in sheets:
        if writer is None:
            writer = XlsxWriter(file, title=title)
        else:
            writer.add_sheet(title)
        for row in rows:
            writer.append(row)
    if writer is None:
        writer = XlsxWriter(file)
    writer.close()
    return writer.rows


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def download(rows: Iterable[list], *, fmt: str, filename: str, title: str = "Sheet1"):
    """An HTTP response offering ``rows`` as ``filename``.csv or .xlsx
    (``fmt`` is ``"csv"`` or ``"xlsx"``), written by this module's rules.
    The download is recorded in the audit log (these are lists of people)."""
    from django.http import HttpResponse

    from training_platform.audit import services as audit
    from training_platform.audit.models import AuditAction

    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(buffer, rows, title=title)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    else:
        fmt = "csv"
        response = HttpResponse(
            b"".join(csv_chunks(rows)), content_type=CSV_CONTENT_TYPE
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    audit.record(
        AuditAction.EXPORT_DOWNLOADED,
        label=f"{filename}.{fmt}",
        details={"file": f"{filename}.{fmt}"},
    )
    return response
