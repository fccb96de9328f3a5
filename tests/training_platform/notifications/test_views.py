"""The notification list, the bell's count, preferences and the one-click
unsubscribe (issue 14)."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from training_platform.notifications import services
from training_platform.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _notify(user, key="k", event="test_message"):
    return services.notify(recipient=user, event=event, key=key, context={})


def test_bell_shows_the_unread_count_without_a_query_when_warm(client, learner, event):
    _notify(learner, "a")
    _notify(learner, "b")
    client.force_login(learner)
    url = reverse("notifications:preferences")
    client.get(url)  # warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert 'class="badge">2' in response.content.decode()
    assert not any('"notifications_notification"' in q["sql"] for q in queries)


def test_a_new_notification_and_reading_one_change_the_count(
    client, learner, event, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    url = reverse("notifications:list")
    assert 'class="badge"' not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(learner)
    page = client.get(url).content.decode()
    assert 'class="badge">1' in page
    assert "My profile" in page  # the title, in the viewer's language
    detail = client.get(reverse("notifications:detail", args=[notification.pk]))
    assert detail.status_code == 200
    assert "Body text" in detail.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'class="badge"' not in client.get(url).content.decode()


def test_a_learner_cannot_open_another_learners_notification_E01(
    client, learner, event
):
    from training_platform.accounts.factories import UserFactory

    notification = _notify(UserFactory())
    client.force_login(learner)
    response = client.get(reverse("notifications:detail", args=[notification.pk]))
    assert response.status_code == 404


def test_preferences_turn_reminders_off_but_not_transactional_messages(
    client, learner, event
):
    client.force_login(learner)
    response = client.post(reverse("notifications:preferences"), {})
    assert response.status_code == 302
    assert _notify(learner, event="test_reminder") is None
    assert _notify(learner, event="test_message") is not None
    client.post(reverse("notifications:preferences"), {"reminders": "on"})
    assert _notify(learner, event="test_reminder") is not None


def test_every_reminder_carries_rfc8058_one_click_headers(
    learner, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(learner, event="test_reminder")
        _notify(learner, event="test_message")
    reminder, transactional = mail.outbox
    link = reminder.extra_headers["List-Unsubscribe"].strip("<>")
    assert reminder.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert link in reminder.body and link in reminder.alternatives[0][0]
    assert "List-Unsubscribe" not in transactional.extra_headers


def test_one_click_unsubscribe_works_without_a_session(client, learner, event):
    link = services.unsubscribe_url(learner)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(f"/{path}")  # a GET only shows the confirmation
    assert page.status_code == 200
    assert services.reminders_allowed(learner)
    response = client.post(
        f"/{path}",
        {"List-Unsubscribe": "One-Click"},
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not services.reminders_allowed(learner)
    assert _notify(learner, event="test_reminder") is None


def test_unsubscribe_token_cannot_be_forged(client, learner, event):
    """A changed, truncated or foreign-salt token does nothing."""
    from django.core import signing

    from training_platform.accounts.factories import UserFactory

    other = UserFactory()
    token = services.unsubscribe_token(learner)
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        token[: len(token) // 2],
        signing.dumps({"u": other.pk}),  # no salt
        signing.dumps({"u": other.pk}, salt="another.purpose"),
        token.replace(
            token.split(":")[0], signing.dumps({"u": other.pk}, salt="x").split(":")[0]
        ),
    ]
    for bad in forged:
        response = client.post(reverse("notifications:unsubscribe", args=[bad]))
        assert response.status_code == 400, bad
    assert services.reminders_allowed(learner) and services.reminders_allowed(other)
    assert Notification.objects.count() == 0


def test_the_list_stays_within_ten_queries_however_long(
    client, learner, event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(25):
            _notify(learner, f"k{n}")
    client.force_login(learner)
    url = reverse("notifications:list")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("My profile") >= 20
    assert len(queries) <= 10, [q["sql"] for q in queries]
    assert "private" in response["Cache-Control"]
