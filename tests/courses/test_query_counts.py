"""The learner's pages (catalogue, course, module, lesson and "My learning")
issue at most 10 queries each for an enrolled learner, and the same number
whatever the number of courses, modules, lessons and learners (issue 12)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.factories import build_course, course_index, translate_tree
from training_platform.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

# Fixed, not derived from the data.
MAX_QUERIES = 10


def grow(courses, modules, lessons, learners):
    built = []
    for n in range(courses):
        course = build_course(
            modules=modules, lessons=lessons, title=f"Grow {len(built)} {n}"
        )
        course.topics.add(f"topic-{n % 3}")
        course.save_revision().publish()
        built.append(course)
    for course in built[:2]:
        translate_tree(course, "ru")
    for _ in range(learners):
        person = UserFactory()
        for course in built:
            services.enrolment_create(user=person, course=course, source="self")
            items = course.get_course_items()
            services.item_progress_record(user=person, page=items[0], completed=True)
    return built


def measure(client, url, queries=None):
    client.get(url)  # warm caches (site root paths, outline, navigation)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    if queries is not None:
        queries.extend(q["sql"] for q in context.captured_queries)
    return len(context.captured_queries)


def counts(client, course):
    lesson = course.get_course_items()[1]
    return {
        "catalogue": measure(client, course_index("en").url),
        "catalogue_search": measure(
            client, course_index("en").url + "?q=Grow&level=introductory&topic=topic-0"
        ),
        "course": measure(client, course.url),
        "module": measure(client, lesson.get_parent().url),
        "lesson": measure(client, lesson.url),
        "my_learning": measure(client, reverse("home:dashboard")),
        "home": measure(client, "/en/"),
    }


def test_learner_pages_stay_within_ten_queries_as_the_course_grows(client, learner):
    first = grow(courses=2, modules=1, lessons=2, learners=1)[0]
    services.enrolment_create(user=learner, course=first, source="self")
    services.item_progress_record(
        user=learner, page=first.get_course_items()[0], completed=True
    )
    client.force_login(learner)
    small = counts(client, first)

    # More courses, learners, and a much larger first course.
    grow(courses=6, modules=3, lessons=4, learners=4)
    from courses.factories import LessonPageFactory, ModulePageFactory

    for m in range(3):
        module = ModulePageFactory(parent=first, title=f"Extra M{m}")
        for n in range(4):
            LessonPageFactory(parent=module, title=f"Extra M{m} L{n}")
    large = counts(client, first)
    print("query counts small", small, "large", large)
    assert small == large
    assert max(large.values()) <= MAX_QUERIES, large


def test_anonymous_pages_stay_within_ten_queries_and_skip_the_site_lookup(client):
    """The catalogue (with filters), a course and the home page for a visitor
    who is not signed in; the site of the request and the pages' view
    restrictions are the same for every visitor and come from the content
    cache, not from a query each time."""
    course = grow(courses=3, modules=2, lessons=2, learners=2)[0]
    queries = []
    found = {
        "catalogue": measure(client, course_index("en").url, queries),
        "catalogue_search": measure(
            client,
            course_index("en").url + "?q=Grow&level=introductory&topic=topic-0",
            queries,
        ),
        "course": measure(client, course.url, queries),
        "home": measure(client, "/en/", queries),
    }
    print("anonymous query counts", found)
    assert max(found.values()) <= MAX_QUERIES, found
    assert not [sql for sql in queries if '"wagtailcore_site"' in sql]
    assert not [sql for sql in queries if '"wagtailcore_pageviewrestriction"' in sql]


def test_a_warm_lesson_view_reads_no_page_site_or_locale_rows(
    client, learner, settings
):
    """Routing, the site, the specific page, the pre-test gate and the
    catalogue link come from the content cache once warm: what is left is
    the learner's own rows (user, enrolment, progress, pre-test attempt)."""
    course = grow(courses=1, modules=1, lessons=2, learners=0)[0]
    services.enrolment_create(user=learner, course=course, source="self")
    client.force_login(learner)
    lesson = course.get_course_items()[1]
    client.get(lesson.url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(lesson.url).status_code == 200
    tables = " ".join(q["sql"] for q in context.captured_queries)
    assert "wagtailcore_page" not in tables, tables
    assert "wagtailcore_site" not in tables, tables
    assert "wagtailcore_locale" not in tables, tables


def test_a_publish_is_seen_on_the_next_view_through_the_process_store(client, learner):
    """The process memory in front of the shared cache never serves a page
    older than the last publish: the versions are read on every request."""
    course = grow(courses=1, modules=1, lessons=2, learners=0)[0]
    services.enrolment_create(user=learner, course=course, source="self")
    client.force_login(learner)
    lesson = course.get_course_items()[1].specific
    assert lesson.title.encode() in client.get(lesson.url).content
    lesson.title = "Renamed after the first view"
    lesson.save_revision().publish()
    assert b"Renamed after the first view" in client.get(lesson.url).content
