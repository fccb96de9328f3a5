"""Twenty learners register at the same moment for the last place of a date
on PostgreSQL: exactly one gets it, the others wait in the order they
arrived, and a cancellation promotes exactly one (K13)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from courses import services as course_services
from training_platform.accounts.factories import UserFactory
from workshops import selectors, services
from workshops.models import Registration, RegistrationStatus

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PARALLEL = 20


def test_twenty_concurrent_registrations_for_the_last_place(
    course, make_session, trainer
):
    session = make_session(capacity=2)
    first = UserFactory()
    people = [UserFactory() for _ in range(PARALLEL)]
    for person in [first, *people]:
        course_services.enrolment_create(user=person, course=course, source="self")
    services.registration_create(user=first, session=session)  # one place left
    barrier = threading.Barrier(PARALLEL)
    errors = []

    def one(person):
        barrier.wait()
        try:
            services.registration_create(user=person, session=session)
        except Exception as error:  # noqa: BLE001 - the test reports any
            errors.append(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        list(pool.map(one, people))
    assert errors == []
    date = session.dates.get()
    rows = list(Registration.objects.filter(date=date).exclude(user=first))
    registered = [r for r in rows if r.status == RegistrationStatus.REGISTERED]
    waiting = sorted(
        (r for r in rows if r.status == RegistrationStatus.WAITING),
        key=lambda r: (r.queued_at, r.pk),
    )
    assert len(registered) == 1
    assert len(waiting) == PARALLEL - 1
    # Queued in the order the lock was granted: times and ids agree, and the
    # positions are 1, 2, ... without gaps or ties.
    assert [r.pk for r in waiting] == sorted(r.pk for r in waiting)
    assert [selectors.waiting_position(r) for r in waiting] == list(range(1, PARALLEL))

    # A cancellation frees one place: the first learner waiting gets it.
    services.session_cancel(
        user=registered[0].user, session=session, by=registered[0].user
    )
    now_registered = Registration.objects.filter(
        date=date, status=RegistrationStatus.REGISTERED
    ).exclude(user=first)
    assert [r.pk for r in now_registered] == [waiting[0].pk]
    assert (
        Registration.objects.filter(
            date=date, status=RegistrationStatus.WAITING
        ).count()
        == PARALLEL - 2
    )
