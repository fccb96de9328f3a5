"""Demo certificates for ``seed_demo``: templates in English and Russian, a
certificate rule on the demo course, a learner with a Cyrillic name holding a
valid certificate and another whose certificate was revoked. The demo
learner of the accounts app stays part-way, to complete the course in the
browser and receive a certificate."""

from django.db import transaction

from . import services
from .models import (
    DEFAULT_BODY,
    DEFAULT_TITLE,
    Certificate,
    CertificateKind,
    CertificateStatus,
    CertificateTemplate,
    CourseCertificateRule,
    TemplateSignatory,
)

DEMO_LEARNERS = [
    # e-mail, full name, name on certificate, country, revoked?
    ("aigerim@demo.test", "Aigerim Seitkali", "Айгерим Сейтқали", "KZ", False),
    ("oleh@demo.test", "Oleh Kovalchuk", "Олег Ковальчук", "UA", True),
]

RU_TITLE = "Сертификат о прохождении курса"
RU_BODY = (
    "Настоящим удостоверяется, что\n{learner_name}\nуспешно завершил(а) курс\n"
    "{course_title}\n{completion_date}"
)


def _template(name, language, **fields):
    template = CertificateTemplate.objects.filter(name=name).first()
    if template is None:
        template = CertificateTemplate.objects.create(
            name=name, language=language, **fields
        )
        for order, (person, position) in enumerate(
            [
                ("Elira Hoxha", "Programme coordinator"),
                ("Nino Beridze", "Lead trainer"),
            ]
        ):
            TemplateSignatory.objects.create(
                template=template, name=person, title=position, sort_order=order
            )
    return template


def _rule(page, template):
    CourseCertificateRule.objects.get_or_create(
        course=page, defaults={"template": template, "validity_months": 24}
    )


def _complete(user, course):
    from courses.factories import complete_course

    return complete_course(user, course)


def seed(context):
    from training_platform.accounts.demo import DEMO_PASSWORD
    from training_platform.accounts.factories import UserFactory
    from training_platform.accounts.models import Country, Organisation

    english = _template("Certificate of completion (English)", "en")
    russian = _template(
        "Сертификат (русский и английский)",
        "ru",
        title=RU_TITLE,
        body=RU_BODY,
        bilingual=True,
        secondary_title=DEFAULT_TITLE,
        secondary_body=DEFAULT_BODY,
    )
    # The workshop's participants who meet its attendance rule receive an
    # attendance certificate once the seeding commits.
    _template(
        "Certificate of attendance (English)", "en", kind=CertificateKind.ATTENDANCE
    )
    course = context.objects.get("demo_course")
    if course is None:
        return
    _rule(course, english)
    for translation in course.get_translations():
        _rule(
            translation,
            russian if translation.locale.language_code == "ru" else english,
        )

    admin = context.users.get("Administrators")
    for email, full_name, certificate_name, country, revoke in DEMO_LEARNERS:
        user = UserFactory(
            email=email,
            full_name=full_name,
            certificate_name=certificate_name,
            country=Country.objects.get(code=country),
            # An organisation of the accounts demo: re-seeding adds none.
            organisation=Organisation.objects.filter(country__code=country)
            .order_by("pk")
            .first(),
            preferred_language="ru",
            password=DEMO_PASSWORD,
        )
        context.login("Learners", email, DEMO_PASSWORD)
        # Each takes the course in their own language, so the certificate
        # comes from that language's template.
        taken = (
            course.get_translations(inclusive=True)
            .filter(locale__language_code=user.preferred_language)
            .first()
            or course
        ).specific
        enrolment, completion = _complete(user, taken)
        certificate = services.certificate_request(
            user=user,
            course_key=course.translation_key,
            course=taken,
            completed_at=getattr(completion, "completed_at", None),
            completion_ref=getattr(completion, "pk", None),
            enrolment=enrolment,
        )
        # Issued here rather than by the tasks, so that the revocation below
        # finds it; the tasks find nothing left to do.
        with transaction.atomic():
            services.certificate_issue(certificate_id=certificate.pk)
        services.certificate_render(certificate_id=certificate.pk)
        if revoke:
            services.certificate_revoke(
                certificate=Certificate.objects.get(pk=certificate.pk),
                by=admin,
                reason="Issued in error: the course was completed on a shared account.",
            )
        certificate.refresh_from_db()
        state = (
            "revoked"
            if certificate.status == CertificateStatus.REVOKED
            else certificate.public_status
        )
        context.notes.append(
            f"Certificate ({state}) for {certificate_name}: /verify/{certificate.code}"
        )
