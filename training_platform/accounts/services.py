"""Writes about people, organisations and roles."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import roles
from .models import Country, Organisation, OrganisationType, User
from .text import clean_person_name

PROFILE_FIELDS = (
    "full_name",
    "certificate_name",
    "country",
    "organisation",
    "position",
    "sex",
    "preferred_language",
)


def organisation_propose(
    *, name: str, country: Country, kind: str = OrganisationType.OTHER, proposed_by=None
) -> Organisation:
    """Return the organisation of ``country`` with this name (any case), or
    create it unverified for an administrator to check."""
    name = " ".join(name.split())
    existing = Organisation.objects.filter(country=country, name__iexact=name).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Organisation.objects.create(
                name=name,
                country=country,
                kind=kind,
                verified=False,
                proposed_by=proposed_by,
            )
    except IntegrityError:
        # Somebody proposed the same name at the same moment.
        return Organisation.objects.get(country=country, name__iexact=name)


def profile_update(*, user: User, **fields) -> User:
    """Update the profile fields a learner may change themselves. Anything not in
    the allow-list (roles, staff flags, coordinated countries) is refused (E06)."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {', '.join(sorted(unknown))}")
    for key, value in fields.items():
        setattr(user, key, value)
    if user.organisation_id and user.organisation.country_id != user.country_id:
        raise ValueError("The organisation must belong to the user's country")
    user.save(update_fields=[*fields.keys()])
    return user


def consent_record(*, user: User) -> None:
    user.consent_at = timezone.now()
    user.consent_version = settings.PRIVACY_POLICY_VERSION
    user.save(update_fields=["consent_at", "consent_version"])


def profile_complete_signup(
    *,
    user: User,
    full_name: str,
    certificate_name: str,
    country: Country,
    organisation: Organisation | None,
    new_organisation_name: str,
    new_organisation_kind: str,
    position: str,
    sex: str,
    preferred_language: str,
) -> User:
    """Fill the profile of a newly signed-up learner."""
    if organisation is None and new_organisation_name:
        organisation = organisation_propose(
            name=new_organisation_name,
            country=country,
            kind=new_organisation_kind,
            proposed_by=user,
        )
    user.full_name = clean_person_name(full_name)
    user.certificate_name = clean_person_name(certificate_name)
    user.country = country
    user.organisation = organisation
    user.position = position
    user.sex = sex
    user.preferred_language = preferred_language
    user.consent_at = timezone.now()
    user.consent_version = settings.PRIVACY_POLICY_VERSION
    user.save()
    return user


def role_grant(*, user: User, role: str) -> None:
    if role not in roles.ALL:
        raise ValueError(f"Unknown role {role!r}")
    user.groups.add(Group.objects.get(name=role))
    user.__dict__.pop("_role_names", None)


def role_revoke(*, user: User, role: str) -> None:
    if role == roles.LEARNERS:
        raise ValueError("Everybody is a learner")
    user.groups.remove(Group.objects.get(name=role))
    user.__dict__.pop("_role_names", None)


def coordinator_set_countries(*, user: User, countries) -> None:
    user.coordinated_countries.set(countries)
