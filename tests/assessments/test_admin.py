"""Trainer tools in the Wagtail admin: writing questions (with versions),
import, attempts (scoped, read-only), statistics, regrading with history."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments import selectors, services
from assessments.factories import QuestionBankFactory, make_assessment, make_question
from assessments.models import AttemptGrade, Question

from .helpers import correct_answers, slot_of_kind

pytestmark = pytest.mark.django_db


def draftail(text):
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "text": text,
                    "type": "unstyled",
                    "depth": 0,
                    "inlineStyleRanges": [],
                    "entityRanges": [],
                }
            ],
            "entityMap": {},
        }
    )


@pytest.fixture
def admin_client(trainer, mfa):
    mfa(trainer)
    client = Client()
    client.force_login(trainer)
    return client


def formset(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
        data[f"{prefix}-{index}-ORDER"] = str(index + 1)
        data[f"{prefix}-{index}-id"] = ""
    return data


def question_post(bank, *, choices):
    data = {
        "bank": str(bank.pk),
        "kind": "single",
        "title": "First step",
        "text": draftail("What comes first?"),
        "points": "1",
        "language": "en",
        "general_feedback": draftail(""),
        "scoring": "all",
        "shuffle_choices": "on",
        "trim_spaces": "on",
        "tags": "",
        "correct_answer": "",
    }
    data.update(formset("choices", choices))
    for prefix in ("accepted_answers", "numeric_answers", "pairs"):
        data.update(formset(prefix, []))
    return data


def test_trainer_writes_a_question_and_it_gets_a_version(admin_client):
    bank = QuestionBankFactory()
    response = admin_client.post(
        reverse("wagtailsnippets_assessments_question:add"),
        question_post(
            bank,
            choices=[
                {"text": "Safety", "correct": "on", "feedback": "Yes."},
                {"text": "Interview", "feedback": "Not yet."},
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get()
    assert question.current_version.number == 1
    assert [c["correct"] for c in question.current_version.data["choices"]] == [
        True,
        False,
    ]


def test_a_question_without_a_correct_choice_is_refused(admin_client):
    bank = QuestionBankFactory()
    response = admin_client.post(
        reverse("wagtailsnippets_assessments_question:add"),
        question_post(bank, choices=[{"text": "A"}, {"text": "B"}]),
    )
    assert response.status_code == 200
    assert "Mark exactly one choice as correct" in response.content.decode()
    assert not Question.objects.exists()


def test_editing_a_used_question_creates_a_new_version_and_attempts_keep_theirs(
    learner, module_page
):
    question = make_question(
        "single", choices=[("Withheld passport", False), ("Tourist visa", True)]
    )
    first = question.current_version
    page = make_assessment(module_page, questions=[question])
    attempt = services.attempt_start(user=learner, page=page)
    # Unused changes would update version 1 in place; this one is used.
    choice = question.choices.get(text="Withheld passport")
    choice.correct = True
    choice.save()
    wrong = question.choices.get(text="Tourist visa")
    wrong.correct = False
    wrong.save()
    second = services.question_version_sync(question=question)
    assert second.number == 2 and first.number == 1
    slot = attempt.slots.get()
    assert slot.version == first
    assert [c["correct"] for c in slot.version.data["choices"]] == [False, True]


def test_editing_an_unused_question_keeps_one_version(db):
    question = make_question("truefalse", correct_answer=True)
    question.correct_answer = False
    question.save()
    version = services.question_version_sync(question=question)
    assert version.number == 1 and version.data["answer"] is False
    assert question.versions.count() == 1


def test_import_view_reports_errors_and_imports_nothing(admin_client):
    bank = QuestionBankFactory()
    upload = SimpleUploadedFile(
        "bank.txt",
        b"Good question\nA. one\nB. two\nANSWER: A\n\nBad question\nA. one\n",
    )
    response = admin_client.post(
        reverse("assessments_admin:import"),
        {"bank": bank.pk, "format": "auto", "language": "en", "file": upload},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing was imported" in body and "Question 2 (line 6)" in body
    assert not Question.objects.exists()


def test_import_view_imports_gift(admin_client):
    bank = QuestionBankFactory()
    response = admin_client.post(
        reverse("assessments_admin:import"),
        {
            "bank": bank.pk,
            "format": "gift",
            "language": "ru",
            "tags": "referral, nrm",
            "text": "Жертва согласилась? {F}\n\nСколько дней? {#30}",
        },
    )
    assert response.status_code == 302
    questions = Question.objects.filter(bank=bank)
    assert questions.count() == 2
    assert {q.language for q in questions} == {"ru"}
    assert set(questions[0].tags.names()) == {"referral", "nrm"}


def test_learner_cannot_use_the_import_view(client, learner):
    client.force_login(learner)
    response = client.get(reverse("assessments_admin:import"))
    assert response.status_code in (302, 403)


def finish(user, page, answers_for):
    attempt = services.attempt_start(user=user, page=page)
    return services.attempt_submit(
        attempt=attempt, answers=answers_for(attempt), sequence=0
    )


def test_regrade_after_correcting_a_question_keeps_the_history(
    learner, trainer, module_page
):
    wrong_key = make_question(
        "single", choices=[("Withheld passport", False), ("Tourist visa", True)]
    )
    other = make_question("truefalse", correct_answer=True)
    page = make_assessment(module_page, questions=[wrong_key, other], pass_mark=100)

    def answers(attempt):
        slot = slot_of_kind(attempt, "single")
        passport = next(
            c["key"]
            for c in slot.version.data["choices"]
            if c["text"] == "Withheld passport"
        )
        return {slot.position: {"choice": passport}, **correct_answers(attempt, [2])}

    attempt = finish(learner, page, answers)
    assert attempt.percent == Decimal("50") and attempt.passed is False
    for choice in wrong_key.choices.all():
        choice.correct = choice.text == "Withheld passport"
        choice.save()
    summary = services.question_regrade(
        question=wrong_key, by=trainer, note="Wrong key"
    )
    assert (summary.attempts, summary.changed) == (1, 1)
    attempt.refresh_from_db()
    assert attempt.percent == Decimal("100") and attempt.passed is True
    history = list(AttemptGrade.objects.filter(attempt=attempt))
    assert [(g.reason, g.percent) for g in history] == [
        ("finish", Decimal("50")),
        ("regrade", Decimal("100")),
    ]
    assert history[1].created_by == trainer and history[1].note == "Wrong key"
    # The learner still sees the version they were asked ...
    slot = slot_of_kind(attempt, "single")
    assert slot.version.number == 1 and slot.graded_version.number == 2
    # ... and the review shows what counts as correct now.
    review = selectors.question_review(slot, selectors.FULL_REVIEW)
    correct = [c["text"] for c in review["choices"] if c["correct"]]
    assert correct == ["Withheld passport"]
    assert selectors.result_for(user=learner, page=page).percent == Decimal("100")
    # Regrading again changes nothing and adds no history.
    assert services.question_regrade(question=wrong_key).changed == 0
    assert AttemptGrade.objects.filter(attempt=attempt).count() == 2


def test_regrade_view(admin_client, learner, module_page):
    question = make_question("truefalse", correct_answer=True)
    page = make_assessment(module_page, questions=[question])
    finish(learner, page, correct_answers)
    url = reverse("assessments_admin:regrade", args=[question.pk])
    assert "1 finished attempt" in admin_client.get(url).content.decode()
    question.correct_answer = False
    question.save()
    response = admin_client.post(url, {"note": "Key fixed"})
    assert response.status_code == 302
    assert AttemptGrade.objects.filter(reason="regrade").count() == 1


def test_statistics_facility_and_discrimination(admin_client, trainer, module_page):
    """Hand-made data: q1 answered right by the three strongest learners
    only, q2 by everybody, q3 by the weakest only."""
    from training_platform.accounts.factories import UserFactory

    q1 = make_question("truefalse", title="Q1 discriminating", correct_answer=True)
    q2 = make_question("truefalse", title="Q2 easy", correct_answer=True)
    q3 = make_question("truefalse", title="Q3 inverted", correct_answer=True)
    q4 = make_question("truefalse", title="Q4 rest", correct_answer=True)
    page = make_assessment(module_page, questions=[q1, q2, q3, q4])
    plans = [  # which of q1, q2, q3, q4 each learner gets right
        (1, 1, 0, 1),
        (1, 1, 0, 1),
        (1, 1, 0, 1),
        (0, 1, 0, 0),
        (0, 1, 1, 0),
    ]
    for index, plan in enumerate(plans):
        user = UserFactory(email=f"stats{index}@example.org")

        def answers(attempt, plan=plan):
            out = {}
            for slot in attempt.slots.select_related("question"):
                right = plan[[q1, q2, q3, q4].index(slot.question)]
                out[slot.position] = {"value": bool(right)}
            return out

        finish(user, page, answers)
    stats = {
        row["title"]: row
        for row in selectors.question_statistics(
            assessment_key=page.translation_key, viewer=trainer
        )
    }
    assert stats["Q1 discriminating"]["facility"] == 60.0
    assert stats["Q2 easy"]["facility"] == 100.0
    assert stats["Q2 easy"]["discrimination"] is None  # no variance
    assert stats["Q3 inverted"]["facility"] == 20.0
    assert stats["Q1 discriminating"]["discrimination"] > 50
    assert stats["Q3 inverted"]["discrimination"] < 0
    body = admin_client.get(
        reverse("assessments_admin:statistics", args=[page.pk])
    ).content.decode()
    assert "Q1 discriminating" in body and "60.0%" in body


def test_attempts_in_the_admin_are_scoped_and_read_only(
    admin_client, coordinator, learner, module_page, mfa
):
    from training_platform.accounts.factories import UserFactory
    from training_platform.accounts.models import Country

    question = make_question("truefalse")
    page = make_assessment(module_page, questions=[question])
    serbian = finish(learner, page, correct_answers)
    moldovan_user = UserFactory(
        email="md@example.org",
        full_name="Moldovan Learner",
        country=Country.objects.get(code="MD"),
    )
    moldovan = finish(moldovan_user, page, correct_answers)
    index = reverse("assessments_attempt:index")
    body = admin_client.get(index).content.decode()
    assert "Ana Petrović" in body and "Moldovan Learner" in body
    inspect = reverse("assessments_attempt:inspect", args=[serbian.pk])
    body = admin_client.get(inspect).content.decode()
    assert "Grade history" in body and "Attempt finished" in body
    assert admin_client.get(
        reverse("assessments_attempt:edit", args=[serbian.pk])
    ).status_code in (302, 403)
    mfa(coordinator)
    coordinator_client = Client()
    coordinator_client.force_login(coordinator)
    body = coordinator_client.get(index).content.decode()
    assert "Ana Petrović" in body and "Moldovan Learner" not in body
    hidden = reverse("assessments_attempt:inspect", args=[moldovan.pk])
    assert coordinator_client.get(hidden, follow=True).status_code == 404


def test_assessment_page_add_form_renders_under_a_module(module_page, mfa):
    from training_platform.accounts.factories import UserFactory

    boss = UserFactory(email="boss@example.org")
    boss.is_superuser = boss.is_staff = True
    boss.save()
    mfa(boss)
    client = Client()
    client.force_login(boss)
    url = reverse(
        "wagtailadmin_pages:add",
        args=["assessments", "assessmentpage", module_page.pk],
    )
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Random questions" in body and "pre-test opens the course" in body.lower()


def test_assessment_form_says_feedback_waits_for_the_answers(module_page, trainer, mfa):
    """A trainer who shows feedback earlier than the correct answers learns
    from the form that the feedback waits for the answers."""
    mfa(trainer)
    client = Client()
    client.force_login(trainer)
    url = reverse(
        "wagtailadmin_pages:add",
        args=["assessments", "assessmentpage", module_page.pk],
    )
    response = client.get(url)
    assert response.status_code == 200
    assert (
        "Feedback often gives the answer away, so it is shown only when the "
        "correct answers may be shown too." in response.content.decode()
    )


# ---------------------------------------------------------------- coordinator scope


def _row_cells(body, title):
    """The cell texts of the listing row that names ``title``."""
    import re

    for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        if title in row:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
            return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
    raise AssertionError(f"no row for {title!r}")


@pytest.fixture
def two_countries(learner, module_page):
    """A pre-test and a post-test taken by a learner of Serbia (all right) and
    a learner of Moldova (all wrong in the pre-test, right in the post-test)."""
    from training_platform.accounts.factories import UserFactory
    from training_platform.accounts.models import Country

    from .helpers import wrong_answers

    questions = [
        make_question("truefalse", title="Scoped question", correct_answer=True)
    ]
    pre = make_assessment(
        module_page, title="Scoped pre-test", kind="pretest", questions=questions
    )
    post = make_assessment(
        module_page, title="Scoped post-test", kind="posttest", questions=questions
    )
    moldovan = UserFactory(
        email="md@example.org",
        full_name="Moldovan Learner",
        country=Country.objects.get(code="MD"),
    )
    finish(learner, pre, correct_answers)
    finish(learner, post, correct_answers)
    finish(moldovan, pre, wrong_answers)
    finish(moldovan, post, correct_answers)
    return pre, post


@pytest.fixture
def coordinator_client(coordinator, mfa):
    mfa(coordinator)
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    return client


def test_results_index_counts_only_the_coordinators_countries_e01(
    admin_client, coordinator_client, two_countries
):
    """E01: a coordinator of Serbia and Albania sees the attempts and average
    grade of their countries' learners, not those of Moldova."""
    url = reverse("assessments_admin:results")
    cells = _row_cells(admin_client.get(url).content.decode(), "Scoped pre-test")
    assert cells[2:5] == ["2", "2", "50%"]
    response = coordinator_client.get(url)
    assert response.status_code == 200
    cells = _row_cells(response.content.decode(), "Scoped pre-test")
    assert cells[2:5] == ["1", "1", "100%"]


def test_statistics_open_for_a_coordinator_and_are_scoped_e01(
    admin_client, coordinator_client, two_countries
):
    """The statistics page answered 500 to every coordinator; it opens, and
    its counts, facility index and knowledge gain leave out other countries
    (E01)."""
    pre, _post = two_countries
    url = reverse("assessments_admin:statistics", args=[pre.pk])
    body = admin_client.get(url).content.decode()
    assert "2 finished attempts of 2." in body
    assert _row_cells(body, "Scoped question")[:3] == ["Scoped question", "2", "50.0%"]
    assert "Learners who took both the pre-test and the post-test: 2." in body
    response = coordinator_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 finished attempts of 1." in body
    assert _row_cells(body, "Scoped question")[:3] == [
        "Scoped question",
        "1",
        "100.0%",
    ]
    assert "Learners who took both the pre-test and the post-test: 1." in body
    assert "Moldovan Learner" not in body


def test_statistics_selectors_need_the_viewer_e01(coordinator, trainer, two_countries):
    pre, _post = two_countries
    key = pre.translation_key
    assert selectors.attempts_summary(assessment_key=key, viewer=trainer)["total"] == 2
    assert (
        selectors.attempts_summary(assessment_key=key, viewer=coordinator)["total"] == 1
    )
    [row] = selectors.question_statistics(assessment_key=key, viewer=coordinator)
    assert row["attempts"] == 1 and row["facility"] == 100.0
