"""The project report: for a project and a period, what a donor asks for —
the trained participants by country, sex, type of organisation and course,
their knowledge gain (pre- and post-test), the certificates issued, and the
figures other apps add (sessions and attendance) through
``register_project_source``.

Definitions (also in docs/reports.md):

- a *participant* is a learner with an enrolment (not waiting for approval)
  in one of the project's courses that began or was completed in the period;
- *trained* participants completed such a course in the period;
- *knowledge gain* is computed as on the dashboard, from the participants who
  took both the pre-test and the post-test;
- *certificates issued* are the enrolments of the project's courses with a
  certificate issued in the period (a reissued certificate counts once;
  revoked ones count: they were issued).

Every figure is read through ``scope_by_country``: a coordinator's report
covers the learners of their countries only. Small cells are suppressed as
on the dashboard (``suppression.suppress_report``)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate, CertificateStatus
from courses.models import EnrolmentStatus, Project
from training_platform.accounts.models import Country, OrganisationType, Sex
from training_platform.accounts.selectors import scope_by_country

from . import metrics, suppression
from .models import EnrolmentFact
from .selectors import Report, course_titles, last_refresh, project_course_keys

# The figures of every table row: key, column heading.
COLUMNS = (
    ("learners", _("Participants")),
    ("completed", _("Trained (completed)")),
    ("certificates", _("Certificates issued")),
    ("pairs", _("Took the pre-test and the post-test")),
    ("pre", _("Pre-test average (%)")),
    ("post", _("Post-test average (%)")),
    ("gain", _("Knowledge gain (points)")),
    ("normalised_gain", _("Normalised gain")),
)
# The tables read from the enrolments: name, title, heading of the first
# column, the fact field grouped by, the certificate field grouped by.
DIMENSIONS = (
    ("country", _("By country"), _("Country"), "country", "user__country"),
    ("sex", _("By sex"), _("Sex"), "sex", "user__sex"),
    (
        "organisation_kind",
        _("By type of organisation"),
        _("Type of organisation"),
        "organisation_kind",
        "user__organisation__kind",
    ),
    ("course", _("By course"), _("Course"), "course_key", "course_key"),
)


@dataclass
class ProjectTable:
    """One table of the report (one sheet of the spreadsheet)."""

    name: str
    title: str
    heading: str  # of the first column
    columns: list  # (key, heading) of the figures
    rows: list  # dicts with "label" and the figures


@dataclass
class ProjectSection:
    """What another app adds to the report: figures for the headline (for
    example the attendance rate) and tables of its own (sessions)."""

    headline: dict = field(default_factory=dict)
    headline_labels: dict = field(default_factory=dict)
    tables: list = field(default_factory=list)


@dataclass
class ProjectReport:
    project: Project
    date_from: date
    date_to: date
    headline: dict
    tables: list
    headline_labels: dict
    suppressed: bool
    refreshed_at: datetime | None = None


# name -> callable(viewer, project, date_from, date_to) -> ProjectSection | None
_SOURCES: dict[str, Callable] = {}


def register_project_source(name: str, source: Callable) -> None:
    """Let an app add figures to the project report (the workshops app: the
    participants of the project's sessions and their attendance rate). The
    source must scope what it reads to ``viewer`` with the platform's scoping
    functions; a source that fails leaves the rest of the report intact."""
    _SOURCES[name] = source


def unregister_project_source(name: str) -> None:
    _SOURCES.pop(name, None)


HEADLINE_LABELS = {
    "learners": _("Participants"),
    "completed": _("Trained (completed a course)"),
    "certificates": _("Certificates issued"),
    "pairs": _("Took the pre-test and the post-test"),
    "pre": _("Pre-test average (%)"),
    "post": _("Post-test average (%)"),
    "gain": _("Knowledge gain (points)"),
    "normalised_gain": _("Normalised gain"),
}


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(date_from, time.min))
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min))
    return start, end


def _fact_figures(start, end) -> dict:
    pair = Q(pre_score__isnull=False, post_score__isnull=False)
    trained = Q(completed_at__gte=start, completed_at__lt=end)
    return {
        "learners": Count("user", distinct=True),
        "completed": Count("user", distinct=True, filter=trained),
        "pairs": Count("pk", filter=pair),
        "pre_sum": Sum("pre_score", filter=pair),
        "post_sum": Sum("post_score", filter=pair),
    }


def _finish(row: dict, certificates: int) -> dict:
    figures = metrics.finish(
        {
            "pairs": row.get("pairs") or 0,
            "pre_sum": row.get("pre_sum") or 0,
            "post_sum": row.get("post_sum") or 0,
        }
    )
    return {
        "key": row.get("key"),
        "learners": row.get("learners") or 0,
        "completed": row.get("completed") or 0,
        "certificates": certificates,
        "pairs": figures["pairs"],
        "pre": figures["pre"],
        "post": figures["post"],
        "gain": figures["gain"],
        "normalised_gain": figures["normalised_gain"],
    }


def project_report(
    viewer,
    *,
    project: Project,
    date_from: date,
    date_to: date,
    suppress: bool = True,
    limit: int | None = None,
) -> ProjectReport:
    """The report's figures for ``viewer`` (scoped to their countries), in a
    fixed number of queries whatever the number of learners."""
    start, end = _bounds(date_from, date_to)
    keys = project_course_keys([project.pk]).get(project.pk, [])
    in_period = Q(enrolled_at__gte=start, enrolled_at__lt=end) | Q(
        completed_at__gte=start, completed_at__lt=end
    )
    facts = (
        scope_by_country(
            viewer, EnrolmentFact.objects.order_by(), course_path="course_key"
        )
        .filter(course_key__in=keys)
        .exclude(status=EnrolmentStatus.PENDING)
        .filter(in_period)
    )
    certificates = (
        scope_by_country(
            viewer,
            Certificate.objects.order_by(),
            path="user__country",
            course_path="course_key",
        )
        .filter(course_key__in=keys, issued_at__gte=start, issued_at__lt=end)
        .filter(
            status__in=[
                CertificateStatus.ISSUED,
                CertificateStatus.REVOKED,
                CertificateStatus.SUPERSEDED,
            ]
        )
    )
    issued = Count("enrolment", distinct=True)
    headline = _finish(
        facts.aggregate(**_fact_figures(start, end)),
        certificates.aggregate(n=issued)["n"] or 0,
    )
    breakdowns = {}
    for name, _title, _heading, fact_field, certificate_field in DIMENSIONS:
        counted = dict(certificates.values_list(certificate_field).annotate(n=issued))
        rows = []
        for row in facts.values(fact_field).annotate(**_fact_figures(start, end)):
            key = row.pop(fact_field)
            rows.append(_finish({"key": key, **row}, counted.pop(key, 0)))
        # Certificates issued in the period for enrolments outside it.
        for key, n in counted.items():
            rows.append(_finish({"key": key}, n))
        breakdowns[name] = rows
    _label(breakdowns)
    headline_labels = dict(HEADLINE_LABELS)
    tables_extra = []
    extra_headline = {}
    for source in list(_SOURCES.values()):
        section = source(viewer, project, date_from, date_to)
        if section is None:
            continue
        extra_headline.update(_suppress_figures(section.headline, suppress, limit))
        headline_labels.update(section.headline_labels)
        tables_extra.extend(section.tables)
    for table in tables_extra:
        # Their counts are suppressed with the rest ("learners", "enrolments").
        breakdowns[f"extra:{table.name}"] = table.rows
    report = Report(headline=headline, breakdowns=breakdowns, months=[])
    if suppress:
        report = suppression.suppress_report(report, limit)
    else:
        for rows in report.breakdowns.values():
            rows.sort(key=lambda r: (-(r.get("learners") or 0), r["label"]))
    for table in tables_extra:
        table.rows = report.breakdowns[f"extra:{table.name}"]
    report.headline.update(extra_headline)
    tables = [
        ProjectTable(
            name=name,
            title=str(title),
            heading=str(heading),
            columns=[(k, str(label)) for k, label in COLUMNS],
            rows=report.breakdowns[name],
        )
        for name, title, heading, _f, _c in DIMENSIONS
    ]
    refresh = last_refresh()
    return ProjectReport(
        project=project,
        date_from=date_from,
        date_to=date_to,
        headline=report.headline,
        headline_labels=headline_labels,
        tables=tables + tables_extra,
        suppressed=suppress,
        refreshed_at=refresh.finished_at if refresh else None,
    )


def _suppress_figures(figures: dict, suppress: bool, limit: int | None) -> dict:
    """A source's headline figures: a small count is suppressed, and then
    the rates beside it are hidden (they would give it back)."""
    if not suppress:
        return dict(figures)
    limit = suppression.threshold() if limit is None else limit
    shown = dict(figures)
    small = False
    for name, value in figures.items():
        is_count = isinstance(value, int) and not isinstance(value, bool)
        if is_count and 0 < value < limit:
            shown[name] = suppression.Suppressed(limit)
            small = True
    if small:
        for name, value in figures.items():
            if value is not None and not isinstance(value, int):
                shown[name] = suppression.Hidden()
    return shown


def _label(breakdowns: dict) -> None:
    countries = {
        c.pk: c.localized_name
        for c in Country.objects.filter(
            pk__in=[r["key"] for r in breakdowns["country"]]
        )
    }
    courses = course_titles(r["key"] for r in breakdowns["course"])
    kinds = dict(OrganisationType.choices)
    sexes = dict(Sex.choices)
    labels = {
        "country": lambda k: countries.get(k, _("Country not stated")),
        "sex": lambda k: sexes.get(k, _("Not stated")),
        "organisation_kind": lambda k: kinds.get(k, _("No organisation")),
        "course": lambda k: courses.get(k, _("Course removed")),
    }
    for name, label in labels.items():
        merged: dict = {}
        for row in breakdowns[name]:
            text = str(label(row["key"]))
            if text in merged:
                # "" and None both mean "not stated": one row.
                _merge(merged[text], row)
            else:
                row["label"] = text
                merged[text] = row
        breakdowns[name] = list(merged.values())


def _merge(into: dict, row: dict) -> None:
    for name in ("learners", "completed", "certificates"):
        into[name] += row[name]


def period_of(project: Project, today: date | None = None) -> tuple[date, date]:
    """The default period: the project's dates, up to today."""
    today = today or timezone.localdate()
    end = project.end_date or today
    return project.start_date, min(end, max(today, project.start_date))


def spreadsheet_sheets(report: ProjectReport):
    """The report as (sheet title, rows) pairs: a summary, then one sheet
    per table."""
    project = report.project

    def cell(value):
        if isinstance(value, suppression.Suppressed | suppression.Hidden):
            return str(value)
        return value

    summary = [
        [str(_("Project")), project.code],
        [str(_("Name")), project.name],
        [str(_("Donor")), project.donor],
        [
            str(_("Countries")),
            ", ".join(c.localized_name for c in project.countries.all()),
        ],
        [str(_("Period from")), report.date_from],
        [str(_("Period to")), report.date_to],
        [str(_("Figures as of")), report.refreshed_at],
        [
            str(_("Small numbers")),
            str(
                _("Counts below %(limit)s are shown as “< %(limit)s”.")
                % {"limit": suppression.threshold()}
                if report.suppressed
                else _("Exact numbers: small numbers are not hidden.")
            ),
        ],
        [],
    ]
    for key, label in report.headline_labels.items():
        summary.append([str(label), cell(report.headline.get(key))])
    yield str(_("Summary")), summary
    for table in report.tables:
        rows = [[table.heading] + [label for _k, label in table.columns]]
        for row in table.rows:
            rows.append(
                [row["label"]] + [cell(row.get(key)) for key, _l in table.columns]
            )
        yield table.title, rows
