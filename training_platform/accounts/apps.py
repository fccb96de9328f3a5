from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "training_platform.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import permissions, signals  # noqa: F401
        from .personal_data import register_events

        register_events()

        # Runs once per migrate, after every app has created its permissions.
        post_migrate.connect(
            _sync_after_migrate, dispatch_uid="accounts_sync_role_permissions"
        )


def _sync_after_migrate(sender, app_config=None, **kwargs):
    from django.apps import apps

    # post_migrate is sent once per app with models; sync after the last one.
    with_models = [a for a in apps.get_app_configs() if a.models_module is not None]
    if app_config is not with_models[-1]:
        return
    from .permissions import sync_role_permissions
    from .reference_data import ensure_all

    ensure_all()
    sync_role_permissions()
