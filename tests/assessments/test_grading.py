"""The pure graders: every question type, partial credit, penalties,
tolerance, text normalisation, and property-based checks (hypothesis)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from assessments import grading
from assessments.grading import InvalidResponse, grade, validate


def choices(*flags):
    return [
        {"key": f"k{i}", "text": f"Choice {i}", "correct": flag, "feedback": f"fb{i}"}
        for i, flag in enumerate(flags)
    ]


SINGLE = {"kind": "single", "choices": choices(False, True, False)}


def multiple(*flags, scoring="partial", penalty=False):
    return {
        "kind": "multiple",
        "choices": choices(*flags),
        "scoring": scoring,
        "penalty": penalty,
    }


# ---------------------------------------------------------------- single


def test_single_choice_right_wrong_and_unanswered():
    assert grade(SINGLE, {"choice": "k1"}).fraction == 1
    assert grade(SINGLE, {"choice": "k1"}).state == grading.CORRECT
    assert grade(SINGLE, {"choice": "k0"}).fraction == 0
    assert grade(SINGLE, {"choice": "k0"}).feedback == ["fb0"]
    assert grade(SINGLE, None).state == grading.UNANSWERED


def test_single_choice_validation_refuses_a_choice_of_another_question_c10():
    with pytest.raises(InvalidResponse):
        validate(SINGLE, {"choice": "other-question-choice"})
    assert validate(SINGLE, {"choice": ""}) is None


# ---------------------------------------------------------------- multiple


def test_multiple_all_or_nothing():
    data = multiple(True, True, False, scoring="all")
    assert grade(data, {"choices": ["k0", "k1"]}).fraction == 1
    assert grade(data, {"choices": ["k0"]}).fraction == 0
    assert grade(data, {"choices": ["k0", "k1", "k2"]}).fraction == 0


def test_multiple_partial_credit_without_penalty():
    data = multiple(True, True, True, False)
    assert grade(data, {"choices": ["k0"]}).fraction == Fraction(1, 3)
    assert grade(data, {"choices": ["k0", "k1"]}).state == grading.PARTIAL
    assert grade(data, {"choices": ["k0", "k1", "k2", "k3"]}).fraction == 1


def test_multiple_partial_credit_with_penalty_for_wrong_picks():
    data = multiple(True, True, False, False, penalty=True)
    assert grade(data, {"choices": ["k0", "k1"]}).fraction == 1
    assert grade(data, {"choices": ["k0", "k2"]}).fraction == 0
    assert grade(data, {"choices": ["k0", "k1", "k2"]}).fraction == Fraction(1, 2)
    # Ticking everything earns nothing; never negative.
    assert grade(data, {"choices": ["k0", "k1", "k2", "k3"]}).fraction == 0
    assert grade(data, {"choices": ["k2", "k3"]}).fraction == 0


def test_multiple_validation_refuses_duplicates_and_foreign_ids_c10():
    data = multiple(True, False)
    with pytest.raises(InvalidResponse):
        validate(data, {"choices": ["k0", "k0"]})
    with pytest.raises(InvalidResponse):
        validate(data, {"choices": ["k0", "zz"]})
    with pytest.raises(InvalidResponse):
        validate(data, {"choices": "k0"})
    assert validate(data, {"choices": ["k1", "k0"]}) == {"choices": ["k0", "k1"]}


# ---------------------------------------------------------------- true/false


def test_true_false_with_feedback_per_answer():
    data = {
        "kind": "truefalse",
        "answer": False,
        "feedback_true": "No: consent is irrelevant.",
        "feedback_false": "Right.",
    }
    assert grade(data, {"value": False}).fraction == 1
    wrong = grade(data, {"value": True})
    assert wrong.fraction == 0
    assert wrong.feedback == ["No: consent is irrelevant."]
    with pytest.raises(InvalidResponse):
        validate(data, {"value": "yes"})


# ---------------------------------------------------------------- short text


def short(*accepted, **options):
    return {
        "kind": "short",
        "accepted": [
            {"text": t, "credit": str(c), "feedback": f"fb {t}"} for t, c in accepted
        ],
        **options,
    }


def test_short_answer_ignores_case_and_spaces_by_default():
    data = short(("National Referral Mechanism", 100))
    assert grade(data, {"text": "  national   referral mechanism "}).fraction == 1
    assert grade(data, {"text": "national referral"}).fraction == 0


def test_short_answer_case_sensitive_option():
    data = short(("NRM", 100), case_sensitive=True)
    assert grade(data, {"text": "NRM"}).fraction == 1
    assert grade(data, {"text": "nrm"}).fraction == 0


def test_short_answer_spaces_option_off_keeps_spaces_significant():
    data = short(("NRM", 100), trim_spaces=False)
    assert grade(data, {"text": " NRM"}).fraction == 0


def test_short_answer_diacritics_option():
    strict = short(("Petrović", 100))
    assert grade(strict, {"text": "Petrovic"}).fraction == 0
    loose = short(("Petrović", 100), ignore_diacritics=True)
    assert grade(loose, {"text": "Petrovic"}).fraction == 1
    assert grade(loose, {"text": "PETROVIĆ"}).fraction == 1
    # Cyrillic: ё/е and й/и are equal when diacritics are ignored.
    cyrillic = short(("Алёна", 100), ignore_diacritics=True)
    assert grade(cyrillic, {"text": "алена"}).fraction == 1


def test_short_answer_unicode_forms_are_equal():
    """NFD input (c + combining acute) matches the NFC accepted answer."""
    data = short(("Petrovi\u0107", 100))
    assert grade(data, {"text": "Petrovic\u0301"}).fraction == 1


def test_short_answer_partial_credit_takes_the_best_match():
    data = short(("referral", 50), ("national referral mechanism", 100))
    assert grade(data, {"text": "Referral"}).fraction == Fraction(1, 2)
    assert grade(data, {"text": "Referral"}).state == grading.PARTIAL


def test_short_answer_length_is_limited():
    with pytest.raises(InvalidResponse):
        validate(short(("a", 100)), {"text": "x" * 501})


# ---------------------------------------------------------------- numeric


def numeric(*answers):
    return {
        "kind": "numeric",
        "numeric": [
            {"value": str(v), "tolerance": str(t), "credit": str(c), "feedback": ""}
            for v, t, c in answers
        ],
    }


def test_numeric_with_tolerance_inclusive():
    data = numeric((90, 5, 100))
    assert grade(data, {"value": "90"}).fraction == 1
    assert grade(data, {"value": "95"}).fraction == 1
    assert grade(data, {"value": "85"}).fraction == 1
    assert grade(data, {"value": "95.0001"}).fraction == 0


def test_numeric_accepts_comma_decimal_separator_and_spaces():
    data = numeric((Decimal("3.5"), 0, 100))
    assert grade(data, {"value": "3,5"}).fraction == 1
    assert grade(numeric((1000, 0, 100)), {"value": "1 000"}).fraction == 1


def test_numeric_refuses_nan_and_infinity_as_numbers():
    data = numeric((0, 1000, 100))
    for raw in ("NaN", "Infinity", "-inf", "1e99999", "abc", ""):
        assert grade(data, {"value": raw}).fraction == 0


def test_numeric_partial_credit_for_a_wider_answer():
    data = numeric((90, 0, 100), (90, 10, 50))
    assert grade(data, {"value": "90"}).fraction == 1
    assert grade(data, {"value": "99"}).fraction == Fraction(1, 2)


# ---------------------------------------------------------------- matching


MATCHING = {
    "kind": "matching",
    "prompts": [
        {"key": "p1", "text": "Recruitment", "answer": "a1"},
        {"key": "p2", "text": "Transport", "answer": "a2"},
        {"key": "p3", "text": "Harbouring", "answer": "a3"},
        {"key": "p4", "text": "Receipt", "answer": "a3"},
    ],
    "answers": [
        {"key": "a1", "text": "Act A"},
        {"key": "a2", "text": "Act B"},
        {"key": "a3", "text": "Act C"},
        {"key": "a9", "text": "Distractor"},
    ],
}


def test_matching_gives_a_share_per_correct_pair():
    assert grade(MATCHING, {"pairs": {"p1": "a1", "p2": "a2"}}).fraction == Fraction(
        1, 2
    )
    assert (
        grade(
            MATCHING, {"pairs": {"p1": "a1", "p2": "a2", "p3": "a3", "p4": "a3"}}
        ).fraction
        == 1
    )
    assert grade(MATCHING, {"pairs": {"p1": "a9"}}).fraction == 0


def test_matching_validation_refuses_unknown_items_and_answers_c10():
    with pytest.raises(InvalidResponse):
        validate(MATCHING, {"pairs": {"zz": "a1"}})
    with pytest.raises(InvalidResponse):
        validate(MATCHING, {"pairs": {"p1": "zz"}})
    assert validate(MATCHING, {"pairs": {"p1": ""}}) is None


# ---------------------------------------------------------------- properties


keys = st.lists(st.booleans(), min_size=1, max_size=8)


@given(
    flags=keys,
    picks=st.lists(st.booleans(), min_size=8, max_size=8),
    partial=st.booleans(),
    penalty=st.booleans(),
)
def test_property_multiple_fraction_is_between_0_and_1(flags, picks, partial, penalty):
    correct = {i for i, f in enumerate(flags) if f}
    wrong = {i for i, f in enumerate(flags) if not f}
    chosen = {i for i in range(len(flags)) if picks[i]}
    value = grading.multiple_fraction(
        correct=correct, wrong=wrong, chosen=chosen, partial=partial, penalty=penalty
    )
    assert 0 <= value <= 1
    # Exactly the correct set always earns full marks.
    assert (
        grading.multiple_fraction(
            correct=correct,
            wrong=wrong,
            chosen=correct,
            partial=partial,
            penalty=penalty,
        )
        == 1
    )


@given(flags=keys, picks=st.lists(st.booleans(), min_size=8, max_size=8))
def test_property_partial_credit_is_monotonic_in_correct_picks(flags, picks):
    correct = {i for i, f in enumerate(flags) if f}
    wrong = {i for i, f in enumerate(flags) if not f}
    chosen = {i for i in range(len(flags)) if picks[i]}
    base = grading.multiple_fraction(
        correct=correct, wrong=wrong, chosen=chosen, partial=True, penalty=True
    )
    for extra in correct - chosen:
        more = grading.multiple_fraction(
            correct=correct,
            wrong=wrong,
            chosen=chosen | {extra},
            partial=True,
            penalty=True,
        )
        assert more >= base
    for extra in wrong - chosen:
        worse = grading.multiple_fraction(
            correct=correct,
            wrong=wrong,
            chosen=chosen | {extra},
            partial=True,
            penalty=True,
        )
        assert worse <= base


@given(flags=keys)
def test_property_ticking_everything_with_penalty_scores_nothing(flags):
    correct = {i for i, f in enumerate(flags) if f}
    wrong = {i for i, f in enumerate(flags) if not f}
    assume(correct and wrong)
    value = grading.multiple_fraction(
        correct=correct,
        wrong=wrong,
        chosen=correct | wrong,
        partial=True,
        penalty=True,
    )
    assert value == 0


@given(text=st.text(max_size=60))
def test_property_normalisation_is_idempotent(text):
    for options in (
        {},
        {"case_sensitive": True},
        {"diacritics": False},
        {"trim_spaces": False},
    ):
        once = grading.normalise_text(text, **options)
        assert grading.normalise_text(once, **options) == once


@given(text=st.text(min_size=1, max_size=40).filter(lambda t: t.strip()))
def test_property_an_accepted_answer_always_matches_itself(text):
    data = short((text, 100))
    assert grade(data, {"text": text}).fraction == 1
    assert grade(data, {"text": f"  {text.upper()}  "}).fraction in (0, 1)


@given(
    value=st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False),
    tolerance=st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False),
    offset=st.decimals(min_value=-2000, max_value=2000, places=3, allow_nan=False),
)
def test_property_numeric_tolerance_is_exactly_the_interval(value, tolerance, offset):
    data = numeric((value, tolerance, 100))
    given_value = value + offset
    expected = 1 if abs(offset) <= tolerance else 0
    assert grade(data, {"value": str(given_value)}).fraction == expected


@given(raw=st.text(max_size=45))
def test_property_numeric_parser_never_crashes_and_is_finite(raw):
    value = grading.parse_number(raw)
    assert value is None or value.is_finite()


@given(
    response=st.one_of(
        st.none(),
        st.dictionaries(
            st.sampled_from(["choice", "choices", "value", "text", "pairs"]),
            st.one_of(
                st.none(),
                st.booleans(),
                st.text(max_size=10),
                st.lists(st.text(max_size=3), max_size=4),
                st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=3),
            ),
        ),
    ),
    data=st.sampled_from(
        [
            SINGLE,
            multiple(True, False),
            MATCHING,
            numeric((1, 0, 100)),
            short(("a", 100)),
            {"kind": "truefalse", "answer": True},
        ]
    ),
)
def test_property_validated_responses_grade_within_bounds(response, data):
    """Whatever the browser sends: either refused, or graded in [0, 1]."""
    try:
        clean = validate(data, response)
    except InvalidResponse:
        return
    outcome = grade(data, clean)
    assert 0 <= outcome.fraction <= 1


@given(
    data=st.sampled_from(
        [
            SINGLE,
            multiple(True, True, False),
            MATCHING,
            numeric((7, 0, 100)),
            short(("NRM", 100)),
            {"kind": "truefalse", "answer": False},
        ]
    )
)
def test_property_correct_response_earns_full_marks(data):
    response = grading.correct_response(data)
    assert grade(data, validate(data, response)).fraction == 1


def test_marks_are_exact_decimals():
    assert grading.marks_for(Fraction(1, 3), Decimal("3")) == Decimal("1.000")
    assert grading.marks_for(Fraction(2, 3), Decimal("1")) == Decimal("0.667")
