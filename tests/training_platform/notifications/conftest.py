import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from training_platform.notifications import registry


@pytest.fixture
def event():
    """A transactional test event and a reminder one, on the generic
    templates; the title goes through gettext to show the language."""

    def context(notification):
        return {"title": str(gettext_lazy("My profile")), "body": "Body text"}

    registry.register(
        "test_message",
        label="Test message",
        template="notifications/email/generic",
        context=context,
    )
    registry.register(
        "test_reminder",
        label="Test reminder",
        reminder=True,
        template="notifications/email/generic",
        context=context,
    )
    yield "test_message"
    registry._events.pop("test_message", None)
    registry._events.pop("test_reminder", None)


@pytest.fixture
def staff_client(client, mfa):
    def login(user):
        mfa(user)
        client.force_login(user)
        session = client.session
        session["account_authentication_methods"] = [
            {"method": "mfa", "type": "totp", "at": timezone.now().timestamp()}
        ]
        session.save()
        return client

    return login
