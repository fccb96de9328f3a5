"""Is a course ready to publish? Every lesson has content, images have
alternative text, videos have captions or a transcript; the other apps add
their own checks (``register_check``): assessments have enough questions for
their pools, a course that issues certificates has a template, translations
are not out of date. Shown on the course's editor (``ReadinessPanel``) and
enforced when a trainer publishes the course (``CoursePageForm``).

The checks read each page's latest revision: what the trainer is about to
publish, not what learners see today."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    page_id: int
    page_title: str
    message: str

    @property
    def edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.page_id])


_checks: list[Callable] = []


def register_check(check: Callable) -> Callable:
    """``check(course, pages) -> list[Problem]``, where ``pages`` are the
    course's pages (latest revisions, specific) below it."""
    if check not in _checks:
        _checks.append(check)
    return check


def course_pages(course) -> list:
    """The pages below ``course`` as their latest revisions."""
    from wagtail.models import Page

    return [
        page.get_latest_revision_as_object()
        for page in Page.objects.descendant_of(course).specific().order_by("path")
    ]


def course_problems(course) -> list[Problem]:
    if course is None or not course.pk:
        return []
    pages = course_pages(course)
    problems = []
    for check in (_lessons, _translations, *_checks):
        problems.extend(check(course, pages))
    return problems


def _lessons(course, pages) -> list[Problem]:
    from .models import LessonPage

    problems = []
    for page in pages:
        if not isinstance(page, LessonPage):
            continue
        if not len(page.body):
            problems.append(
                Problem(page.pk, page.title, _("The lesson has no content."))
            )
            continue
        for block in page.body:
            if (
                block.block_type == "image"
                and not (block.value.get("alt_text") or "").strip()
            ):
                problems.append(
                    Problem(
                        page.pk,
                        page.title,
                        _("An image has no alternative text."),
                    )
                )
            if block.block_type == "video" and not (
                block.value.get("captions")
                or str(block.value.get("transcript") or "").strip()
            ):
                problems.append(
                    Problem(
                        page.pk,
                        page.title,
                        _(
                            "The video “%(title)s” has neither captions nor a "
                            "transcript."
                        )
                        % {"title": block.value.get("title", "")},
                    )
                )
    return problems


def _translations(course, pages) -> list[Problem]:
    """A translated course whose source has changed since: the strings still
    waiting for a translation, per page (wagtail-localize's progress)."""
    from django.apps import apps

    if not apps.is_installed("wagtail_localize"):
        return []
    from wagtail_localize.models import Translation

    by_key = {page.translation_key: page for page in [course, *pages]}
    translations = Translation.objects.filter(
        target_locale_id=course.locale_id,
        source__object_id__in=list(by_key),
        enabled=True,
    ).exclude(source__locale_id=course.locale_id)
    problems = []
    for translation in translations.select_related("source"):
        total, done = translation.get_progress()
        if done < total:
            page = by_key[translation.source.object_id]
            problems.append(
                Problem(
                    page.pk,
                    page.title,
                    _(
                        "The translation is out of date: %(missing)s texts of the "
                        "source are not translated yet."
                    )
                    % {"missing": total - done},
                )
            )
    return problems
