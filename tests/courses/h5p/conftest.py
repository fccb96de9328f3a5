import io
import os
import zipfile

import pytest

from courses.h5p import package_builder
from courses.h5p.models import H5PContent, H5PLibrary

CORPUS = os.environ.get(
    "H5P_CORPUS",
    os.path.join(
        os.path.dirname(__file__), "..", "..", "..", "..", "shared", "h5p-corpus"
    ),
)


def corpus_path(relative):
    return os.path.join(CORPUS, relative)


def corpus_available():
    return os.path.isfile(corpus_path("corpus.json"))


def zip_bytes(files, *, infos=None):
    """Build a ZIP from {name: data}; ``infos`` maps names to ZipInfo
    attributes to set (external_attr, create_system, ...)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            for attribute, value in (infos or {}).get(name, {}).items():
                setattr(info, attribute, value)
            if isinstance(data, str):
                data = data.encode("utf-8")
            archive.writestr(info, data)
    return buffer.getvalue()


def quiz_with(extra=None, without=(), **kwargs):
    files = package_builder.quiz_files(**kwargs)
    for name in without:
        files.pop(name)
    files.update(extra or {})
    return files


def stored_files(storage_root):
    found = []
    for directory, _dirs, names in os.walk(storage_root):
        found += [os.path.join(directory, name) for name in names]
    return found


@pytest.fixture
def media_root(settings):
    return settings.MEDIA_ROOT


@pytest.fixture
def nothing_left(media_root):
    """Call after a rejection: no rows, no files."""

    def check():
        assert H5PContent.objects.count() == 0
        assert H5PLibrary.objects.count() == 0
        assert stored_files(os.path.join(media_root, "h5p")) == []

    return check


@pytest.fixture
def quiz_content(db):
    from courses.h5p.services import content_import

    return content_import(
        file=io.BytesIO(package_builder.quiz_package()), filename="quiz.h5p"
    )


@pytest.fixture
def admin_client_for(client, mfa):
    def login(user):
        mfa(user)
        client.force_login(user)
        session = client.session
        # The staff MFA middleware wants a completed MFA login.
        session["account_authentication_methods"] = [
            {"method": "password", "at": 0},
            {"method": "mfa", "at": 0, "type": "totp"},
        ]
        session.save()
        return client

    return login
