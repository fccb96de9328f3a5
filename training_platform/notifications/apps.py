from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "training_platform.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from training_platform.accounts import roles
        from training_platform.accounts.permissions import grant

        grant(roles.ADMINISTRATORS, "notifications.view_notification")
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "notifications-resend-stalled",
            {
                "task": "training_platform.notifications.tasks.resend_stalled",
                "schedule": timedelta(minutes=15),
            },
        )
