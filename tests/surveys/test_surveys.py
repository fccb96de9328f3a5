"""Surveys (issue 18): built in the admin, translated as one survey, the
feedback survey after completion (before the certificate when required), the
follow-up by e-mail with a signed link, exactly once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from courses.factories import complete_course
from surveys import services
from surveys.factories import (
    FEEDBACK_QUESTIONS,
    FOLLOW_UP_QUESTIONS,
    attach,
    build_survey,
)
from surveys.models import SurveyAnswer, SurveyResponse
from training_platform.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _form_data(survey, **by_kind):
    """POST data answering each question of ``survey`` by its kind."""
    data = {}
    for question in survey.questions.all():
        value = by_kind.get(question.kind)
        if value is not None:
            data[f"q_{question.translation_key.hex}"] = value
    return data


# ---------------------------------------------------------------- building


def test_a_translated_survey_keeps_its_questions_identity_and_answers_add_up(
    learner, course
):
    from training_platform.accounts.factories import UserFactory

    survey = build_survey("Feedback", FEEDBACK_QUESTIONS)
    russian = survey.copy_for_translation(Locale.objects.get(language_code="ru"))
    russian.title = "Отзыв о курсе"
    russian.save()
    for question in russian.questions.all():
        question.text = "Вопрос: " + question.text
        question.save()
    english_keys = sorted(q.translation_key for q in survey.questions.all())
    assert sorted(q.translation_key for q in russian.questions.all()) == english_keys
    other = UserFactory()
    for user, version in ((learner, survey), (other, russian)):
        complete_course(user, course)
        rating = version.questions.get(kind="rating")
        services.response_submit(
            user=user,
            survey=version,
            kind="feedback",
            course_key=course.translation_key,
            answers=[(rating.translation_key, 4, "")],
        )
    assert set(SurveyResponse.objects.values_list("language", flat=True)) == {
        "en",
        "ru",
    }
    rating_key = survey.questions.get(kind="rating").translation_key
    assert SurveyAnswer.objects.filter(question_key=rating_key).count() == 2


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        ("single", "Only one", "at least two"),
        ("rating", "a\nb", "five labels"),
    ],
)
def test_questions_with_bad_choices_are_refused_with_a_reason(kind, choices, message):
    from django.core.exceptions import ValidationError

    from surveys.models import SurveyQuestion

    question = SurveyQuestion(kind=kind, text="Q", choices=choices)
    with pytest.raises(ValidationError) as error:
        question.clean()
    assert message in str(error.value)


# ---------------------------------------------------------------- feedback


def test_feedback_is_offered_after_completion_and_answered_once(
    client, learner, course
):
    survey = build_survey("Feedback", FEEDBACK_QUESTIONS)
    attach(course, feedback=survey)
    client.force_login(learner)
    url = reverse("surveys:feedback", kwargs={"course_key": course.translation_key})
    # Not completed yet: nothing to answer.
    assert client.get(url).status_code == 302
    assert "Tell us about your courses" not in client.get("/en/my/").content.decode()
    assert "Tell us about the course" not in client.get(course.url).content.decode()
    complete_course(learner, course)
    course_page = client.get(course.url).content.decode()
    assert "Tell us about the course" in course_page and url in course_page
    dashboard = client.get("/en/my/").content.decode()
    assert "Tell us about your courses" in dashboard and url in dashboard
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "How satisfied are you with the course?" in text
    assert "Skip the survey" in text
    # A required question left empty is refused; nothing is stored.
    response = client.post(url, _form_data(survey, text="More cases"))
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not SurveyResponse.objects.exists()
    data = _form_data(survey, rating="5", single="1", multiple=["0", "2"], text="Ok")
    assert client.post(url, data).status_code == 302
    saved = SurveyResponse.objects.get()
    assert saved.kind == "feedback" and saved.user == learner
    assert sorted(
        saved.answers.exclude(value=None).values_list("value", flat=True)
    ) == [0, 1, 2, 5]
    # Twice: nothing more.
    assert client.post(url, data).status_code == 302
    assert SurveyResponse.objects.count() == 1
    assert "Tell us about your courses" not in client.get("/en/my/").content.decode()
    assert "Tell us about the course" not in client.get(course.url).content.decode()


def test_a_required_feedback_comes_before_the_certificate(
    client, learner, course, django_capture_on_commit_callbacks
):
    from certificates.models import (
        Certificate,
        CertificateTemplate,
        CourseCertificateRule,
    )

    template = CertificateTemplate.objects.create(name="Standard", language="en")
    CourseCertificateRule.objects.create(course=course, template=template)
    survey = build_survey("Feedback", FEEDBACK_QUESTIONS)
    attach(course, feedback=survey, required=True)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, course)
    certificate = Certificate.objects.get(user=learner)
    # The e-mail does not attach the PDF while the survey waits.
    (message,) = [m for m in mail.outbox if m.to == [learner.email]]
    assert message.attachments == []
    assert "attached" not in message.body
    assert "/surveys/feedback/" in message.body
    client.force_login(learner)
    download = reverse("certificates:pdf", args=[certificate.pk])
    response = client.get(download)
    assert response.status_code == 302
    feedback = reverse(
        "surveys:feedback", kwargs={"course_key": course.translation_key}
    )
    assert response["Location"].startswith(feedback)
    page = client.get(response["Location"]).content.decode()
    assert "Skip the survey" not in page
    client.post(
        response["Location"], {**_form_data(survey, rating="4"), "next": download}
    )
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


# ---------------------------------------------------------------- follow-up


def _completed_days_ago(user, course, days):
    from courses.models import CourseCompletion

    enrolment, completion = complete_course(user, course)
    CourseCompletion.objects.filter(pk=completion.pk).update(
        completed_at=timezone.now() - timedelta(days=days)
    )
    return enrolment


def _age_notifications(days):
    Notification.objects.update(created_at=timezone.now() - timedelta(days=days))


def test_follow_up_is_sent_once_after_n_days_and_reminded_once(
    learner, course, django_capture_on_commit_callbacks
):
    survey = build_survey("Three months on", FOLLOW_UP_QUESTIONS)
    attach(course, follow_up=survey, days=90)
    _completed_days_ago(learner, course, 89)
    mail.outbox.clear()
    Notification.objects.all().delete()
    assert services.follow_ups_send() == 0
    _completed_days_ago(learner, course, 90)
    sent = []
    with django_capture_on_commit_callbacks(execute=True):
        sent.append(services.follow_ups_send())
        sent.append(services.follow_ups_send())  # beat fires twice
    assert sent == [1, 0]
    (message,) = mail.outbox
    assert "List-Unsubscribe" in message.extra_headers
    assert "/surveys/follow-up/" in message.body
    # 13 days later: no reminder yet; 14: one; again: none.
    _age_notifications(13)
    assert services.follow_ups_send() == 0
    _age_notifications(14)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.follow_ups_send() == 1
        assert services.follow_ups_send() == 0
    assert [n.event for n in Notification.objects.order_by("pk")] == [
        "survey_follow_up",
        "survey_follow_up_reminder",
    ]
    assert "reminder" in mail.outbox[1].subject.lower()


def test_a_failed_delivery_is_retried_not_duplicated(
    learner, course, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.mail.backends.locmem import EmailBackend

    survey = build_survey("Three months on", FOLLOW_UP_QUESTIONS)
    attach(course, follow_up=survey)
    _completed_days_ago(learner, course, 95)
    Notification.objects.all().delete()
    mail.outbox.clear()
    original = EmailBackend.send_messages
    calls = {"n": 0}

    def fail_once(self, messages):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionRefusedError("mail server down")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", fail_once)
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_ups_send()
        services.follow_ups_send()
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1 and calls["n"] == 2


@pytest.mark.parametrize("state", ["answered", "withdrawn", "deleted", "unsubscribed"])
def test_no_follow_up_after_an_answer_withdrawal_deletion_or_unsubscribe(
    learner, course, state
):
    from courses.models import Enrolment
    from training_platform.notifications import services as notifications

    survey = build_survey("Three months on", FOLLOW_UP_QUESTIONS)
    attach(course, follow_up=survey)
    enrolment = _completed_days_ago(learner, course, 91)
    Notification.objects.all().delete()
    if state == "answered":
        services.response_submit(
            user=learner,
            survey=survey,
            kind="follow_up",
            course_key=course.translation_key,
            answers=[],
        )
    elif state == "withdrawn":
        Enrolment.objects.filter(pk=enrolment.pk).update(status="withdrawn")
    elif state == "deleted":
        learner.delete()
    else:
        notifications.unsubscribe(token=notifications.unsubscribe_token(learner))
    assert services.follow_ups_send() == 0
    assert not Notification.objects.exists()


# ---------------------------------------------------------------- the link


def _link(learner, survey, course):
    token = services.follow_up_token(
        user=learner,
        survey_key=survey.translation_key,
        course_key=course.translation_key,
    )
    return reverse(
        "surveys:follow_up",
        kwargs={"survey_key": survey.translation_key, "token": token},
    )


def test_the_follow_up_link_works_without_a_session_once(client, learner, course):
    survey = build_survey("Three months on", FOLLOW_UP_QUESTIONS)
    attach(course, follow_up=survey)
    _completed_days_ago(learner, course, 91)
    url = _link(learner, survey, course)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Have you used the indicators in your work?" in text
    main = text.split("<main")[1].split("</main>")[0]
    assert 'type="radio"' in main and "<script" not in main
    data = _form_data(survey, yes_no="1", number="3", rating="4", text="A case")
    sent = client.post(url, data)
    assert sent.status_code == 302
    assert "saved" in client.get(sent["Location"]).content.decode()
    saved = SurveyResponse.objects.get()
    assert saved.user == learner and saved.kind == "follow_up"
    # Reused: the link says it was answered and stores nothing more.
    again = client.get(url)
    assert "already answered" in again.content.decode()
    assert client.post(url, data).status_code == 200
    assert SurveyResponse.objects.count() == 1


def test_forged_expired_and_other_survey_links_are_refused(client, learner, course):
    from django.core import signing

    survey = build_survey("Three months on", FOLLOW_UP_QUESTIONS)
    other = build_survey("Another", FOLLOW_UP_QUESTIONS)
    attach(course, follow_up=survey)
    _completed_days_ago(learner, course, 91)
    good = _link(learner, survey, course)
    forged = good.rstrip("/")[:-3] + "abc/"
    assert client.get(forged).status_code == 404
    token = signing.dumps(
        {
            "u": learner.pk,
            "s": survey.translation_key.hex,
            "c": course.translation_key.hex,
        },
        salt="another-salt",
        compress=True,
    )
    assert (
        client.get(
            reverse(
                "surveys:follow_up",
                kwargs={"survey_key": survey.translation_key, "token": token},
            )
        ).status_code
        == 404
    )
    # A link for one survey opened at another's address.
    token = good.rstrip("/").rsplit("/", 1)[1]
    wrong = reverse(
        "surveys:follow_up",
        kwargs={"survey_key": other.translation_key, "token": token},
    )
    assert client.get(wrong).status_code == 404
    # 61 days later.
    import time

    later = time.time() + 61 * 86400
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: later)
        response = client.get(good)
        assert response.status_code == 410
        assert "expired" in response.content.decode()
        assert client.post(good, _form_data(survey, yes_no="1")).status_code == 410
    assert not SurveyResponse.objects.exists()


def test_my_learning_with_surveys_waiting_stays_within_ten_queries(client, learner):
    """The "Tell us about your courses" section costs the same number of
    queries for one course waiting as for five, in the learner's language."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.factories import build_course, translate_tree

    survey = build_survey("Feedback", FEEDBACK_QUESTIONS)
    client.force_login(learner)

    def measure():
        client.get("/ru/my/")
        with CaptureQueriesContext(connection) as context:
            response = client.get("/ru/my/")
        assert response.status_code == 200
        return len(context.captured_queries), response.content.decode()

    first = build_course(title="Course 0", slug="course-0")
    translate_tree(first, "ru")
    attach(first, feedback=survey)
    complete_course(learner, first)
    one, text = measure()
    assert text.count("/surveys/feedback/") == 1
    for n in range(1, 5):
        course = build_course(title=f"Course {n}", slug=f"course-{n}")
        attach(course, feedback=survey)
        complete_course(learner, course)
    five, text = measure()
    assert text.count("/surveys/feedback/") == 5
    assert one == five <= 10, (one, five)


def test_a_number_too_large_to_keep_is_refused_with_a_reason(client, learner, course):
    survey = build_survey("Three months on", FOLLOW_UP_QUESTIONS)
    attach(course, follow_up=survey)
    _completed_days_ago(learner, course, 91)
    url = _link(learner, survey, course)
    number = survey.questions.get(kind="number")
    number.minimum = number.maximum = None
    number.save()
    data = _form_data(survey, yes_no="1", number="10000000000000")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "less than or equal to" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_the_link_closes_when_the_learner_withdraws(client, learner, course):
    from courses.models import Enrolment

    survey = build_survey("Three months on", FOLLOW_UP_QUESTIONS)
    attach(course, follow_up=survey)
    enrolment = _completed_days_ago(learner, course, 91)
    url = _link(learner, survey, course)
    Enrolment.objects.filter(pk=enrolment.pk).update(status="withdrawn")
    assert client.get(url).status_code == 410
    assert client.post(url, _form_data(survey, yes_no="1")).status_code == 410
    assert not SurveyResponse.objects.exists()


def test_the_feedback_page_stays_within_ten_queries(client, learner, course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    survey = build_survey("Feedback", FEEDBACK_QUESTIONS)
    attach(course, feedback=survey)
    complete_course(learner, course)
    client.force_login(learner)
    url = reverse("surveys:feedback", kwargs={"course_key": course.translation_key})
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    assert len(context.captured_queries) <= 10, [
        q["sql"][:120] for q in context.captured_queries
    ]
