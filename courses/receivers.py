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


def _completed(sender, *, completion, enrolment, **kwargs):
    from .notifications import course_completed_notify

    course_completed_notify(completion=completion, enrolment=enrolment)


def connect():
    from .signals import course_completed

    course_completed.connect(
        _completed, dispatch_uid="courses-completed-notification", weak=False
    )
