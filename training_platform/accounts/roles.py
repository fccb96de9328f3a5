"""Roles are Django groups created by a migration. The names are stable
identifiers; the admin shows them translated."""

from django.utils.translation import gettext_lazy as _

LEARNERS = "Learners"
TRAINERS = "Trainers"
COORDINATORS = "Coordinators"
ADMINISTRATORS = "Administrators"

ALL = (LEARNERS, TRAINERS, COORDINATORS, ADMINISTRATORS)
STAFF = (TRAINERS, COORDINATORS, ADMINISTRATORS)

LABELS = {
    LEARNERS: _("Learners"),
    TRAINERS: _("Trainers"),
    COORDINATORS: _("Coordinators"),
    ADMINISTRATORS: _("Administrators"),
}


def _group_names(user) -> set[str]:
    # Cached per user object for the duration of a request.
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
    return user._role_names


def has_role(user, role: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return role in _group_names(user)


def is_administrator(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, ADMINISTRATORS)


def is_coordinator(user) -> bool:
    return has_role(user, COORDINATORS)


def is_trainer(user) -> bool:
    return has_role(user, TRAINERS)


def is_staff_member(user) -> bool:
    """Trainers, coordinators, administrators and Django staff: MFA is required."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(_group_names(user) & set(STAFF))
