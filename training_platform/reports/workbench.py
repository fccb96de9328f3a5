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
from courses.permissions import course_keys_editable_by
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
