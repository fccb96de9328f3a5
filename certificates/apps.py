import logging

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from courses.readiness import register_check
        from courses.shared_materials import register_shared
        from training_platform.accounts import roles
        from training_platform.accounts.permissions import grant
        from training_platform.home.registry import register_dashboard_section

        from .models import CertificateTemplate
        from .readiness import certificate_template_set

        register_shared(CertificateTemplate)
        register_check(certificate_template_set)

        from . import receivers  # noqa: F401
        from .notifications import register_events
        from .panels import add_course_panel

        register_events()

        grant(
            roles.TRAINERS,
            "certificates.add_certificatetemplate",
            "certificates.change_certificatetemplate",
            "certificates.view_certificatetemplate",
        )
        grant(roles.COORDINATORS, "certificates.view_certificate")
        grant(
            roles.ADMINISTRATORS,
            "certificates.view_certificate",
            "certificates.revoke_certificate",
            "certificates.add_certificatetemplate",
            "certificates.change_certificatetemplate",
            "certificates.delete_certificatetemplate",
            "certificates.view_certificatetemplate",
        )
        register_dashboard_section(
            name="certificates",
            order=50,
            template="certificates/dashboard_section.html",
            context=_dashboard_context,
        )
        add_course_panel()
        _startup_checks()


def _dashboard_context(request):
    if not request.user.is_authenticated:
        return None
    from .views import certificate_cards

    cards = certificate_cards(request.user)
    return {"cards": cards} if cards else None


def _startup_checks():
    """Problems that do not stop the platform but make certificates slow or
    wrong, logged when the process starts (and reported by ``manage.py
    check``)."""
    from .rendering import harfbuzz_subset_available

    if not harfbuzz_subset_available():
        logger.warning(
            "libharfbuzz-subset0 is not installed: certificate PDFs render about "
            "five times slower (apt-get install libharfbuzz-subset0)"
        )


@checks.register(checks.Tags.compatibility)
def check_certificate_renderer(app_configs=None, **kwargs):
    from django.conf import settings

    from . import fonts, signing
    from .rendering import harfbuzz_subset_available

    problems = []
    if not harfbuzz_subset_available():
        problems.append(
            checks.Warning(
                "libharfbuzz-subset0 is missing; certificate PDFs render about "
                "five times slower.",
                hint="apt-get install libharfbuzz-subset0 (see docs/deploy.md)",
                id="certificates.W001",
            )
        )
    missing = fonts.missing_source_files()
    if missing:
        problems.append(
            checks.Warning(
                f"{len(missing)} certificate font files are missing.",
                hint="Run `npm ci --ignore-scripts` (package.json lists them).",
                id="certificates.W002",
            )
        )
    if settings.PRODUCTION:
        try:
            signing.load_signing_key()
        except Exception as error:  # noqa: BLE001 - reported as a check error
            problems.append(checks.Error(str(error), id="certificates.E001"))
    return problems
