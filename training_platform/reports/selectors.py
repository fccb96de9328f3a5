"""Reads of the reports app: the dashboard's figures, the learners behind a
figure and a learner's record. Every read is limited to the viewer's
countries with ``scope_by_country`` (aggregates) and ``learners_visible_to``
(people), the platform's one scoping rule."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from uuid import UUID

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentKind, AssessmentResult, Attempt
from certificates.models import Certificate
from courses.models import (
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    ItemProgress,
    ProgressStatus,
    Project,
)
from training_platform.accounts.models import (
    Country,
    Organisation,
    OrganisationType,
    Sex,
)
from training_platform.accounts.selectors import (
    learners_visible_to,
    scope_by_country,
)

from . import metrics
from .models import (
    CourseRollup,
    EnrolmentFact,
    LearnerRollup,
    MonthRollup,
    ReportRefresh,
)


@dataclass
class ReportFilters:
    country: Country | None = None
    sub_region: str = ""
    course_key: UUID | None = None
    organisation_kind: str = ""
    organisation: int | None = None  # an organisation's id
    sex: str = ""
    date_from: date | None = None
    date_to: date | None = None
    status: str = ""
    project: Project | None = None

    @property
    def rollup_ready(self) -> bool:
        """The rollups are keyed by country, course, organisation and sex;
        the period and the status need the enrolments themselves, and so do
        a project's learners (counted once across its courses)."""
        return not (self.date_from or self.date_to or self.status or self.project)

    @property
    def project_course_keys(self) -> list:
        if self.project is None:
            return []
        if not hasattr(self, "_project_keys"):
            self._project_keys = project_course_keys([self.project.pk]).get(
                self.project.pk, []
            )
        return self._project_keys

    @property
    def by_person(self) -> bool:
        """Filtered by something the month rollup is not keyed by."""
        return bool(self.organisation_kind or self.organisation or self.sex)

    def apply(self, queryset, *, level: str):
        """Filter report rows: ``level`` says which fields they have —
        "months" (country and course), "rollup" (also organisation and sex),
        "facts" (also dates and status)."""
        q = Q()
        if self.country:
            q &= Q(country=self.country)
        if self.sub_region:
            q &= Q(sub_region=self.sub_region)
        if self.course_key:
            q &= Q(course_key=self.course_key)
        if self.project is not None:
            q &= Q(course_key__in=self.project_course_keys)
        if level in ("rollup", "facts"):
            if self.organisation_kind:
                q &= Q(organisation_kind=self.organisation_kind)
            if self.organisation:
                q &= Q(organisation_id=self.organisation)
            if self.sex:
                q &= Q(sex=self.sex)
        if level == "facts":
            if self.date_from:
                q &= Q(enrolled_at__gte=_start_of(self.date_from))
            if self.date_to:
                q &= Q(enrolled_at__lt=_start_of(self.date_to, days=1))
            if self.status:
                q &= Q(status=self.status)
        return queryset.filter(q)


def _start_of(day: date, days: int = 0) -> datetime:
    moment = datetime.combine(day, time.min) + timezone.timedelta(days=days)
    return timezone.make_aware(moment)


# The breakdowns: name, heading, the field grouped by.
BREAKDOWNS = (
    ("country", _("By country"), "country"),
    ("organisation_kind", _("By type of organisation"), "organisation_kind"),
    ("organisation", _("By organisation"), "organisation"),
    ("course", _("By course"), "course_key"),
    ("sex", _("By sex"), "sex"),
)
# The tables of the dashboard and the exports: the breakdowns, and the one by
# project summed from the one by course.
SECTIONS = (*BREAKDOWNS, ("project", _("By project"), "project"))


@dataclass
class Report:
    headline: dict
    breakdowns: dict = field(default_factory=dict)
    months: list = field(default_factory=list)
    source: str = "rollup"
    refreshed_at: datetime | None = None
    # Sums a reader can check beyond "each breakdown adds up to the headline":
    # (table, row index) of a total and of its parts, for small-cell
    # suppression (a project's row is the sum of its courses' rows).
    relations: list = field(default_factory=list)


def project_course_keys(project_ids=None) -> dict:
    """The translation keys of each project's courses: a course belongs to a
    project when any of its language versions names the project."""
    through = CoursePage.projects.through.objects.order_by()
    if project_ids is not None:
        through = through.filter(project_id__in=list(project_ids))
    keys: dict = {}
    for project_id, key in through.values_list(
        "project_id", "coursepage__translation_key"
    ).distinct():
        keys.setdefault(project_id, []).append(key)
    return keys


def last_refresh() -> ReportRefresh | None:
    return ReportRefresh.objects.filter(finished_at__isnull=False).first()


def report_for(viewer, filters: ReportFilters) -> Report:
    """All figures of the dashboard for ``viewer`` and ``filters``, in a
    fixed number of queries whatever the size of the data."""
    refresh = last_refresh()
    if filters.rollup_ready:
        report = _from_rollups(viewer, filters)
    else:
        report = _from_facts(viewer, filters)
    report.refreshed_at = refresh.finished_at if refresh else None
    _label(report)
    _by_project(report)
    return report


def _by_project(report: Report):
    """The breakdown by project, summed from the breakdown by course (one
    query for which courses belong to which project). A course may belong to
    several projects, so these rows need not add up to the headline; a
    learner in two courses of a project is one learner in the project, which
    the course rows cannot tell, so the rows give enrolments, not learners
    (filter the dashboard by the project for its learners)."""
    courses = report.breakdowns["course"]
    position = {row["key"]: index for index, row in enumerate(courses)}
    keys = project_course_keys()
    projects = Project.objects.filter(pk__in=list(keys)).order_by("code")
    rows = []
    for project in projects:
        parts = [position[k] for k in keys[project.pk] if k in position]
        if not parts:
            continue
        row = dict.fromkeys(metrics.COUNTS, 0)
        for index in parts:
            for name in metrics.COUNTS:
                row[name] += courses[index].get(name) or 0
        row = metrics.finish(row)
        row.update(
            key=project.pk,
            label=f"{project.code} – {project.name}",
            param=project.code,
            learners=None,
            donor=project.donor,
        )
        rows.append((row, parts))
    rows.sort(key=lambda item: (-item[0]["enrolments"], item[0]["label"]))
    report.breakdowns["project"] = [row for row, _parts in rows]
    report.relations = [
        (("project", index), [("course", part) for part in parts])
        for index, (_row, parts) in enumerate(rows)
    ]


def _from_facts(viewer, filters) -> Report:
    facts = _facts(viewer, filters)
    aggregates = metrics.fact_metrics()
    report = Report(
        headline=metrics.finish(facts.aggregate(**aggregates)), source="facts"
    )
    for name, _heading, dimension in BREAKDOWNS:
        report.breakdowns[name] = [
            metrics.finish({"key": row.pop(dimension), **row})
            for row in facts.values(dimension).annotate(**aggregates)
        ]
    report.months = _months_from_facts(facts)
    return report


def _facts(viewer, filters):
    return filters.apply(
        scope_by_country(
            viewer, EnrolmentFact.objects.order_by(), course_path="course_key"
        ),
        level="facts",
    )


def _months_from_facts(facts) -> list[dict]:
    enrolled = dict(
        facts.exclude(status=EnrolmentStatus.PENDING)
        .values_list("enrolled_month")
        .annotate(n=Count("pk"))
    )
    completed = dict(
        facts.filter(completed_month__isnull=False)
        .values_list("completed_month")
        .annotate(n=Count("pk"))
    )
    return _month_rows(enrolled, completed)


def _grouped(queryset, dimensions, sums) -> dict:
    """Sums of ``sums`` over ``queryset``, in total (key None) and grouped
    by each of ``dimensions``: ``{None: [row], dimension: [rows]}``. On
    PostgreSQL one query with GROUPING SETS reads the rows once; elsewhere
    one query per grouping."""
    if connection.vendor != "postgresql":
        total = queryset.aggregate(**{name: Sum(name) for name in sums})
        grouped = {None: [total]}
        for dimension in dimensions:
            grouped[dimension] = [
                {"key": row.pop(dimension), **row}
                for row in queryset.values(dimension).annotate(
                    **{name: Sum(name) for name in sums}
                )
            ]
        return grouped
    model = queryset.model
    columns = [model._meta.get_field(d).column for d in dimensions]
    quote = connection.ops.quote_name
    compiler = queryset.query.get_compiler(connection=connection)
    try:
        where, params = compiler.compile(queryset.query.where)
    except FullResultSet:
        where, params = "", []
    except EmptyResultSet:  # a viewer who may see nothing
        return {None: [dict.fromkeys(sums)], **{d: [] for d in dimensions}}
    sql = "SELECT {flags}, {keys}, {totals} FROM {table} WHERE {where} "
    sql += "GROUP BY GROUPING SETS ((), {sets})"
    sql = sql.format(
        flags=", ".join(f"GROUPING({quote(c)})" for c in columns),
        keys=", ".join(quote(c) for c in columns),
        totals=", ".join(f"SUM({quote(n)})" for n in sums),
        table=quote(model._meta.db_table),
        where=where or "TRUE",
        sets=", ".join(f"({quote(c)})" for c in columns),
    )
    grouped = {None: [], **{d: [] for d in dimensions}}
    width = len(columns)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for record in cursor.fetchall():
            flags, keys = record[:width], record[width : 2 * width]
            row = dict(zip(sums, record[2 * width :], strict=True))
            if all(flags):
                grouped[None].append(row)
                continue
            index = flags.index(0)
            grouped[dimensions[index]].append({"key": keys[index], **row})
    if not grouped[None]:
        grouped[None].append(dict.fromkeys(sums))
    return grouped


def _from_rollups(viewer, filters) -> Report:
    """One query for the headline and all breakdowns (PostgreSQL), one for
    the learners, one for the months."""
    rollup = filters.apply(
        scope_by_country(
            viewer, CourseRollup.objects.order_by(), course_path="course_key"
        ),
        level="rollup",
    )
    dimensions = [dimension for _n, _h, dimension in BREAKDOWNS]
    sums = _grouped(rollup, dimensions, metrics.COUNTS)
    headline = metrics.finish(sums[None][0])
    learners = None
    if filters.course_key is None:
        # Without a course filter, learners are counted once however many
        # courses they are in; within one course, a learner has at most one
        # enrolment, so learners are the enrolments.
        people = filters.apply(
            scope_by_country(viewer, LearnerRollup.objects.order_by()), level="rollup"
        )
        learners = _grouped(
            people, [d for d in dimensions if d != "course_key"], ["learners"]
        )
        headline["learners"] = learners[None][0]["learners"] or 0
    else:
        headline["learners"] = headline["enrolments"]
    report = Report(headline=headline, source="rollup")
    for name, _heading, dimension in BREAKDOWNS:
        rows = [metrics.finish(row) for row in sums[dimension]]
        if learners is not None and dimension != "course_key":
            by_key = {row["key"]: row["learners"] for row in learners[dimension]}
            for row in rows:
                row["learners"] = by_key.get(row["key"], 0)
        else:
            for row in rows:
                row["learners"] = row["enrolments"]
        report.breakdowns[name] = rows
    if filters.by_person:
        # By organisation or sex: the month rollup is not keyed by them, and
        # the facts so filtered are few.
        report.months = _months_from_facts(_facts(viewer, filters))
        return report
    months = filters.apply(
        scope_by_country(
            viewer, MonthRollup.objects.order_by(), course_path="course_key"
        ),
        level="months",
    )
    enrolled, completed = {}, {}
    for month, e, c in months.values_list("month").annotate(
        e=Sum("enrolments"), c=Sum("completions")
    ):
        if e:
            enrolled[month] = e
        if c:
            completed[month] = c
    report.months = _month_rows(enrolled, completed)
    return report


def _month_rows(enrolled: dict, completed: dict) -> list[dict]:
    months = sorted(set(enrolled) | set(completed))
    if not months:
        return []
    rows = []
    month = months[0]
    while month <= months[-1]:
        rows.append(
            {
                "key": month,
                "enrolments": enrolled.get(month, 0),
                "completed": completed.get(month, 0),
            }
        )
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return rows


def course_titles(keys) -> dict:
    """Course titles by translation key, in the active language where the
    course is translated."""
    language = translation.get_language() or "en"
    titles: dict = {}
    pages = CoursePage.objects.filter(translation_key__in=list(keys)).values_list(
        "translation_key", "title", "locale__language_code"
    )
    for key, title, code in pages:
        if key not in titles or code == language:
            titles[key] = title
    return titles


def _label(report: Report):
    rows = report.breakdowns
    countries = {
        c.pk: c
        for c in Country.objects.filter(pk__in=[r["key"] for r in rows["country"]])
    }
    organisations = dict(
        Organisation.objects.filter(
            pk__in=[r["key"] for r in rows["organisation"]]
        ).values_list("pk", "name")
    )
    courses = course_titles(r["key"] for r in rows["course"])
    kinds = dict(OrganisationType.choices)
    sexes = dict(Sex.choices)
    labels = {
        "country": lambda k: (
            countries[k].localized_name if k in countries else _("Country not stated")
        ),
        "organisation": lambda k: organisations.get(k, _("No organisation")),
        "organisation_kind": lambda k: kinds.get(k, _("No organisation")),
        "course": lambda k: courses.get(k, _("Course removed")),
        "sex": lambda k: sexes.get(k, _("Not stated")),
    }
    # The value of the filter that selects a row (none for "not stated").
    params = {
        "country": lambda k: countries[k].code if k in countries else "",
        "course": lambda k: str(k) if k in courses else "",
    }
    for name, label in labels.items():
        param = params.get(name, lambda k: "" if k is None else str(k))
        for row in rows[name]:
            row["label"] = str(label(row["key"]))
            row["param"] = param(row["key"])
        rows[name].sort(key=lambda r: (-r["enrolments"], r["label"]))


# ---------------------------------------------------------------- drill-down

# What a figure counts, as a filter on the facts behind it.
METRICS = {
    "enrolments": ~Q(status=EnrolmentStatus.PENDING),
    "learners": ~Q(status=EnrolmentStatus.PENDING),
    "pending": Q(status=EnrolmentStatus.PENDING),
    "active": Q(status=EnrolmentStatus.ACTIVE),
    "completed": Q(status=EnrolmentStatus.COMPLETED),
    "withdrawn": Q(status=EnrolmentStatus.WITHDRAWN),
    "scored": Q(final_score__isnull=False),
    "passed": Q(final_passed=True),
    "failed": Q(final_passed=False),
    "pairs": Q(pre_score__isnull=False, post_score__isnull=False),
    "certificates": Q(certificates_valid__gt=0)
    | Q(certificates_expired__gt=0)
    | Q(certificates_revoked__gt=0),
    "certificates_valid": Q(certificates_valid__gt=0),
    "certificates_expired": Q(certificates_expired__gt=0),
    "certificates_revoked": Q(certificates_revoked__gt=0),
}


METRIC_LABELS = {
    "enrolments": _("Enrolments"),
    "learners": _("Enrolments"),
    "pending": _("Waiting for approval"),
    "active": _("In progress"),
    "completed": _("Completed"),
    "withdrawn": _("Withdrawn"),
    "scored": _("With a final exam score"),
    "passed": _("Passed the final exam"),
    "failed": _("Did not pass the final exam"),
    "pairs": _("Took the pre-test and the post-test"),
    "certificates": _("Certificates issued"),
    "certificates_valid": _("Valid certificates"),
    "certificates_expired": _("Expired certificates"),
    "certificates_revoked": _("Revoked certificates"),
}


def facts_behind(
    viewer,
    filters: ReportFilters,
    *,
    metric: str = "",
    enrolled_month: date | None = None,
    completed_month: date | None = None,
):
    """The enrolments behind a figure, each with its learner: the same rows
    the figure was counted from, and only learners the viewer may see now."""
    facts = filters.apply(
        scope_by_country(viewer, EnrolmentFact.objects, course_path="course_key"),
        level="facts",
    )
    # As a list of ids rather than a join through the learner's country: the
    # planner then filters the facts instead of walking every learner.
    facts = facts.filter(user__in=learners_visible_to(viewer).values("pk"))
    if metric in METRICS:
        facts = facts.filter(METRICS[metric])
    if enrolled_month:
        facts = facts.filter(enrolled_month=enrolled_month).filter(
            METRICS["enrolments"]
        )
    if completed_month:
        facts = facts.filter(completed_month=completed_month)
    return facts.select_related("user", "country", "organisation").order_by(
        "user__full_name", "user_id", "enrolled_at"
    )


@dataclass
class LearnerRecord:
    learner: object
    enrolments: list
    attempts: list
    certificates: list


def learner_record(viewer, learner_id) -> LearnerRecord | None:
    """A learner's enrolments (with items done and the final-exam grade as
    the dashboard counts it, whether or not the course is completed), recent
    attempts and certificates; None for a learner the viewer may not see or
    who does not exist, alike."""
    learner = (
        learners_visible_to(viewer)
        .select_related("country", "organisation")
        .filter(pk=learner_id)
        .first()
    )
    if learner is None:
        return None
    enrolments = list(Enrolment.objects.filter(user=learner).order_by("-enrolled_at"))
    titles = course_titles({e.course_key for e in enrolments})
    items = {
        row["enrolment_id"]: row
        for row in ItemProgress.objects.filter(user=learner)
        .values("enrolment_id")
        .annotate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(status=ProgressStatus.COMPLETED)),
        )
    }
    finals = dict(
        AssessmentResult.objects.filter(
            user=learner, kind=AssessmentKind.FINAL, course_key__isnull=False
        )
        .values_list("course_key")
        .annotate(score=Avg("percent"))
    )
    for enrolment in enrolments:
        enrolment.final_score = finals.get(enrolment.course_key)
        enrolment.title = titles.get(enrolment.course_key, _("Course removed"))
        enrolment.items = items.get(enrolment.pk, {"completed": 0, "total": 0})
    return LearnerRecord(
        learner=learner,
        enrolments=enrolments,
        attempts=list(
            Attempt.objects.filter(user=learner)
            .select_related("page")
            .order_by("-started_at")[:200]
        ),
        certificates=list(
            Certificate.objects.filter(user=learner).order_by(
                "-issued_at", "-created_at"
            )
        ),
    )
