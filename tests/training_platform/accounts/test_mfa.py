"""Staff must have MFA before the admin or the coordinator pages; learners are
never asked (G05, G06)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

MFA_SETUP = reverse("mfa_activate_totp")


@pytest.mark.parametrize("role_fixture", ["trainer", "coordinator", "administrator"])
@pytest.mark.parametrize("url", ["/admin/", "/en/coordinator/", "/ru/coordinator/"])
def test_staff_without_mfa_is_sent_to_set_it_up(client, request, role_fixture, url):
    user = request.getfixturevalue(role_fixture)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.split("/", 2)[2].startswith(MFA_SETUP.split("/", 2)[2])


@pytest.mark.parametrize("role_fixture", ["trainer", "coordinator", "administrator"])
def test_staff_with_mfa_gets_through(client, request, role_fixture, mfa):
    user = request.getfixturevalue(role_fixture)
    mfa(user)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200


def test_learner_is_never_asked_for_mfa(client, learner):
    client.force_login(learner)
    for url in ("/en/my/", "/en/accounts/profile/", "/admin/", "/en/coordinator/"):
        response = client.get(url)
        assert "2fa/totp/activate" not in response.get("Location", "")
    assert client.get("/en/my/").status_code == 200


def test_staff_login_with_password_alone_stops_at_the_mfa_stage_G05(
    client, trainer, mfa
):
    mfa(trainer)
    response = client.post(
        reverse("account_login"),
        {"login": trainer.email, "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    # Not signed in yet: the admin still sends us to log in.
    assert "_auth_user_id" not in client.session


def test_unverified_email_cannot_enable_mfa_G06(client, django_user_model):
    from training_platform.accounts.factories import TrainerFactory

    trainer = TrainerFactory(email="unverified@example.org", verified_email=False)
    client.force_login(trainer)
    response = client.get(MFA_SETUP)
    # allauth refuses MFA for an unverified address and sends the user away.
    assert response.status_code == 302
    assert not trainer.authenticator_set.exists()
