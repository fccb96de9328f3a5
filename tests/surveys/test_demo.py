"""The demo (issue 18): the demo course has a feedback survey and a 90-day
follow-up, both in English and Russian, with answers from the demo cohort in
both languages; seeding again adds nothing."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_surveys_and_answers_in_two_languages(tmp_path):
    from surveys import selectors
    from surveys.models import Survey, SurveyResponse

    with open(tmp_path / "seed.log", "w") as log:
        call_command("seed_demo", stdout=log)
    assert "Surveys:" in (tmp_path / "seed.log").read_text()
    assert Survey.objects.filter(locale__language_code="ru").count() == 2
    kinds = set(SurveyResponse.objects.values_list("kind", "language"))
    assert {("feedback", "en"), ("feedback", "ru")} <= kinds
    assert any(kind == "follow_up" for kind, _language in kinds)
    course_key = SurveyResponse.objects.first().course_key
    row = selectors.course_surveys(course_key)
    assert row.follow_up_days == 90 and row.feedback_survey and row.follow_up_survey
    before = SurveyResponse.objects.count()
    with open(tmp_path / "again.log", "w") as log:
        call_command("seed_demo", stdout=log)
    assert SurveyResponse.objects.count() == before
