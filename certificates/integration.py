"""What certificates read from the apps below them (courses, assessments),
in one place. Imports are guarded so that the app works, and its tests run,
whether or not those apps provide the pieces yet."""

import logging
from decimal import Decimal

from django.apps import apps

logger = logging.getLogger(__name__)


def _model(app_label, name):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def rule_for(*, course=None, course_key=None):
    """The certificate rule of a course: the one on the page the learner
    enrolled from, else the one on any translation of the course."""
    from .models import CourseCertificateRule

    rules = CourseCertificateRule.objects.select_related("template")
    if course is not None:
        rule = rules.filter(course_id=course.pk).first()
        if rule is not None:
            return rule
    if course_key is not None:
        return rules.filter(course__translation_key=course_key).order_by("pk").first()
    return None


def course_titles(*, course, course_key, language):
    """The course title in ``language`` (the translation in that locale when
    there is one) and in English, for bilingual certificates."""
    from wagtail.models import Page

    pages = Page.objects.filter(translation_key=course_key).select_related("locale")
    by_language = {page.locale.language_code: page for page in pages}
    fallback = course or next(iter(by_language.values()), None)
    primary = by_language.get(language) or fallback
    english = by_language.get("en") or fallback
    return (
        primary.title if primary else "",
        english.title if english else "",
    )


def course_hours(course):
    """The course's estimated hours, when the course page has them."""
    specific = getattr(course, "specific", None) if course is not None else None
    hours = getattr(specific, "estimated_hours", None)
    return Decimal(hours) if hours is not None else None


def final_score(*, user, course_key) -> Decimal | None:
    """The final score of the learner's enrolment, from assessments when that
    app provides ``final_score_for``, else from the course completion."""
    enrolment = enrolment_for(user=user, course_key=course_key)
    if enrolment is None:
        return None
    try:
        from assessments.selectors import final_score_for
    except ImportError:
        final_score_for = None
    if final_score_for is not None:
        score = final_score_for(enrolment)
        if score is not None:
            return Decimal(score)
    completion = getattr(enrolment, "completion", None)
    score = getattr(completion, "final_score", None) if completion else None
    return Decimal(score) if score is not None else None


def enrolment_for(*, user, course_key):
    Enrolment = _model("courses", "Enrolment")
    if Enrolment is None or user is None:
        return None
    return Enrolment.objects.filter(user=user, course_key=course_key).first()


def completions_without_certificate(*, limit=500):
    """Course completions of courses that issue certificates for which no
    certificate was ever created (the receiver did not run: K21), as keyword
    arguments for ``services.certificate_request``."""
    CourseCompletion = _model("courses", "CourseCompletion")
    if CourseCompletion is None:
        return []
    from django.db.models import Exists, OuterRef, Q

    from .models import Certificate, CourseCertificateRule

    has_certificate = Certificate.objects.filter(
        Q(completion_ref=OuterRef("pk"))
        | Q(
            user_id=OuterRef("enrolment__user_id"),
            course_key=OuterRef("enrolment__course_key"),
            completed_at__gte=OuterRef("completed_at"),
        )
    )
    issuing_courses = CourseCertificateRule.objects.filter(
        issue_certificates=True
    ).values("course__translation_key")
    completions = (
        CourseCompletion.objects.filter(
            enrolment__course_key__in=issuing_courses,
        )
        .exclude(Exists(has_certificate))
        .select_related("enrolment", "enrolment__user", "enrolment__course")
        .order_by("completed_at")[:limit]
    )
    return [
        {
            "user": completion.enrolment.user,
            "course_key": completion.enrolment.course_key,
            "course": completion.enrolment.course,
            "completed_at": completion.completed_at,
            "completion_ref": completion.pk,
            "enrolment": completion.enrolment,
        }
        for completion in completions
    ]
