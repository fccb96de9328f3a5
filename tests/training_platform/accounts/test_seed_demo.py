import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def snapshot():
    """Every table's row count and the demo accounts' content."""
    from django.apps import apps

    from training_platform.accounts.models import User

    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.label.startswith(("sessions.", "wagtailsearch."))
    }
    people = list(
        User.objects.order_by("email").values_list(
            "email",
            "full_name",
            "certificate_name",
            "country__code",
            "organisation__name",
        )
    )
    return counts, people


def test_seed_demo_twice_gives_the_same_data(capsys):
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    second = snapshot()
    assert first == second
    out = capsys.readouterr().out
    assert "learner@demo.test" in out and "demo-password-2026" in out


def test_seed_demo_creates_an_account_per_role():
    from training_platform.accounts import roles
    from training_platform.accounts.models import User

    call_command("seed_demo")
    coordinator = User.objects.get(email="coordinator@demo.test")
    assert roles.is_coordinator(coordinator)
    assert set(coordinator.coordinated_countries.values_list("code", flat=True)) == {
        "AL",
        "RS",
    }
    assert roles.is_trainer(User.objects.get(email="trainer@demo.test"))
    assert roles.is_administrator(User.objects.get(email="admin@demo.test"))
    learner = User.objects.get(email="learner@demo.test")
    assert learner.check_password("demo-password-2026")
    assert not roles.is_staff_member(learner)


def test_seed_demo_is_refused_in_production(settings):
    from training_platform.accounts.models import User

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refused in production"):
        call_command("seed_demo")
    assert not User.objects.filter(email__endswith="@demo.test").exists()


@pytest.mark.django_db(transaction=True)
def test_seed_demo_prints_the_logins_briefly_and_reports_count_its_certificates(
    settings, capsys
):
    """Committed for real (the certificates are issued after the commit),
    with e-mail to the console as in ``make run``: the output is the logins
    and notes, not the certificates' e-mails, and the dashboard's figures
    were built after the certificates existed."""
    from training_platform.accounts.models import User
    from training_platform.reports.selectors import ReportFilters, report_for
    from training_platform.reports.services import report_refresh

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    call_command("seed_demo")
    out, err = capsys.readouterr()
    lines = (out + err).splitlines()
    assert len(lines) <= 30, f"{len(lines)} lines"
    assert "Content-Transfer-Encoding" not in out
    assert "coordinator@demo.test" in out and "demo-password-2026" in out
    assert "e-mails to demo addresses were composed and not sent" in out

    admin = User.objects.get(email="admin@demo.test")
    seeded = report_for(admin, ReportFilters()).headline
    assert seeded["certificates_valid"] > 0
    report_refresh()
    assert report_for(admin, ReportFilters()).headline == seeded
