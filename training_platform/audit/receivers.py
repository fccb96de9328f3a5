"""What the audit log hears by signal: role and scope changes however they
are made (services, the admin's user editor), staff sign-ins and failed
ones, and two-factor changes. Other actions are recorded by their services."""

from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from training_platform.accounts import roles

from .models import AuditAction
from .services import record

User = get_user_model()


def _is_staff(user) -> bool:
    return user is not None and roles.is_staff_member(user)


def _changed_pairs(instance, reverse, model, pk_set):
    """``(user, other)`` pairs of an m2m change seen from either side."""
    if not pk_set:
        return []
    if reverse:
        return [(user, instance) for user in User.objects.filter(pk__in=pk_set)]
    return [(instance, other) for other in model.objects.filter(pk__in=pk_set)]


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit_roles")
def _roles_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action == "pre_clear":
        # What is about to go, as a removal of each.
        groups = (
            Group.objects.filter(pk__in=instance.groups.values("pk"))
            if not reverse
            else None
        )
        pairs = (
            [(instance, group) for group in groups]
            if groups is not None
            else [(user, instance) for user in instance.user_set.all()]
        )
        action_name = AuditAction.ROLE_REVOKED
    elif action in ("post_add", "post_remove"):
        pairs = _changed_pairs(instance, reverse, model, pk_set)
        action_name = (
            AuditAction.ROLE_GRANTED
            if action == "post_add"
            else AuditAction.ROLE_REVOKED
        )
    else:
        return
    for user, group in pairs:
        user.__dict__.pop("_role_names", None)
        if group.name == roles.LEARNERS or getattr(user, "_erasing", False):
            # Everybody is a learner; an erasure records itself.
            continue
        record(action_name, obj=user, details={"role": group.name})


@receiver(
    m2m_changed,
    sender=User.coordinated_countries.through,
    dispatch_uid="audit_countries",
)
def _countries_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if action == "pre_clear":
        users = [instance] if not reverse else list(instance.coordinators.all())
        for user in users:
            if getattr(user, "_erasing", False):
                continue
            codes = sorted(user.coordinated_countries.values_list("code", flat=True))
            if codes:
                record(
                    AuditAction.COUNTRIES_CHANGED,
                    obj=user,
                    details={"removed": codes},
                )
        return
    key = "added" if action == "post_add" else "removed"
    by_user: dict = {}
    for user, country in _changed_pairs(instance, reverse, model, pk_set):
        by_user.setdefault(user, []).append(country.code)
    for user, codes in by_user.items():
        record(AuditAction.COUNTRIES_CHANGED, obj=user, details={key: sorted(codes)})


@receiver(pre_save, sender=User, dispatch_uid="audit_superuser_before")
def _superuser_before(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._superuser_before = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and "is_superuser" not in update_fields:
        return  # a sign-in's last_login, a profile change, ...
    before = User.objects.filter(pk=instance.pk).values_list("is_superuser", flat=True)
    instance._superuser_before = before[0] if before else None


@receiver(post_save, sender=User, dispatch_uid="audit_superuser")
def _superuser_changed(sender, instance, created, raw=False, **kwargs):
    """Recorded once saved: an account made a superuser, or created as one
    (createsuperuser, the admin's "add user")."""
    if raw:
        return
    before = getattr(instance, "_superuser_before", None)
    if (created and instance.is_superuser) or (
        before is not None and before != instance.is_superuser
    ):
        record(
            AuditAction.SUPERUSER_CHANGED,
            obj=instance,
            details={"superuser": instance.is_superuser},
        )


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    if _is_staff(user):
        record(AuditAction.LOGIN, obj=user, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    login = (credentials or {}).get("email") or (credentials or {}).get("username")
    if not login:
        return
    user = User.objects.filter(email__iexact=login).first()
    if _is_staff(user):
        record(AuditAction.LOGIN_FAILED, obj=user, actor=None, request=request)


def _mfa(action):
    def handler(sender, request=None, user=None, authenticator=None, **kwargs):
        details = {"type": getattr(authenticator, "type", "")}
        record(action, obj=user, actor=user, request=request, details=details)

    return handler


_mfa_added = _mfa(AuditAction.MFA_ADDED)
_mfa_removed = _mfa(AuditAction.MFA_REMOVED)
_mfa_reset = _mfa(AuditAction.MFA_RESET)
_mfa_failed = _mfa(AuditAction.MFA_FAILED)
mfa_signals.authenticator_added.connect(_mfa_added, dispatch_uid="audit_mfa_added")
mfa_signals.authenticator_removed.connect(
    _mfa_removed, dispatch_uid="audit_mfa_removed"
)
mfa_signals.authenticator_reset.connect(_mfa_reset, dispatch_uid="audit_mfa_reset")
mfa_signals.authentication_failed.connect(_mfa_failed, dispatch_uid="audit_mfa_failed")
