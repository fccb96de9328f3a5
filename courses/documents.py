"""Who may download a document that course content uses (E05).

A document linked from a lesson (or any other course item) is for the people
who may open that item: learners with an open enrolment in its course and the
course's editors. A document no course item uses, or one that a live public
page links as well, is left to Wagtail's own rules (collection privacy).
Usage comes from Wagtail's reference index, which records the documents each
page links, from blocks and from rich text alike."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, ReferenceIndex

from . import selectors
from .models import CourseItemMixin, CoursePage


@dataclass(frozen=True)
class DocumentAccess:
    allowed: bool
    # When refused: the course whose enrolment would give access.
    course: CoursePage | None = None


def pages_using(document) -> list[Page]:
    """The pages (as their specific classes) whose content links ``document``."""
    page_ids = ReferenceIndex.get_references_to(document).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    return list(
        Page.objects.filter(
            pk__in=[int(pk) for pk in page_ids.values_list("object_id", flat=True)]
        )
        .specific()
        .order_by("-live", "path")
    )


def user_may_open_course_item(*, user, page) -> bool:
    """The rule lessons apply when served (``selectors.course_item_access``)."""
    return selectors.course_item_access(user=user, page=page).allowed


def _is_public(page) -> bool:
    return page.live and not page.get_view_restrictions().exists()


def document_access(*, user, document) -> DocumentAccess:
    pages = pages_using(document)
    items = [page for page in pages if isinstance(page, CourseItemMixin)]
    if not items:
        return DocumentAccess(allowed=True)
    if any(_is_public(page) for page in pages if page not in items):
        return DocumentAccess(allowed=True)
    if any(user_may_open_course_item(user=user, page=item) for item in items):
        return DocumentAccess(allowed=True)
    return DocumentAccess(allowed=False, course=selectors.course_for_page(items[0]))
