"""Reads about people. ``learners_visible_to`` is the one scoping function:
every page, export, e-mail and API that shows people or their results filters
through it (directly or with ``scope_to_visible_learners``)."""

from django.db.models import Q, QuerySet

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


def _taught_course_keys(user):
    from courses.permissions import course_keys_editable_by

    return course_keys_editable_by(user)


def _enrolled_in(keys):
    from courses.models import Enrolment

    return Enrolment.objects.filter(course_key__in=keys).values("user_id")


def learners_visible_to(user) -> QuerySet[User]:
    """The people whose data ``user`` may see.

    - administrators (and superusers): everyone;
    - trainers: the learners of the courses they own or co-edit (D09);
    - coordinators: people of their countries only, read fresh on every call
      so that a removed country stops counting on the next request (E02); a
      coordinator without countries sees nobody;
    - a trainer who is also a coordinator: both;
    - anybody else: themselves.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return User.objects.none()
    if roles.is_administrator(user):
        return User.objects.all()
    return User.objects.filter(_scope(user, path="pk", course_path=None, own="pk"))


def _scope(user, *, path, course_path, own):
    """The condition of ``scope_to_visible_learners`` for a user who is not
    an administrator."""
    conditions = []
    if roles.is_trainer(user):
        keys = _taught_course_keys(user)
        if course_path:
            conditions.append(Q(**{f"{course_path}__in": keys}))
        else:
            conditions.append(Q(**{f"{path}__in": _enrolled_in(keys)}))
    if roles.is_coordinator(user):
        # Countries as a subquery: a join over the coordinators would repeat
        # a record once per coordinator of its country when OR-ed.
        prefix = "" if path == "pk" else f"{path}__"
        countries = Country.objects.filter(coordinators=user).values("pk")
        conditions.append(Q(**{f"{prefix}country__in": countries}))
    if not conditions:
        return Q(**{own: user.pk})
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return condition


def scope_to_visible_learners(
    user, queryset: QuerySet, *, path: str = "user", course_path: str | None = None
):
    """Limit any queryset of records that belong to a person (enrolments,
    attempts, certificates, ...) to the people ``user`` may see. ``path`` is the
    lookup from the record to its user; ``course_path``, where the record
    belongs to a course, the lookup to its course key: a trainer then sees
    the records of their own courses only, not everything of their learners."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if roles.is_administrator(user):
        return queryset
    return queryset.filter(_scope(user, path=path, course_path=course_path, own=path))


def can_see_learner(viewer, learner) -> bool:
    return learners_visible_to(viewer).filter(pk=learner.pk).exists()


def organisations_for_country(country) -> QuerySet[Organisation]:
    """Organisations a learner of ``country`` may pick: verified ones."""
    return Organisation.objects.filter(country=country, verified=True).order_by("name")


def scope_by_country(
    user,
    queryset: QuerySet,
    *,
    path: str = "country",
    course_path: str | None = None,
    key_form=None,
):
    """Limit records that carry a learner's country (report tables) by the
    same rule as ``learners_visible_to``: everything for administrators; for
    trainers the records of the courses they are on the team of where the
    record belongs to a course (``course_path``, the lookup to its course key;
    ``key_form`` turns a key into what that lookup holds, such as ``.hex`` in
    JSON), everything otherwise; the coordinator's countries for a coordinator
    (nothing without countries); both for a trainer who coordinates; nothing
    for anybody else, since these records are about many people at once."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if roles.is_administrator(user):
        return queryset
    conditions = []
    if roles.is_trainer(user):
        if course_path is None and not roles.is_coordinator(user):
            return queryset
        if course_path is not None:
            keys = _taught_course_keys(user)
            if key_form is not None:
                keys = [key_form(key) for key in keys]
            conditions.append(Q(**{f"{course_path}__in": keys}))
    if roles.is_coordinator(user):
        countries = Country.objects.filter(coordinators=user).values("pk")
        conditions.append(Q(**{f"{path}__in": countries}))
    if not conditions:
        return queryset.none()
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return queryset.filter(condition)
    if roles.is_administrator(user) or roles.is_trainer(user):
        return queryset
    if roles.is_coordinator(user):
        return queryset.filter(**{f"{path}__in": countries_visible_to(user)})
    return queryset.none()
