"""Issue 14, done when: the demo learner, having chosen Russian in her
profile, receives the right e-mails in Russian along the demo journey: the
webinar she is registered for, a reminder when she stops, the certificate when
she completes the course (PDF attached, no separate "completed" message) and
the reminder before it expires. Each is HTML with a plain-text part, in
Russian, with links under /ru/, once each even when beat fires twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ENGLISH_WORDS = ("Hello", "Your certificate", "reminder", "Continue", "Open")


def _russian_profile(user):
    from training_platform.accounts.forms import ProfileForm

    form = ProfileForm(user=user)
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["preferred_language"] = "ru"
    form = ProfileForm(data=data, user=user)
    assert form.is_valid(), form.errors
    return form.save()


def _check_russian(message):
    assert any("а" <= ch <= "я" for ch in message.subject.lower()), message.subject
    assert "Здравствуйте" in message.body
    for word in ENGLISH_WORDS:
        assert word not in message.body, (word, message.subject)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'lang="ru"' in html


def test_the_demo_learner_receives_her_emails_in_russian(
    django_capture_on_commit_callbacks, tmp_path
):
    from certificates import rendering
    from certificates.demo import _complete
    from certificates.models import Certificate
    from certificates.services import certificates_send_expiry_reminders
    from courses.models import CoursePage, Enrolment
    from courses.notifications import inactive_learners_remind
    from training_platform.accounts.models import User
    from training_platform.notifications.models import Notification
    from workshops.models import Registration
    from workshops.notifications import session_dates_remind

    with open(tmp_path / "seed.log", "w") as log:
        call_command("seed_demo", stdout=log)
    learner = _russian_profile(User.objects.get(email="learner@demo.test"))
    mail.outbox.clear()
    before = set(Notification.objects.filter(recipient=learner).values_list("pk"))

    def beat(job, now):
        # Each periodic job fires twice: the second run sends nothing.
        with django_capture_on_commit_callbacks(execute=True):
            job(now=now)
            job(now=now)

    # The webinar she is registered for: the day before.
    (registration,) = Registration.objects.filter(
        user=learner, date__page__slug="webinar-referral"
    )
    beat(session_dates_remind, registration.date.starts_at - timedelta(hours=20))
    # She stops working: after the course's 14 days, a reminder.
    enrolment = Enrolment.objects.get(user=learner)
    idle_since = enrolment.last_accessed_at or enrolment.enrolled_at
    beat(inactive_learners_remind, idle_since + timedelta(days=14, hours=1))
    # She comes back and completes the course in Russian: the certificate.
    course = CoursePage.objects.get(
        translation_key=enrolment.course_key, locale__language_code="ru"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _complete(learner, course)
    certificate = Certificate.objects.get(user=learner, status="issued")
    # 30 days before it expires.
    beat(
        lambda now: certificates_send_expiry_reminders(now=now),
        certificate.expires_at - timedelta(days=29, hours=23),
    )

    events = list(
        Notification.objects.filter(recipient=learner)
        .exclude(pk__in=[pk for (pk,) in before])
        .order_by("pk")
        .values_list("event", flat=True)
    )
    assert events == [
        "session_soon",
        "learner_inactive",
        "certificate_issued",
        "certificate_expiring",
    ]
    # (Beat reminds the other demo learners too; these are hers.)
    hers = [message for message in mail.outbox if message.to == [learner.email]]
    assert len(hers) == 4
    for message in hers:
        _check_russian(message)
    soon, inactive, issued, expiring = hers
    assert "List-Unsubscribe" in soon.extra_headers
    # The demo's sessions have no Russian version: the link is the page itself.
    assert registration.date.page.url in soon.body
    for message in (inactive, issued, expiring):
        assert "/en/" not in message.body and "/ru/" in message.body
    assert "Выявление и перенаправление жертв торговли людьми" in inactive.body
    assert "/ru/" in inactive.body
    assert "List-Unsubscribe" in inactive.extra_headers
    (attachment,) = issued.attachments
    assert attachment[2] == "application/pdf"
    assert rendering.verify_url(certificate.code) in issued.body
    assert "List-Unsubscribe" not in issued.extra_headers
    assert "List-Unsubscribe" in expiring.extra_headers
