"""Demo figures for ``seed_demo``: a cohort of learners in several countries
(most in the demo coordinator's Serbia and Albania) working through the demo
course, some finished with pre-test, post-test and final exam results, then
the report tables built so that the coordinator dashboard has something to
show. Runs last (reports is the last app), after the other demos."""

import random
from datetime import timedelta
from decimal import Decimal

from django.test.utils import override_settings
from django.utils import timezone

COHORT = 40
COUNTRIES = ["RS"] * 14 + ["AL"] * 12 + ["MD"] * 5 + ["GE"] * 5 + ["UA"] * 4
SEXES = ["female"] * 11 + ["male"] * 8 + ["undisclosed"]
FIRST = ["Ana", "Milica", "Elira", "Besa", "Ion", "Nino", "Olena", "Dragan", "Arben"]
LAST = ["Jovanović", "Hoxha", "Rusu", "Beridze", "Shevchenko", "Kola", "Popa"]


def _results(user, course, pages, rng, completed):
    from assessments.models import AssessmentResult

    pre = Decimal(rng.randint(20, 65))
    scores = {"pretest": pre}
    if completed:
        scores["posttest"] = min(Decimal(100), pre + rng.randint(10, 45))
        scores["final"] = Decimal(rng.randint(55, 100))
    for kind, percent in scores.items():
        page = pages.get(kind)
        if page is None:
            continue
        AssessmentResult.objects.update_or_create(
            user=user,
            assessment_key=page.translation_key,
            defaults={
                "course_key": course.translation_key,
                "page": page,
                "kind": kind,
                "percent": percent,
                "passed": None if kind == "pretest" else percent >= 70,
                "attempts_finished": 1,
            },
        )


# The demo courses that the demo project funds (the blended course when the
# workshops app seeds one).
PROJECT_COURSES = ("demo_course", "blended_course")


def seed(context):
    course = context.objects.get("demo_course")
    # The cohort is made up: the e-mails its completions send go nowhere.
    locmem = "django.core.mail.backends.locmem.EmailBackend"
    if course is not None:
        with override_settings(EMAIL_BACKEND=locmem):
            _cohort(course)
    context.objects["demo_project"] = _project(context)


def _project(context):
    """A project with a donor, funding the demo course(s), so that the
    project report shows real figures."""
    from courses.models import CoursePage, Project
    from training_platform.accounts.models import Country

    today = timezone.localdate()
    project, _created = Project.objects.update_or_create(
        code="DEMO-WB-2026",
        defaults={
            "name": "Protection of migrants in the Western Balkans",
            "donor": "European Union",
            "start_date": today.replace(month=1, day=1) - timedelta(days=365),
            "end_date": today.replace(month=12, day=31) + timedelta(days=365),
        },
    )
    project.countries.set(
        Country.objects.filter(code__in=["AL", "BA", "ME", "MK", "RS", "XK"])
    )
    links = CoursePage.projects.through.objects
    for key in PROJECT_COURSES:
        course = context.objects.get(key)
        if course is not None:
            links.get_or_create(coursepage_id=course.pk, project=project)
    return project


def after_commit(context):
    """The report tables, built once the demo's certificates exist (they are
    issued after the seeding transaction commits)."""
    from django.conf import settings

    from training_platform.accounts import roles

    from .services import report_refresh

    refresh = report_refresh()
    when = (
        "when a coordinator opens the dashboard"
        if settings.REPORTS_REFRESH_ON_REQUEST
        else "by the worker"
    )
    context.notes.append(
        f"Coordinator dashboard: {refresh.facts} enrolments in the report tables "
        f"(rebuilt every {settings.REPORTS_REFRESH_MINUTES} minutes, {when})."
    )
    project = context.objects.get("demo_project")
    viewer = context.users.get(roles.ADMINISTRATORS)
    if project is not None and viewer is not None:
        from .project_report import period_of, project_report

        start, end = period_of(project)
        report = project_report(
            viewer, project=project, date_from=start, date_to=end, suppress=False
        )
        h = report.headline
        context.notes.append(
            f"Project report {project.code} ({project.donor}), {start} to {end}: "
            f"{h['learners']} participants, {h['completed']} trained, "
            f"{h['certificates']} certificates, knowledge gain {h['gain']} points "
            f"({h['pairs']} with both tests)."
        )


def _cohort(course):
    from assessments.models import AssessmentPage
    from courses import services as course_services
    from courses.models import CourseCompletion, Enrolment
    from training_platform.accounts.demo import DEMO_PASSWORD
    from training_platform.accounts.factories import UserFactory
    from training_platform.accounts.models import Country, Organisation

    rng = random.Random(2026)
    items = course.get_course_items()
    pages = {
        page.kind: page
        for page in AssessmentPage.objects.descendant_of(course).filter(
            locale=course.locale
        )
    }
    now = timezone.now()
    for n in range(COHORT):
        code = COUNTRIES[n % len(COUNTRIES)]
        user = UserFactory(
            email=f"cohort{n + 1:02d}@demo.test",
            full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            country=Country.objects.get(code=code),
            organisation=Organisation.objects.filter(country__code=code)
            .order_by("pk")
            .first(),
            sex=rng.choice(SEXES),
            password=DEMO_PASSWORD,
        )
        if Enrolment.objects.filter(
            user=user, course_key=course.translation_key
        ).exists():
            continue  # seeded before
        enrolment = course_services.enrolment_create(
            user=user, course=course, source="bulk"
        )
        share = rng.random()
        done = len(items) if share > 0.55 else int(len(items) * share)
        for item in items[:done]:
            course_services.item_progress_record(
                user=user,
                page=item,
                completed=True,
                score=Decimal(rng.randint(60, 100)),
                passed=True,
            )
        enrolment.refresh_from_db()
        completed = enrolment.status == "completed"
        _results(user, course, pages, rng, completed)
        # Spread the cohort over the last half year.
        enrolled = now - timedelta(days=rng.randint(20, 180))
        completed_at = (
            enrolled + timedelta(days=rng.randint(3, 19)) if completed else None
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(
            enrolled_at=enrolled, completed_at=completed_at
        )
        CourseCompletion.objects.filter(enrolment_id=enrolment.pk).update(
            completed_at=completed_at or now
        )
