from django.db.models.signals import pre_save
from django.dispatch import receiver
from wagtail.models import Page


@receiver(pre_save, dispatch_uid="courses_untranslated_copy_stays_draft")
def _untranslated_copy_stays_draft(sender, instance, **kwargs):
    """An alias of a page in another locale is the untranslated placeholder
    that Wagtail's tree synchronisation (and "copy parents") puts in the other
    language's tree. Wagtail makes it live whenever its source is live or is
    published, which put English courses in the Russian catalogue as Russian
    ones. It stays a draft: a translation goes live only when a trainer
    converts it to an ordinary page and publishes it."""
    if not isinstance(instance, Page) or not instance.alias_of_id:
        return
    if not instance.live:
        return
    source_locale = (
        Page.objects.filter(pk=instance.alias_of_id)
        .values_list("locale_id", flat=True)
        .first()
    )
    if source_locale is not None and source_locale != instance.locale_id:
        instance.live = False
        instance.has_unpublished_changes = True
        instance.live_revision = None
        instance.first_published_at = None
        instance.last_published_at = None


def _first_page_of_a_course(sender, instance, created, raw=False, **kwargs):
    """Whoever creates a course (in the admin, by Wagtail's copy or the
    course copy: a new course key) is its first owner, from the moment the
    page exists, so that they may publish it at once. A translation of a
    course that has a team changes nothing."""
    from .models import CourseEditor
    from .services import course_owner_set_up

    if not created or raw or instance.owner_id is None:
        return
    if CourseEditor.objects.filter(course_key=instance.translation_key).exists():
        return
    course_owner_set_up(course=instance, by=instance.owner)


def _course_published(sender, instance, **kwargs):
    """A published course gets the review workflow on every language's page,
    or loses it, as its ``review_before_publishing`` says."""
    from .models import CoursePage
    from .review import sync_course_workflow

    if isinstance(instance, CoursePage) and instance.alias_of_id is None:
        sync_course_workflow(instance)


def _completed(sender, *, completion, enrolment, **kwargs):
    from .notifications import course_completed_notify

    course_completed_notify(completion=completion, enrolment=enrolment)


def _source_published(sender, instance, **kwargs):
    """A page that is the source of translations was published: refresh
    wagtail-localize's copy of it after commit, by a worker (in the request
    when the broker cannot be reached), so its translations show what changed."""
    from django.db import transaction
    from wagtail_localize.models import TranslationSource

    source_id = (
        TranslationSource.objects.filter(
            object_id=instance.translation_key, locale_id=instance.locale_id
        )
        .values_list("pk", flat=True)
        .first()
    )
    if source_id is None:
        return

    def refresh():
        from training_platform.celery import publish_bounded

        from .services import translation_source_refresh
        from .tasks import refresh_translation_source

        try:
            publish_bounded(refresh_translation_source, [source_id])
        except Exception:
            translation_source_refresh(source_id=source_id)

    transaction.on_commit(refresh, robust=True)


def connect():
    from django.db.models.signals import post_save
    from wagtail.signals import page_published

    from .models import CoursePage
    from .signals import course_completed

    post_save.connect(
        _first_page_of_a_course,
        sender=CoursePage,
        dispatch_uid="courses-first-owner",
        weak=False,
    )
    page_published.connect(
        _source_published, dispatch_uid="courses-translation-source", weak=False
    )
    page_published.connect(
        _course_published, dispatch_uid="courses-review-workflow", weak=False
    )

    course_completed.connect(
        _completed, dispatch_uid="courses-completed-notification", weak=False
    )
