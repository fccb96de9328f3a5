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


def test_an_assessment_previews_as_a_learner_takes_it_without_an_attempt(learner):
    from assessments.factories import make_assessment
    from assessments.models import QuestionBank
    from courses.factories import build_course
    from courses.models import ModulePage

    course = build_course(title="Identifying victims", slug="identifying-victims")
    module = ModulePage.objects.child_of(course).first()
    bank = QuestionBank.objects.create(name="Pool")
    pool = [
        make_question(
            "truefalse", title=f"Pool {n}", text=f"<p>Pool question {n}</p>", bank=bank
        )
        for n in range(5)
    ]
    fixed = make_question("single", title="Fixed", text="<p>The fixed one</p>")
    page = make_assessment(
        module,
        title="Final",
        questions=[fixed],
        random_rules=[{"bank": bank, "count": 2}],
    )
    request = RequestFactory().get("/")
    request.user = learner
    html = page.serve_preview(request, "learner").content.decode()
    assert "The fixed one" in html
    drawn = [q for q in pool if q.text in html]
    assert len(drawn) == 2
    assert "Question 3" in html and "Question 4" not in html
    assert not Attempt.objects.exists()
    # Too few questions in the pool: said plainly, still nothing recorded.
    rule = page.random_rules.get()
    rule.count = 9
    rule.save()
    page = type(page).objects.get(pk=page.pk)
    html = page.serve_preview(request, "learner").content.decode()
    assert "Learners cannot take this assessment yet" in html
    assert not Attempt.objects.exists()
