"""Copying a course (issue 16): the copy keeps the structure, the question
references, the H5P blocks, the certificate rule and the surveys, creates no
enrolment or progress, is a draft with new translation keys; into another
language it is a translation (same keys). Only for those who may edit the
course and add courses to its catalogue."""

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page

from assessments.factories import make_assessment, make_question
from assessments.models import AssessmentPage
from courses import services
from courses.models import CoursePage, Enrolment, ItemProgress, ModulePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_course(course, learner):
    from certificates.models import CertificateTemplate, CourseCertificateRule

    module = ModulePage.objects.child_of(course).first()
    questions = [make_question() for _ in range(3)]
    make_assessment(module, title="Final", kind="final", questions=questions)
    template = CertificateTemplate.objects.create(name="Standard", language="en")
    CourseCertificateRule.objects.create(course=course, template=template)
    course.save_revision().publish()
    services.enrolment_create(user=learner, course=course, source="self")
    services.item_progress_record(
        user=learner, page=course.get_course_items()[0], completed=True
    )
    return course, questions, template


def _tree(page):
    return [
        (p.depth - page.depth, p.specific_class.__name__, p.title)
        for p in Page.objects.descendant_of(page).order_by("path")
    ]


def test_the_copy_keeps_structure_and_references_and_no_learners(rich_course, trainer):
    course, questions, template = rich_course
    enrolments, progress = Enrolment.objects.count(), ItemProgress.objects.count()
    copy = services.course_copy(
        course=course, by=trainer, title="Moldova labour inspectors", slug="moldova"
    )
    assert copy.title == "Moldova labour inspectors" and copy.slug == "moldova"
    assert not copy.live and copy.get_parent() == course.get_parent()
    assert _tree(copy) == _tree(course)
    final = AssessmentPage.objects.descendant_of(copy).get()
    assert [q.question_id for q in final.fixed_questions.order_by("sort_order")] == [
        q.pk for q in questions
    ]
    assert copy.certificate_rules.get().template == template
    keys = {
        p.translation_key for p in Page.objects.descendant_of(course, inclusive=True)
    }
    copied = {
        p.translation_key for p in Page.objects.descendant_of(copy, inclusive=True)
    }
    assert not keys & copied
    assert not any(p.live for p in Page.objects.descendant_of(copy, inclusive=True))
    assert (Enrolment.objects.count(), ItemProgress.objects.count()) == (
        enrolments,
        progress,
    )
    with pytest.raises(services.CourseCopyError):
        services.course_copy(course=course, by=trainer, title="Again", slug="moldova")


def test_a_copy_into_another_language_is_a_translation(rich_course, trainer):
    course, _questions, _template = rich_course
    russian = Locale.objects.get(language_code="ru")
    translated = services.course_translate(course=course, by=trainer, locale=russian)
    assert translated.translation_key == course.translation_key
    assert translated.locale == russian and not translated.live
    assert len(_tree(translated)) == len(_tree(course))
    with pytest.raises(services.CourseCopyError):
        services.course_translate(course=course, by=trainer, locale=russian)


def test_a_trainer_copies_from_the_admin(client, trainer, mfa, rich_course):
    course, _questions, _template = rich_course
    mfa(trainer)
    client.force_login(trainer)
    url = reverse("courses_course_copy", args=[course.pk])
    assert (
        url
        in client.get(
            reverse("wagtailadmin_pages:edit", args=[course.pk])
        ).content.decode()
    )
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"what": "new", "title": "For Moldova", "slug": ""})
    assert response.status_code == 302
    copy = CoursePage.objects.get(title="For Moldova")
    assert copy.slug == "for-moldova"
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[copy.pk])
    # The same address again: refused with a reason, nothing copied.
    response = client.post(url, {"what": "new", "title": "For Moldova", "slug": ""})
    assert response.status_code == 200
    assert "already uses this address" in response.content.decode()
    assert CoursePage.objects.filter(title="For Moldova").count() == 1


def test_without_edit_permission_there_is_no_copy(client, learner, course):
    from training_platform.accounts.factories import UserFactory

    someone = UserFactory(is_staff=True)
    client.force_login(someone)
    response = client.get(reverse("courses_course_copy", args=[course.pk]))
    assert response.status_code in (302, 403)
    assert CoursePage.objects.count() == 1
