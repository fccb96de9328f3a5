"""Writes about enrolment, progress and completion.

Every function is keyword-only, idempotent and safe under concurrent requests:
the enrolment row is locked (``select_for_update``) before progress of that
enrolment changes, so two tabs or twenty double clicks queue up instead of
racing, and unique constraints back every "exactly once" (one enrolment per
learner and course, one progress row per item, one completion per enrolment).
"""

import hmac
import logging
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from training_platform.accounts import roles
from training_platform.accounts.selectors import can_see_learner
from training_platform.audit import services as audit
from training_platform.audit.models import AuditAction

from . import selectors
from .models import (
    ActivityProgress,
    CompletionMode,
    CompletionRule,
    CourseCompletion,
    CourseEditor,
    CourseItemMixin,
    CoursePage,
    CourseRole,
    Enrolment,
    EnrolmentMode,
    EnrolmentSource,
    EnrolmentStatus,
    ItemProgress,
    ProgressSource,
    ProgressStatus,
)
from .permissions import can_edit_course, can_manage_team, forget_course_teams
from .signals import course_completed

logger = logging.getLogger(__name__)

SELF_SERVICE_SOURCES = {EnrolmentSource.SELF, EnrolmentSource.KEY}
STAFF_SOURCES = {EnrolmentSource.BULK, EnrolmentSource.INVITE}
SEAT_STATUSES = (
    EnrolmentStatus.PENDING,
    EnrolmentStatus.ACTIVE,
    EnrolmentStatus.COMPLETED,
)


class EnrolmentError(Exception):
    """An enrolment that the course's rules refuse. ``code`` is stable,
    ``message`` is for people."""

    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


class NotEnrolled(EnrolmentError):
    def __init__(self):
        super().__init__("not_enrolled", _("You are not enrolled in this course."))


def _lock_course(course: CoursePage) -> None:
    """Serialise enrolments of one course (all translations): capacity is
    counted and a seat taken while these rows are locked. On SQLite the
    IMMEDIATE transaction mode already serialises writers."""
    list(
        CoursePage.objects.select_for_update(of=("self",))
        .filter(translation_key=course.translation_key)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _seats_taken(course: CoursePage) -> int:
    # Earlier rounds of a learner who took the course again take no place.
    return (
        Enrolment.objects.current()
        .filter(course_key=course.translation_key, status__in=SEAT_STATUSES)
        .count()
    )


def _check_self_service(*, user, course, source, key):
    mode = course.enrolment_mode
    if not course.live:
        raise EnrolmentError("not_live", _("This course is not published."))
    if mode == EnrolmentMode.INVITATION:
        raise EnrolmentError(
            "invitation_only",
            _("This course is by invitation only. Ask your coordinator."),
        )
    if mode == EnrolmentMode.KEY:
        if source != EnrolmentSource.KEY or not key:
            raise EnrolmentError("key_required", _("Type the enrolment key."))
        if not hmac.compare_digest(
            str(key).strip().casefold().encode(),
            course.enrolment_key.strip().casefold().encode(),
        ):
            raise EnrolmentError("wrong_key", _("The enrolment key is not right."))
    window = course.enrolment_window_state()
    if window == "not_yet":
        raise EnrolmentError("not_open_yet", _("Enrolment has not opened yet."))
    if window == "closed":
        raise EnrolmentError("closed", _("Enrolment for this course has closed."))
    if selectors.unmet_prerequisites(course=course, user=user):
        raise EnrolmentError(
            "prerequisites",
            _("Complete the prerequisite courses before enrolling."),
        )


def enrolment_create(
    *, user, course, source, key=None, by=None, capacity_checked=True
) -> Enrolment:
    """Enrol ``user`` in ``course`` (any translation; the enrolment is for all).

    Learners enrol themselves with ``source="self"`` (open courses, or a request
    for approval in approval mode) or ``source="key"`` with the key. Staff use
    ``"bulk"`` or ``"invite"``; then the mode and window do not apply, but the
    capacity does. Repeating the call returns the existing enrolment; a withdrawn
    enrolment is re-opened (its progress is kept)."""
    course = course.specific
    source = EnrolmentSource(source)
    with transaction.atomic():
        _lock_course(course)
        existing = (
            Enrolment.objects.current()
            .select_for_update()
            .filter(user=user, course_key=course.translation_key)
            .first()
        )
        if existing is not None and existing.status != EnrolmentStatus.WITHDRAWN:
            return existing
        status = EnrolmentStatus.ACTIVE
        if source in SELF_SERVICE_SOURCES or source == EnrolmentSource.APPROVAL:
            if source == EnrolmentSource.APPROVAL:
                source = EnrolmentSource.SELF
            _check_self_service(user=user, course=course, source=source, key=key)
            if course.enrolment_mode == EnrolmentMode.APPROVAL:
                status = EnrolmentStatus.PENDING
                source = EnrolmentSource.APPROVAL
        elif by is not None and not (
            roles.is_administrator(by)
            or can_see_learner(by, user)
            or (roles.is_trainer(by) and can_edit_course(by, course))
        ):
            # A trainer enrols people into the courses they teach (walk-ins
            # of their sessions, invitations); otherwise the enrolling
            # person must see the learner.
            raise PermissionDenied
        if (
            capacity_checked
            and course.capacity is not None
            and _seats_taken(course) >= course.capacity
        ):
            raise EnrolmentError("full", _("This course has no places left."))
        now = timezone.now()
        if existing is not None:
            existing.status = status
            existing.source = source
            existing.course = course
            existing.enrolled_at = now
            existing.withdrawn_at = None
            existing.decided_by = None
            existing.enrolled_by = by
            existing.save()
            enrolment = existing
        else:
            try:
                with transaction.atomic():
                    enrolment = Enrolment.objects.create(
                        user=user,
                        course_key=course.translation_key,
                        course=course,
                        status=status,
                        source=source,
                        enrolled_at=now,
                        enrolled_by=by,
                    )
            except IntegrityError:
                # Another request enrolled the same learner a moment ago.
                return Enrolment.objects.current().get(
                    user=user, course_key=course.translation_key
                )
        if enrolment.status == EnrolmentStatus.ACTIVE:
            # Progress kept from before a withdrawal may already complete it.
            _refresh_progress_and_completion(enrolment)
        elif enrolment.status == EnrolmentStatus.PENDING:
            from .notifications import approval_waiting_notify

            approval_waiting_notify(enrolment)
    return enrolment


def _may_manage(by, enrolment) -> bool:
    return roles.is_administrator(by) or (
        roles.is_coordinator(by) and can_see_learner(by, enrolment.user)
    )


def enrolment_withdraw(*, enrolment, by) -> Enrolment:
    """Withdraw an enrolment: by the learner, a coordinator of the learner's
    country or an administrator. A completed course stays completed."""
    if by.pk != enrolment.user_id and not _may_manage(by, enrolment):
        raise PermissionDenied
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status == EnrolmentStatus.WITHDRAWN:
            return enrolment
        if enrolment.status == EnrolmentStatus.COMPLETED:
            raise EnrolmentError(
                "completed", _("A completed course cannot be withdrawn from.")
            )
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.withdrawn_at = timezone.now()
        enrolment.decided_by = by if by.pk != enrolment.user_id else None
        enrolment.save(update_fields=["status", "withdrawn_at", "decided_by"])
    return enrolment


def enrolment_start_new_round(*, enrolment, by, course=None) -> Enrolment:
    """Take a completed course again: a new round (a new current enrolment
    with no progress) starts, and the completed round stays recorded with its
    progress, completion and certificate. By the learner, a coordinator of the
    learner's country or an administrator; ``course`` is the translation the
    learner starts from (by default the one of the completed round). An app
    above may refuse it for now (``signals.new_round_checks``). Repeating the
    call returns the round it started."""
    if by.pk != enrolment.user_id and not _may_manage(by, enrolment):
        raise PermissionDenied
    with transaction.atomic():
        previous = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if not previous.is_current:
            return Enrolment.objects.current().get(
                user_id=previous.user_id, course_key=previous.course_key
            )
        if previous.status != EnrolmentStatus.COMPLETED:
            raise EnrolmentError(
                "not_completed",
                _("Complete the course before taking it again."),
            )
        course = (
            course.specific if course is not None else None
        ) or selectors.course_for_enrolment(previous)
        if course is None or not course.live:
            raise EnrolmentError("not_live", _("This course is not published."))
        refusal = selectors.new_round_refusal(previous)
        if refusal:
            raise EnrolmentError("not_yet", refusal)
        previous.is_current = False
        previous.save(update_fields=["is_current"])
        new = Enrolment.objects.create(
            user_id=previous.user_id,
            course_key=previous.course_key,
            course=course,
            status=EnrolmentStatus.ACTIVE,
            source=EnrolmentSource.SELF
            if by.pk == previous.user_id
            else EnrolmentSource.BULK,
            enrolled_by=None if by.pk == previous.user_id else by,
            round_number=previous.round_number + 1,
        )
    logger.info(
        "new round enrolment=%s previous=%s round=%s",
        new.pk,
        previous.pk,
        new.round_number,
    )
    return new


def enrolment_approve(*, enrolment, by) -> Enrolment:
    """A coordinator of the learner's country (or an administrator) approves a
    request. Repeating it is a no-op."""
    if not _may_manage(by, enrolment):
        raise PermissionDenied
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status != EnrolmentStatus.PENDING:
            return enrolment
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.decided_by = by
        enrolment.save(update_fields=["status", "decided_by"])
        from .notifications import enrolment_decision_notify

        enrolment_decision_notify(enrolment)
    return enrolment


def enrolment_refuse(*, enrolment, by) -> Enrolment:
    """Refuse a pending request; the place is freed."""
    if not _may_manage(by, enrolment):
        raise PermissionDenied
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status != EnrolmentStatus.PENDING:
            return enrolment
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.withdrawn_at = timezone.now()
        enrolment.decided_by = by
        enrolment.save(update_fields=["status", "withdrawn_at", "decided_by"])
        from .notifications import enrolment_decision_notify

        enrolment_decision_notify(enrolment)
    return enrolment


def enrolment_touch(*, enrolment, page) -> None:
    """Remember the page the learner opened last ("continue where you left
    off"). One UPDATE, skipped when nothing changes."""
    if enrolment.last_page_id == page.pk:
        return
    now = timezone.now()
    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_page=page, last_accessed_at=now
    )
    enrolment.last_page_id = page.pk
    enrolment.last_accessed_at = now


# ------------------------------------------------------------------ progress


def _open_enrolment_locked(*, user, page) -> Enrolment:
    course = selectors.course_for_page(page)
    if course is None:
        raise ValueError("The page is not part of a course")
    enrolment = (
        Enrolment.objects.current()
        .select_for_update()
        .filter(user=user, course_key=course.translation_key)
        .first()
    )
    if enrolment is None or not enrolment.is_open:
        raise NotEnrolled()
    return enrolment


def _clean_score(score):
    if score is None:
        return None
    try:
        value = Decimal(str(score))
    except (InvalidOperation, ValueError) as error:
        raise ValueError("score must be a number") from error
    if not value.is_finite():
        raise ValueError("score must be finite")
    return min(max(value, Decimal(0)), Decimal(100)).quantize(Decimal("0.01"))


def _clean_scaled(score_scaled):
    if score_scaled is None:
        return None
    try:
        value = Decimal(str(score_scaled))
    except (InvalidOperation, ValueError) as error:
        raise ValueError("score_scaled must be a number") from error
    if not value.is_finite():
        raise ValueError("score_scaled must be finite")
    return min(max(value, Decimal(0)), Decimal(1)).quantize(Decimal("0.0001"))


def _progress_row(model, **lookup):
    """Get or create the row, surviving a concurrent insert of the same row."""
    try:
        with transaction.atomic():
            row, _created = model.objects.get_or_create(**lookup)
    except IntegrityError:
        row = model.objects.get(**{k: v for k, v in lookup.items() if k != "defaults"})
    return row


def item_progress_record(
    *, user, page, completed: bool, score=None, passed=None, source="server"
) -> ItemProgress:
    """Record progress on a course item (a lesson, an assessment). Completion
    never goes back; ``score`` and ``passed`` are stored as the caller gives
    them. Course completion is re-evaluated in the same transaction."""
    page = page.specific
    if not isinstance(page, CourseItemMixin):
        raise ValueError("Progress is recorded only for course items")
    source = ProgressSource(source)
    score = _clean_score(score)
    with transaction.atomic():
        enrolment = _open_enrolment_locked(user=user, page=page)
        progress = _progress_row(
            ItemProgress,
            enrolment=enrolment,
            item_key=page.translation_key,
            defaults={"user": user, "page": page, "source": source},
        )
        changed = []
        if completed and progress.status != ProgressStatus.COMPLETED:
            progress.status = ProgressStatus.COMPLETED
            progress.completed_at = timezone.now()
            changed += ["status", "completed_at"]
        elif progress.status == ProgressStatus.NOT_STARTED:
            progress.status = ProgressStatus.IN_PROGRESS
            changed.append("status")
        if score is not None and progress.score != score:
            progress.score = score
            changed.append("score")
        if passed is not None and progress.passed != bool(passed):
            progress.passed = bool(passed)
            changed.append("passed")
        if changed and progress.source != source:
            progress.source = source
            changed.append("source")
        if changed:
            progress.save(update_fields=[*changed, "updated_at"])
            _refresh_progress_and_completion(enrolment)
        enrolment_touch(enrolment=enrolment, page=page)
    return progress


def activity_progress_record(
    *,
    user,
    lesson,
    activity_key,
    completed: bool,
    score_scaled=None,
    passed=None,
    source="client",
) -> ActivityProgress:
    """Record the result of an activity block in a lesson. When the lesson is
    completed by its activities and all of them are completed, the lesson is
    recorded as completed (reported by the browser if any activity was)."""
    lesson = lesson.specific
    source = ProgressSource(source)
    score_scaled = _clean_scaled(score_scaled)
    activity_key = str(activity_key)[:200]
    with transaction.atomic():
        enrolment = _open_enrolment_locked(user=user, page=lesson)
        activity = _progress_row(
            ActivityProgress,
            enrolment=enrolment,
            item_key=lesson.translation_key,
            activity_key=activity_key,
            defaults={"user": user, "source": source},
        )
        changed = []
        if completed and not activity.completed:
            activity.completed = True
            changed.append("completed")
        if score_scaled is not None and activity.score_scaled != score_scaled:
            activity.score_scaled = score_scaled
            changed.append("score_scaled")
        if passed is not None and activity.passed != bool(passed):
            activity.passed = bool(passed)
            changed.append("passed")
        if changed and activity.source != source:
            activity.source = source
            changed.append("source")
        if changed:
            activity.save(update_fields=[*changed, "updated_at"])
        lesson_done = False
        if lesson.completion_mode == CompletionMode.ACTIVITIES:
            keys = set(lesson.activity_keys())
            rows = list(
                ActivityProgress.objects.filter(
                    enrolment=enrolment,
                    item_key=lesson.translation_key,
                    activity_key__in=keys,
                )
            )
            done = [r for r in rows if r.completed]
            lesson_done = bool(keys) and {r.activity_key for r in done} >= keys
            reported = (
                ProgressSource.CLIENT
                if any(r.source == ProgressSource.CLIENT for r in done)
                else ProgressSource.SERVER
            )
        item_progress_record(
            user=user,
            page=lesson,
            completed=lesson_done,
            source=reported if lesson_done else source,
        )
    return activity


# ---------------------------------------------------------------- completion


def _rule_items(course, items):
    required = [i for i in items if i.required_for_completion]
    if course.completion_rule == CompletionRule.ASSESSMENTS:
        graded = [i for i in required if i.completion_requires_pass()]
        if graded:
            return graded
    return required


def _refresh_progress_and_completion(enrolment):
    course = selectors.course_for_enrolment(enrolment)
    if course is None:
        return None
    items = course.get_course_items()
    progress = selectors.progress_by_item(enrolment=enrolment)
    percent = selectors.percent_complete(items, progress)
    if percent != enrolment.progress_percent:
        Enrolment.objects.filter(pk=enrolment.pk).update(progress_percent=percent)
        enrolment.progress_percent = percent
    return _evaluate(enrolment, course, items, progress)


def _evaluate(enrolment, course, items, progress):
    existing = CourseCompletion.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return None
    rule_items = _rule_items(course, items)
    if not rule_items:
        return None
    if not all(
        selectors.item_is_satisfied(item, progress.get(item.translation_key))
        for item in rule_items
    ):
        return None
    scores = [
        progress[i.translation_key].score
        for i in rule_items
        if i.completion_requires_pass()
        and progress[i.translation_key].score is not None
    ]
    final_score = (
        (sum(scores) / len(scores)).quantize(Decimal("0.01")) if scores else None
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            completion = CourseCompletion.objects.create(
                enrolment=enrolment, completed_at=now, final_score=final_score
            )
    except IntegrityError:
        return CourseCompletion.objects.get(enrolment=enrolment)
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = now
    enrolment.save(update_fields=["status", "completed_at"])
    logger.info(
        "course completed enrolment=%s course_key=%s",
        enrolment.pk,
        enrolment.course_key,
    )
    transaction.on_commit(
        lambda: course_completed.send(
            sender=CourseCompletion, completion=completion, enrolment=enrolment
        ),
        robust=True,
    )
    return completion


def course_completion_evaluate(*, enrolment) -> CourseCompletion | None:
    """Apply the course's completion rule: record the completion exactly once
    when it holds, and send ``course_completed`` after commit."""
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        return _refresh_progress_and_completion(enrolment)


# ---------------------------------------------------------------- bulk


class BulkEnrolmentInvalid(Exception):
    """The file has errors; nothing was applied."""

    def __init__(self, check):
        super().__init__("bulk enrolment has errors")
        self.check = check


def bulk_enrolment_upload(*, course, by, uploaded_file, extra=None):
    """Read a spreadsheet and keep its rows for preview. Raises
    ``bulk.BulkFileError`` for a file that cannot be read at all. ``extra``
    names a step of another app to run on the same learners (``bulk.steps``)."""
    from . import bulk
    from .models import BulkEnrolment

    rows = bulk.read_rows(uploaded_file)
    return BulkEnrolment.objects.create(
        created_by=by,
        course=course.specific,
        filename=(getattr(uploaded_file, "name", "") or "upload")[:255],
        rows=rows,
        extra=extra or {},
    )


def _learner_create_invited(*, check, course, by):
    from allauth.account.models import EmailAddress

    from training_platform.accounts.models import Country, Organisation, User
    from training_platform.accounts.services import organisation_propose

    country = Country.objects.get(pk=check.country_id)
    organisation = None
    if check.organisation_id:
        organisation = Organisation.objects.get(pk=check.organisation_id)
    elif check.organisation:
        organisation = organisation_propose(
            name=check.organisation, country=country, proposed_by=by
        )
    user = User.objects.create_user(
        email=check.email,
        password=None,
        full_name=check.full_name,
        country=country,
        organisation=organisation,
        position=check.position,
        preferred_language=course.locale.language_code,
    )
    # The account has no usable password until its owner follows the link
    # sent to this address, which proves the address.
    EmailAddress.objects.create(
        user=user, email=user.email, primary=True, verified=True
    )
    return user


def bulk_enrolment_apply(*, batch, by):
    """Apply a previewed file, all or nothing: the rows are checked again, and
    any error (or a refusal while enrolling) leaves the database unchanged.
    Applying twice is a no-op. E-mails go out after commit."""
    from training_platform.accounts.models import User

    from . import bulk
    from .models import BulkEnrolment, BulkEnrolmentStatus
    from .notifications import enrolment_notify

    with transaction.atomic():
        batch = BulkEnrolment.objects.select_for_update().get(pk=batch.pk)
        if batch.status != BulkEnrolmentStatus.PREVIEW:
            return batch
        course = batch.course.specific
        _lock_course(course)
        check = bulk.check_rows(rows=batch.rows, course=course, by=by)
        if not check.valid:
            raise BulkEnrolmentInvalid(check)
        created = enrolled = 0
        learners = []  # in the file's order, for the next step
        for row in check.rows:
            if row.action == "create" and row.account_out_of_scope:
                # The uploader was told "invited", as for any unknown address
                # (E01); the account belongs to a learner they may not enrol.
                logger.info(
                    "bulk enrolment batch=%s row=%s: account outside the "
                    "uploader's countries left alone",
                    batch.pk,
                    row.line,
                )
                created += 1
                continue
            if row.action == "create":
                user = _learner_create_invited(check=row, course=course, by=by)
                source = EnrolmentSource.INVITE
                created += 1
            elif row.action == "enrol":
                user = User.objects.get(pk=row.user_id)
                source = EnrolmentSource.BULK
                enrolled += 1
            else:
                if row.action == "already":
                    learners.append(User.objects.get(pk=row.user_id))
                continue
            enrolment = enrolment_create(user=user, course=course, source=source, by=by)
            enrolment_notify(enrolment)
            learners.append(user)
        step = bulk.step_for(batch)
        if step is not None:
            batch.result = {"then": step.apply(batch=batch, users=learners, by=by)}
        batch.status = BulkEnrolmentStatus.APPLIED
        batch.applied_at = timezone.now()
        batch.result = {
            **batch.result,
            "created": created,
            "enrolled": enrolled,
            "already": check.count("already"),
            "skipped": check.count("skip"),
        }
        batch.save(update_fields=["status", "applied_at", "result"])
        audit.record(
            AuditAction.BULK_ENROLMENT,
            obj=course,
            actor=by,
            details={"batch": batch.pk, **batch.result},
        )
    logger.info(
        "bulk enrolment applied batch=%s created=%s enrolled=%s",
        batch.pk,
        created,
        enrolled,
    )
    return batch


def bulk_enrolment_discard(*, batch):
    from .models import BulkEnrolment, BulkEnrolmentStatus

    BulkEnrolment.objects.filter(
        pk=batch.pk, status=BulkEnrolmentStatus.PREVIEW
    ).update(status=BulkEnrolmentStatus.DISCARDED)


def translation_source_refresh(*, source_id) -> bool:
    """Bring wagtail-localize's copy of a source page up to date with the page
    as published, so that its translations show as out of date ("Waiting for
    translations", with the new strings to translate) without a trainer having
    to press *Sync translated pages* first. Translated pages are not touched:
    they keep their published text until the translator publishes again.
    Idempotent; False when the source or its page is gone."""
    from django.core.exceptions import ObjectDoesNotExist
    from wagtail_localize.models import TranslationSource

    source = TranslationSource.objects.filter(pk=source_id).first()
    if source is None:
        return False
    try:
        source.update_from_db()
    except ObjectDoesNotExist:
        return False
    translations = source.translations.filter(enabled=True)
    for translation in translations.select_related("target_locale"):
        source.update_target_view_restrictions(translation.target_locale)
    return True


class CourseCopyError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def course_copy(*, course, by, title, slug):
    """A new course from ``course``: its modules, lessons, assessments (with
    their question references), H5P blocks, certificate rule and surveys,
    copied as unpublished drafts under the same catalogue, with a new
    ``translation_key`` for every page (it is a new course, not a
    translation). Enrolments, progress and results stay with the original.
    All or nothing."""
    from wagtail.actions.copy_page import CopyPageAction, CopyPageIntegrityError

    parent = course.get_parent()
    if parent.get_children().filter(slug=slug).exists():
        raise CourseCopyError(
            _("Another course in this catalogue already uses this address.")
        )
    try:
        with transaction.atomic():
            copy = CopyPageAction(
                page=course,
                to=parent,
                update_attrs={"title": title, "draft_title": title, "slug": slug},
                recursive=True,
                keep_live=False,
                user=by,
                reset_translation_key=True,
            ).execute(skip_permission_checks=True)
    except CopyPageIntegrityError as error:
        raise CourseCopyError(str(error)) from error
    return copy.specific


def course_translate(*, course, by, locale):
    """The course and every page below it as a translation into ``locale``
    (wagtail-localize: the strings to translate in its editor or as a PO file;
    the same ``translation_key``, so one course for enrolment and reports).
    Refused when the course already has a translation there."""
    from wagtail_localize.operations import translate_object, translate_page_subtree

    existing = course.get_translation_or_none(locale)
    if existing is not None and existing.alias_of_id is None:
        raise CourseCopyError(
            _(
                "The course already has a translation in this language: open it "
                "and update it instead."
            )
        )
    with transaction.atomic():
        translate_object(course, [locale], None, by)
        translate_page_subtree(course.pk, [locale], None, by)
    return course.get_translation(locale).specific


class CourseTeamError(Exception):
    """A change to a course's team that its rules refuse."""


def course_owner_set_up(*, course, by) -> CourseEditor | None:
    """Make ``by`` an owner of ``course`` (the creator of a course, through
    ``receivers``; the demo's trainer). Idempotent: a person already on the
    team keeps their role."""
    if by is None or not getattr(by, "is_authenticated", False):
        return None
    editor, _created = CourseEditor.objects.get_or_create(
        course_key=course.translation_key,
        user=by,
        defaults={"role": CourseRole.OWNER, "added_by": by},
    )
    forget_course_teams(by)
    return editor


def course_team_add(*, course, user, role, by) -> CourseEditor:
    """Put a trainer on the course's team as owner or co-editor (or change
    their role). Only administrators and the course's owners may."""
    if not can_manage_team(by, course):
        raise PermissionDenied
    if role not in CourseRole.values:
        raise CourseTeamError(_("Choose owner or co-editor."))
    if not user.is_active or not (
        roles.is_trainer(user) or roles.is_administrator(user)
    ):
        raise CourseTeamError(_("Only trainers can edit courses."))
    with transaction.atomic():
        _lock_course(course)
        editor, created = CourseEditor.objects.get_or_create(
            course_key=course.translation_key,
            user=user,
            defaults={"role": role, "added_by": by},
        )
        changed = created
        if not created and editor.role != role:
            if editor.role == CourseRole.OWNER:
                _keep_an_owner(course, leaving=user)
            editor.role = role
            editor.save(update_fields=["role"])
            changed = True
        if changed:
            audit.record(
                AuditAction.COURSE_TEAM_CHANGED,
                obj=course,
                actor=by,
                details={"user": user.email, "role": role},
            )
    forget_course_teams(user)
    return editor


def _keep_an_owner(course, *, leaving) -> None:
    others = CourseEditor.objects.filter(
        course_key=course.translation_key, role=CourseRole.OWNER
    ).exclude(user=leaving)
    if not others.exists():
        raise CourseTeamError(
            _("A course keeps at least one owner. Make someone else its owner first.")
        )


def course_team_remove(*, course, user, by) -> None:
    """Take a trainer off the course's team; the last owner stays."""
    if not can_manage_team(by, course):
        raise PermissionDenied
    with transaction.atomic():
        _lock_course(course)
        editor = CourseEditor.objects.filter(
            course_key=course.translation_key, user=user
        ).first()
        if editor is None:
            return
        if editor.role == CourseRole.OWNER:
            _keep_an_owner(course, leaving=user)
        editor.delete()
        audit.record(
            AuditAction.COURSE_TEAM_CHANGED,
            obj=course,
            actor=by,
            details={"user": user.email, "role": None},
        )
    forget_course_teams(user)
