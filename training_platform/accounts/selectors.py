"""Reads about people. ``learners_visible_to`` is the one scoping function:
every page, export, e-mail and API that shows people or their results filters
through it (directly or with ``scope_to_visible_learners``)."""

from django.db.models import QuerySet

from . import roles
from .models import Country, Organisation, User


def countries_visible_to(user) -> QuerySet[Country]:
    """Countries whose learners ``user`` may see."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Country.objects.none()
    if roles.is_administrator(user) or roles.is_trainer(user):
        return Country.objects.all()
    if roles.is_coordinator(user):
        return Country.objects.filter(coordinators=user)
    return Country.objects.none()


def learners_visible_to(user) -> QuerySet[User]:
    """The people whose data ``user`` may see.

    - administrators (and superusers): everyone;
    - trainers: everyone, since they review attempts and results of the
      courses they build (they have no user-management permission);
    - coordinators: people of their countries only, read fresh on every call
      so that a removed country stops counting on the next request (E02); a
      coordinator without countries sees nobody;
    - anybody else: themselves.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return User.objects.none()
    if roles.is_administrator(user) or roles.is_trainer(user):
        return User.objects.all()
    if roles.is_coordinator(user):
        return User.objects.filter(country__coordinators=user)
    return User.objects.filter(pk=user.pk)


def scope_to_visible_learners(user, queryset: QuerySet, *, path: str = "user"):
    """Limit any queryset of records that belong to a person (enrolments,
    attempts, certificates, ...) to the people ``user`` may see. ``path`` is the
    lookup from the record to its user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if roles.is_administrator(user) or roles.is_trainer(user):
        return queryset
    if roles.is_coordinator(user):
        return queryset.filter(**{f"{path}__country__coordinators": user})
    return queryset.filter(**{path: user})


def can_see_learner(viewer, learner) -> bool:
    return learners_visible_to(viewer).filter(pk=learner.pk).exists()


def organisations_for_country(country) -> QuerySet[Organisation]:
    """Organisations a learner of ``country`` may pick: verified ones."""
    return Organisation.objects.filter(country=country, verified=True).order_by("name")


def scope_by_country(user, queryset: QuerySet, *, path: str = "country"):
    """Limit records that carry a learner's country (report tables) by the
    same rule as ``learners_visible_to``: everything for administrators and
    trainers, the coordinator's countries for a coordinator (nothing without
    countries), nothing for anybody else, since these records are about many
    people at once."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if roles.is_administrator(user) or roles.is_trainer(user):
        return queryset
    if roles.is_coordinator(user):
        return queryset.filter(**{f"{path}__in": countries_visible_to(user)})
    return queryset.none()
