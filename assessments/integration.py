"""The few places where assessments talk to the courses app (below it in the
dependency order): course of a page, enrolment, progress."""

from decimal import Decimal

try:
    from courses import selectors as course_selectors
    from courses import services as course_services
except ImportError:  # the courses app is not merged yet
    course_selectors = course_services = None


def course_for(page):
    if course_selectors is None:
        return None
    try:
        return course_selectors.course_for_page(page)
    except Exception:  # noqa: BLE001 - a page outside a course
        return None


def course_key_for(page):
    course = course_for(page)
    return course.course_key if course is not None else None


def enrolment_for(user, page):
    if course_selectors is None:
        return None
    course = course_for(page)
    if course is None:
        return None
    return course_selectors.enrolment_for(user=user, course=course)


def may_take(user, page) -> bool:
    """An active enrolment in the page's course is needed to take it."""
    if course_selectors is None:
        return True
    enrolment = enrolment_for(user, page)
    return enrolment is not None and enrolment.status in ("active", "completed")


def progress_record(*, user, page, percent: Decimal, passed):
    """Feed the grade to course progress (server-graded, never client)."""
    if course_services is None:
        return None
    return course_services.item_progress_record(
        user=user,
        page=page,
        completed=True,
        score=percent.quantize(Decimal("0.01")),
        passed=passed,
        source="server",
    )
