"""Learner views: start, take (with autosave), submit, review. They hold no
rules: services decide, selectors say what may be shown."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import clock, forms, integration, selectors, services
from .models import AssessmentPage


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _attempt_or_404(request, pk):
    attempt = selectors.attempt_for_user(user=request.user, attempt_id=pk)
    if attempt is None:
        raise Http404
    return attempt


def _images(questions):
    from wagtail.images import get_image_model

    ids = {q["image"] for q in questions if q.get("image")}
    if not ids:
        return
    images = get_image_model().objects.in_bulk(ids)
    for question in questions:
        question["image_obj"] = images.get(question.get("image"))


@login_required
@require_POST
def start(request, page_id):
    page = get_object_or_404(AssessmentPage.objects.live(), pk=page_id)
    try:
        attempt = services.attempt_start(user=request.user, page=page)
    except services.AttemptError as error:
        messages.error(request, error.message)
        return redirect(page.url)
    return redirect("assessments:attempt", pk=attempt.pk)


@login_required
@require_GET
@never_cache
def attempt(request, pk):
    attempt = services.attempt_refresh(attempt=_attempt_or_404(request, pk))
    if not attempt.is_open:
        return redirect("assessments:review", pk=attempt.pk)
    page = attempt.page
    try:
        page_number = int(request.GET.get("page", attempt.current_page))
    except ValueError:
        page_number = attempt.current_page
    if not 0 <= page_number < attempt.page_count or (
        page.navigation == "sequential" and page_number != attempt.current_page
    ):
        # C08: no jumping ahead (or back) in sequential navigation.
        return redirect(
            reverse("assessments:attempt", args=[attempt.pk])
            + f"?page={attempt.current_page}"
        )
    every = services.slots_by_position(attempt)
    slots = [s for s in every.values() if s.page_number == page_number]
    questions = [selectors.question_public(slot) for slot in slots]
    selectors.render_question_texts(questions, slots)
    remaining = None
    if attempt.deadline:
        remaining = max(0, int((attempt.deadline - clock.now()).total_seconds()))
    answered = sum(1 for s in every.values() if s.response is not None)
    return render(
        request,
        "assessments/attempt.html",
        {
            "attempt": attempt,
            "assessment": page,
            "questions": questions,
            "page_number": page_number,
            "pages": range(attempt.page_count),
            "positions": ",".join(str(q["position"]) for q in questions),
            "remaining": remaining,
            "answered": answered,
            "total": len(every),
            "last_page": page_number == attempt.page_count - 1,
        },
    )


def _refusal(request, attempt, error):
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": False,
                "code": error.code,
                "message": str(error.message),
                "sequence": error.extra.get("sequence"),
            },
            status=error.status,
        )
    messages.error(request, error.message)
    if isinstance(error, services.AttemptClosed | services.DeadlinePassed):
        return redirect("assessments:review", pk=attempt.pk)
    return redirect("assessments:attempt", pk=attempt.pk)


def _sequence(request):
    try:
        return int(request.POST.get("sequence", ""))
    except ValueError as error:
        raise services.StaleSequence() from error


@login_required
@require_POST
def save(request, pk):
    attempt = _attempt_or_404(request, pk)
    page_to = request.POST.get("page_to")
    try:
        slots = services.slots_by_position(attempt)
        answers = forms.answers_from_post(request.POST, attempt, slots)
        attempt = services.attempt_save(
            attempt=attempt,
            sequence=_sequence(request),
            answers=answers,
            batch=request.POST.get("batch", ""),
            page_to=int(page_to) if page_to not in (None, "") else None,
            slots=slots,
        )
    except ValueError:
        return _refusal(request, attempt, services.InvalidAnswer())
    except services.AttemptError as error:
        return _refusal(request, attempt, error)
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "sequence": attempt.sequence,
                "state": attempt.state,
                "saved_at": attempt.last_saved_at.isoformat(),
            }
        )
    url = reverse("assessments:attempt", args=[attempt.pk])
    return redirect(f"{url}?page={attempt.current_page}")


@login_required
@require_POST
def submit(request, pk):
    attempt = _attempt_or_404(request, pk)
    try:
        # Read after the attempt: the submission checks that no save came in
        # between (services.attempt_submit).
        slots = services.slots_by_position(attempt) if attempt.is_open else None
        answers = forms.answers_from_post(request.POST, attempt, slots)
        sequence = _sequence(request) if answers else None
        attempt = services.attempt_submit(
            attempt=attempt,
            answers=answers or None,
            sequence=sequence,
            batch=request.POST.get("batch", ""),
            slots=slots,
        )
    except services.AttemptError as error:
        return _refusal(request, attempt, error)
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "state": attempt.state,
                "review": reverse("assessments:review", args=[attempt.pk]),
            }
        )
    return redirect("assessments:review", pk=attempt.pk)


@login_required
@require_GET
@never_cache
def review(request, pk):
    attempt = services.attempt_refresh(attempt=_attempt_or_404(request, pk))
    if attempt.is_open:
        return redirect("assessments:attempt", pk=attempt.pk)
    allowed = selectors.review_for(attempt=attempt)
    questions = []
    if allowed.answers or allowed.feedback or allowed.score:
        questions = [
            selectors.question_review(slot, allowed)
            for slot in selectors.attempt_slots(attempt=attempt)
        ]
        _images(questions)
    gain = None
    if attempt.course_key and attempt.kind in ("pretest", "posttest"):
        gain = selectors.learner_knowledge_gain(
            user=request.user, course_key=attempt.course_key
        )
    return render(
        request,
        "assessments/review.html",
        {
            "attempt": attempt,
            "assessment": attempt.page,
            "review": allowed,
            "questions": questions,
            "result": selectors.result_for(user=request.user, page=attempt.page),
            "gain": gain,
            "next_page": integration.next_item(attempt.page, request.user),
            "course": integration.course_for(attempt.page),
            "title": _("Review"),
        },
    )


def question_preview(request, question, language):
    """One question as the learner's form shows it (unsaved edits included),
    with the page around it in ``language``. Nothing is recorded."""
    from django.template.response import TemplateResponse
    from django.utils import translation

    from .services import question_snapshot

    data = question_snapshot(question)
    keys = [c["key"] for c in data.get("choices", [])] + [
        a["key"] for a in data.get("answers", [])
    ]
    view = selectors.question_view(
        data, position=1, order=keys, max_marks=question.points
    )
    with translation.override(language or question.language):
        selectors.render_preview_bodies([view])
        response = TemplateResponse(
            request,
            "assessments/question_preview.html",
            {"q": view, "question": question},
        )
        response.render()
    return response


def assessment_preview(request, page):
    """The assessment as one attempt would show it to a learner: the fixed
    questions and a draw from each random rule, of the page as edited. No
    attempt is recorded."""
    import random

    from django.template.response import TemplateResponse

    try:
        questions = services.preview_questions(page, random.SystemRandom())
    except services.NotReady:
        questions = None
    if questions:
        selectors.render_preview_bodies(questions)
    return TemplateResponse(
        request,
        "assessments/assessment_preview.html",
        {"assessment": page, "questions": questions},
    ).render()
