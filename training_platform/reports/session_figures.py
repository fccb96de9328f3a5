"""The project report's sessions (workshops and webinars), when the workshops
app is installed: registered in ``ReportsConfig.ready`` through
``project_report.register_project_source``, so the report works without it.

A session belongs to a project when it sits in one of the project's courses
(in any language) or names the project itself. For each session with dates in
the period: the learners registered for those dates, those who attended
(present or late) and the attendance rate, attended learner-dates of
registered learner-dates (a walk-in counts as registered for the date).
Learners are limited to those the viewer may see."""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from training_platform.accounts.selectors import scope_to_visible_learners

from .project_report import ProjectSection, ProjectTable
from .selectors import project_course_keys

COLUMNS = (
    ("enrolments", _("Registered")),
    ("learners", _("Attended")),
    ("attendance_rate", _("Attendance rate (%)")),
)


def _rate(part, whole):
    from decimal import ROUND_HALF_UP, Decimal

    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def project_sessions(viewer, project, date_from, date_to):
    from courses.models import CoursePage
    from workshops.models import (
        ATTENDED,
        Attendance,
        Registration,
        RegistrationStatus,
        SessionDate,
        SessionPage,
    )

    start = timezone.make_aware(datetime.combine(date_from, time.min))
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min))
    keys = project_course_keys([project.pk]).get(project.pk, [])
    in_project = Q(pk__in=[])
    for course in CoursePage.objects.filter(translation_key__in=keys).only(
        "path", "depth"
    ):
        in_project |= Q(path__startswith=course.path, depth__gt=course.depth)
    if any(f.name == "project" for f in SessionPage._meta.get_fields()):
        in_project |= Q(project=project)
    sessions = SessionPage.objects.filter(in_project)
    dates = SessionDate.objects.filter(
        page__in=sessions, starts_at__gte=start, starts_at__lt=end
    )
    registered = set(
        scope_to_visible_learners(
            viewer,
            Registration.objects.filter(
                date__in=dates, status=RegistrationStatus.REGISTERED
            ),
        ).values_list("session_id", "date_id", "user_id")
    )
    attended = set(
        scope_to_visible_learners(
            viewer, Attendance.objects.filter(date__in=dates, status__in=ATTENDED)
        ).values_list("date__page_id", "date_id", "user_id")
    )
    expected = registered | attended
    titles = dict(
        SessionPage.objects.filter(
            pk__in={session for session, _d, _u in expected}
        ).values_list("pk", "title")
    )
    rows = []
    for session_id, title in sorted(titles.items(), key=lambda item: item[1]):
        session_expected = {e for e in expected if e[0] == session_id}
        session_attended = {a for a in attended if a[0] == session_id}
        rows.append(
            {
                "key": session_id,
                "label": title,
                "enrolments": len({user for _s, _d, user in session_expected}),
                "learners": len({user for _s, _d, user in session_attended}),
                "attendance_rate": _rate(len(session_attended), len(session_expected)),
            }
        )
    return ProjectSection(
        headline={
            "session_participants": len({user for _s, _d, user in attended}),
            "attendance_rate": _rate(len(attended), len(expected)),
        },
        headline_labels={
            "session_participants": _("Took part in a session"),
            "attendance_rate": _("Attendance rate in sessions (%)"),
        },
        tables=[
            ProjectTable(
                name="session",
                title=str(_("By session")),
                heading=str(_("Session")),
                columns=[(key, str(label)) for key, label in COLUMNS],
                rows=rows,
            )
        ],
    )
