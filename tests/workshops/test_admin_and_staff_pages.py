"""The Wagtail admin adds a session under a module with its dates (an
InlinePanel), and the staff's QR page shows a fresh check-in code."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.courses.admin_forms import page_form_data
from workshops.models import SessionPage

from .conftest import days_ahead

pytestmark = pytest.mark.django_db


def test_trainer_adds_a_session_with_two_dates_in_the_admin(module, trainer, mfa):
    mfa(trainer)
    client = Client()
    client.force_login(trainer)
    url = reverse(
        "wagtailadmin_pages:add", args=["workshops", "sessionpage", module.pk]
    )
    response = client.get(url)
    assert response.status_code == 200
    assert "Europe/Tirane" in response.content.decode()
    day = days_ahead(20).isoformat()
    data = page_form_data(
        client,
        url,
        title="Referral workshop in Tirana",
        slug="referral-workshop",
        kind="in_person",
        venue_city="Tirana",
        **{
            "dates-TOTAL_FORMS": "2",
            "dates-INITIAL_FORMS": "0",
            "dates-MIN_NUM_FORMS": "1",
            "dates-MAX_NUM_FORMS": "1000",
            "dates-0-day": day,
            "dates-0-start_time": "09:00",
            "dates-0-end_time": "17:00",
            "dates-0-time_zone": "Europe/Tirane",
            "dates-0-ORDER": "1",
            "dates-1-day": days_ahead(21).isoformat(),
            "dates-1-start_time": "09:00",
            "dates-1-end_time": "13:00",
            "dates-1-time_zone": "Europe/Tirane",
            "dates-1-ORDER": "2",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = SessionPage.objects.get(slug="referral-workshop", locale__language_code="en")
    page.get_latest_revision().publish()
    dates = list(page.dates.order_by("starts_at"))
    assert len(dates) == 2
    assert dates[0].local_start.hour == 9
    assert str(dates[0].local_start.tzinfo) == "Europe/Tirane"


def test_qr_page_shows_a_code_for_the_sessions_trainer(client, session, trainer, mfa):
    date = session.dates.order_by("starts_at").first()
    client.force_login(trainer)
    url = f"/en/workshops/staff/dates/{date.pk}/qr/"
    assert client.get(url).status_code == 302  # staff set up MFA first
    mfa(trainer)
    response = client.get(f"/en/workshops/staff/dates/{date.pk}/qr/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and 'http-equiv="refresh"' in body
    register = client.get(f"/en/workshops/staff/dates/{date.pk}/register/")
    assert register.status_code == 200
