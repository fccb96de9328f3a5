"""The catalogue, a course page and a lesson page issue a fixed number of
queries whatever the number of courses, lessons and learners."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.factories import build_course, course_index, translate_tree
from training_platform.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

# Measured: see the report; the bounds are fixed, not derived from the data.
CATALOGUE_MAX = 24
COURSE_MAX = 24
LESSON_MAX = 27


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


def measure(client, url):
    client.get(url)  # warm caches (site root paths, catalogue URL, renditions)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def counts(client, learner, course):
    lesson = course.get_course_items()[1]
    return {
        "catalogue": measure(client, course_index("en").url),
        "catalogue_search": measure(
            client, course_index("en").url + "?q=Grow&level=introductory&topic=topic-0"
        ),
        "course": measure(client, course.url),
        "lesson": measure(client, lesson.url),
    }


def test_query_counts_stay_constant_as_data_grows(
    client, learner, django_assert_max_num_queries
):
    first = grow(courses=2, modules=1, lessons=2, learners=1)[0]
    services.enrolment_create(user=learner, course=first, source="self")
    client.force_login(learner)
    small = counts(client, learner, first)

    grow(courses=10, modules=3, lessons=4, learners=6)
    large = counts(client, learner, first)
    print("query counts small", small, "large", large)
    assert small == large

    lesson = first.get_course_items()[1]
    with django_assert_max_num_queries(CATALOGUE_MAX):
        client.get(course_index("en").url)
    with django_assert_max_num_queries(CATALOGUE_MAX):
        client.get(course_index("en").url + "?q=Grow&duration=medium&language=ru")
    with django_assert_max_num_queries(COURSE_MAX):
        client.get(first.url)
    with django_assert_max_num_queries(LESSON_MAX):
        client.get(lesson.url)
