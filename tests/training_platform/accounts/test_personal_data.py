"""Personal data under the learner's control (issue 15): the whole of it as
one JSON file, built by a worker and offered to them only until it expires;
the erasure of their account, by themselves or by a coordinator or an
administrator on their request, with figures and certificates kept right."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.factories import build_course, complete_course
from tests.browser.helpers import FACTORY_PASSWORD
from tests.conftest import enable_totp
from training_platform.accounts.factories import CoordinatorFactory, UserFactory
from training_platform.accounts.models import Country
from training_platform.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(django_capture_on_commit_callbacks):
    """A learner of Serbia who completed a course with a certificate and
    took an assessment."""
    from assessments import services as assessment_services
    from assessments.factories import make_assessment, make_question
    from certificates.models import CertificateTemplate, CourseCertificateRule
    from courses.models import ModulePage
    from training_platform.notifications.models import Notification

    course = build_course(title="Identifying victims", slug="identifying-victims")
    page = make_assessment(
        ModulePage.objects.child_of(course).first(),
        title="Check",
        questions=[make_question("truefalse", title="Passport", correct_answer=True)],
    )
    template = CertificateTemplate.objects.create(name="Standard", language="en")
    CourseCertificateRule.objects.create(course=course, template=template)
    learner = UserFactory(
        email="ana@example.org",
        full_name="Ana Petrović",
        country=Country.objects.get(code="RS"),
        position="Labour inspector",
    )
    with django_capture_on_commit_callbacks(execute=True):
        enrolment, _completion = complete_course(learner, course, score=Decimal("90"))
    attempt = assessment_services.attempt_start(user=learner, page=page)
    answers = {slot.position: {"value": True} for slot in attempt.slots.all()}
    assessment_services.attempt_submit(attempt=attempt, answers=answers, sequence=0)
    # The certificate's e-mail is among the notifications.
    assert Notification.objects.filter(recipient=learner).exists()
    return learner, course, page


def _player_traces(user):
    """A raw xAPI statement naming ``user`` and a saved player state."""
    import io
    import uuid

    from courses.h5p import package_builder
    from courses.h5p.models import H5PStatement, H5PUserState
    from courses.h5p.services import content_import

    content = content_import(file=io.BytesIO(package_builder.quiz_package()))
    statement = H5PStatement.objects.create(
        statement_id=uuid.uuid4(),
        user=user,
        content=content,
        activity_key="a1",
        verb="http://adlnet.gov/expapi/verbs/answered",
        top_level=True,
        body={"actor": {"name": user.full_name, "mbox": f"mailto:{user.email}"}},
        body_sha256="0" * 64,
    )
    state = H5PUserState.objects.create(user=user, content=content, data="{}")
    return statement, state


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _ready_export(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:data"))
    assert response.status_code == 302
    page = client.get(reverse("accounts:data"))
    assert 'data-export-status="ready"' in page.content.decode()
    from training_platform.accounts.personal_data import latest_export

    return latest_export(page.context["user"])


def test_a_learner_downloads_all_their_data_and_only_they_can(
    holder, django_capture_on_commit_callbacks
):
    learner, _course, page = holder
    client = _client(learner)
    export = _ready_export(client, django_capture_on_commit_callbacks)
    url = reverse("accounts:data_download", args=[export.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(b"".join(response.streaming_content))
    assert data["profile"]["email"] == "ana@example.org"
    assert data["profile"]["position"] == "Labour inspector"
    assert data["profile"]["country"] == "Serbia"
    records = data["records"]
    for label in (
        "courses.enrolment",
        "courses.itemprogress",
        "courses.coursecompletion",
        "assessments.attempt",
        "assessments.attemptslot",
        "certificates.certificate",
        "notifications.notification",
    ):
        assert records.get(label), label
    assert any(slot.get("response") for slot in records["assessments.attemptslot"])
    assert records["assessments.attemptslot"][0]["outcome"]  # shown right away

    # An exam whose answers wait for the last attempt: the file waits too.
    from assessments.models import AssessmentPage

    AssessmentPage.objects.filter(pk=page.pk).update(
        review_score="never", review_answers="never"
    )
    type(export).objects.filter(pk=export.pk).delete()
    export = _ready_export(client, django_capture_on_commit_callbacks)
    url = reverse("accounts:data_download", args=[export.pk])
    records = json.loads(b"".join(client.get(url).streaming_content))["records"]
    for label in ("assessments.attemptslot", "assessments.attempt"):
        for row in records[label]:
            assert not {"marks", "fraction", "outcome", "percent"} & set(row), label
    assert records["assessments.attemptslot"][0]["response"]
    # Asking again at once offers the same file, not another build.
    client.post(reverse("accounts:data"))
    assert type(export).objects.filter(requested_by=learner).count() == 1
    text = json.dumps(data)
    assert "password" not in text and "mfa." not in text
    downloads = AuditEntry.objects.filter(action=AuditAction.EXPORT_DOWNLOADED)
    assert [d.actor for d in downloads] == [f"#{learner.pk}"] * 2

    # Somebody else: not found; after expiry: gone.
    assert _client(UserFactory()).get(url).status_code == 404
    type(export).objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.get(url).status_code == 410


def test_a_learner_erases_their_account_figures_and_certificates_stay(holder, client):
    from certificates.models import Certificate, CertificateStatus
    from training_platform.reports import services as report_services
    from training_platform.reports.models import CourseRollup

    learner, course, _page = holder
    report_services.report_refresh()
    completed_before = CourseRollup.objects.get(
        course_key=course.translation_key, country__code="RS"
    ).completed
    certificate = Certificate.objects.get(user=learner)
    statement, state = _player_traces(learner)
    from courses.models import BulkEnrolment

    batch = BulkEnrolment.objects.create(
        course=course,
        filename="cohort.csv",
        rows=[
            {"email": "ANA@example.org", "full_name": "Ana Petrović", "position": "x"},
            {"email": "other@example.org", "full_name": "Other Person"},
        ],
    )
    web = _client(learner)
    url = reverse("accounts:erase")
    refused = web.post(url, {"password": "not mine", "confirm": "on"})
    assert refused.status_code == 400
    learner.refresh_from_db()
    assert learner.email == "ana@example.org" and learner.erased_at is None

    response = web.post(url, {"password": FACTORY_PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.erased_at is not None and not learner.is_active
    assert learner.full_name == "" and learner.position == ""
    assert "ana" not in learner.email
    assert not learner.has_usable_password()
    # Signed out, and cannot sign in again.
    assert web.get(reverse("accounts:profile")).status_code == 302
    login = Client().post(
        reverse("account_login"),
        {"login": "ana@example.org", "password": FACTORY_PASSWORD},
    )
    assert "_auth_user_id" not in login.wsgi_request.session
    # The certificate verifies with the name as issued; figures stay.
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    verify = client.get(
        reverse("certificates_public:detail", args=[certificate.code]), follow=True
    )
    assert "Ana Petrović" in verify.content.decode()
    report_services.report_refresh()
    assert (
        CourseRollup.objects.get(
            course_key=course.translation_key, country__code="RS"
        ).completed
        == completed_before
    )
    batch.refresh_from_db()
    assert "Ana" not in json.dumps(batch.rows) and "ana@" not in json.dumps(batch.rows)
    assert batch.rows[1]["full_name"] == "Other Person"
    statement.refresh_from_db()
    assert "ana@example.org" not in json.dumps(statement.body)
    assert "Ana" not in json.dumps(statement.body)
    assert not type(state).objects.filter(pk=state.pk).exists()
    (erased,) = AuditEntry.objects.filter(action=AuditAction.ACCOUNT_ERASED)
    assert erased.actor == f"#{learner.pk}"
    assert erased.details["by_the_person"] is True
    # The log, never changed, names no learner.
    for entry in AuditEntry.objects.all():
        text = json.dumps([entry.actor, entry.object_label, entry.details])
        assert "Ana" not in text and "ana@example.org" not in text, entry.action


def test_a_coordinator_erases_on_request_within_their_countries(holder):
    from certificates.models import Certificate, CertificateStatus

    learner, _course, _page = holder
    elsewhere = CoordinatorFactory(countries=[Country.objects.get(code="AL")])
    enable_totp(elsewhere)
    url = reverse("reports:learner_erase", args=[learner.pk])
    form = {"email": learner.email, "revoke_certificates": "on"}
    assert _client(elsewhere).post(url, form).status_code == 404

    serbia = CoordinatorFactory(countries=[Country.objects.get(code="RS")])
    enable_totp(serbia)
    web = _client(serbia)
    record = web.get(reverse("reports:learner", args=[learner.pk]))
    assert url in record.content.decode()
    assert web.post(url, {**form, "email": "someone@example.org"}).status_code == 400
    learner.refresh_from_db()
    assert learner.erased_at is None

    response = web.post(url, form)
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.erased_at is not None
    assert Certificate.objects.get(user=learner).status == CertificateStatus.REVOKED
    (erased,) = AuditEntry.objects.filter(action=AuditAction.ACCOUNT_ERASED)
    assert erased.actor == serbia.email and erased.details["by_the_person"] is False


def test_staff_do_not_erase_themselves(trainer):
    enable_totp(trainer)
    response = _client(trainer).post(
        reverse("accounts:erase"), {"password": FACTORY_PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 400
    trainer.refresh_from_db()
    assert trainer.erased_at is None and trainer.is_active


def test_inactive_learners_are_warned_then_erased_once(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    """Retention: a learner inactive for the retention period minus the
    notice is warned once (beat may fire twice); erased once the notice has
    passed without a sign-in; one who signs in again is kept; staff and a
    retention of 0 are left alone."""
    from training_platform.accounts.factories import TrainerFactory
    from training_platform.accounts.personal_data import retention_apply

    settings.ACCOUNT_RETENTION_DAYS = 365
    settings.ACCOUNT_RETENTION_WARNING_DAYS = 30
    now = timezone.now()
    long_ago = now - timedelta(days=340)
    gone = UserFactory(email="gone@example.org", full_name="Gone Away")
    back = UserFactory(email="back@example.org")
    recent = UserFactory(email="recent@example.org")
    staff = TrainerFactory(email="staff@example.org")
    type(gone).objects.filter(pk__in=[gone.pk, back.pk, staff.pk]).update(
        last_login=long_ago, date_joined=long_ago
    )
    type(gone).objects.filter(pk=recent.pk).update(last_login=now - timedelta(days=5))

    settings.ACCOUNT_RETENTION_DAYS = 0
    assert retention_apply(now=now) == {"warned": 0, "erased": 0}
    settings.ACCOUNT_RETENTION_DAYS = 365

    with django_capture_on_commit_callbacks(execute=True):
        assert retention_apply(now=now) == {"warned": 2, "erased": 0}
        assert retention_apply(now=now) == {"warned": 0, "erased": 0}
    warned = {m.to[0] for m in mailoutbox}
    assert warned == {"gone@example.org", "back@example.org"}
    assert "erased" in mailoutbox[0].subject

    # The learner who comes back is seen again and kept.
    type(back).objects.filter(pk=back.pk).update(last_login=now + timedelta(days=10))
    later = now + timedelta(days=31)
    assert retention_apply(now=later) == {"warned": 0, "erased": 1}
    assert retention_apply(now=later) == {"warned": 0, "erased": 0}
    gone.refresh_from_db()
    back.refresh_from_db()
    staff.refresh_from_db()
    assert gone.erased_at is not None and gone.full_name == ""
    assert back.erased_at is None and staff.erased_at is None
    (erased,) = AuditEntry.objects.filter(action=AuditAction.ACCOUNT_ERASED)
    assert erased.object_id == str(gone.pk) and erased.actor == ""


def test_a_new_privacy_notice_is_accepted_before_going_on(learner, settings):
    """G01 for the way back: only a path on this site is followed."""
    settings.PRIVACY_POLICY_VERSION = "2027-01"
    client = _client(learner)
    response = client.get("/en/my/", HTTP_ACCEPT="text/html")
    consent = reverse("accounts:consent")
    assert response.status_code == 302 and response["Location"].startswith(consent)
    # Statements from the player and other non-page requests go through.
    posted = client.post("/en/my/")
    assert not posted.get("Location", "").startswith(consent)
    json_request = client.get("/en/my/", HTTP_ACCEPT="application/json")
    assert not json_request.get("Location", "").startswith(consent)
    page = client.get(response["Location"])
    assert "2026-11" in page.content.decode() and "2027-01" in page.content.decode()
    refused = client.post(consent, {"next": "/en/my/"})
    assert refused.status_code == 200
    learner.refresh_from_db()
    assert learner.consent_version == "2026-11"
    before = learner.consent_at
    accepted = client.post(consent, {"consent": "on", "next": "https://evil.example/"})
    assert accepted.status_code == 302 and accepted["Location"] == "/"
    learner.refresh_from_db()
    assert learner.consent_version == "2027-01" and learner.consent_at > before
    assert client.get("/en/my/", HTTP_ACCEPT="text/html").status_code == 200
