"""Trainers build surveys in the admin (issue 18), translate them with
wagtail-localize as one survey (questions keep their identity), and choose a
course's surveys on the course's editor."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import Translation
from wagtail_localize.operations import TranslationCreator

from courses.services import course_owner_set_up
from surveys.factories import FOLLOW_UP_QUESTIONS, build_survey
from surveys.models import Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_client(client, trainer, mfa):
    mfa(trainer)
    client.force_login(trainer)
    return client


def _questions(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{k}": v for k, v in row.items()})
        data[f"{prefix}-{n}-ORDER"] = str(n + 1)
    return data


def test_a_trainer_builds_a_survey_in_the_admin(trainer_client):
    url = "/admin/snippets/surveys/survey/add/"
    assert trainer_client.get(url).status_code == 200
    data = {"title": "Course feedback", "intro": "Three questions.", "locale": "en"}
    rows = [
        {"kind": "rating", "text": "How satisfied are you?", "required": "on"},
        {"kind": "single", "text": "New to you?", "choices": "Most\nSome\nLittle"},
        {"kind": "single", "text": "Broken", "choices": "Only one"},
    ]
    response = trainer_client.post(url, {**data, **_questions("questions", rows)})
    # One bad question: refused with its reason, nothing saved.
    assert response.status_code == 200
    assert "Give at least two choices" in response.content.decode()
    assert not Survey.objects.exists()
    response = trainer_client.post(url, {**data, **_questions("questions", rows[:2])})
    assert response.status_code == 302, response.content.decode()[:3000]
    survey = Survey.objects.get()
    assert [q.kind for q in survey.questions.order_by("sort_order")] == [
        "rating",
        "single",
    ]


def test_a_survey_is_translated_with_wagtail_localize_as_one_survey(
    django_capture_on_commit_callbacks,
):
    survey = build_survey("Three months on", FOLLOW_UP_QUESTIONS)
    russian = Locale.objects.get(language_code="ru")
    with django_capture_on_commit_callbacks(execute=True):
        TranslationCreator(None, [russian]).create_translations(survey)
    translation = Translation.objects.get(
        source__object_id=survey.translation_key, target_locale=russian
    )
    po = translation.export_po()
    for entry in po:
        entry.msgstr = "RU " + entry.msgid
    translation.import_po(po)
    translation.save_target()
    translated = survey.get_translation(russian)
    assert translated.title == "RU Three months on"
    pairs = [
        (q.translation_key, q.text) for q in translated.questions.order_by("sort_order")
    ]
    assert [key for key, _text in pairs] == [
        q.translation_key for q in survey.questions.order_by("sort_order")
    ]
    assert all(text.startswith("RU ") for _key, text in pairs)


def test_the_course_editor_has_a_surveys_tab(trainer_client, trainer):
    from courses.factories import build_course

    course = build_course(title="Identifying victims", slug="identifying-victims")
    course_owner_set_up(course=course, by=trainer)
    response = trainer_client.get(f"/admin/pages/{course.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "course_surveys-TOTAL_FORMS" in html
    assert "Surveys" in html


def test_an_answered_survey_is_not_deleted_and_the_trainer_is_told(
    client, administrator, mfa, learner
):
    from courses.factories import build_course, complete_course
    from surveys import services

    course = build_course(title="Identifying victims", slug="identifying-victims")
    survey = build_survey("Three months on", FOLLOW_UP_QUESTIONS)
    complete_course(learner, course)
    services.response_submit(
        user=learner,
        survey=survey,
        kind="follow_up",
        course_key=course.translation_key,
        answers=[],
    )
    mfa(administrator)
    client.force_login(administrator)
    url = f"/admin/snippets/surveys/survey/delete/{survey.pk}/"
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()
    assert Survey.objects.filter(pk=survey.pk).exists()
    unanswered = build_survey("Unused", FOLLOW_UP_QUESTIONS)
    client.post(f"/admin/snippets/surveys/survey/delete/{unanswered.pk}/")
    assert not Survey.objects.filter(pk=unanswered.pk).exists()
