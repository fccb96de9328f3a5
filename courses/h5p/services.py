"""Writes of the H5P app: import, user state, xAPI statements and results.

``content_import`` is the one entry point for every way a package arrives
(admin upload, ``import_h5p``, any API), so the same validation always runs
(A26)."""

import contextlib
import functools
import hashlib
import logging
import os
import tempfile
import time
import uuid
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.files import File
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from . import conf, progress, scoring, xapi
from .models import (
    GradePolicy,
    H5PAttempt,
    H5PContent,
    H5PLibrary,
    H5PResult,
    H5PStatement,
    H5PUserState,
)
from .storage import Publisher, delete_files, new_content_prefix, new_library_prefix
from .validation import (
    PackageRejected,
    Problem,
    clean_title,
    inspect_package,
    parse_json_bytes,
)

logger = logging.getLogger("courses.h5p")

COPY_CHUNK = 1024 * 1024


def user_can_install_libraries(user):
    """Adding or upgrading libraries (JavaScript that runs for every learner)
    is for administrators; ``None`` is the operator running ``import_h5p``."""
    if user is None:
        return True
    return user.is_active and (
        user.is_superuser or user.has_perm("h5p.install_h5plibrary")
    )


def _file_size(fileobj):
    size = getattr(fileobj, "size", None)
    if size is None:
        position = fileobj.tell()
        fileobj.seek(0, os.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(position)
    return size


def _sha256(fileobj):
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(COPY_CHUNK), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def _extract(archive, entry, directory, index):
    """Inflate one member to a numbered temp file (no archive name touches the
    local file system), stopping at its declared size (A08)."""
    limit = min(entry.info.file_size, conf.get("H5P_MAX_FILE_BYTES"))
    path = os.path.join(directory, str(index))
    written = 0
    with archive.open(entry.info) as source, open(path, "wb") as target:
        while True:
            chunk = source.read(min(COPY_CHUNK, limit - written + 1))
            if not chunk:
                break
            written += len(chunk)
            if written > limit:
                raise PackageRejected(
                    [
                        Problem(
                            "size-mismatch",
                            _(
                                "File “%(name)s” is larger than its header says; "
                                "the package is damaged or forged."
                            )
                            % {"name": entry.name},
                        )
                    ]
                )
            target.write(chunk)
    return path


def _audit_library(library, installer, action):
    from training_platform.audit import services as audit
    from training_platform.audit.models import AuditAction

    audit.record(
        AuditAction.H5P_LIBRARY_INSTALLED,
        obj=library,
        actor=installer,
        details={"action": action},
    )


def _reject(problems, *, user, filename):
    logger.warning(
        "h5p.import.rejected user=%s file=%r codes=%s",
        getattr(user, "pk", None),
        filename,
        ",".join(sorted({p.code for p in problems})),
    )
    raise PackageRejected(problems)


def content_import(*, file, user=None, title=None, filename="", approved_by=None):
    """Validate an ``.h5p`` file and publish it. Returns the new H5PContent;
    raises PackageRejected (with every reason) and leaves nothing behind.
    ``approved_by`` is the administrator who approved the new libraries of a
    package that ``user`` (a trainer) uploaded."""
    installer = approved_by or user
    filename = filename or os.path.basename(getattr(file, "name", "") or "")
    limit = conf.get("H5P_MAX_UPLOAD_BYTES")
    if _file_size(file) > limit:
        _reject(
            [
                Problem(
                    "upload-too-large",
                    _("The file is larger than %(limit)s MiB.")
                    % {"limit": limit // (1024 * 1024)},
                )
            ],
            user=user,
            filename=filename,
        )
    digest = _sha256(file)
    installed = {
        (lib.machine_name, lib.major_version, lib.minor_version): lib
        for lib in H5PLibrary.objects.all()
    }
    try:
        plan = inspect_package(
            file,
            can_install_libraries=user_can_install_libraries(installer),
            installed=installed,
        )
    except PackageRejected as rejected:
        _reject(rejected.problems, user=user, filename=filename)
    file.seek(0)
    content_uuid = uuid.uuid4()
    content_prefix = new_content_prefix(content_uuid)
    publisher = Publisher()
    replaced_prefixes = []
    try:
        with (
            tempfile.TemporaryDirectory(prefix="h5p-import-") as workdir,
            zipfile.ZipFile(file) as archive,
        ):
            content_manifest = []
            index = 0
            for entry in plan.content_entries:
                index += 1
                _publish_entry(
                    archive, entry, workdir, index, plan, publisher, content_prefix
                )
                content_manifest.append(entry.relative)
            max_score = _package_max_score(archive, plan)
            library_prefixes = {}
            for decision in plan.libraries:
                if decision.action == "use":
                    continue
                prefix = new_library_prefix(decision.package.folder)
                library_prefixes[decision.key] = prefix
                for entry in decision.package.files.values():
                    index += 1
                    _publish_entry(
                        archive, entry, workdir, index, plan, publisher, prefix
                    )
        with transaction.atomic():
            rows = {}
            for decision in plan.libraries:
                if decision.action == "use":
                    rows[decision.key] = decision.installed
                    continue
                package = decision.package
                values = {
                    "patch_version": package.library_id.patch,
                    "title": clean_title(package.metadata.get("title"), package.folder),
                    "runnable": bool(package.metadata.get("runnable")),
                    "metadata": package.metadata,
                    "storage_prefix": library_prefixes[decision.key],
                    "manifest": sorted(package.files),
                    "file_count": len(package.files),
                    "total_bytes": sum(
                        e.info.file_size for e in package.files.values()
                    ),
                    "installed_by": installer,
                }
                if decision.action == "install":
                    rows[decision.key] = H5PLibrary.objects.create(
                        machine_name=decision.key[0],
                        major_version=decision.key[1],
                        minor_version=decision.key[2],
                        **values,
                    )
                    logger.info("h5p.library.installed %s", rows[decision.key])
                    _audit_library(rows[decision.key], installer, "install")
                else:
                    row = H5PLibrary.objects.select_for_update().get(
                        pk=decision.installed.pk
                    )
                    replaced_prefixes.append((row.storage_prefix, list(row.manifest)))
                    for name, value in values.items():
                        setattr(row, name, value)
                    row.save()
                    rows[decision.key] = row
                    logger.info("h5p.library.upgraded %s", row)
                    _audit_library(row, installer, "upgrade")
            content = H5PContent.objects.create(
                uuid=content_uuid,
                title=clean_title(title, plan.title) if title else plan.title,
                main_library=rows[plan.main_key],
                h5p_json=plan.h5p_json,
                storage_prefix=content_prefix,
                manifest=sorted(content_manifest),
                file_count=len(content_manifest),
                total_bytes=sum(e.info.file_size for e in plan.content_entries),
                source_filename=filename[:255],
                sha256=digest,
                import_notes=plan.notes,
                pass_threshold=conf.get("H5P_DEFAULT_PASS_THRESHOLD"),
                known_max_score=max_score,
                uploaded_by=user,
            )
            content.libraries.set(rows.values())
            for prefix, names in replaced_prefixes:
                transaction.on_commit(
                    lambda p=prefix, n=names: delete_files(p, n), robust=True
                )
    except PackageRejected as rejected:
        publisher.rollback()
        _reject(rejected.problems, user=user, filename=filename)
    except IntegrityError as exc:
        publisher.rollback()
        logger.warning("h5p.import.conflict %s", exc)
        _reject(
            [
                Problem(
                    "conflict",
                    _(
                        "Another import installed the same library at the same "
                        "moment. Please upload the file again."
                    ),
                )
            ],
            user=user,
            filename=filename,
        )
    except (zipfile.BadZipFile, EOFError) as exc:
        publisher.rollback()
        logger.warning("h5p.import.corrupt %s", exc)
        _reject(
            [
                Problem(
                    "corrupt",
                    _("The package is damaged: a file in it cannot be read."),
                )
            ],
            user=user,
            filename=filename,
        )
    except BaseException:
        publisher.rollback()
        raise
    logger.info(
        "h5p.import.accepted user=%s content=%s file=%r",
        getattr(user, "pk", None),
        content.uuid,
        filename,
    )
    return content


def _package_max_score(archive, plan):
    """The maximum score the package's own parameters give (B02), or None."""
    entry = next(
        (e for e in plan.content_entries if e.relative == "content.json"), None
    )
    if entry is None:
        return None
    with archive.open(entry.info) as handle:
        data = handle.read(conf.get("H5P_MAX_JSON_BYTES") + 1)
    try:
        params = parse_json_bytes(data, max_depth=conf.get("H5P_MAX_JSON_DEPTH"))
    except ValueError:
        return None
    return scoring.max_score(plan.main_key[0], params)


def _publish_entry(archive, entry, workdir, index, plan, publisher, prefix):
    replacement = plan.replacements.get(entry.name)
    if replacement is not None:
        path = os.path.join(workdir, str(index))
        with open(path, "wb") as handle:
            handle.write(replacement)
    else:
        path = _extract(archive, entry, workdir, index)
    with open(path, "rb") as handle:
        publisher.write(prefix + entry.relative, File(handle))
    os.unlink(path)


def content_delete(*, content):
    """Removes the row; its files go after commit (signals.py)."""
    content.delete()


def libraries_install(*, file, user=None, filename=""):
    """Install (or upgrade) the libraries a package brings, without keeping
    its content: how an administrator makes common content types available
    to trainers from an example package of each. Returns the package's
    libraries."""
    with transaction.atomic():
        content = content_import(file=file, user=user, filename=filename)
        libraries = list(content.libraries.order_by("machine_name"))
        content_delete(content=content)
    return libraries


# ------------------------------------------------------------- user state


class StateRejected(Exception):
    def __init__(self, status, code):
        self.status = status
        self.code = code
        super().__init__(code)


def _retry_when_locked(function):
    """SQLite (the embedded mode) can report a table or database as locked
    when two requests write at once; such a write is tried again briefly.
    PostgreSQL never raises this."""

    @functools.wraps(function)
    def wrapped(*args, **kwargs):
        for attempt in range(5):
            try:
                return function(*args, **kwargs)
            except OperationalError as exc:
                if "locked" not in str(exc) or attempt == 4:
                    raise
                time.sleep(0.05 * (attempt + 1))
        return None

    return wrapped


@_retry_when_locked
def user_state_save(*, user, content, data, data_type="state", sub_content_id="0"):
    """Store the learner's H5P state (B12: size, JSON and per-user quota)."""
    if not isinstance(data, str):
        raise StateRejected(400, "state-not-text")
    size = len(data.encode("utf-8"))
    if size > conf.get("H5P_MAX_STATE_BYTES"):
        raise StateRejected(413, "state-too-large")
    from .validation import parse_json_bytes

    try:
        parse_json_bytes(data.encode("utf-8"), max_depth=conf.get("H5P_MAX_JSON_DEPTH"))
    except ValueError as exc:
        raise StateRejected(400, "state-not-json") from exc
    with transaction.atomic():
        others = (
            H5PUserState.objects.filter(user=user)
            .exclude(
                content=content, data_type=data_type, sub_content_id=sub_content_id
            )
            .aggregate(total=Sum("size"))["total"]
            or 0
        )
        if others + size > conf.get("H5P_MAX_STATE_BYTES_PER_USER"):
            raise StateRejected(413, "state-quota")
        state, _created = H5PUserState.objects.update_or_create(
            user=user,
            content=content,
            data_type=data_type,
            sub_content_id=sub_content_id,
            defaults={"data": data, "size": size},
        )
    return state


# ------------------------------------------------------------------- xAPI


@dataclass
class Launch:
    """What the server said when it rendered the activity (signed token)."""

    user_id: int
    content: H5PContent
    context_key: str
    lesson_id: int | None
    activity_key: str
    pass_threshold: int
    grade_policy: str
    # Read once per request: the lesson (``progress.LessonFacts``, cached),
    # the learner's current enrolment in its course, and the activity result
    # once a statement of the request has written it.
    lesson: object = None
    enrolment: object = None
    result: H5PResult | None = None


class StatementRefused(Exception):
    def __init__(self, status, code):
        self.status = status
        self.code = code
        super().__init__(code)


@_retry_when_locked
def statements_record(*, user, launch, statements):
    """Store a batch of statements from the browser and turn top-level
    results into the activity result. All or nothing (B07). Returns
    (stored, duplicates)."""
    parsed = []
    for raw in statements:
        try:
            parsed.append(xapi.parse_statement(raw))
        except xapi.StatementInvalid as exc:
            raise StatementRefused(exc.status, exc.code) from exc
    for item in parsed:
        if xapi.actor_names_another_user(item.actor, user):
            raise StatementRefused(403, "actor-mismatch")
    stored = duplicates = 0
    # A lone statement that cannot make a result is one INSERT: no
    # transaction needed.
    alone = len(parsed) == 1 and not _may_make_result(parsed[0])
    with contextlib.nullcontext() if alone else transaction.atomic():
        for item in parsed:
            statement = _statement_insert(user=user, launch=launch, item=item)
            if statement is None:
                duplicates += 1
                continue
            stored += 1
            if item.top_level:
                _apply_result(user=user, launch=launch, statement=statement, item=item)
    return stored, duplicates


def _may_make_result(item):
    return item.top_level and (
        item.verb_name in xapi.SCORED_VERBS
        or item.verb_name in xapi.COMPLETION_VERBS
        or item.completion is True
    )


def _statement_insert(*, user, launch, item):
    """The new statement, or None when the same statement (same id, body and
    learner) was stored before; another statement under the same id is a
    conflict (409)."""
    # Inside a transaction a failed INSERT needs its own savepoint; alone it
    # is atomic by itself.
    guard = (
        transaction.atomic()
        if transaction.get_connection().in_atomic_block
        else contextlib.nullcontext()
    )
    try:
        with guard:
            return H5PStatement.objects.create(
                statement_id=item.id,
                user=user,
                content=launch.content,
                context_key=launch.context_key,
                activity_key=launch.activity_key,
                verb=item.verb,
                top_level=item.top_level,
                body=item.body,
                body_sha256=item.sha256,
                client_timestamp=item.timestamp,
            )
    except IntegrityError as exc:
        # Sent again (after a lost answer), or a retry racing the first one.
        existing = H5PStatement.objects.filter(statement_id=item.id).first()
        if (
            existing is not None
            and existing.body_sha256 == item.sha256
            and existing.user_id == user.pk
        ):
            return None
        raise StatementRefused(409, "statement-conflict") from exc


def _scaled(raw, maximum):
    value = min(max(raw / maximum, 0.0), 1.0)  # clamp: client-reported (B02)
    return Decimal(str(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _checked_score(item, package_max):
    """(raw, max) of a top-level scored statement, checked against what the
    package allows. A maximum the package gives is the only one accepted;
    where the package does not give one, each statement's own maximum only
    scales that statement and never binds anyone else (B02)."""
    score = item.score
    if score is None:
        if package_max is not None and item.verb_name in xapi.SCORED_VERBS:
            # A scored activity is done only with its score (B01).
            raise StatementRefused(400, "score-missing")
        return None
    raw, maximum = score.get("raw"), score.get("max")
    if raw is None or not maximum:
        raise StatementRefused(400, "score-incomplete")
    if package_max is not None:
        if abs(package_max - maximum) > 1e-9:
            raise StatementRefused(400, "score-max-mismatch")
        if raw < 0:
            raise StatementRefused(400, "score-raw-below-min")
    return raw, maximum


def _apply_result(*, user, launch, statement, item):
    content = launch.content
    package_max = content.known_max_score
    scored = item.verb_name in xapi.SCORED_VERBS and (
        item.score is not None or package_max is not None
    )
    completes = item.verb_name in xapi.COMPLETION_VERBS or item.completion is True
    if not (scored or completes):
        return None
    checked = _checked_score(item, package_max) if scored else None
    if checked is None and package_max is not None:
        # Content with a score is never completed without one (B01).
        return None
    raw, maximum = checked or (None, None)
    scaled = _scaled(raw, maximum) if checked else None
    threshold = Decimal(launch.pass_threshold) / 100
    passed = (scaled >= threshold) if scaled is not None else None
    result, _created = H5PResult.objects.select_for_update().get_or_create(
        user=user,
        context_key=launch.context_key,
        activity_key=launch.activity_key,
        defaults={
            "content": content,
            "lesson_id": launch.lesson_id,
            "pass_threshold": launch.pass_threshold,
            "grade_policy": launch.grade_policy,
        },
    )
    H5PAttempt.objects.create(
        result=result,
        statement=statement,
        verb=item.verb,
        completed=True,
        score_raw=raw,
        score_max=maximum,
        score_scaled=scaled,
        success=item.success,
    )
    now = timezone.now()
    result.content = content
    result.pass_threshold = launch.pass_threshold
    result.grade_policy = launch.grade_policy
    if launch.lesson_id:
        result.lesson_id = launch.lesson_id
    if scaled is not None:
        better = result.score_scaled is None or scaled >= result.score_scaled
        if launch.grade_policy == GradePolicy.LAST or better:
            result.score_raw, result.score_max = raw, maximum
            result.score_scaled = scaled
            result.passed = passed
    if not result.completed:
        result.completed = True  # never moves back (B09)
        result.completed_at = now
    # The row is locked (and SQLite writes one transaction at a time): the
    # count read with it is the current one.
    result.attempt_count += 1
    result.source = "client"
    result.save()
    launch.result = result
    progress.activity_recorded(user=user, launch=launch, result=result)
    return result
