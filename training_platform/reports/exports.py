"""The dashboard's tables and the learner lists as CSV and XLSX files.

A file begins with what it shows: a title, the filters in force, the time the
figures date from and whether small numbers are hidden; then a blank line and
the table. Figures come from ``selectors.report_for`` and people from
``selectors.facts_behind``, so an export shows exactly what the viewer may see
on the dashboard, nothing more (E01). Small-cell suppression is on unless the
query says ``suppress=0``; the learner list is about individuals and is never
suppressed. Cells are written through ``training_platform.spreadsheets``
(F01)."""

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import EnrolmentStatus
from training_platform import spreadsheets
from training_platform.accounts.models import Country

from . import selectors, suppression
from .forms import ReportFilterForm, parse_month

FORMATS = ("csv", "xlsx")
BREAKDOWN_NAMES = tuple(name for name, _heading, _field in selectors.SECTIONS)
TABLES = ("headline", *BREAKDOWN_NAMES, "month", "impact", "learners")
CHUNK = 2000
TENTH = Decimal("0.1")

# The figures of a breakdown row (and of the headline), in column order.
FIGURES = (
    ("learners", gettext_lazy("Learners")),
    ("enrolments", gettext_lazy("Enrolments")),
    ("pending", gettext_lazy("Waiting for approval")),
    ("active", gettext_lazy("In progress")),
    ("completed", gettext_lazy("Completed")),
    ("withdrawn", gettext_lazy("Withdrawn")),
    ("completion_rate", gettext_lazy("Completion rate (%)")),
    ("average_score", gettext_lazy("Average final score (%)")),
    ("pass_rate", gettext_lazy("Pass rate (%)")),
    ("pre", gettext_lazy("Pre-test average (%)")),
    ("post", gettext_lazy("Post-test average (%)")),
    ("gain", gettext_lazy("Knowledge gain (points)")),
    ("normalised_gain", gettext_lazy("Normalised gain")),
    ("certificates", gettext_lazy("Certificates")),
    ("certificates_valid", gettext_lazy("Valid certificates")),
    ("certificates_expired", gettext_lazy("Expired certificates")),
    ("certificates_revoked", gettext_lazy("Revoked certificates")),
)
DIMENSIONS = {
    "country": gettext_lazy("Country"),
    "organisation_kind": gettext_lazy("Type of organisation"),
    "organisation": gettext_lazy("Organisation"),
    "course": gettext_lazy("Course"),
    "sex": gettext_lazy("Sex"),
    "project": gettext_lazy("Project"),
}
LEARNER_COLUMNS = (
    gettext_lazy("Learner"),
    gettext_lazy("E-mail"),
    gettext_lazy("Country"),
    gettext_lazy("Organisation"),
    gettext_lazy("Course"),
    gettext_lazy("Status"),
    gettext_lazy("Enrolled"),
    gettext_lazy("Completed"),
    gettext_lazy("Final score"),
)


@dataclass
class Table:
    """A file's content: everything is already translated text or a value,
    so that it can be written later (a streamed response, a worker) whatever
    language is active then."""

    name: str
    title: str
    preamble: list[list]
    header: list[str]
    rows: Iterable[list]
    written: int = field(default=0)

    def lines(self) -> Iterator[list]:
        yield from self.preamble
        yield []
        yield self.header
        for row in self.rows:
            self.written += 1
            yield row


class UnknownTable(LookupError):
    pass


def query_dict(params) -> QueryDict:
    """A QueryDict from a request's query, a query string or the dict of
    lists kept on a ``ReportExport``."""
    if isinstance(params, QueryDict):
        return params
    if isinstance(params, str):
        return QueryDict(params)
    query = QueryDict(mutable=True)
    for name, values in (params or {}).items():
        query.setlist(name, values if isinstance(values, list) else [values])
    return query


def params_of(query: QueryDict) -> dict:
    """The query as a JSON-friendly dict of lists, without the page number."""
    return {name: query.getlist(name) for name in query if name != "page"}


def suppressed(query: QueryDict) -> bool:
    return query.get("suppress", "1") != "0"


def _form(viewer, query: QueryDict) -> ReportFilterForm:
    return ReportFilterForm(query or None, viewer=viewer)


def _figure(value):
    if isinstance(value, suppression.Suppressed | suppression.Hidden):
        return str(value)
    return value


def _preamble(title, described, refreshed_at, note) -> list[list]:
    rows = [[title]]
    if described:
        rows.append([_("Filters:")])
        rows.extend([label, value] for label, value in described)
    else:
        rows.append([_("Filters:"), _("none")])
    if refreshed_at:
        rows.append(
            [_("Figures as of"), timezone.localtime(refreshed_at), settings.TIME_ZONE]
        )
    else:
        rows.append([_("The figures have not been computed yet.")])
    rows.append([note])
    return rows


def _suppression_note(suppress: bool) -> str:
    if suppress:
        return _(
            "Numbers below %(limit)s are hidden (shown as “< %(limit)s”). So "
            "that they cannot be worked out from the totals, some other "
            "numbers and the rates computed from hidden numbers are hidden "
            "too (shown as “…”)."
        ) % {"limit": suppression.threshold()}
    return _("Exact numbers: small numbers are not hidden.")


def report_table(viewer, name: str, query: QueryDict) -> Table:
    """The headline figures, a breakdown or the month table."""
    form = _form(viewer, query)
    report = selectors.report_for(viewer, form.filters())
    suppress = suppressed(query)
    if suppress:
        report = suppression.suppress_report(report)
    headings = {n: heading for n, heading, _field in selectors.SECTIONS}
    if name == "headline":
        title = _("In figures")
        headline = report.headline
        header = [_("Figure"), _("Value")]
        rows = [[str(label), _figure(headline.get(key))] for key, label in FIGURES]
    elif name == "month":
        title = _("Enrolments and completions by month")
        months = report.months
        header = [_("Month"), _("Enrolments"), _("Completions")]
        rows = [
            [
                f"{row['key']:%Y-%m}",
                _figure(row["enrolments"]),
                _figure(row["completed"]),
            ]
            for row in months
        ]
    elif name == "impact":
        from .impact import (
            LEVEL_COLUMNS,
            ImpactFilters,
            exact_numbers_allowed,
            levels_summary,
        )

        title = _("Satisfaction, knowledge gain and use on the job")
        filters = form.filters()
        headline, levels = levels_summary(
            viewer,
            ImpactFilters(course_key=filters.course_key, country=filters.country),
            suppress=not exact_numbers_allowed(viewer, not suppress),
        )
        header = [_("Course")] + [str(label) for _key, label in LEVEL_COLUMNS]
        rows = [
            [row["label"]] + [_figure(row.get(key)) for key, _label in LEVEL_COLUMNS]
            for row in [*levels, headline]
        ]
    elif name in headings:
        title = str(headings[name])
        breakdown = report.breakdowns[name]
        header = [str(DIMENSIONS[name])] + [str(label) for _key, label in FIGURES]
        rows = [
            [row["label"]] + [_figure(row.get(key)) for key, _label in FIGURES]
            for row in breakdown
        ]
    else:
        raise UnknownTable(name)
    preamble = _preamble(
        title, form.described(), report.refreshed_at, _suppression_note(suppress)
    )
    return Table(name=name, title=title, preamble=preamble, header=header, rows=rows)


def learner_facts(viewer, query: QueryDict):
    """The enrolments of the learner list for ``query`` (filters and the
    figure, month enrolled or month completed drilled into), with the form
    that read the filters."""
    form = _form(viewer, query)
    facts = selectors.facts_behind(
        viewer,
        form.filters(),
        metric=query.get("metric", ""),
        enrolled_month=parse_month(query.get("enrolled_month", "")),
        completed_month=parse_month(query.get("completed_month", "")),
    )
    return form, facts


def learner_table(viewer, query: QueryDict) -> Table:
    """The learner list: one row per enrolment, read in chunks so that memory
    stays flat however long the list is."""
    form, facts = learner_facts(viewer, query)
    described = []
    metric = query.get("metric", "")
    if metric in selectors.METRIC_LABELS:
        described.append((_("Figure"), str(selectors.METRIC_LABELS[metric])))
    for key, label in (
        ("enrolled_month", _("Enrolled in")),
        ("completed_month", _("Completed in")),
    ):
        month = parse_month(query.get(key, ""))
        if month:
            described.append((label, f"{month:%Y-%m}"))
    described.extend(form.described())
    refresh = selectors.last_refresh()
    title = _("Learners behind a figure")
    preamble = _preamble(
        title,
        described,
        refresh.finished_at if refresh else None,
        _(
            "A list of individual people: personal data, to be kept and shared "
            "only as your organisation's rules allow."
        ),
    )
    keys = facts.order_by().values_list("course_key", flat=True).distinct()
    titles = selectors.course_titles(set(keys))
    removed = _("Course removed")
    countries = {c.pk: c.localized_name for c in Country.objects.all()}
    statuses = {value: str(label) for value, label in EnrolmentStatus.choices}
    rows = _learner_rows(facts, titles, removed, countries, statuses)
    return Table(
        name="learners",
        title=title,
        preamble=preamble,
        header=[str(label) for label in LEARNER_COLUMNS],
        rows=rows,
    )


def _learner_rows(facts, titles, removed, countries, statuses) -> Iterator[list]:
    local = timezone.localtime
    values = facts.values_list(
        "user__full_name",
        "user__email",
        "country_id",
        "organisation__name",
        "course_key",
        "status",
        "enrolled_at",
        "completed_at",
        "final_score",
    )
    for (
        name,
        email,
        country_id,
        organisation,
        course_key,
        status,
        enrolled_at,
        completed_at,
        final_score,
    ) in values.iterator(chunk_size=CHUNK):
        yield [
            name or email,
            email,
            countries.get(country_id),
            organisation,
            titles.get(course_key, removed),
            statuses.get(status, status),
            local(enrolled_at).date(),
            local(completed_at).date() if completed_at else None,
            None if final_score is None else final_score.quantize(TENTH),
        ]


def table_for(viewer, name: str, query) -> Table:
    query = query_dict(query)
    if name == "learners":
        return learner_table(viewer, query)
    return report_table(viewer, name, query)


def filename(name: str, fmt: str, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if name == "personal_data":
        return f"my-data-{today:%Y-%m-%d}.{fmt}"
    return f"report-{name}-{today:%Y-%m-%d}.{fmt}"


def content_type(fmt: str) -> str:
    if fmt == "json":
        return "application/json"
    if fmt == "xlsx":
        return spreadsheets.XLSX_CONTENT_TYPE
    return spreadsheets.CSV_CONTENT_TYPE


def write(table: Table, fmt: str, file) -> int:
    """Write ``table`` to a binary file; returns the number of table rows."""
    if fmt == "xlsx":
        spreadsheets.write_xlsx(file, table.lines(), title=table.title)
    else:
        for chunk in spreadsheets.csv_chunks(table.lines()):
            file.write(chunk)
    return table.written


def response(table: Table, fmt: str):
    """The file as a download: CSV streamed as it is written, XLSX built in
    memory (only tables below the size that goes to a worker come here)."""
    if fmt == "csv":
        result = StreamingHttpResponse(
            spreadsheets.csv_chunks(table.lines()), content_type=content_type(fmt)
        )
    else:
        buffer = io.BytesIO()
        write(table, fmt, buffer)
        result = HttpResponse(buffer.getvalue(), content_type=content_type(fmt))
    result["Content-Disposition"] = (
        f'attachment; filename="{filename(table.name, fmt)}"'
    )
    result["Cache-Control"] = "private, no-store"
    _audit_download(filename(table.name, fmt))
    return result


def _audit_download(name):
    from training_platform.audit import services as audit
    from training_platform.audit.models import AuditAction

    audit.record(AuditAction.EXPORT_DOWNLOADED, label=name, details={"file": name})


def sheets_response(sheets, name: str):
    """Several ``(title, rows)`` sheets as an XLSX download named ``name``."""
    buffer = io.BytesIO()
    spreadsheets.write_xlsx_sheets(buffer, sheets)
    result = HttpResponse(buffer.getvalue(), content_type=content_type("xlsx"))
    result["Content-Disposition"] = f'attachment; filename="{name}"'
    result["Cache-Control"] = "private, no-store"
    _audit_download(name)
    return result


def project_report_response(report):
    """The project report as an XLSX download, one sheet per table."""
    from .project_report import spreadsheet_sheets

    return sheets_response(
        spreadsheet_sheets(report),
        f"project-report-{report.project.code}-"
        f"{report.date_from:%Y-%m-%d}-{report.date_to:%Y-%m-%d}.xlsx",
    )
