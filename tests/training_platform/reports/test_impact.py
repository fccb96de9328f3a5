"""The impact section (issue 18) on a hand-made data set whose figures are
worked out by hand here: satisfaction, knowledge gain and use on the job per
course, the distribution of each question by country, suppression of small
counts (and of what would give them away), and the coordinator's scope."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from courses.factories import build_course, complete_course
from surveys import services
from surveys.factories import attach, build_survey
from training_platform.accounts.factories import CoordinatorFactory, UserFactory
from training_platform.accounts.models import Country
from training_platform.reports import suppression
from training_platform.reports.impact import ImpactFilters, impact_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


FEEDBACK = [
    ("rating", "How satisfied are you?", True, "satisfaction", ""),
    ("text", "What should we change?", False, "", ""),
]
FOLLOW_UP = [("yes_no", "Have you used the indicators?", True, "use", "")]
# Serbia: six learners; Albania: two. Ratings, use on the job, pre and post.
SERBIA = [
    (5, 1, 40, 80),
    (4, 1, 50, 70),
    (4, 0, 60, 90),
    (3, 1, 30, 60),
    (5, 1, 50, 50),
    (5, 0, 70, 100),
]
ALBANIA = [(2, None, 20, 40), (3, None, 40, 60)]


@pytest.fixture
def impact_data(db):
    from assessments.models import PaperResult

    course = build_course(title="Victim identification", slug="victim-id")
    feedback = build_survey("End of course", FEEDBACK)
    follow_up = build_survey("Six months on", FOLLOW_UP, named=True)
    attach(course, feedback=feedback, follow_up=follow_up)
    rating = feedback.questions.get(kind="rating").translation_key
    text = feedback.questions.get(kind="text").translation_key
    use = follow_up.questions.get().translation_key
    people = {}
    for code, rows in (("RS", SERBIA), ("AL", ALBANIA)):
        country = Country.objects.get(code=code)
        for n, (score, used, pre, post) in enumerate(rows):
            user = UserFactory(
                email=f"{code.lower()}{n}@example.org",
                full_name=f"Learner {code} {n}",
                country=country,
            )
            people[(code, n)] = user
            complete_course(user, course)
            services.response_submit(
                user=user,
                survey=feedback,
                kind="feedback",
                course_key=course.translation_key,
                answers=[(rating, score, ""), (text, None, f"Comment {code} {n}")],
            )
            if used is not None:
                services.response_submit(
                    user=user,
                    survey=follow_up,
                    kind="follow_up",
                    course_key=course.translation_key,
                    answers=[(use, used, "")],
                )
            for kind, percent in (("pretest", pre), ("posttest", post)):
                PaperResult.objects.create(
                    user=user,
                    course_key=course.translation_key,
                    session_key=course.translation_key,
                    kind=kind,
                    percent=percent,
                )
    return course, people


def _row(rows, label):
    (row,) = [r for r in rows if r["label"] == label]
    return row


def test_levels_and_distributions_are_worked_out(impact_data, administrator):
    course, _people = impact_data
    report = impact_report(administrator, ImpactFilters(), suppress=False)
    assert report.responses == 8 + 6
    (level,) = report.levels["rows"]
    assert level["label"] == "Victim identification"
    # (5+4+4+3+5+5+2+3) / 8 = 3.875
    assert level["l1"] == Decimal("3.88") and level["l1_n"] == 8
    # Post minus pre: mean post 68.75, mean pre 45 -> 23.75 points.
    assert level["l2_n"] == 8 and Decimal(level["l2"]) == Decimal("23.75")
    # Four of the six follow-up answers say yes.
    assert level["l3"] == Decimal("66.7") and level["l3_n"] == 6
    rates = report.rates["headline"]
    assert (rates["completed"], rates["feedback"], rates["feedback_rate"]) == (
        8,
        8,
        Decimal("100.0"),
    )
    (rating_table, use_table) = report.questions[0], report.questions[1]
    assert rating_table.text == "How satisfied are you?"
    serbia = _row(rating_table.rows, "Serbia")
    assert serbia["respondents"] == 6
    assert [serbia[f"option_{i}"] for i in range(5)] == [0, 0, 1, 2, 3]
    albania = _row(rating_table.rows, "Albania")
    assert [albania[f"option_{i}"] for i in range(5)] == [0, 1, 1, 0, 0]
    assert rating_table.headline["respondents"] == 8
    assert _row(use_table.rows, "Serbia")["share"] == Decimal("66.7")
    # By sex instead of country: one group (the factory's default).
    by_sex = impact_report(administrator, ImpactFilters(by="sex"), suppress=False)
    assert len(by_sex.questions[0].rows) == 1


def test_small_counts_are_suppressed_and_cannot_be_worked_out(
    impact_data, administrator
):
    report = impact_report(administrator, ImpactFilters(), suppress=True, limit=5)
    table = report.questions[0]
    albania = _row(table.rows, "Albania")
    assert isinstance(albania["respondents"], suppression.Suppressed)
    assert isinstance(albania["mean"], suppression.Hidden)
    serbia = _row(table.rows, "Serbia")
    # Albania = total - Serbia unless one of them is withheld too.
    assert isinstance(serbia["respondents"], suppression.Hidden) or isinstance(
        table.headline["respondents"], suppression.Hidden
    )
    # Options with 1 to 4 answers are suppressed in every shown row.
    for row in table.rows:
        for i in range(5):
            value = row[f"option_{i}"]
            assert not (isinstance(value, int) and 0 < value < 5)
    # Free text only from groups of at least five answers: Serbia's.
    texts = {t["text"] for t in report.texts}
    assert texts == {f"Comment RS {n}" for n in range(6)}
    assert all(t["name"] is None for t in report.texts)


def test_a_coordinator_sees_only_their_countries(impact_data, administrator):
    albania = CoordinatorFactory(countries=list(Country.objects.filter(code="AL")))
    report = impact_report(albania, ImpactFilters(), suppress=False)
    assert report.responses == 2
    table = report.questions[0]
    assert [r["label"] for r in table.rows] == ["Albania"]
    assert table.headline["respondents"] == 2
    assert report.levels["headline"]["l2_n"] == 2
    assert {t["country"] for t in report.texts} == {"Albania"}
    nobody = UserFactory()
    assert impact_report(nobody, ImpactFilters(), suppress=False).responses == 0


def test_named_surveys_show_names_with_free_text(impact_data, administrator):
    from surveys.models import Survey, SurveyAnswer

    course, people = impact_data
    follow_up = Survey.objects.get(title="Six months on")
    response = follow_up.responses.first()
    SurveyAnswer.objects.create(
        response=response,
        question_key=follow_up.questions.get().translation_key,
        text="I referred two people",
    )
    report = impact_report(administrator, ImpactFilters(), suppress=False)
    named = [t for t in report.texts if t["text"] == "I referred two people"]
    assert named and named[0]["name"] == response.user.full_name
    anonymous = [t for t in report.texts if t["text"].startswith("Comment")]
    assert anonymous and all(t["name"] is None for t in anonymous)
    # Naming the feedback survey later names nobody who answered before.
    Survey.objects.filter(title="End of course").update(named=True)
    report = impact_report(administrator, ImpactFilters(), suppress=False)
    anonymous = [t for t in report.texts if t["text"].startswith("Comment")]
    assert anonymous and all(t["name"] is None for t in anonymous)


def test_the_page_and_its_exports(impact_data, coordinator, staff_client):
    client = staff_client(coordinator)
    page = client.get(reverse("reports:impact"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Victim identification" in html and "How satisfied are you?" in html
    assert "&lt; 5" in html  # Albania's two answers
    report = client.get(reverse("reports:impact_export", kwargs={"kind": "report"}))
    assert report.status_code == 200
    book = load_workbook(io.BytesIO(report.content), read_only=True)
    assert "Response rates" in book.sheetnames
    # Coordinators cannot switch suppression off, nor take the answers row
    # by row: that is for administrators.
    exact = client.get(reverse("reports:impact") + "?suppress=0").content.decode()
    assert "&lt; 5" in exact and "Show exact numbers" not in exact
    assert "Download the anonymised answers" not in html
    responses_url = reverse("reports:impact_export", kwargs={"kind": "responses"})
    assert client.get(responses_url).status_code == 403


def test_administrators_take_the_anonymised_answers(
    impact_data, administrator, staff_client
):
    client = staff_client(administrator)
    responses = client.get(
        reverse("reports:impact_export", kwargs={"kind": "responses"})
    )
    book = load_workbook(io.BytesIO(responses.content), read_only=True)
    cells = [
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    assert "Comment RS 0" in cells
    # Anonymised: no names, no addresses.
    assert not [c for c in cells if "@example.org" in c or c.startswith("Learner ")]
    assert client.get("/en/coordinator/impact/other.xlsx").status_code == 404


def test_learners_cannot_open_the_impact_section(client, learner):
    client.force_login(learner)
    response = client.get(reverse("reports:impact"))
    assert response.status_code in (302, 403)


def test_trainers_read_the_impact_section_from_the_admin(
    impact_data, trainer, staff_client
):
    from courses.services import course_owner_set_up

    course_owner_set_up(course=impact_data[0], by=trainer)
    client = staff_client(trainer)
    admin = client.get("/admin/")
    assert reverse("reports:impact") in admin.content.decode()
    page = client.get(reverse("reports:impact"))
    assert page.status_code == 200
    assert "Comment RS 0" in page.content.decode()


def test_the_dashboard_shows_the_levels_and_exports_them(
    impact_data, administrator, staff_client
):
    client = staff_client(administrator)
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert 'id="impact"' in html and "66.7 %" in html and "3.88" in html
    export = client.get(
        reverse("reports:export", kwargs={"table": "impact", "fmt": "csv"})
    )
    text = b"".join(export.streaming_content).decode()
    assert "Victim identification" in text and "23.75" in text


def test_the_questions_of_a_survey_are_suppressed_together(db, administrator):
    """Two required questions have the same respondents per country: a count
    hidden in one table is hidden in the other too, so that no table gives
    back what another hides (A = 5, B = 3 answer both)."""
    course = build_course(title="Two questions", slug="two-questions")
    survey = build_survey(
        "Two",
        [
            ("yes_no", "First?", True, "", ""),
            ("yes_no", "Second?", True, "", ""),
        ],
    )
    attach(course, feedback=survey)
    first, second = (q.translation_key for q in survey.questions.order_by("sort_order"))
    plan = {"RS": [(1, 1)] * 3 + [(1, 0)] * 2, "AL": [(0, 1), (1, 1), (0, 0)]}
    for code, answers in plan.items():
        for a, b in answers:
            user = UserFactory(country=Country.objects.get(code=code))
            complete_course(user, course)
            services.response_submit(
                user=user,
                survey=survey,
                kind="feedback",
                course_key=course.translation_key,
                answers=[(first, a, ""), (second, b, "")],
            )
    report = impact_report(administrator, ImpactFilters(), suppress=True, limit=5)
    tables = report.questions
    assert len(tables) == 2
    hidden = [
        {
            row["label"]: isinstance(
                row["respondents"], suppression.Hidden | suppression.Suppressed
            )
            for row in [*table.rows, {**table.headline, "label": "All"}]
        }
        for table in tables
    ]
    assert hidden[0] == hidden[1]
    assert hidden[0]["Albania"]
    # Albania's 3 cannot be had from Serbia and the total in any table.
    assert hidden[0]["Serbia"] or hidden[0]["All"]


def test_d09_a_trainer_counts_the_courses_they_teach_only(impact_data):
    """Figures for a trainer come from their own courses; a trainer who also
    coordinates a country adds that country's figures, not everybody's."""
    from courses import services as course_services
    from training_platform.accounts.factories import TrainerFactory

    course, _people = impact_data
    teacher = TrainerFactory(email="teacher@example.org")
    course_services.course_owner_set_up(course=course, by=teacher)
    mine = impact_report(teacher, ImpactFilters(), suppress=False)
    assert mine.responses == 14
    assert mine.rates["headline"]["completed"] == 8
    assert mine.levels["headline"]["l2_n"] == 8

    elsewhere = TrainerFactory(email="elsewhere@example.org")
    other = impact_report(elsewhere, ImpactFilters(), suppress=False)
    assert other.responses == 0
    assert other.rates["headline"]["completed"] == 0
    assert other.levels["rows"] == []

    from training_platform.accounts import services as account_services

    account_services.role_grant(user=elsewhere, role="Coordinators")
    account_services.coordinator_set_countries(
        user=elsewhere, countries=[Country.objects.get(code="AL")]
    )
    elsewhere = type(elsewhere).objects.get(pk=elsewhere.pk)
    both = impact_report(elsewhere, ImpactFilters(), suppress=False)
    assert both.responses == 2
    assert [r["label"] for r in both.questions[0].rows] == ["Albania"]
    assert both.levels["headline"]["l2_n"] == 2
