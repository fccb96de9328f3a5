"""Builders of course trees for tests, benchmarks and ``seed_demo``."""

import factory
from wagtail.models import Locale

from .models import CourseIndexPage, CoursePage, LessonPage, ModulePage


def course_index(language="en") -> CourseIndexPage:
    """The catalogue page of ``language`` (created by the reference data)."""
    return CourseIndexPage.objects.get(locale__language_code=language)


def _publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _add(parent, page):
    page.locale = parent.locale
    parent.add_child(instance=page)
    return _publish(page)


class CoursePageFactory(factory.Factory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "What the course is about."
    objectives = "<ul><li>Identify indicators</li></ul>"
    estimated_hours = 2

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        parent = parent or course_index()
        return _add(parent, model_class(**kwargs))


class ModulePageFactory(factory.Factory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Module {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        return _add(parent, model_class(**kwargs))


class LessonPageFactory(factory.Factory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lesson {n}")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    completion_mode = "manual"
    body = factory.LazyAttribute(
        lambda o: [("rich_text", f"<p>Text of {o.title}.</p>")]
    )

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        return _add(parent, model_class(**kwargs))


def build_course(*, modules=2, lessons=2, parent=None, lesson_kwargs=None, **fields):
    """A published course with ``modules`` modules of ``lessons`` lessons."""
    course = CoursePageFactory(parent=parent, **fields)
    for m in range(modules):
        module = ModulePageFactory(parent=course, title=f"{course.title} M{m + 1}")
        for n in range(lessons):
            LessonPageFactory(
                parent=module,
                title=f"{course.title} M{m + 1} L{n + 1}",
                **(lesson_kwargs or {}),
            )
    return course


def translate(page, language, **fields):
    """Publish a translation of ``page`` (its parent must be translated)."""
    locale = Locale.objects.get(language_code=language)
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    copy = page.specific.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    return _publish(copy).specific


def translate_tree(course, language, title_prefix="RU "):
    """Translate a course and every page under it."""
    translated = translate(course, language, title=f"{title_prefix}{course.title}")
    for page in course.get_descendants().order_by("path").specific():
        translate(page, language, title=f"{title_prefix}{page.title}")
    return translated


def complete_course(user, course, *, score=None):
    """Enrol ``user`` in ``course`` and complete every item through the
    courses services (tests and demos). Returns the enrolment and its
    completion."""
    from decimal import Decimal

    from . import services

    enrolment = services.enrolment_create(user=user, course=course, source="self")
    for item in course.get_course_items():
        services.item_progress_record(
            user=user,
            page=item,
            completed=True,
            score=score if score is not None else Decimal("92"),
            passed=True,
            source="server",
        )
    enrolment.refresh_from_db()
    return enrolment, getattr(enrolment, "completion", None)
