"""Who may open the Wagtail admin: people without admin access get a clear
"no access" page instead of being sent between the admin and the login page."""

import pytest

pytestmark = pytest.mark.django_db


def test_signed_in_learner_opening_admin_gets_a_no_access_page(client, learner):
    client.force_login(learner)

    response = client.get("/admin/")

    assert response.status_code == 403
    text = response.content.decode()
    assert "You have no access to the administration area" in text
    assert learner.email in text
    # A way on: the learner's own pages, and signing in as someone else.
    assert 'href="/en/my/"' in text
    assert 'action="/en/accounts/logout/"' in text


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/login/"])
def test_learner_is_not_redirected_in_a_loop(client, learner, path):
    client.force_login(learner)

    # The test client raises RedirectCycleError on a loop.
    response = client.get(path, follow=True)

    assert response.status_code == 403
    assert response.redirect_chain[-1:] in ([], [("/admin/", 302)])


def test_learner_signing_in_with_admin_as_next_lands_on_the_no_access_page(
    client, learner
):
    response = client.post(
        "/en/accounts/login/?next=/admin/",
        {"login": learner.email, "password": "correct-horse-battery"},
        follow=True,
    )

    assert response.status_code == 403
    assert "You have no access to the administration area" in response.content.decode()


def test_learner_admin_ajax_requests_are_refused_too(client, learner):
    client.force_login(learner)

    response = client.get(
        "/admin/pages/", headers={"x-requested-with": "XMLHttpRequest"}
    )

    assert response.status_code == 403


def test_anonymous_visitor_is_still_sent_to_sign_in(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=/admin/")


def test_trainer_with_mfa_still_reaches_the_admin(client, trainer, mfa):
    mfa(trainer)
    client.force_login(trainer)

    assert client.get("/admin/").status_code == 200
