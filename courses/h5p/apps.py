from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class H5PConfig(AppConfig):
    name = "courses.h5p"
    label = "h5p"
    verbose_name = _("H5P activities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from training_platform.accounts import roles
        from training_platform.accounts.permissions import grant

        from . import signals  # noqa: F401

        # Trainers import and manage content; only administrators may add or
        # upgrade the libraries (JavaScript) that content runs on (A22).
        content = ("add", "change", "delete", "view")
        grant(roles.TRAINERS, *(f"h5p.{a}_h5pcontent" for a in content))
        grant(roles.TRAINERS, "h5p.view_h5plibrary")
        grant(roles.ADMINISTRATORS, *(f"h5p.{a}_h5pcontent" for a in content))
        grant(
            roles.ADMINISTRATORS,
            "h5p.view_h5plibrary",
            "h5p.change_h5plibrary",
            "h5p.install_h5plibrary",
        )

        from training_platform.home.registry import register_csp_source

        from .selectors import content_origin

        # Lesson pages frame the H5P player, which lives on the content origin.
        register_csp_source(
            name="h5p-player",
            directive="frame-src",
            sources=lambda request: [content_origin(request)],
        )
