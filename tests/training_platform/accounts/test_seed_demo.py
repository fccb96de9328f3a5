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
