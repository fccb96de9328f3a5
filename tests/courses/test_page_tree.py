"""The course tree rules trainers build within, and that every page type
renders (for learners and in the admin: edit and preview)."""

import pytest
from wagtail.test.utils import WagtailPageTestCase

from courses.factories import build_course, course_index
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from training_platform.home.models import HomePage


class TestCourseTreeRules(WagtailPageTestCase):
    def test_catalogue_only_under_home(self):
        self.assertCanCreateAt(HomePage, CourseIndexPage)
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_course_only_in_catalogue(self):
        self.assertCanCreateAt(CourseIndexPage, CoursePage)
        self.assertCanNotCreateAt(HomePage, CoursePage)
        self.assertCanNotCreateAt(ModulePage, CoursePage)
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})

    def test_module_only_in_course(self):
        self.assertCanCreateAt(CoursePage, ModulePage)
        self.assertCanNotCreateAt(CourseIndexPage, ModulePage)
        self.assertCanNotCreateAt(ModulePage, ModulePage)

    def test_lesson_only_in_module_and_has_no_children(self):
        self.assertCanCreateAt(ModulePage, LessonPage)
        self.assertCanNotCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_module_subpage_types_is_an_extendable_list(self):
        # Later apps append their page types in AppConfig.ready().
        assert isinstance(ModulePage.subpage_types, list)
        assert "courses.LessonPage" in ModulePage.subpage_types


class TestPageTypesRender(WagtailPageTestCase):
    def setUp(self):
        from courses import services
        from tests.conftest import enable_totp
        from training_platform.accounts.factories import (
            AdministratorFactory,
            UserFactory,
        )

        self.course = build_course(modules=1, lessons=1)
        self.module = self.course.get_children().specific().first()
        self.lesson = self.course.get_course_items()[0]
        self.learner = UserFactory()
        services.enrolment_create(user=self.learner, course=self.course, source="self")
        self.admin = AdministratorFactory(is_superuser=True)
        enable_totp(self.admin)

    def test_catalogue_renders(self):
        self.assertPageIsRenderable(course_index("en"))
        self.assertPageIsRenderable(course_index("ru"))

    def test_course_renders_for_visitors_and_learners(self):
        self.assertPageIsRenderable(self.course)
        self.assertPageIsRenderable(self.course, user=self.learner)

    def test_module_renders(self):
        self.assertPageIsRenderable(self.module, user=self.learner)

    def test_lesson_renders_for_an_enrolled_learner(self):
        self.assertPageIsRenderable(self.lesson, user=self.learner)

    def test_lesson_sends_visitors_to_log_in(self):
        response = self.client.get(self.lesson.url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_every_page_type_is_editable_and_previewable(self):
        from wagtail.test.utils.form_data import (
            nested_form_data,
            rich_text,
            streamfield,
        )

        for page in (course_index("en"), self.course, self.module):
            self.assertPageIsEditable(page, user=self.admin)
            self.assertPageIsPreviewable(page, user=self.admin)
        lesson_data = nested_form_data(
            {
                "title": self.lesson.title,
                "slug": self.lesson.slug,
                "summary": "",
                "estimated_minutes": 10,
                "completion_mode": "manual",
                "required_for_completion": "on",
                "body": streamfield(
                    [
                        ("rich_text", rich_text("<p>Indicators</p>")),
                        (
                            "callout",
                            {
                                "kind": "case_study",
                                "title": "A case",
                                "body": rich_text("<p>Twelve workers</p>"),
                            },
                        ),
                    ]
                ),
            }
        )
        self.assertPageIsEditable(self.lesson, post_data=lesson_data, user=self.admin)
        self.assertPageIsPreviewable(
            self.lesson, post_data=lesson_data, user=self.admin
        )


@pytest.mark.django_db
def test_catalogue_exists_in_english_and_russian_as_one_page():
    english, russian = course_index("en"), course_index("ru")
    assert english.translation_key == russian.translation_key
    assert english.live and russian.live
    assert russian.url.startswith("/ru/")


@pytest.mark.django_db
def test_trainers_can_add_courses_to_the_catalogue(trainer):
    for language in ("en", "ru"):
        permissions = course_index(language).permissions_for_user(trainer)
        assert permissions.can_add_subpage()
        assert permissions.can_publish_subpage()


@pytest.mark.django_db
def test_course_admin_panel_shows_counts(client, administrator, mfa, course, learner):
    from courses import services

    services.enrolment_create(user=learner, course=course, source="self")
    mfa(administrator)
    client.force_login(administrator)
    response = client.get(f"/admin/pages/{course.pk}/edit/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Enrolled" in text and "In progress" in text and "Completed" in text
