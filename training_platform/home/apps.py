from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "training_platform.home"
    label = "home"
    verbose_name = _("Site pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from training_platform import content_cache, routing
        from training_platform.accounts import reference_data, roles

        from .reference_data import ensure_site_structure
        from .registry import register_nav_item

        content_cache.connect_signals()
        routing.install()

        reference_data.register(ensure_site_structure)

        register_nav_item(
            name="my-learning",
            order=20,
            label=_("My learning"),
            url=lambda request: (
                reverse("home:dashboard") if request.user.is_authenticated else None
            ),
        )
        register_nav_item(
            name="coordinator",
            order=80,
            label=_("Coordinator"),
            url=lambda request: (
                reverse("reports:dashboard")
                if roles.is_coordinator(request.user)
                or roles.is_administrator(request.user)
                else None
            ),
        )
        register_nav_item(
            name="admin",
            order=90,
            label=_("Course admin"),
            url=lambda request: (
                "/admin/"
                if request.user.has_perm("wagtailadmin.access_admin")
                else None
            ),
        )
