"""Progress and completion: idempotent, monotonic, exactly once, one course
across translations."""

from decimal import Decimal

import pytest

from courses import services
from courses.blocks import H5PActivityBlock
from courses.factories import build_course, translate_tree
from courses.models import (
    ActivityProgress,
    CourseCompletion,
    Enrolment,
    ItemProgress,
    LessonPage,
)
from courses.signals import course_completed

pytestmark = pytest.mark.django_db


@pytest.fixture
def completions():
    received = []

    def receiver(sender, completion, enrolment, **kwargs):
        received.append((completion.pk, enrolment.pk))

    course_completed.connect(receiver, dispatch_uid="test-receiver")
    yield received
    course_completed.disconnect(dispatch_uid="test-receiver")


def test_recording_twice_keeps_one_row(enrolment, learner, lessons):
    for _ in range(3):
        services.item_progress_record(user=learner, page=lessons[0], completed=True)
    assert ItemProgress.objects.filter(enrolment=enrolment).count() == 1


def test_completed_never_goes_back(enrolment, learner, lessons):
    services.item_progress_record(user=learner, page=lessons[0], completed=True)
    progress = services.item_progress_record(
        user=learner, page=lessons[0], completed=False
    )
    assert progress.status == "completed"


def test_progress_needs_an_open_enrolment(course, learner, lessons):
    with pytest.raises(services.NotEnrolled):
        services.item_progress_record(user=learner, page=lessons[0], completed=True)


def test_completion_is_recorded_once_and_signalled_after_commit(
    enrolment, learner, lessons, completions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons:
            services.item_progress_record(user=learner, page=lesson, completed=True)
        for lesson in lessons:
            services.item_progress_record(user=learner, page=lesson, completed=True)
        services.course_completion_evaluate(enrolment=enrolment)
    assert CourseCompletion.objects.filter(enrolment=enrolment).count() == 1
    enrolment.refresh_from_db()
    assert enrolment.status == "completed" and enrolment.progress_percent == 100
    assert completions == [(enrolment.completion.pk, enrolment.pk)]


def test_no_completion_before_the_last_required_item(
    enrolment, learner, lessons, completions
):
    for lesson in lessons[:-1]:
        services.item_progress_record(user=learner, page=lesson, completed=True)
    enrolment.refresh_from_db()
    assert enrolment.progress_percent == 75
    assert not CourseCompletion.objects.exists()


def test_optional_lessons_do_not_block_completion(enrolment, learner, lessons):
    optional = lessons[-1]
    optional.required_for_completion = False
    optional.save_revision().publish()
    for lesson in lessons[:-1]:
        services.item_progress_record(user=learner, page=lesson, completed=True)
    assert CourseCompletion.objects.filter(enrolment=enrolment).exists()


def test_progress_in_russian_counts_for_the_english_enrolment(course, learner):
    russian = translate_tree(course, "ru")
    enrolment = services.enrolment_create(user=learner, course=course, source="self")
    english_items = course.get_course_items()
    russian_items = russian.get_course_items()
    services.item_progress_record(user=learner, page=english_items[0], completed=True)
    for item in russian_items[1:]:
        services.item_progress_record(user=learner, page=item, completed=True)
    assert ItemProgress.objects.filter(enrolment=enrolment).count() == 4
    assert CourseCompletion.objects.filter(enrolment=enrolment).count() == 1


def test_switching_language_keeps_the_ticks(client, course, learner):
    russian = translate_tree(course, "ru")
    services.enrolment_create(user=learner, course=course, source="self")
    lesson = course.get_course_items()[0]
    services.item_progress_record(user=learner, page=lesson, completed=True)
    client.force_login(learner)
    response = client.get(russian.url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "25%" in text
    assert "is-done" in text


def test_view_lessons_complete_on_opening_manual_ones_on_the_button(client, learner):
    course = build_course(modules=1, lessons=2)
    view_lesson, manual_lesson = course.get_course_items()
    view_lesson.completion_mode = "view"
    view_lesson.save_revision().publish()
    services.enrolment_create(user=learner, course=course, source="self")
    client.force_login(learner)
    assert client.get(view_lesson.url).status_code == 200
    assert client.get(manual_lesson.url).status_code == 200
    statuses = dict(ItemProgress.objects.values_list("page_id", "status"))
    assert statuses == {view_lesson.pk: "completed", manual_lesson.pk: "in_progress"}
    for _ in range(2):  # a double click
        response = client.post(manual_lesson.url + "complete/")
        assert response.status_code == 302
    assert ItemProgress.objects.get(page=manual_lesson).status == "completed"
    assert CourseCompletion.objects.count() == 1


def test_lesson_page_shows_outline_ticks_and_neighbours(
    client, enrolment, learner, lessons
):
    services.item_progress_record(user=learner, page=lessons[0], completed=True)
    client.force_login(learner)
    text = client.get(lessons[1].url).content.decode()
    assert 'rel="prev"' in text and 'rel="next"' in text
    assert lessons[0].url in text and lessons[2].url in text
    assert "Mark as complete" in text
    assert "is-done" in text


def test_continue_where_you_left_off(client, enrolment, learner, lessons):
    client.force_login(learner)
    client.get(lessons[2].url)
    dashboard = client.get("/en/my/").content.decode()
    assert "Continue where you left off" in dashboard
    assert lessons[2].url in dashboard


def test_scores_are_clamped_and_kept_as_given(enrolment, learner, lessons):
    progress = services.item_progress_record(
        user=learner, page=lessons[0], completed=True, score=130, passed=True
    )
    assert progress.score == Decimal("100.00") and progress.passed is True
    progress = services.item_progress_record(
        user=learner, page=lessons[0], completed=True, score="72.5", passed=False
    )
    assert progress.score == Decimal("72.50") and progress.passed is False
    with pytest.raises(ValueError):
        services.item_progress_record(
            user=learner, page=lessons[0], completed=True, score="NaN"
        )


def test_server_graded_items_need_a_server_pass(
    enrolment, learner, lessons, monkeypatch
):
    """B01/J03: a client-reported pass never satisfies an item that must be
    passed; the server's does."""
    exam = lessons[-1]
    monkeypatch.setattr(
        LessonPage,
        "completion_requires_pass",
        lambda self: self.translation_key == exam.translation_key,
    )
    for lesson in lessons[:-1]:
        services.item_progress_record(user=learner, page=lesson, completed=True)
    services.item_progress_record(
        user=learner, page=exam, completed=True, score=100, passed=True, source="client"
    )
    assert not CourseCompletion.objects.exists()
    services.item_progress_record(
        user=learner, page=exam, completed=True, score=80, passed=False
    )
    assert not CourseCompletion.objects.exists()
    services.item_progress_record(
        user=learner, page=exam, completed=True, score=90, passed=True
    )
    completion = CourseCompletion.objects.get(enrolment=enrolment)
    assert completion.final_score == Decimal("90.00")


def test_assessments_rule_ignores_lessons(learner, lessons, monkeypatch):
    course = build_course(modules=1, lessons=3, completion_rule="assessments")
    items = course.get_course_items()
    exam = items[-1]
    monkeypatch.setattr(
        LessonPage,
        "completion_requires_pass",
        lambda self: self.translation_key == exam.translation_key,
    )
    enrolment = services.enrolment_create(user=learner, course=course, source="self")
    services.item_progress_record(
        user=learner, page=exam, completed=True, score=75, passed=True
    )
    assert CourseCompletion.objects.filter(enrolment=enrolment).exists()


def test_activities_complete_the_lesson_when_all_are_done(learner, monkeypatch):
    monkeypatch.setattr(
        H5PActivityBlock,
        "activity_key",
        lambda self, value: value["title"],
        raising=False,
    )
    course = build_course(
        modules=1,
        lessons=1,
        lesson_kwargs={
            "completion_mode": "activities",
            "body": [("h5p", {"title": "quiz-a"}), ("h5p", {"title": "quiz-b"})],
        },
    )
    lesson = course.get_course_items()[0]
    assert lesson.activity_keys() == ["quiz-a", "quiz-b"]
    enrolment = services.enrolment_create(user=learner, course=course, source="self")
    services.activity_progress_record(
        user=learner,
        lesson=lesson,
        activity_key="quiz-a",
        completed=True,
        score_scaled=1.7,
    )
    progress = ItemProgress.objects.get(enrolment=enrolment)
    assert progress.status == "in_progress"
    assert ActivityProgress.objects.get(activity_key="quiz-a").score_scaled == 1
    services.activity_progress_record(
        user=learner, lesson=lesson, activity_key="quiz-b", completed=True
    )
    progress.refresh_from_db()
    assert progress.status == "completed" and progress.source == "client"
    assert CourseCompletion.objects.filter(enrolment=enrolment).exists()
    # Repeats change nothing.
    services.activity_progress_record(
        user=learner, lesson=lesson, activity_key="quiz-b", completed=False
    )
    assert ActivityProgress.objects.filter(enrolment=enrolment).count() == 2
    assert ActivityProgress.objects.get(activity_key="quiz-b").completed


def test_withdrawn_learner_cannot_record_progress(enrolment, learner, lessons):
    services.enrolment_withdraw(enrolment=enrolment, by=learner)
    with pytest.raises(services.NotEnrolled):
        services.item_progress_record(user=learner, page=lessons[0], completed=True)
    assert Enrolment.objects.get().status == "withdrawn"
