"""The demo's assessments as its learners see them."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape, strip_tags

from assessments import demo_content
from assessments.models import AssessmentPage, Attempt
from assessments.templatetags.assessments_tags import percent

pytestmark = pytest.mark.django_db


def _giveaways(data):
    """Texts of a question snapshot that state or narrow its answer."""
    texts = [strip_tags(data.get("general_feedback") or "")]
    texts += [c.get("feedback", "") for c in data.get("choices", [])]
    texts += [data.get("feedback_true", ""), data.get("feedback_false", "")]
    texts += [a["text"] for a in data.get("accepted", [])]
    texts += [a.get("feedback", "") for a in data.get("numeric", [])]
    return [t.strip() for t in texts if t and t.strip()]


def test_demo_pretest_reveals_nothing_the_post_test_asks_again():
    """Knowledge gain compares the pre-test with the post-test: no question
    the post-test asks again may have its answer or feedback shown in the
    review of the pre-test."""
    call_command("seed_demo")
    pre = AssessmentPage.objects.get(slug="pre-test", locale__language_code="en")
    post = AssessmentPage.objects.get(slug="post-test", locale__language_code="en")
    asked_again = {q.question for q in pre.fixed_questions.all()} & {
        q.question for q in post.fixed_questions.all()
    }
    assert asked_again  # the demo measures gain on the same questions
    giveaways = [
        text
        for question in asked_again
        for text in _giveaways(question.current_version.data)
    ]
    assert "At least 30 days." in giveaways
    for email, *_rest in demo_content.COHORT:
        attempt = Attempt.objects.get(
            user__email=email, assessment_key=pre.translation_key
        )
        client = Client()
        client.force_login(attempt.user)
        response = client.get(reverse("assessments:review", args=[attempt.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert f"data-grade>{percent(attempt.percent)}%<" in html  # the grade shows
        for text in giveaways:
            assert text not in html and escape(text) not in html, text
        assert "Correct answer" not in html
        assert ">Incorrect<" not in html and ">Correct<" not in html
