from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "training_platform.audit"
    label = "audit"
    verbose_name = _("Audit log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from training_platform.accounts import roles
        from training_platform.accounts.permissions import grant

        from . import receivers  # noqa: F401

        grant(roles.ADMINISTRATORS, "audit.view_auditentry")
