"""A coordinator registers learners of their countries for a session in
bulk: the course's bulk-enrolment file, its preview with per-row errors,
all or nothing, then the learners registered in the file's order (the
waiting list beyond the places)."""

import io
from datetime import time

import pytest
from django.core import mail

from courses.models import BulkEnrolment, Enrolment
from training_platform.accounts.factories import UserFactory
from training_platform.accounts.models import Country, User
from workshops.models import Registration

from .conftest import days_ahead

pytestmark = pytest.mark.django_db


def upload(client, session, text, date=None, name="people.csv"):
    sheet = io.BytesIO(text.encode())
    sheet.name = name
    data = {"file": sheet}
    if date is not None:
        data["date"] = date.pk
    return client.post(f"/en/workshops/staff/sessions/{session.pk}/bulk/", data)


@pytest.fixture
def webinar(make_session):
    return make_session(
        capacity=2,
        every_date_required=False,
        dates=[
            (days_ahead(10), time(10), time(12)),
            (days_ahead(17), time(10), time(12)),
        ],
    )


def test_a_file_enrols_and_registers_in_order_with_a_waiting_list(
    client, course, webinar, coordinator, mfa, enrol, django_capture_on_commit_callbacks
):
    enrolled = UserFactory(
        email="enrolled@example.org", country=Country.objects.get(code="RS")
    )
    enrol(enrolled, course)
    UserFactory(email="existing@example.org", country=Country.objects.get(code="AL"))
    mfa(coordinator)
    client.force_login(coordinator)
    first, second = webinar.dates.order_by("starts_at")
    response = upload(
        client,
        webinar,
        "email,full name,country,organisation,position\n"
        "new.person@example.org,Besa Krasniqi,AL,Border Police,Officer\n"
        "enrolled@example.org,,,,\n"
        "existing@example.org,,,,\n",
        date=second,
    )
    batch = BulkEnrolment.objects.get()
    assert response.url == f"/en/coordinator/enrolments/bulk/{batch.pk}/"
    assert batch.extra == {"step": "session", "session": webinar.pk, "date": second.pk}
    preview = client.get(response.url).content.decode()
    assert "Then registered for the session" in preview
    assert "2 places left" in preview
    assert "Enrol and register these learners" in preview
    assert not Registration.objects.exists()  # a preview changes nothing

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response.url, {"action": "apply"}, follow=True)
    assert "1 on the waiting list" in done.content.decode()
    new_person = User.objects.get(email="new.person@example.org")
    statuses = {
        r.user.email: (r.status, r.date_id, r.source, r.registered_by_id)
        for r in Registration.objects.select_related("user")
    }
    assert statuses == {
        "new.person@example.org": ("registered", second.pk, "staff", coordinator.pk),
        "enrolled@example.org": ("registered", second.pk, "staff", coordinator.pk),
        "existing@example.org": ("waiting", second.pk, "staff", coordinator.pk),
    }
    assert Enrolment.objects.filter(user=new_person).exists()
    # Each learner hears of the registration, with the invitation attached.
    invited = {
        m.to[0]
        for m in mail.outbox
        if any("text/calendar" in str(a) for a in m.attachments)
    }
    assert invited == {"new.person@example.org", "enrolled@example.org"}
    # Applying again changes nothing.
    client.post(response.url, {"action": "apply"})
    assert Registration.objects.count() == 3


def test_a_file_with_an_error_registers_nobody(
    client, course, webinar, coordinator, mfa
):
    mfa(coordinator)
    client.force_login(coordinator)
    response = upload(
        client,
        webinar,
        "email,full name,country\n"
        "good@example.org,Good Person,RS\n"
        "not-an-address,Someone,RS\n",
        date=webinar.dates.first(),
    )
    preview = client.get(response.url).content.decode()
    assert "This is not a valid e-mail address." in preview
    assert "Enrol and register these learners" not in preview
    client.post(response.url, {"action": "apply"})
    assert not Registration.objects.exists()
    assert not User.objects.filter(email="good@example.org").exists()


def test_learners_outside_the_coordinators_countries_are_not_registered_e01(
    client, course, webinar, coordinator, mfa
):
    """E01/E02: an account of another country reads like a new address and
    is neither enrolled nor registered."""
    georgian = UserFactory(
        email="giorgi@example.org", country=Country.objects.get(code="GE")
    )
    mfa(coordinator)
    client.force_login(coordinator)
    response = upload(
        client,
        webinar,
        "email,full name,country\ngiorgi@example.org,Giorgi,AL\n",
        date=webinar.dates.first(),
    )
    client.post(response.url, {"action": "apply"})
    assert not Registration.objects.filter(user=georgian).exists()
    assert not Enrolment.objects.filter(user=georgian).exists()


def test_only_coordinators_register_in_bulk(client, webinar, trainer, learner, mfa):
    mfa(trainer)
    for person in (trainer, learner):
        client.force_login(person)
        response = client.get(f"/en/workshops/staff/sessions/{webinar.pk}/bulk/")
        assert response.status_code == 403


def test_the_date_must_be_chosen_and_be_one_of_the_sessions(
    client, webinar, make_session, coordinator, mfa
):
    other = make_session(title="Other", slug="other")
    mfa(coordinator)
    client.force_login(coordinator)
    response = upload(
        client, webinar, "email\na@example.org\n", date=other.dates.first()
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not BulkEnrolment.objects.exists()
