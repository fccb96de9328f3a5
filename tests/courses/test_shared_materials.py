"""Issue 16: a trainer's question banks, questions, H5P activities and
certificate templates are shared with the people they edit courses with and
read-only to other trainers; administrators change everything."""

import io

import pytest
from django.urls import reverse

from assessments.factories import make_question
from assessments.models import Question, QuestionBank
from certificates.models import CertificateTemplate
from courses import services
from courses.h5p import package_builder
from courses.h5p.services import content_import
from courses.models import CourseRole
from tests.conftest import enable_totp
from training_platform.accounts.factories import AdministratorFactory, TrainerFactory

pytestmark = pytest.mark.django_db


def _client_for(client_class, user):
    client = client_class()
    enable_totp(user)
    client.force_login(user)
    return client


@pytest.fixture
def people(trainer, course):
    """``trainer`` owns ``course``; a co-editor of it; a trainer elsewhere."""
    co_editor = TrainerFactory(email="co@example.org")
    services.course_team_add(
        course=course, user=co_editor, role=CourseRole.CO_EDITOR, by=trainer
    )
    return trainer, co_editor, TrainerFactory(email="elsewhere@example.org")


def _materials(trainer):
    bank = QuestionBank.objects.create(name="Indicators", created_by=trainer)
    question = make_question("truefalse", title="Withheld passport", bank=bank)
    Question.objects.filter(pk=question.pk).update(created_by=trainer)
    template = CertificateTemplate.objects.create(
        name="Standard", language="en", created_by=trainer
    )
    content = content_import(
        file=io.BytesIO(package_builder.quiz_package(title="Quiz")),
        filename="quiz.h5p",
        user=trainer,
        approved_by=AdministratorFactory(email="approver@example.org"),
    )
    return {
        "wagtailsnippets_assessments_questionbank": bank,
        "wagtailsnippets_assessments_question": question,
        "wagtailsnippets_certificates_certificatetemplate": template,
        "wagtailsnippets_h5p_h5pcontent": content,
    }


def test_materials_are_shared_with_co_editors_and_read_only_to_others(people):
    from django.test import Client

    owner, co_editor, elsewhere = people
    materials = _materials(owner)
    clients = {
        "owner": _client_for(Client, owner),
        "co_editor": _client_for(Client, co_editor),
        "elsewhere": _client_for(Client, elsewhere),
        "administrator": _client_for(Client, AdministratorFactory()),
    }
    for prefix, instance in materials.items():
        edit = reverse(f"{prefix}:edit", args=[instance.pk])
        delete = reverse(f"{prefix}:delete", args=[instance.pk])
        inspect = reverse(f"{prefix}:inspect", args=[instance.pk])
        for who in ("owner", "co_editor", "administrator"):
            assert clients[who].get(edit).status_code == 200, (prefix, who)
        response = clients["elsewhere"].get(edit)
        assert response.status_code == 302, prefix
        assert response["Location"] == reverse("wagtailadmin_home"), prefix
        assert clients["elsewhere"].get(inspect).status_code == 200, prefix
        listing = clients["elsewhere"].get(reverse(f"{prefix}:list"))
        assert listing.status_code == 200
        assert edit not in listing.content.decode(), prefix
        assert inspect in listing.content.decode(), prefix
        # Deleting is refused as well, and nothing goes.
        clients["elsewhere"].post(delete)
        assert type(instance).objects.filter(pk=instance.pk).exists(), prefix


def test_a_material_made_in_the_admin_records_its_creator(client, trainer):
    enable_totp(trainer)
    client.force_login(trainer)
    url = reverse("wagtailsnippets_assessments_questionbank:add")
    response = client.post(url, {"name": "Labour exploitation"})
    assert response.status_code == 302
    assert QuestionBank.objects.get(name="Labour exploitation").created_by == trainer


def test_materials_from_before_creators_were_recorded_stay_open(people):
    from courses.shared_materials import SharedWithCoEditorsPolicy

    owner, co_editor, elsewhere = people
    bank = QuestionBank.objects.create(name="Older bank")
    policy = SharedWithCoEditorsPolicy(QuestionBank, creator_field="created_by")
    assert policy.user_has_permission_for_instance(elsewhere, "change", bank)
    mine = QuestionBank.objects.create(name="Mine", created_by=owner)
    assert not policy.user_has_permission_for_instance(elsewhere, "change", mine)
    assert policy.user_has_permission_for_instance(elsewhere, "view", mine)
    assert set(policy.instances_user_has_any_permission_for(elsewhere, ["change"])) == {
        bank
    }


def test_only_who_may_change_a_question_regrades_it_and_imports_into_a_bank(people):
    """A trainer off the team of a question's creator cannot regrade its
    attempts, nor import questions into the creator's bank; imported
    questions record who imported them."""
    from django.test import Client

    owner, co_editor, elsewhere = people
    materials = _materials(owner)
    bank = materials["wagtailsnippets_assessments_questionbank"]
    question = materials["wagtailsnippets_assessments_question"]
    regrade = reverse("assessments_admin:regrade", args=[question.pk])
    assert _client_for(Client, co_editor).get(regrade).status_code == 200
    outsider = _client_for(Client, elsewhere)
    for response in (outsider.get(regrade), outsider.post(regrade, {"note": "x"})):
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")

    gift = "::Passport:: The employer kept the passport. {TRUE}"
    url = reverse("assessments_admin:import")
    form = {"bank": bank.pk, "format": "gift", "language": "en", "text": gift}
    response = outsider.post(url, form)
    assert response.status_code == 200
    assert "bank" in response.context["form"].errors
    assert not Question.objects.filter(title="Passport").exists()

    their_bank = QuestionBank.objects.create(name="Theirs", created_by=elsewhere)
    response = outsider.post(url, {**form, "bank": their_bank.pk})
    assert response.status_code == 302
    assert Question.objects.get(title="Passport").created_by == elsewhere


def test_the_question_form_offers_the_banks_one_may_change(people):
    from django.test import Client

    owner, co_editor, elsewhere = people
    mine = QuestionBank.objects.create(name="Owner's bank", created_by=owner)
    theirs = QuestionBank.objects.create(name="Elsewhere bank", created_by=elsewhere)
    response = _client_for(Client, elsewhere).get(
        reverse("wagtailsnippets_assessments_question:add")
    )
    banks = set(response.context["form"].fields["bank"].queryset)
    assert theirs in banks and mine not in banks
