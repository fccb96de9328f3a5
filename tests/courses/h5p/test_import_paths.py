"""The import works through Django's storage API (S3-compatible storages too),
publishes atomically and is the same pipeline for the command and the admin
upload (A26)."""

import io
import os
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.h5p import package_builder
from courses.h5p.models import H5PContent, H5PLibrary
from courses.h5p.services import content_import
from courses.h5p.storage import Publisher

from .conftest import quiz_with, stored_files, zip_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def memory_storage(settings):
    """A storage without local paths, like S3: ``path()`` is not available."""
    settings.STORAGES = {
        **settings.STORAGES,
        "h5p": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    settings.H5P_STORAGE = "h5p"
    from django.core.files.storage import storages

    storages._storages.pop("h5p", None)
    yield storages["h5p"]
    storages._storages.pop("h5p", None)


def test_import_and_serving_work_on_a_storage_without_local_paths(
    memory_storage, client, settings
):
    content = content_import(file=io.BytesIO(package_builder.quiz_package()))
    library = content.main_library
    assert memory_storage.exists(library.storage_prefix + "quiz.js")
    assert memory_storage.exists(content.storage_prefix + "content.json")
    from courses.h5p import tokens

    token = tokens.files_token(content)
    response = client.get(
        f"/h5p/files/{token}/libraries/{library.folder_name}/quiz.js",
        HTTP_HOST="localhost",
    )
    assert response.status_code == 200
    assert b"PlatformQuiz" in b"".join(response.streaming_content)


def test_failure_while_publishing_leaves_no_files_and_no_rows(settings, media_root):
    calls = {"n": 0}
    original = Publisher.write

    def flaky(self, name, fileobj):
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError("disk full")
        return original(self, name, fileobj)

    with mock.patch.object(Publisher, "write", flaky), pytest.raises(OSError):
        content_import(file=io.BytesIO(package_builder.quiz_package()))
    assert H5PContent.objects.count() == 0
    assert H5PLibrary.objects.count() == 0
    assert stored_files(os.path.join(media_root, "h5p")) == []


def test_failure_in_the_database_step_removes_the_written_files(media_root):
    with (
        mock.patch.object(H5PContent.objects, "create", side_effect=RuntimeError("db")),
        pytest.raises(RuntimeError),
    ):
        content_import(file=io.BytesIO(package_builder.quiz_package()))
    assert H5PLibrary.objects.count() == 0
    assert stored_files(os.path.join(media_root, "h5p")) == []


def test_deleting_content_removes_its_files_after_commit(
    quiz_content, media_root, django_capture_on_commit_callbacks
):
    path = os.path.join(media_root, quiz_content.storage_prefix, "content.json")
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        quiz_content.delete()
    assert not os.path.exists(path)


def test_import_command_prints_the_new_id(tmp_path, capsys):
    package = tmp_path / "quiz.h5p"
    package.write_bytes(package_builder.quiz_package())
    call_command("import_h5p", str(package), "--title", "Trafficking basics")
    content = H5PContent.objects.get()
    assert str(content.uuid) in capsys.readouterr().out
    assert content.title == "Trafficking basics"


def test_a26_import_command_rejects_like_the_upload_and_exits_non_zero(
    tmp_path, capsys
):
    package = tmp_path / "bad.h5p"
    package.write_bytes(zip_bytes(quiz_with({"content/x.php": "<?php"})))
    with pytest.raises(SystemExit) as exited:
        call_command("import_h5p", str(package))
    assert exited.value.code == 1
    assert "x.php" in capsys.readouterr().err
    assert H5PContent.objects.count() == 0


def test_import_command_for_a_trainer_cannot_install_libraries(
    tmp_path, trainer, capsys
):
    package = tmp_path / "quiz.h5p"
    package.write_bytes(package_builder.quiz_package())
    with pytest.raises(SystemExit):
        call_command("import_h5p", str(package), "--user", trainer.email)
    assert "administrator" in capsys.readouterr().err


def test_a26_admin_upload_uses_the_same_pipeline(admin_client_for, administrator):
    client = admin_client_for(administrator)
    url = reverse("wagtailsnippets_h5p_h5pcontent:add")
    bad = io.BytesIO(zip_bytes(quiz_with({"content/page.html": "<script>x</script>"})))
    bad.name = "bad.h5p"
    response = client.post(url, {"package": bad})
    assert response.status_code == 200
    assert "page.html" in response.content.decode()
    assert H5PContent.objects.count() == 0
    good = io.BytesIO(package_builder.quiz_package(title="Uploaded <b>quiz</b>"))
    good.name = "good.h5p"
    response = client.post(url, {"package": good, "title": ""})
    assert response.status_code == 302
    content = H5PContent.objects.get()
    listing = client.get(reverse("wagtailsnippets_h5p_h5pcontent:list"))
    assert "Uploaded &lt;b&gt;quiz&lt;/b&gt;" in listing.content.decode()  # A25
    assert content.uploaded_by == administrator


def test_a22_trainer_upload_of_a_new_library_waits_for_an_administrator(
    admin_client_for, trainer
):
    client = admin_client_for(trainer)
    upload = io.BytesIO(package_builder.quiz_package())
    upload.name = "quiz.h5p"
    response = client.post(
        reverse("wagtailsnippets_h5p_h5pcontent:add"), {"package": upload}, follow=True
    )
    body = response.content.decode()
    assert "H5P.PlatformQuiz 1.0.0" in body
    assert "An administrator must approve them" in body
    assert "Fix the package" not in body
    assert H5PLibrary.objects.count() == 0
    assert H5PContent.objects.count() == 0


def test_trainer_can_edit_the_activity_settings_and_see_libraries(
    admin_client_for, trainer, quiz_content
):
    client = admin_client_for(trainer)
    edit = reverse("wagtailsnippets_h5p_h5pcontent:edit", args=[quiz_content.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, {"title": "Renamed", "pass_threshold": 80, "grade_policy": "last"}
    )
    assert response.status_code == 302
    quiz_content.refresh_from_db()
    assert (quiz_content.title, quiz_content.pass_threshold) == ("Renamed", 80)
    libraries = client.get(reverse("wagtailsnippets_h5p_h5plibrary:list"))
    assert libraries.status_code == 200
    assert "H5P.PlatformQuiz" in libraries.content.decode()


def test_learner_has_no_access_to_the_h5p_admin(client, learner, quiz_content):
    client.force_login(learner)
    response = client.get(reverse("wagtailsnippets_h5p_h5pcontent:add"))
    assert response.status_code in (302, 403)
    assert H5PContent.objects.count() == 1
