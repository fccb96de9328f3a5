# ruff: noqa: E501
"""Aiken and GIFT import: every supported type, per-question errors with
line numbers, and nothing imported when the file has an error."""

from decimal import Decimal

import pytest

from assessments import grading, importers, services
from assessments.factories import QuestionBankFactory
from assessments.models import Question

AIKEN = """\
Which of these is an indicator of trafficking?
A. The person holds their own passport
B. The employer keeps the person's identity documents
C. The person has a valid work permit
ANSWER: B

Who can make a first referral to the National Referral Mechanism?
A) Only the prosecutor
B) Any frontline official who suspects trafficking
ANSWER: B
"""

GIFT = r"""
// Identification of victims
$CATEGORY: trafficking/identification

::Consent::The consent of a victim to the intended exploitation is irrelevant when any of the means has been used.{T#It is irrelevant by the Palermo Protocol.#Correct.}

::Elements::Which are elements of the definition of trafficking? {
  ~%33.33333%The act
  ~%33.33333%The means
  ~%33.33334%The purpose of exploitation
  ~%-100%The crossing of a border#Trafficking can happen within one country.
}

::First contact::What should you do first when you identify a presumed victim?{
  =Ensure the person's immediate safety#Yes: safety first.
  ~Take a detailed statement at once#Not before the person is safe.
  ~Contact the embassy of the person's country
####Safety and basic needs come before interviews.}

::Reflection period::How many days is the minimum recovery and reflection period in the Council of Europe Convention?{#30}

::Hotline::Name the mechanism that coordinates the identification and referral of victims (three words).{=National Referral Mechanism =%50%Referral Mechanism#Partly: it is national.}

::Range::A value between 1 and 5 {#1..5}

::Roles::Match the agency with its role. {
  =Police -> Identification
  =Shelter -> Accommodation and protection
  =Prosecutor -> Criminal proceedings
}

Escaped \{braces\} and a colon\: here {=yes ~no}
"""


@pytest.fixture
def bank(db):
    return QuestionBankFactory(name="Trafficking")


def test_aiken_parses_single_choice_questions():
    parsed = importers.parse_aiken(AIKEN)
    assert not parsed.problems
    assert [q.kind for q in parsed.questions] == ["single", "single"]
    first = parsed.questions[0]
    assert [c[1] for c in first.choices] == [False, True, False]
    assert first.line == 1
    assert parsed.questions[1].line == 7


def test_aiken_errors_name_the_question_and_line():
    broken = (
        AIKEN
        + "\nA question without answer\nA. one\nB. two\n\nQ\nA. x\nB. y\nANSWER: E\n"
    )
    parsed = importers.parse_aiken(broken)
    messages = [str(p) for p in parsed.problems]
    assert len(messages) == 2
    assert "Question 3 (line 12)" in messages[0] and "ANSWER" in messages[0]
    assert "Question 4 (line 16)" in messages[1]


def test_gift_parses_every_supported_type():
    parsed = importers.parse_gift(GIFT)
    assert not parsed.problems, [str(p) for p in parsed.problems]
    kinds = {q.title: q for q in parsed.questions}
    assert kinds["Consent"].kind == "truefalse"
    assert kinds["Consent"].correct_answer is True
    assert kinds["Consent"].feedback_false.startswith("It is irrelevant")
    assert kinds["Elements"].kind == "multiple"
    assert kinds["Elements"].penalty
    assert [c[1] for c in kinds["Elements"].choices] == [True, True, True, False]
    first = kinds["First contact"]
    assert first.kind == "single" and first.choices[0][1]
    assert first.choices[0][2] == "Yes: safety first."
    assert "Safety and basic needs" in first.general_feedback
    assert kinds["Reflection period"].numeric == [
        (Decimal(30), Decimal(0), Decimal(100), "")
    ]
    hotline = kinds["Hotline"]
    assert hotline.kind == "short"
    assert hotline.accepted[1] == (
        "Referral Mechanism",
        Decimal(50),
        "Partly: it is national.",
    )
    assert kinds["Range"].numeric[0][:2] == (Decimal(3), Decimal(2))
    assert kinds["Roles"].kind == "matching"
    assert kinds["Roles"].pairs[0] == ("Police", "Identification")
    escaped = parsed.questions[-1]
    assert "{braces}" in escaped.text and "colon:" in escaped.text


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("No answers here", "missing"),
        ("Open {=a ~b", "closing"),
        ("Essay {}", "Essay"),
        ("Two right {=a =b ~c}", "Mark one right answer"),
        ("Number {#abc}", "not a number"),
        ("Range {#5..1}", "low to high"),
        ("Pairs {=a -> b}", "two pairs"),
        ("{=a ~b}", "text is missing"),
    ],
)
def test_gift_errors(source, fragment):
    parsed = importers.parse_gift(source)
    assert not parsed.questions
    assert fragment in str(parsed.problems[0])


def test_import_creates_questions_with_versions_that_grade(bank):
    result = services.questions_import(bank=bank, text=GIFT, fmt="gift", language="en")
    assert not result.problems
    assert Question.objects.filter(bank=bank).count() == 8
    for question in Question.objects.filter(bank=bank):
        data = question.current_version.data
        assert services.question_problems(data) == []
        assert grading.grade(data, grading.correct_response(data)).fraction == 1


def test_import_with_one_error_imports_nothing(bank):
    text = AIKEN + "\nBroken question\nA. only one option\nANSWER: A\n"
    result = services.questions_import(bank=bank, text=text, fmt="auto")
    assert result.format == "aiken"
    assert len(result.problems) == 1
    assert not Question.objects.exists()


def test_import_of_a_huge_file_is_refused(bank):
    result = services.questions_import(bank=bank, text="x" * 1_000_001, fmt="gift")
    assert result.problems and not Question.objects.exists()
