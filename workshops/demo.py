"""Demo sessions for ``seed_demo``: a two-day workshop in Tirana that took
place last week with its register partly filled, and a webinar next month.
They are optional items of the demo course, so the demo's completions and
certificates stay as the other apps build them."""

from datetime import time, timedelta

from django.utils import timezone

from training_platform.accounts import roles

from . import services
from .factories import build_session
from .models import SessionPage

COHORT_EMAILS = [
    "arben.demo@demo.test",
    "milica.demo@demo.test",
    "irina.demo@demo.test",
    "aigul.demo@demo.test",
]
# (e-mail, day 1, day 2): the register as the trainer left it.
REGISTER = [
    ("arben.demo@demo.test", "present", "present"),
    ("milica.demo@demo.test", "present", "late"),
    ("irina.demo@demo.test", "present", "absent"),
    ("aigul.demo@demo.test", "excused", None),
]
# (e-mail, pre-test %, post-test %): scored on paper in the room; the
# learner who missed the second day has no post-test.
PAPER = [
    ("arben.demo@demo.test", "45", "80"),
    ("milica.demo@demo.test", "50", "75"),
    ("irina.demo@demo.test", "40", "85"),
    ("aigul.demo@demo.test", "35", None),
]


def _session(module, slug, **fields):
    existing = SessionPage.objects.child_of(module).filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    return build_session(module=module, slug=slug, **fields)


def seed(context):
    from training_platform.accounts.models import Country, User

    course = context.objects.get("demo_course")
    trainer = context.users.get(roles.TRAINERS)
    if course is None or trainer is None:
        return
    module = course.get_children().live().order_by("path").last().specific
    today = timezone.now().date()
    workshop = _session(
        module,
        "workshop-tirana",
        title="Two-day workshop: identifying victims at the border (Tirana)",
        description="<p>Case studies and role plays with border police and "
        "labour inspectors. Bring your national referral guidelines.</p>",
        kind="in_person",
        venue_address="Rruga e Kavajës 10, training room 2",
        venue_city="Tirana",
        venue_country=Country.objects.filter(code="AL").first(),
        capacity=20,
        required_for_completion=False,
        dates=[
            (today - timedelta(days=8), time(9), time(17), "Europe/Tirane"),
            (today - timedelta(days=7), time(9), time(13), "Europe/Tirane"),
        ],
        trainers=[trainer],
    )
    webinar = _session(
        module,
        "webinar-referral",
        title="Webinar: the national referral mechanism in practice",
        description="<p>Ninety minutes with questions from the audience.</p>",
        kind="online",
        venue_city="",
        venue_address="",
        meeting_link="https://meet.example.org/referral-webinar",
        language="ru",
        capacity=100,
        required_for_completion=False,
        dates=[(today + timedelta(days=21), time(10), time(11, 30), "Europe/Belgrade")],
        trainers=[trainer],
    )
    day_one, day_two = workshop.dates.order_by("starts_at")
    for email, first, second in REGISTER:
        person = User.objects.filter(email=email).first()
        if person is None:
            continue
        services.registration_create(user=person, session=workshop, by=trainer)
        services.attendance_mark(date=day_one, user=person, status=first, by=trainer)
        if second:
            services.attendance_mark(
                date=day_two, user=person, status=second, by=trainer
            )
    _paper_scores(course, workshop, trainer)
    learner = context.users.get(roles.LEARNERS)
    if learner is not None:
        services.registration_create(user=learner, session=webinar, by=trainer)
    context.objects["demo_sessions"] = {"workshop": workshop, "webinar": webinar}
    context.notes.append(
        "Workshops: a two-day workshop in Tirana last week (register partly "
        f"filled) and a webinar in three weeks; the trainer's register of the "
        f"first day: /en/workshops/staff/dates/{day_one.pk}/register/"
    )


def _paper_scores(course, workshop, trainer):
    from decimal import Decimal

    from assessments.services import paper_results_save
    from training_platform.accounts.models import User

    people = dict(
        User.objects.filter(email__in=[row[0] for row in PAPER]).values_list(
            "email", "pk"
        )
    )
    scores = {}
    for email, pre, post in PAPER:
        if email not in people:
            continue
        scores[(people[email], "pretest")] = Decimal(pre)
        if post is not None:
            scores[(people[email], "posttest")] = Decimal(post)
    paper_results_save(
        course_key=course.translation_key,
        session_key=workshop.translation_key,
        scores=scores,
        by=trainer,
    )
