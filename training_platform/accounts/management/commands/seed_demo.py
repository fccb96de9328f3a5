from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

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
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).seed(context)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
        self.stdout.write("Demo logins (all on this machine only):")
        for role, email, password in context.logins:
            self.stdout.write(f"  {role:<16} {email:<26} {password}")
        for note in context.notes:
            self.stdout.write(f"  {note}")
        self.stdout.write(
            "Staff accounts are asked to set up two-factor authentication "
            "(an authenticator app) before they reach the admin."
        )
