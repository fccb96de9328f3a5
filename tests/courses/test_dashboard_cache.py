""" "My learning" reads the learner's own enrolments for each request and the
courses' titles and links (the same for everyone) from the content cache
(issue 12)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.factories import build_course
from training_platform.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_course_pages_come_from_the_cache_not_a_query_per_visit(client):
    first = build_course(modules=1, lessons=2, title="First course")
    second = build_course(modules=1, lessons=2, title="Second course")
    learner = UserFactory()
    for course in (first, second):
        services.enrolment_create(user=learner, course=course, source="self")
    services.item_progress_record(
        user=learner, page=first.get_course_items()[0], completed=False
    )
    client.force_login(learner)
    url = reverse("home:dashboard")
    client.get(url)

    with CaptureQueriesContext(connection) as context:
        page = client.get(url).content.decode()

    assert "First course" in page and "Second course" in page
    assert first.get_course_items()[0].url in page  # where to continue
    page_queries = [
        q["sql"] for q in context.captured_queries if '"wagtailcore_page"' in q["sql"]
    ]
    assert page_queries == []


def test_each_learner_sees_only_their_own_courses(client):
    mine = build_course(modules=1, lessons=1, title="Mine only")
    theirs = build_course(modules=1, lessons=1, title="Theirs only")
    me, them = UserFactory(), UserFactory()
    services.enrolment_create(user=me, course=mine, source="self")
    services.enrolment_create(user=them, course=theirs, source="self")
    url = reverse("home:dashboard")

    client.force_login(me)
    my_page = client.get(url).content.decode()
    client.force_login(them)
    their_page = client.get(url).content.decode()

    assert "Mine only" in my_page and "Theirs only" not in my_page
    assert "Theirs only" in their_page and "Mine only" not in their_page


def test_a_renamed_course_shows_at_once(client):
    course = build_course(modules=1, lessons=1, title="Old name")
    learner = UserFactory()
    services.enrolment_create(user=learner, course=course, source="self")
    client.force_login(learner)
    url = reverse("home:dashboard")
    assert "Old name" in client.get(url).content.decode()

    course.title = "New name"
    course.save_revision().publish()

    assert "New name" in client.get(url).content.decode()
