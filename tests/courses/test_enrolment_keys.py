"""Enrolment keys: attempts are rate-limited per learner and per client
address, and a key must be strong enough not to be guessed."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from courses.factories import build_course
from courses.models import Enrolment
from training_platform.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

KEY = "Border-2026"


@pytest.fixture
def key_course():
    return build_course(modules=1, lessons=1, enrolment_mode="key", enrolment_key=KEY)


def _post_key(client, course, key, address="203.0.113.7", **headers):
    return client.post(
        course.url + "enrol/",
        {"key": key},
        follow=True,
        REMOTE_ADDR=address,
        **headers,
    )


def test_guessing_a_key_is_stopped_per_learner(client, key_course, learner):
    """A learner who keeps typing wrong keys is stopped: after the limit even
    the right key is refused, with a message that says why."""
    client.force_login(learner)
    for attempt in range(10):
        page = _post_key(client, key_course, f"guess-{attempt:04}").content.decode()
        assert "not right" in page
    page = _post_key(client, key_course, KEY).content.decode()
    assert "Too many wrong enrolment keys" in page
    assert not Enrolment.objects.exists()

    # From another address the same learner is still stopped.
    page = _post_key(client, key_course, KEY, address="198.51.100.9")
    assert "Too many wrong enrolment keys" in page.content.decode()
    assert not Enrolment.objects.exists()

    # Another learner is not affected.
    other = Client()
    other.force_login(UserFactory())
    _post_key(other, key_course, KEY, address="198.51.100.9")
    assert Enrolment.objects.count() == 1


def test_guessing_a_key_is_stopped_per_address(client, key_course, settings):
    """Many accounts guessing from one address are stopped together, whatever
    X-Forwarded-For they send (G08); other addresses are not."""
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "enrolment_key": "10/10m/user,3/10m/ip",
    }
    for attempt in range(3):
        client.force_login(UserFactory())
        spoofed = {"HTTP_X_FORWARDED_FOR": f"192.0.2.{attempt}"}
        page = _post_key(client, key_course, f"x{attempt}", **spoofed)
        assert "not right" in page.content.decode()
    newcomer = UserFactory()
    client.force_login(newcomer)
    page = _post_key(client, key_course, KEY).content.decode()
    assert "Too many wrong enrolment keys" in page
    assert not Enrolment.objects.filter(user=newcomer).exists()
    _post_key(client, key_course, KEY, address="198.51.100.9")
    assert Enrolment.objects.filter(user=newcomer, status="active").exists()


def test_a_class_typing_the_right_key_from_one_address_is_not_stopped(
    client, key_course, settings
):
    """Right keys do not count: a whole class behind one address enrols."""
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "enrolment_key": "10/10m/user,3/10m/ip",
    }
    for _n in range(6):
        client.force_login(UserFactory())
        _post_key(client, key_course, KEY)
    assert Enrolment.objects.filter(status="active").count() == 6


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("4711", "at least 8 characters"),
        ("20261204", "letters as well as digits"),
        ("  2026-12-04  ", "letters as well as digits"),
        ("aaaaaaaaaa", "different characters"),
    ],
)
def test_weak_keys_are_refused_with_a_reason(key_course, key, reason):
    key_course.enrolment_key = key
    with pytest.raises(ValidationError) as error:
        key_course.full_clean()
    messages = error.value.message_dict["enrolment_key"]
    assert any(reason in message for message in messages), messages


def test_a_strong_key_is_accepted_and_unused_keys_are_not_checked(key_course):
    key_course.enrolment_key = "Referral-Almaty-7"
    key_course.full_clean()
    key_course.enrolment_mode = "open"
    key_course.enrolment_key = "4711"
    key_course.full_clean()


def _form_fields(html):
    """The fields of the Wagtail page edit form as the browser would send them."""
    from bs4 import BeautifulSoup

    form = BeautifulSoup(html, "html.parser").find("form", id="page-edit-form")
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        kind = field.get("type", "text")
        if not name or kind in ("submit", "button", "file"):
            continue
        if field.name == "textarea":
            data[name] = field.text
        elif field.name == "select":
            selected = field.find_all("option", selected=True)
            values = [option.get("value", "") for option in selected]
            if field.has_attr("multiple"):
                data[name] = values
            else:
                data[name] = values[0] if values else ""
        elif kind in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data


def test_the_course_editor_explains_why_a_key_is_refused(
    client, key_course, administrator, mfa
):
    """What a trainer sees in the admin: the weak key is not saved, and the
    reason is shown at the key field."""
    mfa(administrator)
    client.force_login(administrator)
    url = f"/admin/pages/{key_course.pk}/edit/"
    data = _form_fields(client.get(url).content.decode())
    data["enrolment_key"] = "4711"
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Use at least 8 characters" in page
    key_course.refresh_from_db()
    assert key_course.enrolment_key == KEY
    assert key_course.get_latest_revision().as_object().enrolment_key == KEY

    data["enrolment_key"] = "Referral-Almaty-7"
    assert client.post(url, data).status_code == 302
    key_course.refresh_from_db()
    assert key_course.get_latest_revision().as_object().enrolment_key == (
        "Referral-Almaty-7"
    )


def test_keys_still_work_while_the_cache_is_down_K03(client, key_course, learner):
    """The limit fails open while Redis is unreachable: learners can enrol."""
    from django.core.cache import caches
    from django.test import override_settings

    dead_redis = {
        "default": {
            "BACKEND": "training_platform.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    client.force_login(learner)
    with override_settings(CACHES=dead_redis):
        assert type(caches["default"]).__name__ == "ResilientRedisCache"
        assert "not right" in _post_key(client, key_course, "nope").content.decode()
        _post_key(client, key_course, KEY)
    assert Enrolment.objects.filter(user=learner, status="active").exists()
