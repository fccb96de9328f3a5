from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops and webinars")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import pre_delete

        from courses.models import ModulePage
        from training_platform.accounts import roles
        from training_platform.accounts.permissions import grant

        from . import bulk, notifications, receivers
        from .models import SessionDate

        if "workshops.SessionPage" not in ModulePage.subpage_types:
            ModulePage.subpage_types.append("workshops.SessionPage")

        notifications.register_events()
        notifications.register_reminders()
        bulk.register()
        pre_delete.connect(
            receivers.date_deleted,
            sender=SessionDate,
            dispatch_uid="workshops-date-deleted",
        )
        from wagtail.signals import page_published

        from .models import SessionPage

        page_published.connect(
            receivers.session_published,
            sender=SessionPage,
            dispatch_uid="workshops-session-published",
        )
        from celery.schedules import crontab
        from django.conf import settings

        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "workshops-remind-session-dates",
            {
                "task": "workshops.tasks.remind_session_dates",
                "schedule": crontab(minute=25),
            },
        )
        grant(roles.TRAINERS, "workshops.view_registration")
        grant(roles.ADMINISTRATORS, "workshops.view_registration")
        grant(roles.COORDINATORS, "workshops.view_registration")
