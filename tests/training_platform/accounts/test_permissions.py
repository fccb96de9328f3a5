"""Permission matrix: learner, trainer, coordinator and administrator against the
Wagtail admin, the coordinator pages and user management (E03)."""

import pytest
from django.contrib.auth.models import Group, Permission

from training_platform.accounts import roles

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
USERS = "/admin/users/"
ADD_USER = "/admin/users/new/"
GROUPS = "/admin/groups/"
COORDINATOR = "/en/coordinator/"


def get_status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


@pytest.fixture
def staff_with_mfa(trainer, coordinator, administrator, mfa):
    for user in (trainer, coordinator, administrator):
        mfa(user)
    return trainer, coordinator, administrator


def test_learner_reaches_neither_admin_nor_coordinator_pages(client, learner):
    client.force_login(learner)
    # A "no access" page, not the login page (which would send a signed-in
    # learner straight back to the admin).
    assert client.get(ADMIN).status_code == 403
    assert client.get(COORDINATOR).status_code == 403
    assert client.get(USERS).status_code == 403


def test_trainer_reaches_admin_but_not_users_or_coordinator_pages(
    client, staff_with_mfa
):
    trainer, _, _ = staff_with_mfa
    assert get_status(client, trainer, ADMIN) == 200
    assert get_status(client, trainer, USERS) in (302, 403)
    assert get_status(client, trainer, GROUPS) in (302, 403)
    assert get_status(client, trainer, COORDINATOR) == 403


def test_coordinator_reaches_coordinator_pages_but_never_user_management(
    client, staff_with_mfa
):
    _, coordinator, _ = staff_with_mfa
    assert get_status(client, coordinator, ADMIN) == 200
    assert get_status(client, coordinator, COORDINATOR) == 200
    for url in (USERS, ADD_USER, GROUPS, "/admin/groups/new/"):
        assert get_status(client, coordinator, url) in (302, 403), url


def test_coordinator_cannot_create_a_superuser_through_the_admin_E03(
    client, staff_with_mfa, django_user_model
):
    _, coordinator, _ = staff_with_mfa
    client.force_login(coordinator)
    response = client.post(
        ADD_USER,
        {
            "email": "evil@example.org",
            "full_name": "Evil",
            "password1": "a-long-password-123",
            "password2": "a-long-password-123",
            "is_superuser": "on",
            "sex": "other",
            "preferred_language": "en",
        },
    )
    assert response.status_code in (302, 403)
    assert not django_user_model.objects.filter(email="evil@example.org").exists()


def test_coordinator_group_has_no_user_management_permission_E03():
    group = Group.objects.get(name=roles.COORDINATORS)
    forbidden = group.permissions.filter(
        content_type__model__in=["user", "group", "permission", "userprofile"]
    )
    assert list(forbidden) == []


def test_user_management_permission_added_by_hand_is_removed_on_sync_E03():
    from training_platform.accounts.permissions import sync_role_permissions

    group = Group.objects.get(name=roles.COORDINATORS)
    group.permissions.add(Permission.objects.get(codename="add_user"))
    sync_role_permissions()
    assert not group.permissions.filter(codename="add_user").exists()


def test_administrator_manages_users_and_groups(client, staff_with_mfa):
    _, _, administrator = staff_with_mfa
    for url in (ADMIN, USERS, ADD_USER, GROUPS, COORDINATOR):
        assert get_status(client, administrator, url) == 200, url


def test_administrator_creates_a_user_with_profile_fields(
    client, staff_with_mfa, django_user_model
):
    from training_platform.accounts.models import Country

    _, _, administrator = staff_with_mfa
    client.force_login(administrator)
    serbia = Country.objects.get(code="RS")
    response = client.post(
        ADD_USER,
        {
            "email": "new.person@example.org",
            "full_name": "Новая Персона",
            "certificate_name": "",
            "country": serbia.pk,
            "position": "Inspector",
            "sex": "female",
            "preferred_language": "ru",
            "password1": "a-long-password-123",
            "password2": "a-long-password-123",
            "groups": [Group.objects.get(name=roles.COORDINATORS).pk],
            "coordinated_countries": [serbia.pk],
        },
    )
    assert response.status_code == 302, response.content[:2000]
    user = django_user_model.objects.get(email="new.person@example.org")
    assert user.full_name == "Новая Персона"
    assert roles.is_coordinator(user)
    assert list(user.coordinated_countries.values_list("code", flat=True)) == ["RS"]
