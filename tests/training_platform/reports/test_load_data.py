"""``generate_load_data`` on a small scale: the structure it builds, the
consistency of the history it writes, determinism and ``--clear``.

The data set is generated once for the module (committed, removed at the
end); each test runs in its own transaction on top of it."""

import io
import re
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from training_platform.accounts.reference_data import COUNTRIES as REGION
from training_platform.reports import load_data

SIZE = {"learners": 60, "courses": 3, "countries": 4}
SEED = 7
CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{28}$")


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    # Generated as if three days ago: the same seed must give the same data
    # on any day (see the test of the command).
    earlier = timezone.now() - timedelta(days=3, hours=7)
    with django_db_blocker.unblock():
        result = load_data.generate_load_data(**SIZE, seed=SEED, now=earlier)
    yield result
    with django_db_blocker.unblock():
        load_data.clear_load_data()


def load_users():
    from training_platform.accounts.models import User

    return User.objects.filter(email__endswith="@load.example")


def course_pages():
    from courses.models import CoursePage

    return CoursePage.objects.filter(slug__startswith="load-")


def snapshot():
    """What a run wrote, in terms that do not depend on primary keys."""
    from assessments.models import AssessmentResult, Attempt
    from certificates.models import Certificate
    from courses.models import Enrolment, ItemProgress

    people = list(
        load_users()
        .order_by("email")
        .values_list("email", "full_name", "sex", "country__code", "position")
    )
    counts = {
        "enrolments": Counter(
            Enrolment.objects.filter(user__in=load_users()).values_list(
                "status", flat=True
            )
        ),
        "progress": ItemProgress.objects.filter(user__in=load_users()).count(),
        "attempts": Attempt.objects.filter(user__in=load_users()).count(),
        "results": AssessmentResult.objects.filter(user__in=load_users()).count(),
        "certificates": Counter(
            Certificate.objects.filter(user__in=load_users()).values_list(
                "status", flat=True
            )
        ),
    }
    return people, counts


pytestmark = pytest.mark.django_db


def test_courses_have_modules_lessons_and_three_assessments(generated):
    from assessments.models import AssessmentPage
    from courses.models import LessonPage, ModulePage

    english = course_pages().filter(locale__language_code="en")
    assert english.count() == SIZE["courses"] == generated["courses"]
    for course in english:
        modules = ModulePage.objects.child_of(course)
        assert 2 <= modules.count() <= 4
        assert LessonPage.objects.descendant_of(course).count() >= 3 * modules.count()
        kinds = sorted(
            AssessmentPage.objects.descendant_of(course).values_list("kind", flat=True)
        )
        assert kinds == ["final", "posttest", "pretest"]
        assert course.certificate_rules.count() == 1
    # Some courses are also in Russian: one course, one translation key.
    russian = course_pages().filter(locale__language_code="ru")
    assert 1 <= russian.count() < SIZE["courses"]
    assert russian.count() == generated["course_translations"]
    for translation in russian:
        original = english.get(translation_key=translation.translation_key)
        assert LessonPage.objects.descendant_of(translation).count() == (
            LessonPage.objects.descendant_of(original).count()
        )


def test_learners_are_spread_over_countries_and_organisations(generated):
    from training_platform.accounts.models import Country

    users = load_users()
    assert users.count() == SIZE["learners"] == generated["learners"]
    assert users.filter(email="load-000001@load.example").exists()
    codes = set(users.values_list("country__code", flat=True))
    # The region's seeded countries come first.
    expected = [code for code, *_rest in REGION][:4]
    assert codes <= set(expected)
    assert len(codes) >= 3
    assert not Country.objects.filter(code="RO").exists()
    with_organisation = users.filter(organisation__isnull=False)
    assert with_organisation.count() > 0.7 * SIZE["learners"]
    for user in with_organisation.select_related("organisation"):
        assert user.organisation.country_id == user.country_id
        assert user.organisation.name.endswith(" [load]")
    assert users.filter(groups__name="Learners").count() == SIZE["learners"]


def test_statuses_and_sexes_are_all_represented(generated):
    from courses.models import Enrolment

    sexes = Counter(load_users().values_list("sex", flat=True))
    assert set(sexes) == {"female", "male", "other", "undisclosed"}
    assert sexes["female"] > sexes["male"] > sexes["undisclosed"] >= sexes["other"]
    enrolments = Enrolment.objects.filter(user__in=load_users())
    statuses = Counter(enrolments.values_list("status", flat=True))
    assert set(statuses) == {"pending", "active", "completed", "withdrawn"}
    total = sum(statuses.values())
    assert total == generated["enrolments"]
    assert 0.35 < statuses["completed"] / total < 0.45
    assert 0.40 < statuses["active"] / total < 0.50
    per_learner = Counter(enrolments.values_list("user_id", flat=True)).values()
    assert min(per_learner) >= 1
    assert max(per_learner) <= SIZE["courses"]
    # Waiting for approval only where the course asks for it.
    for enrolment in enrolments.filter(status="pending").select_related("course"):
        assert enrolment.course.enrolment_mode == "approval"


def test_records_are_keyed_by_the_course_translation_key(generated):
    from wagtail.models import Page

    from assessments.models import AssessmentResult, Attempt
    from courses.models import Enrolment, ItemProgress

    # The course (translation key) of every page under a generated course, in
    # either language.
    course_of = {}
    for course in course_pages():
        for pk in Page.objects.descendant_of(course).values_list("pk", flat=True):
            course_of[pk] = course.translation_key
    keys = set(course_of.values())
    enrolments = Enrolment.objects.filter(user__in=load_users()).select_related(
        "course"
    )
    for enrolment in enrolments:
        assert enrolment.course_key in keys
        assert enrolment.course.translation_key == enrolment.course_key
    for progress in ItemProgress.objects.filter(user__in=load_users()).select_related(
        "enrolment", "page"
    ):
        assert course_of[progress.page_id] == progress.enrolment.course_key
        assert progress.page.translation_key == progress.item_key
        assert progress.user_id == progress.enrolment.user_id
    for model in (Attempt, AssessmentResult):
        for row in model.objects.filter(user__in=load_users()).select_related("page"):
            assert course_of[row.page_id] == row.course_key
            assert row.page.translation_key == row.assessment_key
            assert row.kind == row.page.kind
            assert Enrolment.objects.filter(
                user_id=row.user_id, course_key=row.course_key
            ).exists()


def test_progress_has_one_row_per_enrolment_and_item(generated):
    from courses.models import Enrolment, ItemProgress

    rows = ItemProgress.objects.filter(user__in=load_users())
    pairs = list(rows.values_list("enrolment_id", "item_key"))
    assert len(pairs) == len(set(pairs)) == generated["item_progress"]
    assert len(pairs) > 5 * SIZE["learners"]
    assert not rows.filter(enrolment__status="pending").exists()
    completed = Enrolment.objects.filter(user__in=load_users(), status="completed")
    assert set(completed.values_list("progress_percent", flat=True)) == {100}
    for row in rows:
        if row.status == "completed":
            assert row.completed_at is not None
        else:
            assert row.status == "in_progress"
            assert row.completed_at is None


def test_completed_enrolments_have_a_completion_and_mostly_certificates(generated):
    from assessments.models import AssessmentResult
    from certificates import codes
    from certificates.models import Certificate
    from courses.models import CourseCompletion, Enrolment

    enrolments = Enrolment.objects.filter(user__in=load_users())
    completed = enrolments.filter(status="completed")
    assert completed.count() == generated["completions"] > 0
    assert not CourseCompletion.objects.filter(
        enrolment__in=enrolments.exclude(status="completed")
    ).exists()
    certified = 0
    for enrolment in completed.select_related("completion"):
        final = AssessmentResult.objects.get(
            user_id=enrolment.user_id, course_key=enrolment.course_key, kind="final"
        )
        assert final.passed
        assert enrolment.completion.final_score == final.percent.quantize(
            Decimal("0.01")
        )
        certificates = Certificate.objects.filter(enrolment=enrolment)
        assert certificates.count() <= 1
        certified += certificates.filter(status__in=["issued", "revoked"]).count()
    assert certified >= 0.8 * completed.count()
    certificates = Certificate.objects.filter(user__in=load_users())
    assert set(certificates.values_list("status", flat=True)) <= {
        "issued",
        "revoked",
        "not_eligible",
    }
    issued = certificates.filter(status="issued")
    for certificate in issued:
        assert CODE.match(certificate.code)
        assert codes.normalise(codes.format_code(certificate.code)) == certificate.code
        assert certificate.enrolment.status == "completed"
        assert certificate.pdf_status == "ready"
        assert certificate.email_sent_at is not None
        assert certificate.learner_name
        assert certificate.template_snapshot["title"]
    assert issued.values("code").distinct().count() == issued.count()
    for certificate in certificates.filter(status="revoked"):
        assert certificate.revocation_reason
        assert certificate.revoked_at >= certificate.issued_at


def test_dates_are_ordered_and_never_in_the_future(generated):
    from assessments.models import Attempt
    from certificates.models import Certificate
    from courses.models import Enrolment, ItemProgress

    now = timezone.now()
    for enrolment in Enrolment.objects.filter(user__in=load_users()).select_related(
        "user"
    ):
        assert enrolment.user.date_joined <= enrolment.enrolled_at <= now
        if enrolment.completed_at:
            assert enrolment.enrolled_at <= enrolment.completed_at <= now
            assert enrolment.completion.completed_at == enrolment.completed_at
        if enrolment.withdrawn_at:
            assert enrolment.enrolled_at <= enrolment.withdrawn_at <= now
    for row in ItemProgress.objects.filter(user__in=load_users()).select_related(
        "enrolment"
    ):
        assert row.enrolment.enrolled_at <= row.created_at <= row.updated_at <= now
        if row.completed_at:
            assert row.created_at <= row.completed_at <= now
            if row.enrolment.completed_at:
                assert row.completed_at <= row.enrolment.completed_at
    for attempt in Attempt.objects.filter(user__in=load_users()):
        assert attempt.state == "finished"
        assert attempt.started_at <= attempt.finished_at <= now
        assert attempt.marks <= attempt.max_marks
    for certificate in Certificate.objects.filter(user__in=load_users()):
        assert certificate.created_at >= certificate.completed_at
        if certificate.issued_at:
            assert certificate.completed_at <= certificate.issued_at <= now
        if certificate.expires_at:
            assert certificate.expires_at > certificate.issued_at


def test_scores_show_a_positive_knowledge_gain(generated):
    from django.db.models import Avg

    from assessments.models import AssessmentResult

    results = AssessmentResult.objects.filter(user__in=load_users())
    means = dict(
        results.values("kind").annotate(mean=Avg("percent")).values_list("kind", "mean")
    )
    assert means["posttest"] > means["pretest"] + 10
    assert means["final"] >= 70
    assert not results.filter(kind="pretest", passed__isnull=False).exists()


def test_nothing_is_left_for_the_certificate_reconciler(generated):
    from certificates import services

    done = services.certificates_reconcile(grace=timedelta(0))
    assert not any(done.values()), done


def test_a_second_run_without_clear_is_refused(generated):
    with pytest.raises(CommandError, match="--clear"):
        call_command(
            "generate_load_data", "--learners=5", "--courses=1", "--countries=1"
        )
    assert load_users().count() == SIZE["learners"]


def test_clear_removes_everything_generated(generated):
    from assessments.models import QuestionBank
    from certificates.models import Certificate, CertificateTemplate
    from courses.models import Enrolment
    from training_platform.accounts.models import Country, Organisation

    keys = list(course_pages().values_list("translation_key", flat=True))
    countries = Country.objects.count()
    removed = load_data.clear_load_data()
    assert removed["learners"] == SIZE["learners"]
    assert not load_users().exists()
    assert not course_pages().exists()
    assert not Enrolment.objects.filter(course_key__in=keys).exists()
    assert not Certificate.objects.filter(course_key__in=keys).exists()
    assert not Organisation.objects.filter(name__endswith=" [load]").exists()
    assert not CertificateTemplate.objects.filter(name="Load data certificate").exists()
    assert not QuestionBank.objects.filter(name="Load data questions").exists()
    # The region's countries are reference data: they stay.
    assert Country.objects.count() == countries
    assert not any(load_data.load_data_present().values())


def test_the_command_with_clear_gives_the_same_data_for_the_same_seed_another_day(
    generated,
):
    before = snapshot()
    load_users().update(position="Changed by hand")
    out = io.StringIO()
    call_command(
        "generate_load_data",
        "--clear",
        f"--learners={SIZE['learners']}",
        f"--courses={SIZE['courses']}",
        f"--countries={SIZE['countries']}",
        f"--seed={SEED}",
        stdout=out,
    )
    assert f"Removed {SIZE['learners']} learners" in out.getvalue()
    assert "removed 0 " not in out.getvalue()
    assert re.search(r"item progress\s+[\d,]+", out.getvalue())
    assert not load_users().filter(position="Changed by hand").exists()
    assert snapshot() == before


def test_another_seed_gives_other_people_and_extra_countries(generated):
    from training_platform.accounts.models import Country

    before = snapshot()[0]
    load_data.clear_load_data()
    result = load_data.generate_load_data(learners=40, courses=1, countries=20, seed=1)
    assert result["countries"] == 20
    assert result["countries_created"] == 20 - len(REGION)
    extra = Country.objects.filter(code__in=["RO", "BG"])
    assert set(extra.values_list("sub_region", flat=True)) == {"other"}
    assert snapshot()[0] != before[:40]
    # With one course, it is the one that takes requests for approval.
    assert course_pages().get(locale__language_code="en").enrolment_mode == "approval"
    removed = load_data.clear_load_data()
    assert removed["countries"] == 2
    assert not Country.objects.filter(code__in=["RO", "BG"]).exists()
