"""Writes for packages that wait for an administrator: a trainer's package
that brings libraries nobody has installed is kept, not refused, and is
imported for the trainer when an administrator approves its libraries.

New libraries are JavaScript that runs for every learner, so only an
administrator may let them in (A22); this keeps that rule without sending
the trainer away with nothing."""

import logging
import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import conf
from .models import H5PPendingImport, PendingImportStatus
from .services import _sha256, content_import, user_can_install_libraries
from .storage import h5p_storage
from .validation import PackageRejected, Problem

logger = logging.getLogger("courses.h5p")

AWAITING_LIBRARIES = "library-not-installed"


class PendingImportError(Exception):
    """A decision that cannot be taken (already decided, reason missing)."""


def _pending_storage_name(pending_uuid):
    return f"{conf.get('H5P_STORAGE_PREFIX')}/pending/{pending_uuid}.h5p"


def content_import_or_hold(*, file, user, title=None, filename=""):
    """Import the package, or, when the only thing missing is an
    administrator's approval of new libraries, keep it for that approval.

    Returns ``(content, None)`` or ``(None, pending)``; raises PackageRejected
    for every other problem, leaving nothing behind."""
    try:
        return content_import(
            file=file, user=user, title=title, filename=filename
        ), None
    except PackageRejected as rejected:
        if not rejected.problems or any(
            problem.code != AWAITING_LIBRARIES for problem in rejected.problems
        ):
            raise
        return None, pending_import_create(
            file=file,
            user=user,
            title=title,
            filename=filename,
            libraries=[problem.subject for problem in rejected.problems],
        )


def pending_import_create(*, file, user, title, filename, libraries):
    pending_uuid = uuid.uuid4()
    name = _pending_storage_name(pending_uuid)
    storage = h5p_storage()
    digest = _sha256(file)
    file.seek(0)
    saved = storage.save(name, file)
    try:
        with transaction.atomic():
            pending = H5PPendingImport.objects.create(
                uuid=pending_uuid,
                title=(title or "")[:255],
                source_filename=(filename or "")[:255],
                storage_name=saved,
                sha256=digest,
                missing_libraries=sorted(libraries),
                uploaded_by=user,
            )
    except BaseException:
        storage.delete(saved)
        raise
    logger.info(
        "h5p.import.held user=%s pending=%s libraries=%s",
        getattr(user, "pk", None),
        pending.uuid,
        ",".join(pending.missing_libraries),
    )
    return pending


def _decided(pending, *, administrator, status, **fields):
    pending.status = status
    pending.decided_by = administrator
    pending.decided_at = timezone.now()
    for name, value in fields.items():
        setattr(pending, name, value)
    pending.save()
    name = pending.storage_name
    transaction.on_commit(lambda: h5p_storage().delete(name), robust=True)


def pending_import_approve(*, pending, administrator):
    """Install the package's libraries and import it for the trainer who
    uploaded it. Repeating it returns the same activity. Raises
    PackageRejected (the package stays pending) when it no longer passes."""
    if not user_can_install_libraries(administrator):
        raise PermissionDenied
    with transaction.atomic():
        pending = H5PPendingImport.objects.select_for_update().get(pk=pending.pk)
        if pending.status == PendingImportStatus.IMPORTED:
            return pending.content
        if pending.status != PendingImportStatus.PENDING:
            raise PendingImportError(_("This package was already refused."))
        storage = h5p_storage()
        if not storage.exists(pending.storage_name):
            raise PackageRejected(
                [Problem("pending-file-missing", _("The kept package file is gone."))]
            )
        with storage.open(pending.storage_name, "rb") as handle:
            content = content_import(
                file=handle,
                user=pending.uploaded_by,
                title=pending.title or None,
                filename=pending.source_filename,
                approved_by=administrator,
            )
        _decided(
            pending,
            administrator=administrator,
            status=PendingImportStatus.IMPORTED,
            content=content,
        )
    logger.info(
        "h5p.import.approved pending=%s by=%s content=%s",
        pending.uuid,
        administrator.pk,
        content.uuid,
    )
    return content


def pending_import_refuse(*, pending, administrator, reason):
    if not user_can_install_libraries(administrator):
        raise PermissionDenied
    reason = " ".join((reason or "").split())
    if not reason:
        raise PendingImportError(
            _("Say why, so that the trainer knows what to do instead.")
        )
    with transaction.atomic():
        pending = H5PPendingImport.objects.select_for_update().get(pk=pending.pk)
        if pending.status != PendingImportStatus.PENDING:
            raise PendingImportError(_("This package was already decided."))
        _decided(
            pending,
            administrator=administrator,
            status=PendingImportStatus.REFUSED,
            reason=reason[:2000],
        )
    return pending
