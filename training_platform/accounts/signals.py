from allauth.account.signals import user_logged_in
from django.contrib.auth.models import Group
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import roles
from .models import User


@receiver(post_save, sender=User, dispatch_uid="accounts_everyone_is_a_learner")
def add_to_learners(sender, instance, created, raw=False, **kwargs):
    """Everybody is a learner, however the account was created (sign-up, bulk
    enrolment, the admin, createsuperuser)."""
    if created and not raw:
        group = Group.objects.filter(name=roles.LEARNERS).first()
        if group:
            instance.groups.add(group)


@receiver(user_logged_in, dispatch_uid="accounts_language_after_login")
def remember_language_after_login(sender, request, user, **kwargs):
    # UserLanguageMiddleware turns this into the language cookie on the response.
    request.session["apply_language"] = user.preferred_language
