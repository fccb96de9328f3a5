"""seed_demo adds a past two-day workshop in Tirana with a partly filled
register and a future webinar, and running it again changes nothing."""

import pytest
from django.core.management import call_command

from assessments.models import PaperResult
from workshops.models import Attendance, Registration, SessionPage

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_a_workshop_and_a_webinar():
    call_command("seed_demo")
    workshop = SessionPage.objects.get(slug="workshop-tirana")
    webinar = SessionPage.objects.get(slug="webinar-referral")
    assert workshop.venue_city == "Tirana" and webinar.kind == "online"
    assert all(d.is_over() for d in workshop.dates.all())
    assert not any(d.is_over() for d in webinar.dates.all())
    marks = Attendance.objects.filter(date__page=workshop).count()
    assert marks == 7  # four on the first day, three on the second
    # Paper scores of the workshop: four pre-tests, three post-tests.
    paper = PaperResult.objects.filter(session_key=workshop.translation_key)
    assert (
        sorted(paper.values_list("kind", flat=True))
        == ["posttest"] * 3 + ["pretest"] * 4
    )
    counts = (
        Registration.objects.count(),
        Attendance.objects.count(),
        PaperResult.objects.count(),
    )
    call_command("seed_demo")
    assert (
        Registration.objects.count(),
        Attendance.objects.count(),
        PaperResult.objects.count(),
    ) == counts
