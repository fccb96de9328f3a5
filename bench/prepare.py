"""The product side of ``make bench`` (run by ``bench/run.py``, never alone):
creates the benchmark's learners, sessions, quizzes and certificate backlog
in the benchmark database, and checks the database after the load.

Runs with the same settings and SECRET_KEY as the served platform (sessions
and launch tokens are signed with it). Each subcommand prints one JSON object.
"""

import argparse
import json
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training_platform.settings")

QUESTION_KINDS = ["single", "multiple", "truefalse", "short", "numeric", "matching"]


def session_for(user):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def make_learners(prefix, count):
    """``count`` learners without usable passwords, created in bulk."""
    from training_platform.accounts.factories import UserFactory
    from training_platform.accounts.models import User

    first = UserFactory(email=f"{prefix}-0@bench.example")
    fresh = []
    for index in range(1, count):
        user = User(
            email=f"{prefix}-{index}@bench.example",
            full_name=f"Bench learner {index}",
            country=first.country,
            organisation=first.organisation,
            position=first.position,
            sex=first.sex,
            preferred_language="en",
            consent_at=first.consent_at,
            consent_version=first.consent_version,
        )
        user.set_unusable_password()
        fresh.append(user)
    User.objects.bulk_create(fresh, batch_size=1000)
    emails = [f"{prefix}-{index}@bench.example" for index in range(count)]
    return list(User.objects.filter(email__in=emails).order_by("pk"))


def enrol(users, course):
    from courses import services as course_services

    for user in users:
        course_services.enrolment_create(user=user, course=course, source="bulk")


def take_pretest(users, course):
    """Finish the course's gating pre-test, as each learner does before the
    lessons open."""
    from assessments import selectors, services
    from assessments.models import AssessmentPage

    gate = selectors.gating_pretest(course)
    if gate is None:
        return
    pretest = AssessmentPage.objects.get(pk=gate[0])
    for user in users:
        attempt = services.attempt_start(user=user, page=pretest)
        services.attempt_submit(attempt=attempt, answers=None, sequence=None)


def credentials(users):
    return [
        {"user": user.pk, "session": session_for(user), "csrf": secrets.token_hex(16)}
        for user in users
    ]


def demo_pages():
    """The demo course, a rich-text lesson and a lesson with an H5P activity."""
    from wagtail.models import Locale

    from courses.models import CourseIndexPage, CoursePage, LessonPage

    english = Locale.objects.get(language_code="en")
    courses = CoursePage.objects.live().filter(locale=english).order_by("path")
    course = (
        courses.filter(slug="identifying-and-referring-victims").first()
        or courses.first()
    )
    if course is None:
        raise SystemExit("no live English course: was seed_demo run?")
    text_lesson = h5p_lesson = None
    for lesson in LessonPage.objects.live().descendant_of(course).order_by("path"):
        kinds = {block.block_type for block in lesson.body}
        if "h5p" in kinds and h5p_lesson is None:
            h5p_lesson = lesson
        if "h5p" not in kinds and text_lesson is None and kinds:
            text_lesson = lesson
    h5p_lesson = h5p_lesson or next(
        (
            lesson
            for lesson in LessonPage.objects.live().filter(locale=english)
            if any(block.block_type == "h5p" for block in lesson.body)
        ),
        None,
    )
    catalogue = CourseIndexPage.objects.live().filter(locale=english).first()
    return course, text_lesson, h5p_lesson, catalogue


def h5p_max_score(lesson):
    """The package's maximum score of the lesson's first H5P activity (a
    scored statement must carry it)."""
    if lesson is None:
        return None
    for block in lesson.body:
        if block.block_type == "h5p":
            value = block.value
            content = value.get("content") if hasattr(value, "get") else value
            return getattr(content, "known_max_score", None) or 1
    return None


def rich_text_of(lesson):
    """The lesson's text blocks as HTML, for the reference pages' body."""
    parts = []
    for block in lesson.body:
        if block.block_type in {"paragraph", "text", "rich_text", "heading"}:
            parts.append(str(block.render()))
    return "".join(parts)


def quiz_in_new_course(stamp, questions_count, **fields):
    from assessments.factories import make_assessment, make_question
    from courses.factories import build_course

    course = build_course(
        modules=1, lessons=0, title=f"Bench {stamp}", slug=f"bench-course-{stamp}"
    )
    module = course.get_children().first().specific
    questions = [
        make_question(QUESTION_KINDS[i % len(QUESTION_KINDS)], title=f"Q {stamp} {i}")
        for i in range(questions_count)
    ]
    quiz = make_assessment(
        module,
        title=f"Bench quiz {stamp}",
        slug=f"bench-quiz-{stamp}",
        questions=questions,
        max_attempts=0,
        **fields,
    )
    return course, quiz


def answers_template(quiz):
    """A correct answer to every question, as the browser posts it (the
    question order is fixed and the answers name choices by key, so the
    same form data fits every attempt of this quiz)."""
    from assessments_submit import answers_for

    from assessments import services
    from training_platform.accounts.factories import UserFactory

    probe = UserFactory(email=f"probe-{quiz.pk}@bench.example")
    enrol([probe], quiz_course(quiz))
    attempt = services.attempt_start(user=probe, page=quiz)
    data = answers_for(attempt.pk)
    attempt.delete()
    return data


def quiz_course(quiz):
    from assessments import integration

    return integration.course_for(quiz)


def cmd_setup(args):
    """Learners for the page, xAPI and quiz scenarios; the certificate backlog."""
    started = time.perf_counter()
    course, text_lesson, h5p_lesson, catalogue = demo_pages()
    stamp = secrets.token_hex(3)
    learners = make_learners(f"bench-{stamp}", args.learners)
    enrol(learners, course)
    take_pretest(learners, course)
    body_file = Path(args.body_file)
    body_file.write_text(rich_text_of(text_lesson), encoding="utf-8")
    plan = {
        "catalogue": catalogue.url if catalogue else "/en/",
        "course": course.url,
        "lesson_text": text_lesson.url,
        "lesson_h5p": h5p_lesson.url if h5p_lesson else None,
        "h5p_max_score": h5p_max_score(h5p_lesson),
        "learners": credentials(learners),
    }
    # The quiz for autosave and submission: started attempts with answers,
    # enough for every round.
    quiz_course_page, quiz = quiz_in_new_course(
        f"q{stamp}", args.questions, time_limit_minutes=30
    )
    enrol(learners, quiz_course_page)
    plan["quiz"] = {
        "id": quiz.pk,
        "answers": answers_template(quiz),
        "questions": args.questions,
    }
    plan["certificates"] = certificate_backlog(stamp, args.certificates)
    plan["setup_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(plan))


def certificate_backlog(stamp, count):
    """``count`` learners who completed the demo certificate course, with
    their certificates pending and nothing queued yet."""
    from certificates import integration, services
    from courses.models import CoursePage

    if not count:
        return {"ids": []}
    course = next(
        (
            page.specific
            for page in CoursePage.objects.live().order_by("path")
            if getattr(
                integration.rule_for(
                    course=page.specific, course_key=page.translation_key
                ),
                "issue_certificates",
                False,
            )
        ),
        None,
    )
    if course is None:
        return {"ids": [], "error": "no course issues certificates"}
    users = make_learners(f"cert-{stamp}", count)
    from courses import services as course_services

    ids = []
    for user in users:
        enrolment = course_services.enrolment_create(
            user=user, course=course, source="bulk"
        )
        certificate = services.certificate_request(
            user=user,
            course_key=course.translation_key,
            course=course,
            enrolment=enrolment,
            schedule=False,
        )
        ids.append(certificate.pk)
    return {"ids": ids, "course": course.title}


def cmd_certificates_enqueue(args):
    from certificates import tasks

    ids = json.loads(Path(args.ids_file).read_text())
    # The workers start on the first task: the backlog's clock starts here,
    # not when this process (Python and Django) was started.
    started_at = time.time()
    started = time.perf_counter()
    for pk in ids:
        tasks.issue_certificate.delay(pk)
    print(
        json.dumps(
            {
                "enqueued": len(ids),
                "enqueue_s": time.perf_counter() - started,
                "started_at": started_at,
            }
        )
    )


def cmd_certificates_count(args):
    from certificates.models import Certificate

    ids = json.loads(Path(args.ids_file).read_text())
    rows = Certificate.objects.filter(pk__in=ids)
    users = list(rows.values_list("user_id", flat=True))
    from certificates.models import Certificate as C

    per_user = C.objects.filter(user_id__in=users).exclude(status="superseded")
    print(
        json.dumps(
            {
                "issued": rows.filter(status="issued").count(),
                "ready": rows.filter(status="issued", pdf_status="ready").count(),
                "failed": rows.filter(pdf_status="failed").count(),
                "certificates_of_these_learners": per_user.count(),
            }
        )
    )


def cmd_quiz_attempts(args):
    """Start one attempt for each of ``count`` learners; print the attempts
    (the load client autosaves and submits them)."""
    from assessments import services
    from assessments.models import AttemptSlot
    from training_platform.accounts.models import User

    plan = json.loads(Path(args.plan).read_text())
    quiz_page = quiz_by_pk(plan["quiz"]["id"])
    learners = plan["learners"]
    out = []
    if args.count > len(learners):
        raise SystemExit("one attempt per learner: more attempts than learners")
    for learner in learners[: args.count]:
        user = User.objects.get(pk=learner["user"])
        attempt = services.attempt_start(user=user, page=quiz_page)
        out.append({**learner, "attempt": attempt.pk, "sequence": attempt.sequence})
    slots = AttemptSlot.objects.filter(attempt_id__in=[o["attempt"] for o in out])
    print(json.dumps({"attempts": out, "slots": slots.count()}))


def quiz_by_pk(pk):
    from assessments.models import AssessmentPage

    return AssessmentPage.objects.get(pk=pk)


def cmd_exam_setup(args):
    """A new timed exam and ``count`` learners enrolled in its course."""
    stamp = secrets.token_hex(3)
    course, quiz = quiz_in_new_course(
        f"x{stamp}", args.questions, time_limit_minutes=args.minutes
    )
    learners = make_learners(f"exam-{stamp}", args.count)
    enrol(learners, course)
    print(
        json.dumps(
            {
                "quiz": quiz.pk,
                "answers": answers_template(quiz),
                "learners": credentials(learners),
            }
        )
    )


def cmd_attempts_check(args):
    """Every attempt finished exactly once with one grade, full marks, and
    every question's answer saved; no learner with a second attempt."""
    from django.db.models import Count

    from assessments.models import Attempt, AttemptGrade, AttemptSlot

    quiz_id = args.quiz
    if args.attempts_file:
        ids = json.loads(Path(args.attempts_file).read_text())
        attempts = Attempt.objects.filter(page_id=quiz_id, pk__in=ids)
        users = sorted(set(attempts.values_list("user_id", flat=True)))
    else:
        users = json.loads(Path(args.users_file).read_text())
        attempts = Attempt.objects.filter(page_id=quiz_id, user_id__in=users)
    per_user = attempts.values("user_id").annotate(n=Count("id"))
    # Several prepared attempts per learner in the quiz scenario: there the
    # attempts are checked one by one instead.
    duplicated = 0 if args.attempts_file else sum(1 for row in per_user if row["n"] > 1)
    finished = attempts.filter(state="finished")
    grades = AttemptGrade.objects.filter(attempt__in=attempts)
    grade_counts = grades.values("attempt_id").annotate(n=Count("id"))
    unanswered = AttemptSlot.objects.filter(attempt__in=attempts, response=None).count()
    print(
        json.dumps(
            {
                "learners": len(users),
                "attempts": attempts.count(),
                "learners_with_attempt": per_user.count(),
                "duplicated_attempts": duplicated,
                "finished": finished.count(),
                "full_marks": finished.filter(percent=100).count(),
                "grades": grades.count(),
                "duplicated_grades": sum(1 for row in grade_counts if row["n"] > 1),
                "unanswered_slots": unanswered,
            }
        )
    )


def cmd_dashboard(args):
    """Refresh the report tables; sessions for a coordinator and an admin."""
    from reports_dashboard import staff_session, viewers

    from training_platform.accounts.models import User
    from training_platform.reports.services import report_refresh

    started = time.perf_counter()
    refresh = report_refresh()
    refresh_s = time.perf_counter() - started
    User.objects.filter(
        email__in=["bench-coordinator@bench.example", "bench-admin@bench.example"]
    ).delete()
    coordinator, administrator, countries = viewers()
    print(
        json.dumps(
            {
                "learners": User.objects.count(),
                "facts": refresh.facts,
                "refresh_s": round(refresh_s, 1),
                "coordinator": staff_session(coordinator),
                "administrator": staff_session(administrator),
                "countries": [c.name for c in countries],
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    setup = sub.add_parser("setup")
    setup.add_argument("--learners", type=int, default=64)
    setup.add_argument("--questions", type=int, default=10)
    setup.add_argument("--certificates", type=int, default=1000)
    setup.add_argument("--body-file", required=True)
    attempts = sub.add_parser("quiz-attempts")
    attempts.add_argument("--plan", required=True)
    attempts.add_argument("--count", type=int, default=64)
    exam = sub.add_parser("exam-setup")
    exam.add_argument("--count", type=int, required=True)
    exam.add_argument("--questions", type=int, default=10)
    exam.add_argument("--minutes", type=int, default=30)
    check = sub.add_parser("attempts-check")
    check.add_argument("--quiz", type=int, required=True)
    check.add_argument("--users-file")
    check.add_argument("--attempts-file")
    enqueue = sub.add_parser("certificates-enqueue")
    enqueue.add_argument("--ids-file", required=True)
    count = sub.add_parser("certificates-count")
    count.add_argument("--ids-file", required=True)
    sub.add_parser("dashboard")
    args = parser.parse_args()
    import django

    django.setup()
    handler = {
        "setup": cmd_setup,
        "quiz-attempts": cmd_quiz_attempts,
        "exam-setup": cmd_exam_setup,
        "attempts-check": cmd_attempts_check,
        "certificates-enqueue": cmd_certificates_enqueue,
        "certificates-count": cmd_certificates_count,
        "dashboard": cmd_dashboard,
    }[args.command]
    handler(args)


if __name__ == "__main__":
    main()
