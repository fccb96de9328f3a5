"""Factories for tests and for ``seed_demo``."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from . import roles, services
from .models import Country, Organisation, OrganisationType, Sex, User


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"Q{chr(65 + n % 26)}")
    name = factory.LazyAttribute(lambda o: f"Country {o.code}")
    sub_region = "other"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name", "country")

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationType.GOVERNMENT
    country = factory.LazyFunction(lambda: Country.objects.get(code="RS"))
    verified = True


def _role_hook(default):
    """A post-generation hook granting ``role=...`` (or the factory's default)."""

    def grant(obj, create, extracted, **kwargs):
        role = extracted or default
        if create and role:
            services.role_grant(user=obj, role=role)

    return factory.PostGeneration(grant)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"learner{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Learner {n}")
    country = factory.LazyFunction(lambda: Country.objects.get(code="RS"))
    # One organisation per country, so that re-running a factory with the same
    # e-mail (seed_demo) creates nothing new.
    organisation = factory.LazyAttribute(
        lambda o: OrganisationFactory(
            name=f"Ministry of Interior ({o.country.name})", country=o.country
        )
    )
    position = "Inspector"
    sex = Sex.FEMALE
    preferred_language = "en"
    consent_at = factory.LazyFunction(timezone.now)
    consent_version = "2026-11"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "correct-horse-battery")
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.update_or_create(
                user=obj,
                email=obj.email,
                defaults={"verified": True, "primary": True},
            )

    role = _role_hook(None)


class TrainerFactory(UserFactory):
    email = factory.Sequence(lambda n: f"trainer{n}@example.org")
    role = _role_hook(roles.TRAINERS)


class CoordinatorFactory(UserFactory):
    email = factory.Sequence(lambda n: f"coordinator{n}@example.org")
    role = _role_hook(roles.COORDINATORS)

    @factory.post_generation
    def countries(obj, create, extracted, **kwargs):
        if create and extracted:
            services.coordinator_set_countries(user=obj, countries=extracted)


class AdministratorFactory(UserFactory):
    email = factory.Sequence(lambda n: f"admin{n}@example.org")
    role = _role_hook(roles.ADMINISTRATORS)
