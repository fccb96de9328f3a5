"""Reading and checking a bulk-enrolment spreadsheet (CSV or XLSX).

Nothing here writes: ``read_rows`` turns a file into plain rows (size, row and
encoding limits, F02), ``check_rows`` says per row what would happen and what is
wrong (unknown country F04-style scope, duplicates F03, bad e-mails). The
services apply a checked file; what is written back into spreadsheets goes
through ``training_platform.spreadsheets`` (F01)."""

import csv
import io
import time
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from training_platform.accounts import roles
from training_platform.accounts.models import Country, Organisation, User
from training_platform.accounts.selectors import countries_visible_to
from training_platform.accounts.text import clean_person_name

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# What is read, not what is kept: a tiny XLSX may declare A1:XFD1048576, and
# every row and column up to the declared corner would otherwise be produced,
# empty or not (F02).
MAX_LINES = 20000
MAX_COLUMNS = 64
MAX_READ_SECONDS = 15
MAX_XLSX_UNCOMPRESSED = 40 * 1024 * 1024
FIELDS = ("email", "full_name", "country", "organisation", "position")
# A column's name in the first row: any of these, in any case (tuples, not
# sets: a set would fold a translated name into its English twin); a translated
# name (gettext_lazy) counts in every language the site offers, so a file
# whose first row a Georgian coordinator wrote in Georgian reads as well.
HEADERS = {
    "email": (
        "email",
        "e-mail",
        "email address",
        "e-mail address",
        "электронная почта",
        gettext_lazy("e-mail address"),
    ),
    "full_name": (
        "full name",
        "full_name",
        "name",
        "фио",
        "полное имя",
        "имя",
        gettext_lazy("full name"),
    ),
    "country": ("country", "country code", "страна", gettext_lazy("country")),
    "organisation": (
        "organisation",
        "organization",
        "организация",
        gettext_lazy("organisation"),
    ),
    "position": (
        "position",
        "job title",
        "position / job title",
        "должность",
        gettext_lazy("position / job title"),
    ),
}
_INVISIBLE = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}


# What other apps do with a bulk file's learners once they are enrolled (a
# workshop registers them for a session): the name kept in the batch's
# ``extra["step"]`` -> an object with ``describe(batch) -> list[str]`` (lines
# for the preview) and ``apply(batch, users, by) -> str`` (runs in the
# enrolment's transaction, in the file's order; raises to undo everything;
# returns a line for the learner who applied it).
steps: dict = {}


def register_step(name, step):
    steps[name] = step
    return step


def step_for(batch):
    return steps.get((batch.extra or {}).get("step"))


class BulkFileError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _text(value, limit=255) -> str:
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in text
        if ord(ch) not in _INVISIBLE
    )
    return " ".join(text.split())[:limit]


def _long_text(value, limit=20000) -> str:
    """A cell of running text: line breaks kept (paragraphs, lists), other
    control and invisible characters dropped, spaces within lines kept."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n")
    text = "".join(
        ch
        for ch in text
        if ch == "\n"
        or (unicodedata.category(ch) != "Cc" and ord(ch) not in _INVISIBLE)
    )
    return text.strip()[:limit]


def normalise_email(value) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = "".join(ch for ch in text if ord(ch) not in _INVISIBLE)
    return text.strip().lower()


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BulkFileError(
            _("The file is not UTF-8 text. In your spreadsheet, save it as CSV UTF-8.")
        ) from error


def _csv_rows(data: bytes):
    text = _decode(data)
    if "\x00" in text:
        raise BulkFileError(_("The file contains binary data."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    for values in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield values[:MAX_COLUMNS]


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise BulkFileError(_("The file is not a valid XLSX workbook.")) from error
    if total > MAX_XLSX_UNCOMPRESSED:
        raise BulkFileError(_("The workbook is too large once unpacked."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds
        raise BulkFileError(_("The file is not a valid XLSX workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(
            max_row=MAX_LINES + 1, max_col=MAX_COLUMNS, values_only=True
        )
        for row in rows:
            yield ["" if v is None else str(v) for v in row]
    finally:
        workbook.close()


def read_rows(
    uploaded, *, headers=None, header_message=None, multiline=()
) -> list[dict]:
    """The data rows of an uploaded CSV or XLSX file as dicts with the keys of
    ``headers`` (a column key -> the names it may have in the first row; the
    enrolment columns by default; the first key is required) and ``line``
    (the row number people see in their spreadsheet). ``header_message`` says
    which columns the first row must name; the columns in ``multiline`` keep
    their line breaks and may be long (running text)."""
    headers = headers or HEADERS
    name = (getattr(uploaded, "name", "") or "").lower()
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise BulkFileError(_("The file is larger than 2 MB. Split it into parts."))
    if name.endswith(".xlsx"):
        raw = _xlsx_rows(data)
    elif name.endswith(".csv") or name.endswith(".txt"):
        raw = _csv_rows(data)
    else:
        raise BulkFileError(_("Upload a CSV or XLSX file."))
    rows = []
    columns = None
    deadline = time.monotonic() + MAX_READ_SECONDS
    try:
        for line, values in enumerate(raw, start=1):
            if line > MAX_LINES:
                raise BulkFileError(
                    _(
                        "The sheet has more than %(max)s rows, empty rows included. "
                        "Delete the empty rows at the end or split it into parts."
                    )
                    % {"max": MAX_LINES}
                )
            if time.monotonic() >= deadline:
                raise BulkFileError(
                    _(
                        "The file took too long to read. Copy only the rows and "
                        "columns with data into a new file and upload that."
                    )
                )
            if columns is None:
                columns = _columns(values, headers, header_message)
                continue
            if not any(str(v).strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise BulkFileError(
                    _("The file has more than %(max)s rows. Split it into parts.")
                    % {"max": MAX_ROWS}
                )
            row = {"line": line}
            for field_name, index in columns.items():
                value = values[index] if index < len(values) else ""
                read = _long_text if field_name in multiline else _text
                row[field_name] = read(value)
            rows.append(row)
    except csv.Error as error:
        raise BulkFileError(_("The CSV file could not be read.")) from error
    if columns is None:
        raise BulkFileError(_("The file is empty."))
    if not rows:
        raise BulkFileError(_("The file has a header but no rows."))
    return rows


def _label(value) -> str:
    return _text(value).lower().strip(" *:")


def _names_in_every_language(names) -> set[str]:
    """``names`` as first-row labels: plain strings as they are, translated
    ones in each offered language."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.functional import Promise

    labels = set()
    for name in names:
        if not isinstance(name, Promise):
            labels.add(_label(name))
            continue
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                labels.add(_label(str(name)))
    return labels


def _columns(header, headers, message) -> dict:
    columns = {}
    headers = {key: _names_in_every_language(names) for key, names in headers.items()}
    for index, value in enumerate(header):
        label = _label(value)
        for field_name, names in headers.items():
            if label in names and field_name not in columns:
                columns[field_name] = index
    if next(iter(headers)) not in columns:
        raise BulkFileError(
            message
            or _(
                "The first row must name the columns: e-mail, full name, country, "
                "organisation, position."
            )
        )
    return columns


# ---------------------------------------------------------------- checking


@dataclass
class RowCheck:
    line: int
    email: str
    full_name: str = ""
    country: str = ""
    organisation: str = ""
    position: str = ""
    action: str = ""  # create / enrol / already / skip
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    country_id: int | None = None
    organisation_id: int | None = None
    user_id: int | None = None
    # The address has an account the uploader may not see: the row reads as a
    # new account, and applying it changes nothing (E01).
    account_out_of_scope: bool = False

    def as_dict(self):
        data = asdict(self)
        del data["account_out_of_scope"]
        return data


@dataclass
class FileCheck:
    rows: list
    errors: list = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors and not any(r.errors for r in self.rows)

    def count(self, action) -> int:
        return sum(1 for r in self.rows if r.action == action and not r.errors)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)


def _country_lookup():
    """A country by its code or its name in any offered language."""
    from django.conf import settings
    from django.utils import translation

    lookup = {}
    countries = list(Country.objects.all())
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for country in countries:
                lookup.setdefault(country.localized_name.casefold(), country)
    for country in countries:
        for key in (country.code, country.name, country.name_ru):
            if key:
                lookup[key.casefold()] = country
    return lookup


def check_rows(*, rows, course, by) -> FileCheck:
    """What applying ``rows`` to ``course`` would do, row by row, as ``by``
    (a coordinator: only learners of their countries; an administrator, or
    nobody for the command line: everyone)."""
    from .models import Enrolment
    from .services import SEAT_STATUSES

    unrestricted = by is None or roles.is_administrator(by)
    allowed_countries = (
        None
        if unrestricted
        else set(countries_visible_to(by).values_list("pk", flat=True))
    )
    countries = _country_lookup()
    checks = []
    first_line = {}
    for raw in rows:
        check = RowCheck(
            line=raw.get("line", 0),
            email=normalise_email(raw.get("email")),
            full_name=clean_person_name(raw.get("full_name", ""))[:150],
            country=_text(raw.get("country"), 100),
            organisation=_text(raw.get("organisation"), 255),
            position=_text(raw.get("position"), 150),
        )
        checks.append(check)
        if not check.email:
            check.errors.append(_("The e-mail address is missing."))
            continue
        try:
            validate_email(check.email)
        except ValidationError:
            check.errors.append(_("This is not a valid e-mail address."))
            continue
        if check.email in first_line:
            check.action = "skip"
            check.warnings.append(
                _("The same e-mail as row %(line)s: this row is ignored.")
                % {"line": first_line[check.email]}
            )
            continue
        first_line[check.email] = check.line

    emails = [
        c.email for c in checks if c.email and not c.errors and c.action != "skip"
    ]
    users = {
        u.email.lower(): u
        for u in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .select_related("country")
    }
    enrolled = set(
        Enrolment.objects.current()
        .filter(
            course_key=course.translation_key,
            user__in=users.values(),
            status__in=SEAT_STATUSES,
        )
        .values_list("user_id", flat=True)
    )
    organisations = {}
    for organisation in Organisation.objects.only("pk", "name", "country_id"):
        organisations[(organisation.country_id, organisation.name.casefold())] = (
            organisation
        )
    for check in checks:
        if check.errors or check.action == "skip":
            continue
        user = users.get(check.email)
        if user is not None and (unrestricted or user.country_id in allowed_countries):
            check.user_id = user.pk
            check.action = "already" if user.pk in enrolled else "enrol"
            continue
        # An account outside the uploader's countries is checked exactly like
        # an unknown address, so that the preview does not tell it exists (E01).
        check.account_out_of_scope = user is not None
        check.action = "create"
        if not check.full_name:
            check.errors.append(
                _("The full name is missing (needed for a new account).")
            )
        country = countries.get(check.country.casefold()) if check.country else None
        if not check.country:
            check.errors.append(_("The country is missing (needed for a new account)."))
        elif country is None:
            check.errors.append(
                _("Unknown country. Use the two-letter code, for example RS or KZ.")
            )
        elif not unrestricted and country.pk not in allowed_countries:
            check.errors.append(_("This country is not one of your countries."))
        else:
            check.country_id = country.pk
            if check.organisation:
                organisation = organisations.get(
                    (country.pk, check.organisation.casefold())
                )
                if organisation is not None:
                    check.organisation_id = organisation.pk
                else:
                    check.warnings.append(
                        _(
                            "New organisation: it will be added for an "
                            "administrator to check."
                        )
                    )
    file_errors = []
    new_seats = sum(
        1 for c in checks if c.action in ("create", "enrol") and not c.errors
    )
    if course.capacity is not None:
        taken = (
            Enrolment.objects.current()
            .filter(course_key=course.translation_key, status__in=SEAT_STATUSES)
            .count()
        )
        if taken + new_seats > course.capacity:
            file_errors.append(
                _(
                    "The course has %(free)s places left; the file would enrol "
                    "%(needed)s learners."
                )
                % {"free": max(course.capacity - taken, 0), "needed": new_seats}
            )
    return FileCheck(rows=checks, errors=file_errors)
