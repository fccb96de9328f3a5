"""The trainers' workbench on the Wagtail dashboard: "My courses" (the
courses a person owns or co-edits, with their figures), "Needs attention"
and "Recent results". Every figure is of the person's own courses
(``courses.permissions.course_keys_editable_by``); each panel reads a
constant number of queries however many courses and learners there are."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Avg, Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import Attempt
from certificates.models import Certificate, CertificateStatus
from courses.models import (
    ActivityProgress,
    CourseCompletion,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    ItemProgress,
    LessonPage,
)
from courses.permissions import course_keys_editable_by, course_paths_editable_by
from training_platform.accounts.selectors import scope_to_visible_learners


@dataclass
class CourseRow:
    page: CoursePage
    languages: list = field(default_factory=list)
    enrolled: int = 0
    in_progress: int = 0
    completed: int = 0
    pending: int = 0
    certificates: int = 0
    average_score: float | None = None
    changed_at: object = None


def _pages_by_key(keys, language):
    """One course page per key: in ``language`` when it has one, else the
    first made; with the languages it exists in and its last change."""
    chosen: dict = {}
    languages: dict = {}
    changed: dict = {}
    for page in (
        CoursePage.objects.filter(translation_key__in=keys, alias_of__isnull=True)
        .select_related("locale")
        .order_by("pk")
    ):
        key = page.translation_key
        languages.setdefault(key, []).append(page.locale.language_code)
        moment = page.latest_revision_created_at or page.last_published_at
        if moment and (changed.get(key) is None or moment > changed[key]):
            changed[key] = moment
        if key not in chosen or page.locale.language_code == language:
            chosen[key] = page
    return chosen, languages, changed


def my_courses(user) -> list[CourseRow]:
    """The courses ``user`` owns or co-edits, most recently changed first,
    with learners enrolled (not withdrawn), in progress, completed, waiting
    for approval, certificates issued and the average final score."""
    keys = course_keys_editable_by(user)
    if not keys:
        return []
    pages, languages, changed = _pages_by_key(keys, translation.get_language())
    rows = {
        key: CourseRow(page=page, languages=languages[key], changed_at=changed.get(key))
        for key, page in pages.items()
    }
    for key, status, count in (
        Enrolment.objects.filter(course_key__in=rows)
        .order_by()
        .values_list("course_key", "status")
        .annotate(count=Count("pk"))
    ):
        row = rows[key]
        if status == EnrolmentStatus.WITHDRAWN:
            continue
        row.enrolled += count
        if status == EnrolmentStatus.ACTIVE:
            row.in_progress += count
        elif status == EnrolmentStatus.COMPLETED:
            row.completed += count
        elif status == EnrolmentStatus.PENDING:
            row.pending += count
    for key, count in (
        Certificate.objects.filter(course_key__in=rows, status=CertificateStatus.ISSUED)
        .order_by()
        .values_list("course_key")
        .annotate(count=Count("pk"))
    ):
        rows[key].certificates = count
    for key, average in (
        CourseCompletion.objects.filter(enrolment__course_key__in=rows)
        .order_by()
        .values_list("enrolment__course_key")
        .annotate(average=Avg("final_score"))
    ):
        rows[key].average_score = float(average) if average is not None else None
    epoch = timezone.now() - timedelta(days=365 * 100)
    return sorted(rows.values(), key=lambda row: row.changed_at or epoch, reverse=True)


# ---------------------------------------------------------------- results

RESULT_VIEWS = ("enrolments", "progress", "attempts", "activities")


def _learner_cells(user):
    return [
        user.full_name or user.email,
        user.email,
        user.country.localized_name if user.country_id else "",
        user.organisation.name if user.organisation_id else "",
    ]


def _learner_headers():
    return [_("Learner"), _("E-mail"), _("Country"), _("Organisation")]


def course_enrolments(viewer, course, *, status=None, country=None, search=""):
    """The enrolments of ``course`` that ``viewer`` may see, filtered."""
    enrolments = scope_to_visible_learners(
        viewer,
        Enrolment.objects.filter(course_key=course.translation_key),
        course_path="course_key",
    )
    if status:
        enrolments = enrolments.filter(status=status)
    if country:
        enrolments = enrolments.filter(user__country=country)
    if search:
        enrolments = enrolments.filter(
            Q(user__full_name__icontains=search) | Q(user__email__icontains=search)
        )
    return enrolments.select_related(
        "user", "user__country", "user__organisation", "completion"
    ).order_by("user__full_name", "user__email", "round_number")


def _pct(value):
    return round(float(value), 1) if value is not None else None


def results_table(view, course, enrolments):
    """``(headers, rows)`` of one results view over ``enrolments`` (a list
    or queryset of one course's enrolments): the same cells on the page and
    in the CSV and XLSX files."""
    enrolments = list(enrolments)
    ids = [e.pk for e in enrolments]
    headers = _learner_headers()
    rows = []
    if view == "progress":
        items = course.get_course_items()
        headers += [item.title for item in items]
        cells: dict = {}
        for enrolment_id, item_key, status, score in ItemProgress.objects.filter(
            enrolment_id__in=ids
        ).values_list("enrolment_id", "item_key", "status", "score"):
            text = _("done") if status == "completed" else _("started")
            if score is not None:
                text += f" {_pct(score):g} %"
            cells[(enrolment_id, item_key)] = text
        for e in enrolments:
            rows.append(
                _learner_cells(e.user)
                + [cells.get((e.pk, item.translation_key), "") for item in items]
            )
    elif view == "attempts":
        headers += [
            _("Assessment"),
            _("Attempt"),
            _("State"),
            _("Finished"),
            _("Score (%)"),
            _("Passed"),
        ]
        users = {e.user_id: e.user for e in enrolments}
        for attempt in (
            Attempt.objects.filter(course_key=course.translation_key, user_id__in=users)
            .select_related("page")
            .order_by("user_id", "page__path", "number")
        ):
            rows.append(
                _learner_cells(users[attempt.user_id])
                + [
                    attempt.page.title,
                    attempt.number,
                    attempt.get_state_display(),
                    attempt.finished_at,
                    _pct(attempt.percent),
                    _yes_no(attempt.passed),
                ]
            )
    elif view == "activities":
        headers += [
            _("Lesson"),
            _("Activity"),
            _("Completed"),
            _("Passed"),
            _("Score (%)"),
            _("Updated"),
        ]
        users = {e.user_id: e.user for e in enrolments}
        progress = list(
            ActivityProgress.objects.filter(enrolment_id__in=ids).order_by(
                "user_id", "item_key", "activity_key"
            )
        )
        lessons = dict(
            LessonPage.objects.filter(
                translation_key__in={p.item_key for p in progress},
                locale=course.locale_id,
            ).values_list("translation_key", "title")
        )
        for p in progress:
            rows.append(
                _learner_cells(users[p.user_id])
                + [
                    lessons.get(p.item_key, ""),
                    p.activity_key,
                    _yes_no(p.completed),
                    _yes_no(p.passed),
                    _pct(p.score_scaled * 100) if p.score_scaled is not None else None,
                    p.updated_at,
                ]
            )
    else:
        headers += [
            _("Status"),
            _("Enrolled"),
            _("Last opened"),
            _("Progress (%)"),
            _("Final score (%)"),
            _("Certificate"),
        ]
        certificates = dict(
            Certificate.objects.filter(
                enrolment_id__in=ids, status=CertificateStatus.ISSUED
            ).values_list("enrolment_id", "code")
        )
        for e in enrolments:
            completion = getattr(e, "completion", None)
            rows.append(
                _learner_cells(e.user)
                + [
                    e.get_status_display(),
                    e.enrolled_at,
                    e.last_accessed_at,
                    e.progress_percent,
                    _pct(completion.final_score) if completion else None,
                    certificates.get(e.pk, ""),
                ]
            )
    return headers, rows


def _yes_no(value):
    if value is None:
        return ""
    return _("yes") if value else _("no")


# ---------------------------------------------------------------- attention

STUCK_AFTER_DAYS = 14
# Question statistics say little below this many finished attempts.
MIN_ATTEMPTS = 5
TOO_EASY = 95  # facility index, %
TOO_HARD = 20
LISTED = 8


@dataclass
class Attention:
    stuck: list = field(default_factory=list)
    stuck_total: int = 0
    questions: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    sessions: list = field(default_factory=list)

    @property
    def empty(self):
        return not (self.stuck or self.questions or self.activities or self.sessions)


def _in_courses(paths, lookup):
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{lookup}__startswith": path})
    return condition


def _titles(model, keys, language):
    """Titles of pages by translation key, in ``language`` where there is one."""
    titles: dict = {}
    for key, code, title in (
        model.objects.filter(translation_key__in=keys)
        .order_by("pk")
        .values_list("translation_key", "locale__language_code", "title")
    ):
        if key not in titles or code == language:
            titles[key] = title
    return titles


def needs_attention(user, *, now=None) -> Attention:
    """What in the courses ``user`` owns or co-edits wants a look: learners
    with no activity for 14 days, questions whose statistics look wrong (too
    easy, too hard, negative discrimination; from 5 finished attempts),
    H5P activities that learners fail, and sessions past whose register is
    empty although people registered. A constant number of queries."""
    from assessments.models import AssessmentPage
    from assessments.selectors import question_statistics
    from courses.h5p.models import H5PResult
    from workshops.models import RegistrationStatus, SessionDate

    now = now or timezone.now()
    keys = course_keys_editable_by(user)
    attention = Attention()
    if not keys:
        return attention
    language = translation.get_language()
    courses = _titles(CoursePage, keys, language)
    cutoff = now - timedelta(days=STUCK_AFTER_DAYS)
    stuck = scope_to_visible_learners(
        user,
        Enrolment.objects.filter(
            course_key__in=keys, status=EnrolmentStatus.ACTIVE
        ).filter(
            Q(last_accessed_at__lt=cutoff)
            | Q(last_accessed_at__isnull=True, enrolled_at__lt=cutoff)
        ),
        course_path="course_key",
    )
    attention.stuck_total = stuck.count()
    for enrolment in stuck.select_related("user").order_by("last_accessed_at")[:LISTED]:
        enrolment.course_title = courses.get(enrolment.course_key, "")
        enrolment.idle_since = enrolment.last_accessed_at or enrolment.enrolled_at
        attention.stuck.append(enrolment)

    flagged = []
    for row in question_statistics(viewer=user, course_keys=keys):
        if row["attempts"] < MIN_ATTEMPTS:
            continue
        reasons = []
        if row["facility"] is not None and row["facility"] >= TOO_EASY:
            reasons.append(_("too easy"))
        if row["facility"] is not None and row["facility"] <= TOO_HARD:
            reasons.append(_("too hard"))
        if row["discrimination"] is not None and row["discrimination"] < 0:
            reasons.append(_("negative discrimination"))
        if reasons:
            row["reasons"] = reasons
            flagged.append(row)
    assessments = dict(
        AssessmentPage.objects.filter(
            translation_key__in={row["assessment_key"] for row in flagged}
        )
        .order_by("pk")
        .values_list("translation_key", "pk")
    )
    # The most troubling first: more reasons, then more attempts behind them.
    flagged.sort(key=lambda row: (-len(row["reasons"]), -row["attempts"]))
    for row in flagged:
        row["assessment_pk"] = assessments.get(row["assessment_key"])
    attention.questions = flagged[:LISTED]

    paths = course_paths_editable_by(user)
    attention.activities = list(
        H5PResult.objects.filter(_in_courses(paths, "lesson__path"))
        .values("lesson_id", "lesson__title", "content__title")
        .annotate(
            failed=Count("pk", filter=Q(passed=False)),
            results=Count("pk"),
        )
        .filter(failed__gt=0)
        .order_by("-failed")[:LISTED]
    )
    attention.sessions = list(
        SessionDate.objects.filter(_in_courses(paths, "page__path"), ends_at__lt=now)
        .annotate(
            registered=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.REGISTERED),
                distinct=True,
            ),
            marked=Count("attendance", distinct=True),
        )
        .filter(registered__gt=0, marked=0)
        .select_related("page")
        .order_by("-starts_at")[:LISTED]
    )
    return attention


def recent_results(user, *, limit=10) -> list[dict]:
    """The latest finished attempts and H5P results in the courses ``user``
    owns or co-edits, newest first (two queries and the titles)."""
    from courses.h5p.models import H5PResult

    keys = course_keys_editable_by(user)
    if not keys:
        return []
    attempts = [
        {
            "when": attempt.finished_at,
            "learner": attempt.user,
            "what": attempt.page.title,
            "score": _pct(attempt.percent),
            "passed": attempt.passed,
            "kind": "attempt",
            "pk": attempt.pk,
        }
        for attempt in scope_to_visible_learners(
            user,
            Attempt.objects.filter(course_key__in=keys, finished_at__isnull=False),
            course_path="course_key",
        )
        .select_related("user", "page")
        .order_by("-finished_at")[:limit]
    ]
    paths = course_paths_editable_by(user)
    results = [
        {
            "when": result.completed_at or result.updated_at,
            "learner": result.user,
            "what": result.content.title,
            "score": _pct(result.score_scaled * 100)
            if result.score_scaled is not None
            else None,
            "passed": result.passed,
            "kind": "h5p",
            "pk": result.pk,
        }
        for result in scope_to_visible_learners(
            user, H5PResult.objects.filter(_in_courses(paths, "lesson__path"))
        )
        .select_related("user", "content")
        .order_by("-updated_at")[:limit]
    ]
    return sorted(attempts + results, key=lambda r: r["when"], reverse=True)[:limit]
