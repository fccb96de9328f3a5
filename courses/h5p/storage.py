"""Where H5P files live. Everything goes through Django's storage API (the
default file system storage or an S3-compatible one configured under
``settings.STORAGES``); no code assumes a local path."""

import contextlib
import uuid

from django.core.files.storage import storages

from . import conf


def h5p_storage():
    return storages[conf.get("H5P_STORAGE")]


def new_content_prefix(content_uuid):
    return f"{conf.get('H5P_STORAGE_PREFIX')}/content/{content_uuid}/"


def new_library_prefix(folder):
    # A fresh prefix per installed copy: an upgrade writes beside the old copy
    # and the row is switched over in one transaction.
    return (
        f"{conf.get('H5P_STORAGE_PREFIX')}/libraries/{folder}/{uuid.uuid4().hex[:16]}/"
    )


class Publisher:
    """Writes files under new prefixes and removes them again if the import
    does not commit."""

    def __init__(self):
        self.storage = h5p_storage()
        self.written = []

    def write(self, name, fileobj):
        saved = self.storage.save(name, fileobj)
        self.written.append(saved)
        if saved != name:
            raise OSError(f"storage renamed {name!r} to {saved!r}")
        return saved

    def rollback(self):
        for name in reversed(self.written):
            # Best effort: a file that cannot be removed now is an orphan
            # under a prefix no row points at.
            with contextlib.suppress(Exception):
                self.storage.delete(name)
        self.written = []


def delete_files(prefix, names):
    storage = h5p_storage()
    for relative in names:
        with contextlib.suppress(Exception):
            storage.delete(prefix + relative)
