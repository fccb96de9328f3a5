"""The one scoping function: who may see whom (E01, E02)."""

import pytest

from training_platform.accounts.factories import UserFactory
from training_platform.accounts.models import Country
from training_platform.accounts.selectors import (
    countries_visible_to,
    learners_visible_to,
    scope_to_visible_learners,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        code: UserFactory(
            email=f"person-{code.lower()}@example.org",
            country=Country.objects.get(code=code),
        )
        for code in ("RS", "AL", "KZ", "UA")
    }


def emails(queryset):
    return sorted(queryset.values_list("email", flat=True))


def test_coordinator_sees_only_learners_of_their_countries_E01(coordinator, people):
    visible = emails(learners_visible_to(coordinator))
    assert "person-rs@example.org" in visible
    assert "person-al@example.org" in visible
    assert "person-kz@example.org" not in visible
    assert "person-ua@example.org" not in visible
    assert set(countries_visible_to(coordinator).values_list("code", flat=True)) == {
        "RS",
        "AL",
    }


def test_removed_country_stops_counting_at_once_E02(coordinator, people):
    coordinator.coordinated_countries.remove(Country.objects.get(code="AL"))
    assert "person-al@example.org" not in emails(learners_visible_to(coordinator))


def test_coordinator_without_countries_sees_nobody(coordinator, people):
    coordinator.coordinated_countries.clear()
    assert not learners_visible_to(coordinator).exists()
    assert not countries_visible_to(coordinator).exists()


def test_administrator_sees_everybody(administrator, people):
    assert learners_visible_to(administrator).count() == len(people) + 1


def test_learner_sees_only_themselves(learner, people):
    assert emails(learners_visible_to(learner)) == [learner.email]


def test_inactive_or_anonymous_users_see_nobody(coordinator, people):
    from django.contrib.auth.models import AnonymousUser

    assert not learners_visible_to(AnonymousUser()).exists()
    coordinator.is_active = False
    assert not learners_visible_to(coordinator).exists()


def test_scope_to_visible_learners_follows_the_path(coordinator, people):
    from training_platform.accounts.models import Organisation

    # Any record with a path to a person is scoped the same way; here an
    # organisation is visible through its members.
    organisations = scope_to_visible_learners(
        coordinator, Organisation.objects.all(), path="members"
    ).distinct()
    codes = set(organisations.values_list("country__code", flat=True))
    assert codes == {"RS", "AL"}
