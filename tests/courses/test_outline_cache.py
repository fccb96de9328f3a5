"""The course outline, navigation and language switcher are cached for
everyone alike (issue 12): each learner still sees only their own progress,
and a trainer's publish shows on the next request."""

import pytest
from django.contrib.auth.models import Group

from courses import selectors, services
from courses.factories import LessonPageFactory, translate_tree
from training_platform.accounts import roles
from training_platform.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def ticks(html):
    return html.count('class="outline-item is-done')


def test_two_learners_see_their_own_progress_on_the_same_cached_outline(
    client, course, lessons
):
    ana, boris = UserFactory(), UserFactory()
    for person in (ana, boris):
        services.enrolment_create(user=person, course=course, source="self")
    for lesson in lessons[:3]:
        services.item_progress_record(user=ana, page=lesson, completed=True)

    client.force_login(ana)
    ana_course = client.get(course.url).content.decode()
    client.force_login(boris)
    boris_course = client.get(course.url).content.decode()
    boris_lesson = client.get(lessons[3].url).content.decode()
    client.force_login(ana)
    ana_lesson = client.get(lessons[3].url).content.decode()

    assert ticks(ana_course) == 3
    assert ticks(boris_course) == 0
    # The lesson page lists its module (lessons 3 and 4): Ana has lesson 3
    # done; Boris, who opened lesson 4 after her, has nothing ticked.
    assert ticks(boris_lesson) == 0
    assert ticks(ana_lesson) == 1
    assert 'aria-valuenow="75"' in ana_course
    assert 'aria-valuenow="0"' in boris_course
    # The cached outline itself holds pages, never anyone's progress.
    modules, items = selectors.outline_pages(course)
    assert [i.pk for i in items] == [i.pk for i in lessons]
    assert not any(hasattr(i, "progress") for i in items)


def test_publishing_a_new_lesson_title_shows_at_once(client, learner, course, lessons):
    services.enrolment_create(user=learner, course=course, source="self")
    client.force_login(learner)
    assert "Lesson renamed" not in client.get(course.url).content.decode()
    client.get(lessons[1].url)  # the outline is cached now

    page = lessons[0].specific.__class__.objects.get(pk=lessons[0].pk)
    page.title = "Lesson renamed"
    page.save_revision().publish()

    assert "Lesson renamed" in client.get(course.url).content.decode()
    assert "Lesson renamed" in client.get(lessons[1].url).content.decode()


def test_a_new_lesson_and_an_unpublished_one_show_at_once(
    client, learner, course, lessons
):
    services.enrolment_create(user=learner, course=course, source="self")
    client.force_login(learner)
    client.get(course.url)
    module = lessons[0].get_parent()
    LessonPageFactory(parent=module, title="Brand new lesson")
    assert "Brand new lesson" in client.get(course.url).content.decode()

    lessons[2].specific.unpublish()
    html = client.get(course.url).content.decode()
    assert lessons[2].title not in html
    assert client.get(lessons[2].url).status_code == 404


def test_a_new_role_shows_its_navigation_at_once(client, learner, course):
    client.force_login(learner)
    assert "/coordinator/" not in client.get(course.url).content.decode()
    learner.groups.add(Group.objects.get(name=roles.COORDINATORS))
    assert "/coordinator/" in client.get(course.url).content.decode()
    learner.groups.clear()
    assert "/coordinator/" not in client.get(course.url).content.decode()


def test_a_role_given_from_the_groups_side_shows_at_once(client, learner, course):
    client.force_login(learner)
    assert "/coordinator/" not in client.get(course.url).content.decode()
    coordinators = Group.objects.get(name=roles.COORDINATORS)
    coordinators.user_set.add(learner)
    assert "/coordinator/" in client.get(course.url).content.decode()
    coordinators.user_set.clear()
    assert "/coordinator/" not in client.get(course.url).content.decode()


def test_another_users_new_role_keeps_this_users_navigation_cached(
    client, learner, course
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from training_platform.accounts.factories import UserFactory

    client.force_login(learner)
    client.get(course.url)
    with CaptureQueriesContext(connection) as before:
        client.get(course.url)
    UserFactory(email="new-learner@example.org")  # joins the Learners group
    with CaptureQueriesContext(connection) as after:
        client.get(course.url)
    assert len(after) == len(before)


def test_the_language_switcher_follows_a_new_translation(client, learner, course):
    client.force_login(learner)
    russian = "/ru/courses/identifying-victims/"
    assert russian not in client.get(course.url).content.decode()
    translate_tree(course, "ru")
    assert russian in client.get(course.url).content.decode()


def test_a_published_lesson_text_shows_at_once(client, learner, course, lessons):
    services.enrolment_create(user=learner, course=course, source="self")
    client.force_login(learner)
    lesson = lessons[0].specific.__class__.objects.get(pk=lessons[0].pk)
    assert f"Text of {lesson.title}." in client.get(lesson.url).content.decode()
    lesson.body = [("rich_text", "<p>Corrected text.</p>")]
    lesson.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    assert "Corrected text." in html
    assert f"Text of {lesson.title}." not in html
