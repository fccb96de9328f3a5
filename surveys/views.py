"""The learner's survey pages: the feedback survey after completing a course
(signed in) and the follow-up from the e-mail link (no password). Plain HTML
forms; nothing needs JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import selectors, services
from .forms import SurveyForm
from .models import SurveyKind


def _next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _course(course_key):
    """The course in the active language when it has a live translation
    there, else any live version of it (one query)."""
    from django.db.models import Case, IntegerField, When
    from django.utils import translation

    from courses.models import CoursePage

    course = (
        CoursePage.objects.filter(translation_key=course_key)
        .annotate(
            preferred=Case(
                When(locale__language_code=translation.get_language(), then=0),
                default=1,
                output_field=IntegerField(),
            )
        )
        .order_by("-live", "preferred", "pk")
        .first()
    )
    if course is None:
        raise Http404
    return course


def _respond(
    request, *, user, survey, kind, course, done_url, skip_url=None, flash=True
):
    shown = selectors.in_language(survey)
    questions = selectors.questions(shown)
    form = SurveyForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(
                user=user,
                survey=shown,
                kind=kind,
                course_key=course.translation_key,
                answers=form.answers(),
            )
        except services.SurveyError as error:
            messages.info(request, error.message)
        else:
            if flash:
                messages.success(request, _("Thank you. Your answers have been saved."))
        return redirect(done_url)
    return render(
        request,
        "surveys/respond.html",
        {
            "survey": shown,
            "course": course,
            "form": form,
            "skip_url": skip_url,
            "next": request.GET.get("next", ""),
        },
    )


@never_cache
@login_required
def feedback(request, course_key):
    """The course's feedback survey, once the learner has completed it."""
    course = _course(course_key)
    done_url = _next(request, course.url)
    due = selectors.feedback_due(user=request.user, course_key=course.translation_key)
    if due is None:
        if selectors.answered(
            user=request.user, course_key=course_key, kind=SurveyKind.FEEDBACK
        ):
            messages.info(
                request, _("You have already answered this survey. Thank you.")
            )
        return redirect(done_url)
    survey, required = due
    return _respond(
        request,
        user=request.user,
        survey=survey,
        kind=SurveyKind.FEEDBACK,
        course=course,
        done_url=done_url,
        skip_url=None if required else done_url,
    )


@never_cache
def follow_up(request, survey_key, token):
    """The follow-up survey from the e-mail: the signed link says who the
    learner is; no session needed."""
    try:
        data = services.follow_up_open(token, survey_key=survey_key)
    except services.SurveyError as error:
        return render(
            request,
            "surveys/closed.html",
            {"message": error.message},
            status=404 if error.code == "invalid" else 410,
        )
    user, course_key = data["user"], data["course_key"]
    if selectors.answered(user=user, course_key=course_key, kind=SurveyKind.FOLLOW_UP):
        sent = request.GET.get("sent") == "1"
        return render(
            request,
            "surveys/closed.html",
            {
                "heading": _("Thank you") if sent else None,
                "message": _("Your answers have been saved. Thank you for your time.")
                if sent
                else _("You have already answered this survey. Thank you."),
            },
        )
    course = _course(course_key)
    return _respond(
        request,
        user=user,
        survey=data["survey"],
        kind=SurveyKind.FOLLOW_UP,
        course=course,
        done_url=f"{request.path}?sent=1",
        flash=False,
    )
