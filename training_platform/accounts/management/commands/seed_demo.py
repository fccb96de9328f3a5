import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from training_platform.accounts import roles


@dataclass
class DemoContext:
    """Shared between the apps' ``demo.seed`` functions, in INSTALLED_APPS order
    (accounts first, so later apps find the demo users here)."""

    users: dict = field(default_factory=dict)
    logins: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    objects: dict = field(default_factory=dict)

    def login(self, role, email, password):
        self.logins.append((roles.LABELS.get(role, role), email, password))


@contextmanager
def _quiet():
    """Keep the console to the logins: the demo's e-mails (certificates with
    their PDFs) go to a list rather than the console, and routine log lines
    (pages published, tasks run) are left out; warnings still show."""
    from django.core import mail

    previous = logging.root.manager.disable
    logging.disable(logging.INFO)
    had_outbox = hasattr(mail, "outbox")
    before = len(mail.outbox) if had_outbox else 0
    sent: list = []
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        ):
            yield sent
            sent.extend(getattr(mail, "outbox", [])[before:])
    finally:
        logging.disable(previous)
        if not had_outbox and hasattr(mail, "outbox"):
            del mail.outbox


class Command(BaseCommand):
    help = (
        "Create or refresh the demo content: accounts for each role, organisations "
        "and whatever each app adds. Safe to run again; refused in production."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo creates known passwords: refused in production."
            )
        context = DemoContext()
        modules = [
            import_module(f"{app_config.name}.demo")
            for app_config in apps.get_app_configs()
            if find_spec(f"{app_config.name}.demo") is not None
        ]
        with _quiet() as outbox:
            with transaction.atomic():
                for module in modules:
                    module.seed(context)
            # Committed: the work queued for after the commit (certificates
            # issued and e-mailed) has run. Now what sums it up.
            for module in modules:
                if hasattr(module, "after_commit"):
                    module.after_commit(context)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
        if outbox:
            self.stdout.write(
                f"  {len(outbox)} e-mails to demo addresses were composed and not sent."
            )
        self.stdout.write("Demo logins (all on this machine only):")
        for role, email, password in context.logins:
            self.stdout.write(f"  {role:<16} {email:<26} {password}")
        for note in context.notes:
            self.stdout.write(f"  {note}")
        self.stdout.write(
            "Staff accounts are asked to set up two-factor authentication "
            "(an authenticator app) before they reach the admin."
        )
