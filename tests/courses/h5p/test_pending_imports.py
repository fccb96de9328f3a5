"""A trainer's package that brings new libraries waits for an administrator
(A22 keeps holding: no library is installed by a trainer), who approves it
from a list, which imports it for the trainer, or refuses it with a reason."""

import io
import os

import pytest
from django.urls import reverse

from courses.h5p import package_builder
from courses.h5p.approvals import (
    PendingImportError,
    content_import_or_hold,
    pending_import_approve,
    pending_import_refuse,
)
from courses.h5p.models import H5PContent, H5PLibrary, H5PPendingImport
from courses.h5p.storage import h5p_storage
from courses.h5p.validation import PackageRejected

from .conftest import corpus_available, corpus_path, quiz_with, zip_bytes

pytestmark = pytest.mark.django_db

LIST = reverse("h5p_pending_imports:index")


def hold(trainer, data=None, title=None):
    content, pending = content_import_or_hold(
        file=io.BytesIO(data or package_builder.quiz_package()),
        user=trainer,
        title=title,
        filename="quiz.h5p",
    )
    assert content is None
    return pending


def test_a22_trainer_package_with_a_new_library_is_kept_naming_the_library(trainer):
    pending = hold(trainer)
    assert pending.missing_libraries == ["H5P.PlatformQuiz 1.0.0"]
    assert pending.uploaded_by == trainer
    assert h5p_storage().exists(pending.storage_name)
    assert H5PLibrary.objects.count() == 0
    assert H5PContent.objects.count() == 0


def test_a_package_with_other_problems_is_refused_not_kept(trainer):
    bad = zip_bytes(quiz_with({"content/page.html": "<script>x</script>"}))
    with pytest.raises(PackageRejected):
        content_import_or_hold(file=io.BytesIO(bad), user=trainer, filename="b.h5p")
    assert H5PPendingImport.objects.count() == 0


def test_approval_installs_the_libraries_and_imports_for_the_trainer(
    trainer, administrator, django_capture_on_commit_callbacks
):
    pending = hold(trainer, title="Indicators quiz")
    with django_capture_on_commit_callbacks(execute=True):
        content = pending_import_approve(pending=pending, administrator=administrator)
    assert content.title == "Indicators quiz"
    assert content.uploaded_by == trainer
    assert content.main_library.installed_by == administrator
    pending.refresh_from_db()
    assert (pending.status, pending.content, pending.decided_by) == (
        "imported",
        content,
        administrator,
    )
    assert not h5p_storage().exists(pending.storage_name)
    # Approving twice (a double click) imports once.
    assert pending_import_approve(pending=pending, administrator=administrator) == (
        content
    )
    assert H5PContent.objects.count() == 1
    # The trainer's next package of the same type needs nobody.
    content, waiting = content_import_or_hold(
        file=io.BytesIO(package_builder.quiz_package(title="Second")),
        user=trainer,
        filename="second.h5p",
    )
    assert waiting is None and content.main_library == H5PLibrary.objects.get()


def test_a22_a_trainer_cannot_approve(trainer):
    from django.core.exceptions import PermissionDenied

    pending = hold(trainer)
    with pytest.raises(PermissionDenied):
        pending_import_approve(pending=pending, administrator=trainer)
    assert H5PLibrary.objects.count() == 0


def test_refusal_needs_a_reason_and_removes_the_file(
    trainer, administrator, django_capture_on_commit_callbacks
):
    pending = hold(trainer)
    with pytest.raises(PendingImportError):
        pending_import_refuse(pending=pending, administrator=administrator, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        pending_import_refuse(
            pending=pending,
            administrator=administrator,
            reason="Use the installed quiz.",
        )
    pending.refresh_from_db()
    assert pending.status == "refused"
    assert not h5p_storage().exists(pending.storage_name)
    with pytest.raises(PendingImportError):
        pending_import_approve(pending=pending, administrator=administrator)
    assert H5PLibrary.objects.count() == 0


def test_administrator_approves_from_the_list(admin_client_for, trainer, administrator):
    pending = hold(trainer)
    client = admin_client_for(administrator)
    listing = client.get(LIST).content.decode()
    assert "H5P.PlatformQuiz 1.0.0" in listing
    assert trainer.email in listing or trainer.full_name in listing
    response = client.post(
        reverse("h5p_pending_imports:decide", args=[pending.uuid]),
        {"action": "approve"},
        follow=True,
    )
    assert "was imported" in response.content.decode()
    assert H5PContent.objects.get().uploaded_by == trainer


def test_trainer_sees_only_their_own_packages_and_no_decision_buttons(
    admin_client_for, trainer, administrator
):
    from training_platform.accounts.factories import TrainerFactory

    other = TrainerFactory(email="other-trainer@example.org")
    hold(other, title="Someone else's package")
    mine = hold(trainer, title="My package")
    client = admin_client_for(trainer)
    listing = client.get(LIST).content.decode()
    assert "My package" in listing
    assert "Someone else" not in listing
    assert 'value="approve"' not in listing
    response = client.post(
        reverse("h5p_pending_imports:decide", args=[mine.uuid]), {"action": "approve"}
    )
    # Wagtail answers a refused admin action with a redirect and a message.
    assert response.status_code in (302, 403)
    mine.refresh_from_db()
    assert mine.status == "pending"
    assert H5PLibrary.objects.count() == 0


def test_learner_cannot_open_the_list(client, learner):
    client.force_login(learner)
    assert client.get(LIST).status_code in (302, 403)


def test_libraries_only_import_makes_a_content_type_available_to_trainers(
    tmp_path, trainer
):
    from django.core.management import call_command

    package = tmp_path / "example.h5p"
    package.write_bytes(package_builder.quiz_package())
    output = io.StringIO()
    call_command("import_h5p", str(package), "--libraries-only", stdout=output)
    assert "H5P.PlatformQuiz 1.0.0 available" in output.getvalue()
    assert H5PContent.objects.count() == 0
    content, pending = content_import_or_hold(
        file=io.BytesIO(package_builder.quiz_package()), user=trainer
    )
    assert pending is None and content.uploaded_by == trainer


@pytest.mark.skipif(not corpus_available(), reason="the shared H5P corpus is absent")
def test_common_content_types_installed_by_an_administrator_need_no_approval(
    trainer,
):
    """The corpus's playable packages stand for the official example packages
    an administrator installs the common content types from."""
    from django.core.management import call_command

    playable = sorted(
        os.path.join(corpus_path("playable"), name)
        for name in os.listdir(corpus_path("playable"))
    )
    call_command("import_h5p", *playable, "--libraries-only", stdout=io.StringIO())
    assert H5PContent.objects.count() == 0
    for path in playable:
        with open(path, "rb") as handle:
            content, pending = content_import_or_hold(
                file=handle, user=trainer, filename=os.path.basename(path)
            )
        assert pending is None, path
    assert H5PContent.objects.count() == len(playable)
