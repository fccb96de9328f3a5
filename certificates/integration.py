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
        rules = rules.filter(course__translation_key=course_key).order_by("pk")
        language = _language_of(course)
        if language:
            # A translation without a rule of its own: the rule whose template
            # speaks the course's language, else the first one.
            rule = rules.filter(template__language=language).first()
            if rule is not None:
                return rule
        return rules.first()
    return None


def attendance_template(*, session=None):
    """The template of a session's attendance certificates: the one the
    session names (a ``certificate_template`` field, when the session page
    has one), else the attendance template in the session's language, else
    the first attendance template; None when there is none."""
    from .models import CertificateKind, CertificateTemplate

    chosen = getattr(session, "certificate_template", None)
    if chosen is not None and chosen.kind == CertificateKind.ATTENDANCE:
        return chosen
    templates = CertificateTemplate.objects.filter(
        kind=CertificateKind.ATTENDANCE
    ).order_by("pk")
    language = getattr(session, "language", None) or _language_of(session)
    if language:
        template = templates.filter(language=language).first()
        if template is not None:
            return template
    return templates.first()


def _language_of(page):
    locale_id = getattr(page, "locale_id", None)
    if locale_id is None:
        return None
    from wagtail.models import Locale

    return (
        Locale.objects.filter(pk=locale_id)
        .values_list("language_code", flat=True)
        .first()
    )


def course_taken(*, enrolment, course=None):
    """The course page in the language the learner took the course in: the
    translation in the locale of the page they last worked on (the one whose
    progress completed the course), else the page they enrolled from. Its
    certificate rule, hence its template and language, is the certificate's."""
    from wagtail.models import Page

    course = course or getattr(enrolment, "course", None)
    if enrolment is None or getattr(enrolment, "pk", None) is None:
        return course
    Enrolment = type(enrolment)
    locale_id = (
        Enrolment.objects.filter(pk=enrolment.pk)
        .values_list("last_page__locale_id", flat=True)
        .first()
    )
    if locale_id is None or (course is not None and course.locale_id == locale_id):
        return course
    taken = (
        Page.objects.filter(translation_key=enrolment.course_key, locale_id=locale_id)
        .order_by("-live")
        .first()
    )
    return taken or course


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
    return (
        Enrolment.objects.filter(user=user, course_key=course_key, is_current=True)
        .order_by("-round_number")
        .first()
    )


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


def course_url(*, course, course_key, language) -> str:
    """The absolute address of the course page in ``language`` (the live
    translation in that locale when there is one), for taking it again; ""
    when the course has no live page."""
    from django.conf import settings
    from wagtail.models import Page

    pages = (
        Page.objects.live()
        .filter(translation_key=course_key)
        .select_related("locale")
        .order_by("id")
    )
    by_language = {page.locale.language_code: page for page in pages}
    page = by_language.get(language)
    if page is None and course is not None and course.live:
        page = course
    page = page or next(iter(by_language.values()), None)
    path = page.url if page is not None else None
    return f"{settings.SITE_URL}{path}" if path else ""
