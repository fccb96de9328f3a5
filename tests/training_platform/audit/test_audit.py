"""The audit log (issue 15): security-relevant actions recorded with who,
when, what, on which object and from which address; read and filtered by
administrators in the admin; never changed or deleted by the application;
kept when the actor's account goes."""

import io

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.browser.helpers import FACTORY_PASSWORD, totp_code
from tests.conftest import enable_totp
from training_platform.accounts import roles
from training_platform.accounts import services as account_services
from training_platform.accounts.factories import AdministratorFactory, UserFactory
from training_platform.accounts.models import Country
from training_platform.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.23"


def _signed_in(user):
    enable_totp(user)
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(user)
    return client


def _entries(action, **filters):
    return list(AuditEntry.objects.filter(action=action, **filters).order_by("pk"))


def test_role_and_scope_changes_in_the_admin_name_who_and_from_where(
    administrator, trainer
):
    """E03: role changes made in the admin's user editor are recorded with
    the administrator and their address, as are coordinated countries."""
    client = _signed_in(administrator)
    url = reverse("wagtailusers_users:edit", args=[trainer.pk])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    from django.contrib.auth.models import Group

    coordinators = Group.objects.get(name=roles.COORDINATORS)
    data["groups"] = [g.pk for g in trainer.groups.all()] + [coordinators.pk]
    data["email"] = trainer.email
    data["full_name"] = trainer.full_name
    data["is_active"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    (granted,) = _entries(AuditAction.ROLE_GRANTED, actor=administrator.email)
    assert granted.actor == administrator.email
    assert granted.actor_id == administrator.pk
    assert granted.address == ADDRESS
    assert granted.object_id == str(trainer.pk)
    assert granted.details == {"role": roles.COORDINATORS}

    account_services.coordinator_set_countries(
        user=trainer, countries=Country.objects.filter(code__in=["AL", "RS"])
    )
    account_services.coordinator_set_countries(
        user=trainer, countries=Country.objects.filter(code="AL")
    )
    changes = [e.details for e in _entries(AuditAction.COUNTRIES_CHANGED)]
    assert changes == [{"added": ["AL", "RS"]}, {"removed": ["RS"]}]
    account_services.role_revoke(user=trainer, role=roles.COORDINATORS)
    (revoked,) = _entries(AuditAction.ROLE_REVOKED)
    assert revoked.details == {"role": roles.COORDINATORS}
    # Made outside a request (a command, a worker): no actor, no address.
    assert revoked.actor == "" and revoked.address is None


def test_staff_sign_ins_and_failed_ones_are_recorded_not_learners(trainer, learner):
    """G05: a staff sign-in counts once the second factor is given."""
    secret = enable_totp(trainer)
    client = Client(REMOTE_ADDR=ADDRESS)
    login = reverse("account_login")
    client.post(login, {"login": trainer.email, "password": "wrong password"})
    client.post(login, {"login": learner.email, "password": "wrong password"})
    (failed,) = _entries(AuditAction.LOGIN_FAILED)
    assert failed.object_id == str(trainer.pk) and failed.address == ADDRESS
    assert failed.actor == ""

    client.post(login, {"login": trainer.email, "password": FACTORY_PASSWORD})
    assert _entries(AuditAction.LOGIN) == []
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert len(_entries(AuditAction.MFA_FAILED)) == 1
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    (signed_in,) = _entries(AuditAction.LOGIN)
    assert signed_in.actor == trainer.email and signed_in.address == ADDRESS

    Client().post(login, {"login": learner.email, "password": FACTORY_PASSWORD})
    assert len(_entries(AuditAction.LOGIN)) == 1


def test_mfa_changes_are_recorded(trainer):
    from allauth.mfa import signals
    from allauth.mfa.models import Authenticator

    enable_totp(trainer)
    authenticator = Authenticator.objects.get(user=trainer)
    signals.authenticator_removed.send(
        sender=Authenticator, request=None, user=trainer, authenticator=authenticator
    )
    (removed,) = _entries(AuditAction.MFA_REMOVED)
    assert removed.actor == trainer.email
    assert removed.details == {"type": "totp"}


def test_certificate_revocation_and_reissue_are_recorded(administrator):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from certificates import codes
    from certificates.models import Certificate, CertificateStatus
    from courses.factories import build_course

    course = build_course(title="Identifying victims", slug="identifying-victims")
    learner = UserFactory(email="holder@example.org", full_name="Ana Holder")

    def issued():
        return Certificate.objects.create(
            code=codes.generate(),
            user=learner,
            course_key=course.translation_key,
            course=course,
            status=CertificateStatus.ISSUED,
            learner_name="Ana Holder",
            course_title=course.title,
            language="en",
            score=Decimal("90"),
            completed_at=timezone.now() - timedelta(days=1),
            issued_at=timezone.now(),
        )

    from certificates import services

    first = issued()
    services.certificate_revoke(
        certificate=first, by=administrator, reason="Issued in error"
    )
    (revoked,) = _entries(AuditAction.CERTIFICATE_REVOKED)
    assert revoked.object_label == first.code
    assert revoked.actor == administrator.email
    assert revoked.details == {"reason": "Issued in error"}

    second = issued()
    new = services.certificate_reissue(
        certificate=second, by=administrator, reason="Name corrected"
    )
    (reissued,) = _entries(AuditAction.CERTIFICATE_REISSUED)
    assert reissued.object_label == new.code
    assert reissued.details == {"reason": "Name corrected", "replaces": second.code}


def test_downloads_of_lists_of_people_are_recorded(trainer):
    """F01's spreadsheet writer records each download with who and where."""
    from courses import services as course_services
    from courses.factories import build_course

    course = build_course(title="Labour inspection", slug="labour")
    course_services.course_owner_set_up(course=course, by=trainer)
    course_services.enrolment_create(user=UserFactory(), course=course, source="self")
    client = _signed_in(trainer)
    url = reverse("reports_admin:course_results", args=[course.pk])
    response = client.get(url, {"format": "csv"})
    assert response.status_code == 200
    (download,) = _entries(AuditAction.EXPORT_DOWNLOADED)
    assert download.actor == trainer.email and download.address == ADDRESS
    assert download.object_label.endswith("-enrolments.csv")


def test_h5p_library_installs_are_recorded(administrator):
    from courses.h5p import package_builder
    from courses.h5p.services import content_import

    content_import(
        file=io.BytesIO(package_builder.quiz_package()),
        filename="quiz.h5p",
        user=administrator,
    )
    installed = _entries(AuditAction.H5P_LIBRARY_INSTALLED)
    assert installed and all(e.actor == administrator.email for e in installed)
    assert {e.object_type for e in installed} == {"h5p.h5plibrary"}


def test_the_log_is_not_changed_or_deleted_and_outlives_the_actor(administrator):
    actor = AdministratorFactory(email="leaving@example.org")
    account_services.role_grant(user=UserFactory(), role=roles.TRAINERS)
    from training_platform.audit import services

    entry = services.record(AuditAction.MFA_RESET, obj=actor, actor=actor)
    entry.details = {"forged": True}
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    forged = AuditEntry(pk=entry.pk, action=AuditAction.LOGIN, actor="forged")
    with pytest.raises(PermissionError):
        forged.save()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(actor="someone else")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    actor.delete()
    kept = AuditEntry.objects.get(pk=entry.pk)
    assert kept.actor == "leaving@example.org" and kept.details == {}


def test_administrators_read_and_filter_the_log_others_do_not(
    administrator, trainer, coordinator
):
    account_services.role_grant(user=trainer, role=roles.COORDINATORS)
    account_services.coordinator_set_countries(
        user=trainer, countries=Country.objects.filter(code="AL")
    )
    index = reverse("audit_log:index")
    client = _signed_in(administrator)
    page = client.get(index)
    assert page.status_code == 200
    listed = {entry.action for entry in page.context["object_list"]}
    assert {AuditAction.ROLE_GRANTED, AuditAction.COUNTRIES_CHANGED} <= listed
    filtered = client.get(index, {"action": AuditAction.ROLE_GRANTED})
    assert {e.action for e in filtered.context["object_list"]} == {
        AuditAction.ROLE_GRANTED
    }
    entry = AuditEntry.objects.first()
    assert client.get(reverse("audit_log:inspect", args=[entry.pk])).status_code == 200
    for name in ("audit_log:edit", "audit_log:delete"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[entry.pk])
    for other in (trainer, coordinator):
        response = _signed_in(other).get(index)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")


def test_making_someone_a_superuser_is_recorded(administrator):
    """E03."""
    person = UserFactory(email="promoted@example.org")
    person.is_superuser = True
    person.save()
    person.save(update_fields=["last_login"])
    (change,) = _entries(AuditAction.SUPERUSER_CHANGED)
    assert change.object_id == str(person.pk) and change.details == {"superuser": True}
    created = type(person).objects.create_superuser(
        email="root@example.org", password="a-long-password-2026"
    )
    assert _entries(AuditAction.SUPERUSER_CHANGED, object_id=str(created.pk))
