"""Question preview (issue 16): a question rendered as the learner's form
shows it, from the question's edit view, with the page around it in each
language; the correct answer is never in it and nothing is recorded."""

import pytest
from django.test import RequestFactory

from assessments.factories import make_question
from assessments.models import Attempt

pytestmark = pytest.mark.django_db


def test_a_question_previews_as_learners_see_it_in_each_language(learner):
    question = make_question(
        "single",
        title="Indicators",
        text="<p>Which is an indicator of forced labour?</p>",
        choices=[("Withheld identity documents", True), ("A written contract", False)],
    )
    request = RequestFactory().get("/")
    request.user = learner
    english = question.serve_preview(request, "en").content.decode()
    assert "Which is an indicator of forced labour?" in english
    assert 'type="radio"' in english and "Withheld identity documents" in english
    assert "Question 1" in english and 'lang="en"' in english
    assert "correct" not in english.lower().split("<main")[1]
    russian = question.serve_preview(request, "ru").content.decode()
    assert "Вопрос 1" in russian and 'lang="ru"' in russian
    assert not Attempt.objects.exists()


def test_the_question_editor_offers_the_preview(client, trainer, mfa):
    question = make_question("truefalse", title="True or false")
    mfa(trainer)
    client.force_login(trainer)
    from tests.courses.admin_forms import _FormFields

    page = client.get(f"/admin/snippets/assessments/question/edit/{question.pk}/")
    assert page.status_code == 200
    url = f"/admin/snippets/assessments/question/preview/{question.pk}/"
    assert url in page.content.decode()
    # What the editor's live preview does: post the form as edited, then
    # show the preview in a frame.
    form = _FormFields("w-editor-form")
    form.feed(page.content.decode())
    data = {**form.fields, "title": "True or false, edited"}
    response = client.post(url, data)
    assert response.json() == {"is_valid": True, "is_available": True}
    preview = client.get(url + "?mode=ru")
    assert preview.status_code == 200
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    html = preview.content.decode()
    assert "Вопрос 1" in html and 'type="radio"' in html
