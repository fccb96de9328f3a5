"""The trainers' workbench (issue 16): "My courses" on the admin dashboard
with the figures of a hand-made data set, in a constant number of queries,
and the results of a course (enrolments, progress per item, attempts, H5P
results) with filters and CSV/XLSX downloads, for the course's team only."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.factories import build_course, complete_course
from courses.models import Enrolment, EnrolmentStatus
from tests.conftest import enable_totp
from training_platform.accounts.factories import TrainerFactory, UserFactory
from training_platform.accounts.models import Country
from training_platform.reports.workbench import my_courses

pytestmark = pytest.mark.django_db


def _login(client, user):
    enable_totp(user)
    client.force_login(user)
    return client


@pytest.fixture
def cohort(trainer, course, django_capture_on_commit_callbacks):
    """The trainer's course: one learner completed it (score 80, with a
    certificate), one is half-way, one waits for approval, one withdrew.
    Another trainer's course has a learner of its own."""
    from assessments.factories import make_assessment, make_question
    from certificates.models import CertificateTemplate, CourseCertificateRule
    from courses.models import ModulePage

    services.course_owner_set_up(course=course, by=trainer)
    make_assessment(
        ModulePage.objects.child_of(course).last(),
        title="Final test",
        kind="final",
        questions=[make_question()],
    )
    template = CertificateTemplate.objects.create(name="Standard", language="en")
    CourseCertificateRule.objects.create(course=course, template=template)
    course.save_revision().publish()
    done = UserFactory(email="done@example.org", full_name="=HYPERLINK(1)")
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(done, course, score=Decimal("80"))
    half = UserFactory(
        email="half@example.org",
        full_name="Half Way",
        country=Country.objects.get(code="AL"),
    )
    services.enrolment_create(user=half, course=course, source="self")
    services.item_progress_record(
        user=half, page=course.get_course_items()[0], completed=True, score=70
    )
    waiting = UserFactory(email="waiting@example.org")
    Enrolment.objects.create(
        user=waiting,
        course=course,
        course_key=course.translation_key,
        status=EnrolmentStatus.PENDING,
    )
    gone = UserFactory(email="gone@example.org")
    enrolment = services.enrolment_create(user=gone, course=course, source="self")
    services.enrolment_withdraw(enrolment=enrolment, by=gone)
    other = build_course(title="Labour inspection", slug="labour")
    services.course_owner_set_up(course=other, by=TrainerFactory())
    services.enrolment_create(
        user=UserFactory(email="elsewhere@example.org"), course=other, source="self"
    )
    return course


def test_my_courses_figures_of_a_hand_made_cohort(client, trainer, cohort):
    (row,) = my_courses(trainer)
    assert row.page == cohort
    assert (row.enrolled, row.in_progress, row.completed, row.pending) == (3, 1, 1, 1)
    assert row.certificates == 1
    assert row.average_score == pytest.approx(80.0)
    page = _login(client, trainer).get(reverse("wagtailadmin_home")).content.decode()
    assert "data-my-courses" in page and cohort.title in page
    assert 'data-figure="completed">1<' in page
    assert reverse("reports_admin:course_results", args=[cohort.pk]) in page
    assert "Labour inspection" not in page


def test_my_courses_reads_a_constant_number_of_queries(trainer, cohort):
    def count():
        user = type(trainer).objects.get(pk=trainer.pk)
        with CaptureQueriesContext(connection) as queries:
            my_courses(user)
        return len(queries)

    before = count()
    for n in range(3):
        course = build_course(title=f"Course {n}", slug=f"course-{n}", modules=1)
        services.course_owner_set_up(course=course, by=trainer)
        for m in range(3):
            complete_course(UserFactory(email=f"l{n}-{m}@example.org"), course)
    assert count() == before
    assert len(my_courses(trainer)) == 4


def test_course_results_for_the_team_with_filters_and_downloads(
    client, trainer, cohort
):
    """F01 in the download: a learner's name that looks like a formula stays
    text."""
    url = reverse("reports_admin:course_results", args=[cohort.pk])
    _login(client, trainer)
    page = client.get(url).content.decode()
    for email in ("done@example.org", "half@example.org", "waiting@example.org"):
        assert email in page
    assert "elsewhere@example.org" not in page
    filtered = client.get(url, {"status": "active"}).content.decode()
    assert "half@example.org" in filtered and "done@example.org" not in filtered
    by_country = client.get(
        url, {"country": Country.objects.get(code="AL").pk}
    ).content.decode()
    assert "half@example.org" in by_country and "done@example.org" not in by_country
    searched = client.get(url, {"q": "half"}).content.decode()
    assert "half@example.org" in searched and "waiting@example.org" not in searched
    # A filter that cannot be read shows nobody (not everybody).
    unreadable = client.get(url, {"country": "no-such", "status": "nonsense"})
    assert unreadable.status_code == 200
    for email in ("done@example.org", "half@example.org", "waiting@example.org"):
        assert email not in unreadable.content.decode()
    assert unreadable.context["form"].errors

    progress = client.get(url, {"view": "progress"}).content.decode()
    first = cohort.get_course_items()[0]
    assert first.title in progress and "70 %" in progress

    response = client.get(url, {"format": "csv", "status": "completed"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Learner", "E-mail"]
    assert [r[1] for r in rows[1:]] == ["done@example.org"]
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][rows[0].index("Final score (%)")] == "80.0"

    from openpyxl import load_workbook

    response = client.get(url, {"format": "xlsx", "view": "progress"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][4] == first.title
    assert {v[1] for v in values[1:]} == {
        "done@example.org",
        "half@example.org",
        "waiting@example.org",
        "gone@example.org",
    }


def test_d09_course_results_refused_to_a_trainer_off_the_team(client, cohort):
    url = reverse("reports_admin:course_results", args=[cohort.pk])
    _login(client, TrainerFactory(email="stranger@example.org"))
    for params in ({}, {"format": "csv"}, {"format": "xlsx", "view": "attempts"}):
        response = client.get(url, params)
        assert response.status_code in (302, 403)
        assert b"done@example.org" not in response.content


def _attention_data(course, trainer, *, prefix):
    """In ``course``: five learners finish a test of four true/false
    questions by a plan (Q2 right for all: too easy; Q3 right only for the
    weakest: too hard and negative discrimination); the first has not been
    active for 20 days; an H5P activity one learner failed; a session that
    took place with one registration and no register."""
    import io
    from datetime import time, timedelta

    from django.utils import timezone

    from assessments import services as assessment_services
    from assessments.factories import make_assessment, make_question
    from courses.h5p import package_builder
    from courses.h5p.models import H5PResult
    from courses.h5p.services import content_import
    from courses.models import ModulePage
    from workshops.factories import build_session

    services.course_owner_set_up(course=course, by=trainer)
    module = ModulePage.objects.child_of(course).first()
    questions = [
        make_question("truefalse", title=f"{prefix} {name}", correct_answer=True)
        for name in ("Q1 discriminating", "Q2 easy", "Q3 inverted", "Q4 rest")
    ]
    page = make_assessment(module, title=f"{prefix} test", questions=questions)
    plans = [(1, 1, 0, 1), (1, 1, 0, 1), (1, 1, 0, 1), (0, 1, 0, 0), (0, 1, 1, 0)]
    learners = []
    for index, plan in enumerate(plans):
        user = UserFactory(email=f"{prefix}{index}@example.org")
        learners.append(user)
        services.enrolment_create(user=user, course=course, source="self")
        attempt = assessment_services.attempt_start(user=user, page=page)
        answers = {
            slot.position: {"value": bool(plan[questions.index(slot.question)])}
            for slot in attempt.slots.select_related("question")
        }
        assessment_services.attempt_submit(attempt=attempt, answers=answers, sequence=0)
    now = timezone.now()
    Enrolment.objects.filter(course_key=course.translation_key).update(
        last_accessed_at=now
    )
    Enrolment.objects.filter(user=learners[0]).update(
        last_accessed_at=now - timedelta(days=20)
    )
    content = content_import(
        file=io.BytesIO(package_builder.quiz_package()), filename="quiz.h5p"
    )
    lesson = course.get_course_items()[0]
    for user, passed in ((learners[1], False), (learners[2], True)):
        H5PResult.objects.create(
            user=user,
            content=content,
            context_key=str(lesson.translation_key),
            lesson=lesson,
            activity_key="a1",
            completed=True,
            passed=passed,
            score_scaled=Decimal("0.3") if not passed else Decimal("0.9"),
        )
    session = build_session(
        module=module,
        title=f"{prefix} workshop",
        dates=[((now - timedelta(days=30)).date(), time(9), time(17))],
    )
    from workshops.models import Registration, RegistrationStatus

    # The registration service refuses dates past; the row as it was made.
    Registration.objects.create(
        user=learners[3],
        session=session,
        date=session.dates.get(),
        status=RegistrationStatus.REGISTERED,
    )
    return learners, session


def test_needs_attention_and_recent_results_on_a_hand_made_data_set(
    client, trainer, course
):
    from training_platform.reports.workbench import needs_attention, recent_results

    learners, session = _attention_data(course, trainer, prefix="A")
    other = build_course(title="Labour inspection", slug="labour")
    _attention_data(other, TrainerFactory(), prefix="B")

    attention = needs_attention(trainer)
    assert attention.stuck_total == 1
    assert [e.user for e in attention.stuck] == [learners[0]]
    flagged = [(row["title"], row["reasons"]) for row in attention.questions]
    assert flagged == [
        ("A Q3 inverted", ["too hard", "negative discrimination"]),
        ("A Q2 easy", ["too easy"]),
    ]
    assert [(a["failed"], a["results"]) for a in attention.activities] == [(1, 2)]
    assert [d.page_id for d in attention.sessions] == [session.pk]
    # A past session whose only registration was cancelled needs no register.
    from workshops.models import Registration, RegistrationStatus

    Registration.objects.filter(session=session).update(
        status=RegistrationStatus.CANCELLED
    )
    assert needs_attention(type(trainer).objects.get(pk=trainer.pk)).sessions == []
    Registration.objects.filter(session=session).update(
        status=RegistrationStatus.REGISTERED
    )

    recent = recent_results(trainer)
    assert {r["learner"].email for r in recent} == {u.email for u in learners}
    assert all(not r["learner"].email.startswith("B") for r in recent)
    assert [r["when"] for r in recent] == sorted(
        (r["when"] for r in recent), reverse=True
    )

    home = _login(client, trainer).get(reverse("wagtailadmin_home")).content.decode()
    for marker in (
        'data-attention="stuck"',
        'data-attention="questions"',
        'data-attention="activities"',
        'data-attention="sessions"',
        "data-recent-results",
        "A Q3 inverted",
    ):
        assert marker in home, marker
    assert "B Q3 inverted" not in home


def test_the_workbench_panels_read_a_constant_number_of_queries(trainer):
    from training_platform.reports.workbench import needs_attention, recent_results

    def count():
        user = type(trainer).objects.get(pk=trainer.pk)
        with CaptureQueriesContext(connection) as queries:
            my_courses(user)
            needs_attention(user)
            recent_results(user)
        return len(queries)

    first = build_course(title="First", slug="first")
    _attention_data(first, trainer, prefix="A")
    before = count()
    second = build_course(title="Second", slug="second")
    _attention_data(second, trainer, prefix="B")
    assert count() == before
