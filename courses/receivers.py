from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import CourseIndexPage
from .navigation import forget_catalogue_url


@receiver(page_published, sender=CourseIndexPage, dispatch_uid="courses_nav_pub")
@receiver(page_unpublished, sender=CourseIndexPage, dispatch_uid="courses_nav_unp")
@receiver(post_delete, sender=CourseIndexPage, dispatch_uid="courses_nav_del")
def _catalogue_changed(sender, **kwargs):
    forget_catalogue_url()


@receiver(post_page_move, dispatch_uid="courses_nav_move")
def _page_moved(sender, instance, **kwargs):
    if isinstance(instance.specific_deferred, CourseIndexPage):
        forget_catalogue_url()
