from celery.schedules import crontab
from django.apps import AppConfig
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

VIDEO_EMBED_ORIGINS = (
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
)


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from training_platform.accounts import reference_data, roles
        from training_platform.accounts.permissions import grant
        from training_platform.home.registry import (
            register_csp_source,
            register_dashboard_section,
            register_nav_item,
        )

        from . import receivers  # noqa: F401
        from .navigation import catalogue_url, dashboard_section_context
        from .notifications import register_events
        from .reference_data import ensure_course_catalogue
        from .review import ensure_review_workflow

        reference_data.register(ensure_course_catalogue)
        reference_data.register(ensure_review_workflow)
        register_events()
        receivers.connect()
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "courses-remind-inactive-learners",
            {
                "task": "courses.tasks.remind_inactive_learners",
                "schedule": crontab(minute=11, hour=7),
            },
        )
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "courses-remind-enrolment-closing",
            {
                "task": "courses.tasks.remind_enrolment_closing",
                "schedule": crontab(minute=35),
            },
        )
        grant(
            roles.TRAINERS,
            "wagtail_localize.submit_translation",
            "courses.view_enrolment",
        )
        grant(
            roles.ADMINISTRATORS,
            "wagtail_localize.submit_translation",
            "courses.view_enrolment",
            "courses.change_enrolment",
            *(f"courses.{a}_project" for a in ("add", "change", "delete", "view")),
        )
        grant(roles.TRAINERS, "courses.view_project")
        grant(roles.COORDINATORS, "courses.view_project")
        register_nav_item(
            name="courses", order=10, label=_("Courses"), url=catalogue_url
        )
        # Embedded lesson videos play in the providers' own frames.
        register_csp_source(
            name="video-embeds",
            directive="frame-src",
            sources=lambda request: list(VIDEO_EMBED_ORIGINS),
        )
        register_nav_item(
            name="enrolments",
            order=70,
            label=_("Enrolments"),
            url=lambda request: (
                reverse("courses_coordinator:enrolments")
                if roles.is_coordinator(request.user)
                or roles.is_administrator(request.user)
                else None
            ),
        )
        register_dashboard_section(
            name="courses",
            order=10,
            template="courses/dashboard_section.html",
            context=dashboard_section_context,
        )
