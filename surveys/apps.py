from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from celery.schedules import crontab
        from django.conf import settings

        from certificates.gates import download_gates
        from courses.panels import add_course_tab
        from courses.signals import register_completed_next_step
        from training_platform.accounts import roles
        from training_platform.accounts.permissions import grant
        from training_platform.home.registry import register_dashboard_section

        from . import gates, notifications
        from .panels import surveys_panel
        from .selectors import dashboard_context

        notifications.register_events()
        add_course_tab(panel=surveys_panel(), heading=_("Surveys"), position=3)
        register_dashboard_section(
            name="surveys",
            order=45,
            template="surveys/dashboard_section.html",
            context=dashboard_context,
        )
        if gates.feedback_first not in download_gates:
            download_gates.append(gates.feedback_first)
        register_completed_next_step(gates.feedback_next_step)
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "surveys-send-follow-ups",
            {
                "task": "surveys.tasks.send_follow_ups",
                "schedule": crontab(minute=53, hour=9),
            },
        )
        survey_admin = [
            f"surveys.{action}_{model}"
            for model in ("survey",)
            for action in ("add", "change", "view")
        ]
        grant(roles.TRAINERS, *survey_admin)
        grant(roles.ADMINISTRATORS, *survey_admin, "surveys.delete_survey")
