from datetime import timedelta

from celery.schedules import crontab
from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "training_platform.reports"
    label = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.apps import apps

        if apps.is_installed("workshops"):
            from .project_report import register_project_source
            from .session_figures import project_sessions

            register_project_source("workshops", project_sessions)
        from .summaries import register_events

        register_events()
        schedule = settings.CELERY_BEAT_SCHEDULE
        # The dashboard reads tables rebuilt from the records on this clock.
        schedule.setdefault(
            "reports-refresh",
            {
                "task": "training_platform.reports.tasks.refresh_reports",
                "schedule": timedelta(minutes=settings.REPORTS_REFRESH_MINUTES),
            },
        )
        schedule.setdefault(
            "reports-monthly-summaries",
            {
                "task": "training_platform.reports.tasks.send_monthly_summaries",
                "schedule": crontab(minute=30, hour=6, day_of_month=1),
            },
        )
        schedule.setdefault(
            "reports-purge-expired-exports",
            {
                "task": "training_platform.reports.tasks.purge_expired_exports",
                "schedule": crontab(minute=23),
            },
        )
