from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class H5PConfig(AppConfig):
    name = "courses.h5p"
    label = "h5p"
    verbose_name = _("H5P activities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from courses.shared_materials import register_shared
        from training_platform import content_cache
        from training_platform.accounts import roles
        from training_platform.accounts.permissions import grant

        from . import signals  # noqa: F401
        from .models import H5PContent

        register_shared(H5PContent, creator_field="uploaded_by")
        # Lesson blocks keep the content row in the content cache.
        for signal in (post_save, post_delete):
            signal.connect(
                content_cache.bump_content_version,
                sender=H5PContent,
                dispatch_uid=f"h5p-content-cache-{signal is post_save}",
            )

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
