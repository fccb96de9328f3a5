"""Course ownership (issue 16, D09): a course has owners and co-editors; a
trainer edits, publishes, copies and sees the results of the courses on
their team only, and sees only the learners of those courses."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import Page

from assessments.factories import make_assessment, make_question
from certificates.selectors import certificates_visible_to
from courses import services
from courses.factories import build_course, complete_course, course_index
from courses.models import CourseEditor, CoursePage, CourseRole, ModulePage
from courses.permissions import can_edit_course
from courses.selectors import enrolments_visible_to
from tests.conftest import enable_totp
from training_platform.accounts.factories import (
    AdministratorFactory,
    TrainerFactory,
    UserFactory,
)
from training_platform.accounts.selectors import (
    learners_visible_to,
    scope_to_visible_learners,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(trainer, course):
    services.course_owner_set_up(course=course, by=trainer)
    return trainer


@pytest.fixture
def stranger(db):
    """A trainer on no team of ``course``."""
    return TrainerFactory(email="other-trainer@example.org")


@pytest.fixture
def results(course, learner, django_capture_on_commit_callbacks):
    """A learner who finished the course with an assessment and a
    certificate, and a learner of another course."""
    module = ModulePage.objects.child_of(course).first()
    from assessments import services as assessment_services

    assessment = make_assessment(
        module, title="Final", kind="final", questions=[make_question()]
    )
    from certificates.models import CertificateTemplate, CourseCertificateRule

    template = CertificateTemplate.objects.create(name="Standard", language="en")
    CourseCertificateRule.objects.create(course=course, template=template)
    course.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, course, score=90)
    attempt = assessment_services.attempt_start(user=learner, page=assessment)
    assessment_services.attempt_submit(attempt=attempt, answers={}, sequence=0)
    other_course = build_course(title="Labour inspection", slug="labour")
    other_learner = UserFactory(email="other-learner@example.org")
    services.enrolment_create(user=other_learner, course=other_course, source="self")
    return other_course, other_learner


def _login(client, user):
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user).exists():
        enable_totp(user)
    client.force_login(user)
    return client


def test_d09_a_trainer_edits_only_the_courses_of_their_team(
    client, owner, stranger, course
):
    """D09: the edit, add-child, publish, copy, outline import, team and
    preview views of a course refuse a trainer who is not on its team, and
    serve its owner."""
    lesson = course.get_course_items()[0]
    module = ModulePage.objects.child_of(course).first()
    urls = [
        reverse("wagtailadmin_pages:edit", args=[course.pk]),
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        reverse("wagtailadmin_pages:add_subpage", args=[module.pk]),
        reverse("courses_course_copy", args=[course.pk]),
        reverse("courses_outline_import", args=[course.pk]),
        reverse("courses_course_team", args=[course.pk]),
        reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk]),
    ]
    _login(client, stranger)
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        if response.status_code == 302:
            assert "/edit/" not in response["Location"], url
    assert not course.permissions_for_user(stranger).can_publish()
    assert not lesson.permissions_for_user(stranger).can_edit()
    assert not module.permissions_for_user(stranger).can_add_subpage()
    # Publishing through the edit form is refused as well.
    title = course.title
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[course.pk]),
        {"title": "Taken over", "slug": course.slug, "action-publish": "publish"},
    )
    course.refresh_from_db()
    assert course.title == title and response.status_code in (302, 403)

    _login(client, owner)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    assert course.permissions_for_user(owner).can_publish()
    assert lesson.permissions_for_user(owner).can_edit()


def test_d09_a_co_editor_edits_every_language_of_the_course(owner, stranger, course):
    from courses.factories import translate_tree

    russian = translate_tree(course, "ru")
    lesson_ru = russian.get_course_items()[0]
    assert not lesson_ru.permissions_for_user(stranger).can_edit()
    services.course_team_add(
        course=course, user=stranger, role=CourseRole.CO_EDITOR, by=owner
    )
    stranger = type(stranger).objects.get(pk=stranger.pk)
    assert lesson_ru.permissions_for_user(stranger).can_edit()
    assert russian.permissions_for_user(stranger).can_publish()
    assert can_edit_course(stranger, course.translation_key)


def test_e04_the_owner_of_one_course_is_refused_another_courses_views(
    client, owner, stranger, course
):
    """E04: a trainer with a course of their own calls the copy, outline
    import, team and results views of another team's course, and moves a
    lesson of their own course into it: refused, nothing moves."""
    other = build_course(title="Labour inspection", slug="labour")
    services.course_owner_set_up(course=other, by=stranger)
    _login(client, owner)
    for url in (
        reverse("courses_course_copy", args=[other.pk]),
        reverse("courses_outline_import", args=[other.pk]),
        reverse("courses_course_team", args=[other.pk]),
        reverse("reports_admin:course_results", args=[other.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        if response.status_code == 302:
            assert "/edit/" not in response["Location"], url
    lesson = course.get_course_items()[0]
    target = ModulePage.objects.child_of(other).first()
    client.post(reverse("wagtailadmin_pages:move_confirm", args=[lesson.pk, target.pk]))
    lesson.refresh_from_db()
    assert lesson.is_descendant_of(course) and not lesson.is_descendant_of(other)


def test_creating_a_course_in_the_admin_makes_its_creator_its_owner(client, trainer):
    from tests.courses.admin_forms import page_form_data

    index = course_index("en")
    url = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", index.pk])
    _login(client, trainer)
    data = page_form_data(client, url, title="Moldova labour inspectors")
    data["slug"] = "moldova-labour-inspectors"
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    course = CoursePage.objects.get(
        slug="moldova-labour-inspectors", locale__language_code="en"
    )
    editor = CourseEditor.objects.get(course_key=course.translation_key)
    assert editor.user == trainer and editor.role == CourseRole.OWNER
    # The creator edits it; another trainer does not.
    assert course.permissions_for_user(trainer).can_edit()
    assert not course.permissions_for_user(TrainerFactory()).can_edit()


def test_the_copy_of_a_course_belongs_to_whoever_copied_it(owner, course):
    copy = services.course_copy(course=course, by=owner, title="Copy", slug="copy")
    assert CourseEditor.objects.filter(
        course_key=copy.translation_key, user=owner, role=CourseRole.OWNER
    ).exists()


def test_owners_and_administrators_choose_the_team_and_one_owner_stays(
    client, owner, stranger, course
):
    co_editor = TrainerFactory(email="co@example.org")
    services.course_team_add(
        course=course, user=co_editor, role=CourseRole.CO_EDITOR, by=owner
    )
    # A co-editor edits but does not choose the team.
    with pytest.raises(PermissionDenied):
        services.course_team_add(
            course=course, user=stranger, role=CourseRole.CO_EDITOR, by=co_editor
        )
    assert not CourseEditor.objects.filter(user=stranger).exists()
    # Only trainers edit courses.
    with pytest.raises(services.CourseTeamError):
        services.course_team_add(
            course=course, user=UserFactory(), role=CourseRole.OWNER, by=owner
        )
    # The last owner cannot leave, nor become a co-editor.
    with pytest.raises(services.CourseTeamError):
        services.course_team_remove(course=course, user=owner, by=owner)
    with pytest.raises(services.CourseTeamError):
        services.course_team_add(
            course=course, user=owner, role=CourseRole.CO_EDITOR, by=owner
        )
    # An administrator makes the co-editor an owner; then the first owner may go.
    administrator = AdministratorFactory()
    services.course_team_add(
        course=course, user=co_editor, role=CourseRole.OWNER, by=administrator
    )
    services.course_team_remove(course=course, user=owner, by=co_editor)
    assert list(
        CourseEditor.objects.filter(course_key=course.translation_key).values_list(
            "user__email", "role"
        )
    ) == [("co@example.org", "owner")]

    # Through the team page: the owner adds a co-editor; a co-editor's post
    # is refused.
    _login(client, co_editor)
    url = reverse("courses_course_team", args=[course.pk])
    response = client.post(url, {"user": stranger.pk, "role": CourseRole.CO_EDITOR})
    assert response.status_code == 302
    assert CourseEditor.objects.get(user=stranger).role == CourseRole.CO_EDITOR
    # Somebody who is not a number is nobody to remove.
    team = set(CourseEditor.objects.values_list("user_id", "role"))
    response = client.post(url, {"remove": "1 OR 1=1"})
    # Not found (LocaleMiddleware may send a 404 on to the prefixed path).
    assert response.status_code in (302, 404)
    assert response.status_code == 404 or response["Location"] != url
    assert set(CourseEditor.objects.values_list("user_id", "role")) == team
    _login(client, stranger)
    response = client.post(url, {"remove": co_editor.pk})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
    assert CourseEditor.objects.filter(user=co_editor).exists()
    page = client.get(url)
    assert b"co@example.org" in page.content and b'name="remove"' not in page.content


def test_d09_a_trainer_sees_the_learners_and_results_of_their_courses_only(
    client, owner, stranger, course, learner, results
):
    other_course, other_learner = results
    assert set(learners_visible_to(owner)) == {learner}
    assert set(learners_visible_to(stranger)) == set()
    assert {e.user for e in enrolments_visible_to(owner)} == {learner}
    assert not enrolments_visible_to(stranger).exists()
    assert certificates_visible_to(owner).count() == 1
    assert not certificates_visible_to(stranger).exists()
    # The learner's enrolment in another course stays out of the owner's view.
    services.enrolment_create(user=learner, course=other_course, source="self")
    assert {e.course_key for e in enrolments_visible_to(owner)} == {
        course.translation_key
    }
    # Admin views: the attempts listing, an attempt, the assessment statistics.
    from assessments.models import AssessmentPage, Attempt

    attempt = Attempt.objects.get()
    assessment = AssessmentPage.objects.get()
    _login(client, stranger)
    assert (
        client.get(
            reverse("assessments_attempt:inspect", args=[attempt.pk]), follow=True
        ).status_code
        == 404
    )
    listing = client.get(reverse("assessments_attempt:index"), follow=True)
    assert listing.status_code == 200
    assert learner.email.encode() not in listing.content
    assert (
        client.get(
            reverse("assessments_admin:statistics", args=[assessment.pk]), follow=True
        ).status_code
        == 404
    )
    _login(client, owner)
    assert (
        client.get(
            reverse("assessments_attempt:inspect", args=[attempt.pk]), follow=True
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("assessments_admin:statistics", args=[assessment.pk]), follow=True
        ).status_code
        == 200
    )


def test_a_trainer_who_coordinates_sees_both_scopes(owner, course, learner, results):
    from training_platform.accounts import services as account_services
    from training_platform.accounts.models import Country

    other_course, other_learner = results
    other_learner.country = Country.objects.get(code="MD")
    other_learner.save()
    account_services.role_grant(user=owner, role="Coordinators")
    account_services.coordinator_set_countries(
        user=owner, countries=[Country.objects.get(code="MD")]
    )
    # Countries with several coordinators: nobody is listed twice.
    from training_platform.accounts.factories import CoordinatorFactory

    for code in ("MD", "RS", "RS"):
        CoordinatorFactory(countries=[Country.objects.get(code=code)])
    owner = type(owner).objects.get(pk=owner.pk)
    assert sorted(learners_visible_to(owner).values_list("email", flat=True)) == sorted(
        [learner.email, other_learner.email]
    )
    from courses.models import Enrolment

    assert sorted(
        scope_to_visible_learners(
            owner, Enrolment.objects.all(), course_path="course_key"
        ).values_list("user__email", flat=True)
    ) == sorted([learner.email, other_learner.email])


def test_existing_courses_get_their_creators_as_owners(course, trainer):
    """The migration's rule, run again: a course's page owner becomes its
    owner."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("courses.migrations.0008_course_editors")
    Page.objects.filter(pk=course.pk).update(owner=trainer)
    migration.owners_from_page_owners(apps, None)
    assert CourseEditor.objects.get(course_key=course.translation_key).user == trainer


def test_d09_translations_of_a_course_are_submitted_and_updated_by_its_team_only(
    client, owner, stranger, course
):
    """wagtail-localize's submit and update views (its own permission lets
    any trainer in) ask the course's page permissions: a trainer off the team
    can neither start nor update, nor publish, a translation of the course."""
    from wagtail.models import Locale
    from wagtail_localize.models import TranslationSource

    ukrainian, _created = Locale.objects.get_or_create(language_code="uk")
    russian = Locale.objects.get(language_code="ru")
    services.course_translate(course=course, by=owner, locale=russian)
    source = TranslationSource.objects.get_for_instance(course)
    draft = course.get_translation(russian)
    assert not draft.live
    submit = reverse("wagtail_localize:submit_page_translation", args=[course.pk])
    update = reverse("wagtail_localize:update_translations", args=[source.pk])

    _login(client, stranger)
    for url in (submit, update):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == reverse("wagtailadmin_home"), url
    client.post(update, {"publish_translations": "on"})
    client.post(submit, {"locales": [ukrainian.pk]})
    draft.refresh_from_db()
    assert not draft.live
    assert not course.get_translations().filter(locale=ukrainian).exists()

    _login(client, owner)
    assert client.get(submit).status_code == 200
    assert client.get(update).status_code == 200


def test_forgetting_the_teams_reaches_a_requests_lazy_user(trainer, course):
    """A change of team is seen at once through ``request.user``, which is a
    lazy object around the user."""
    from django.utils.functional import SimpleLazyObject

    from courses.models import CourseEditor
    from courses.permissions import course_keys_editable_by, forget_course_teams

    lazy = SimpleLazyObject(lambda: trainer)
    assert course_keys_editable_by(lazy) == {course.translation_key}
    CourseEditor.objects.filter(user=trainer).delete()
    forget_course_teams(lazy)
    assert course_keys_editable_by(lazy) == frozenset()
