"""Public views of the course pages. The page models call these; rules live in
services and selectors."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.translation import gettext as _

from . import enrolment_keys, selectors, services
from .models import (
    CompletionMode,
    EnrolmentMode,
    EnrolmentSource,
    EnrolmentStatus,
    Level,
)

PAGE_SIZE = 24


def _is_preview(request) -> bool:
    return bool(getattr(request, "is_preview", False))


# ---------------------------------------------------------------- catalogue


def catalogue_context(request, index_page) -> dict:
    params = request.GET
    locale = selectors.active_locale()
    filters = {
        "query": params.get("q", "").strip()[:200],
        "topic": params.get("topic", "").strip()[:100],
        "language": params.get("language", "").strip()[:10],
        "level": params.get("level", "").strip()[:20],
        "duration": params.get("duration", "").strip()[:20],
    }
    if filters["level"] not in Level.values:
        filters["level"] = ""
    if filters["duration"] not in selectors.DURATIONS:
        filters["duration"] = ""
    cards = selectors.catalogue_entries(
        user=request.user, locale=locale, request=request, **filters
    )
    paginator = Paginator(cards, PAGE_SIZE)
    page_obj = paginator.get_page(params.get("page"))
    from django.conf import settings

    query_without_page = params.copy()
    query_without_page.pop("page", None)
    return {
        "cards": page_obj.object_list,
        "page_obj": page_obj,
        "filters": filters,
        "filtering": any(filters.values()),
        "topics": selectors.catalogue_topics(locale=locale),
        "levels": Level.choices,
        "durations": [
            ("short", _("Up to 2 hours")),
            ("medium", _("2 to 5 hours")),
            ("long", _("5 to 10 hours")),
            ("very_long", _("More than 10 hours")),
        ],
        "language_choices": settings.LANGUAGES,
        "query_without_page": query_without_page.urlencode(),
        "result_count": paginator.count,
    }


# ---------------------------------------------------------------- course


def course_context(request, course) -> dict:
    user = request.user
    outline = selectors.course_outline(course=course, user=user)
    enrolment = outline.enrolment
    prerequisites = selectors.prerequisites_status(course=course, user=user)
    action = _enrol_action(course, enrolment, prerequisites, user)
    return {
        "outline": outline,
        "extras": selectors.course_page_extras(course, request),
        "enrolment": enrolment,
        "prerequisites": prerequisites,
        "prerequisites_met": all(p.met for p in prerequisites),
        "action": action,
        "continue_page": outline.next_item if enrolment else None,
        "lesson_count": len(outline.items),
        "is_preview": _is_preview(request),
        "enrol_url": course.url + course.reverse_subpage("enrol") if course.url else "",
        "withdraw_url": course.url + course.reverse_subpage("withdraw")
        if course.url
        else "",
        "again_url": course.url + course.reverse_subpage("again") if course.url else "",
        "new_round_refusal": selectors.new_round_refusal(enrolment)
        if action == EnrolmentStatus.COMPLETED
        else None,
        "next_steps": _completed_next_steps(user, course)
        if action == EnrolmentStatus.COMPLETED
        else [],
    }


def _completed_next_steps(user, course) -> list[dict]:
    from .signals import completed_next_steps

    steps = (step(user, course.translation_key) for step in completed_next_steps)
    return [step for step in steps if step]


def _enrol_action(course, enrolment, prerequisites, user) -> str:
    """Which enrolment block the course page shows."""
    if enrolment is not None and enrolment.status != EnrolmentStatus.WITHDRAWN:
        return enrolment.status  # pending / active / completed
    if not user.is_authenticated:
        return "login"
    window = course.enrolment_window_state()
    if window != "open":
        return window  # not_yet / closed
    if any(not p.met for p in prerequisites):
        return "prerequisites"
    if course.enrolment_mode == EnrolmentMode.INVITATION:
        return "invitation"
    if course.capacity is not None and services._seats_taken(course) >= (
        course.capacity
    ):
        return "full"
    return course.enrolment_mode  # open / key / approval


def course_enrol(request, course):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(course.url)
    key = request.POST.get("key", "")[:200]
    try:
        if key:
            enrolment = enrolment_keys.enrolment_create_with_key(
                request=request, course=course, key=key
            )
        else:
            enrolment = services.enrolment_create(
                user=request.user, course=course, source=EnrolmentSource.SELF
            )
    except services.EnrolmentError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(course.url)
    if enrolment.status == EnrolmentStatus.PENDING:
        messages.success(
            request,
            _(
                "Your request has been sent to the coordinators of your country. "
                "You will receive an e-mail when it is decided."
            ),
        )
        return HttpResponseRedirect(course.url)
    messages.success(request, _("You are enrolled. Welcome to the course!"))
    return _to_next_item(request, course)


def _to_next_item(request, course):
    """On to where the learner carries on in the course (its page when done)."""
    target = selectors.course_outline(course=course, user=request.user).next_item
    return HttpResponseRedirect(target.url if target is not None else course.url)


def course_withdraw(request, course):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(course.url)
    enrolment = selectors.enrolment_for(user=request.user, course=course)
    if enrolment is not None:
        try:
            services.enrolment_withdraw(enrolment=enrolment, by=request.user)
        except services.EnrolmentError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(course.url)
        messages.success(
            request,
            _("You have left the course. Your progress is kept if you enrol again."),
        )
    return HttpResponseRedirect(course.url)


def course_new_round(request, course):
    """Take the completed course again (a new round)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login(course.url)
    enrolment = selectors.enrolment_for(user=request.user, course=course)
    if enrolment is None:
        return HttpResponseRedirect(course.url)
    try:
        services.enrolment_start_new_round(
            enrolment=enrolment, by=request.user, course=course
        )
    except services.EnrolmentError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(course.url)
    messages.success(
        request,
        _(
            "You are taking the course again. Your earlier completion and "
            "certificate stay on record."
        ),
    )
    return _to_next_item(request, course)


# ---------------------------------------------------------------- module


def module_context(request, module) -> dict:
    course = selectors.course_for_page(module)
    outline = selectors.course_outline(
        course=course, user=request.user, current_page=module
    )
    current = next((m for m in outline.modules if m.page.pk == module.pk), None)
    return {"course": course, "outline": outline, "module_outline": current}


# ---------------------------------------------------------------- lesson


def lesson_serve_guard(request, lesson):
    """Lessons are for enrolled learners (and for the course's editors, whose
    visits record nothing). Returns a response to send instead, or None."""
    if _is_preview(request):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = selectors.course_item_access(
        user=request.user, page=lesson, request=request
    )
    course, enrolment = access.course, access.enrolment
    lesson._enrolment = enrolment
    if access.allowed:
        return None
    if enrolment is not None and enrolment.status == EnrolmentStatus.PENDING:
        messages.info(request, _("Your enrolment is waiting for approval."))
    else:
        messages.info(request, _("Enrol in the course to open its lessons."))
    return HttpResponseRedirect(course.url)


def lesson_context(request, lesson) -> dict:
    course = selectors.course_for_page(lesson)
    preview = _is_preview(request)
    user = request.user
    enrolment = None if preview else getattr(lesson, "_enrolment", None)
    progress = selectors.progress_by_item(enrolment=enrolment)
    if enrolment is not None and enrolment.is_open and request.method == "GET":
        # Opening a lesson records progress: complete for "view" lessons,
        # started for the others; repeated visits write nothing.
        current = progress.get(lesson.translation_key)
        wants_complete = lesson.completion_mode == CompletionMode.VIEW
        if (
            current is None
            or (wants_complete and not current.is_completed)
            or enrolment.last_page_id != lesson.pk
        ):
            progress[lesson.translation_key] = services.item_progress_record(
                user=user, page=lesson, completed=wants_complete
            )
            enrolment.refresh_from_db(fields=["progress_percent", "status"])
    outline = selectors.course_outline(
        course=course,
        user=user,
        current_page=lesson,
        enrolment=enrolment,
        progress=progress,
    )
    previous, following = outline.neighbours(lesson)
    current_item = next((i for i in outline.items if i.page.pk == lesson.pk), None)
    module = next((m for m in outline.modules if m.current), None)
    return {
        "course": course,
        "outline": outline,
        "module_outline": module,
        "previous_page": previous,
        "next_page": following,
        "item": current_item,
        "lesson_completed": bool(current_item and current_item.completed),
        "can_mark_complete": (
            not preview
            and outline.enrolment is not None
            and outline.enrolment.is_open
            and lesson.completion_mode == CompletionMode.MANUAL
        ),
        "complete_url": lesson.url + lesson.reverse_subpage("complete")
        if lesson.url
        else "",
        "is_preview": preview,
    }


def lesson_complete(request, lesson):
    """POST: the learner marks a manual lesson as complete, then goes on to the
    next item. Safe to repeat (double clicks, two tabs)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    enrolment = getattr(lesson, "_enrolment", None)
    if enrolment is None or not enrolment.is_open:
        return HttpResponseRedirect(lesson.url)
    if lesson.completion_mode == CompletionMode.MANUAL:
        services.item_progress_record(user=request.user, page=lesson, completed=True)
    course = selectors.course_for_page(lesson)
    outline = selectors.course_outline(course=course, user=request.user)
    if outline.enrolment and outline.enrolment.status == EnrolmentStatus.COMPLETED:
        messages.success(request, _("Well done: you have completed the course!"))
        return HttpResponseRedirect(course.url)
    _previous, following = outline.neighbours(lesson)
    return HttpResponseRedirect(following.url if following else course.url)
