from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .text import clean_person_name


class SubRegion(models.TextChoices):
    WESTERN_BALKANS = "western_balkans", _("Western Balkans")
    EASTERN_EUROPE = "eastern_europe", _("Eastern Europe")
    SOUTH_CAUCASUS = "south_caucasus", _("South Caucasus")
    CENTRAL_ASIA = "central_asia", _("Central Asia")
    OTHER = "other", _("Other")


class Country(models.Model):
    code = models.CharField(
        _("code"),
        max_length=2,
        unique=True,
        help_text=_("ISO 3166-1 alpha-2 code in capitals, for example RS or KZ."),
    )
    name = models.CharField(_("name (English)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100, blank=True)
    sub_region = models.CharField(
        _("sub-region"),
        max_length=32,
        choices=SubRegion.choices,
        default=SubRegion.OTHER,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"),
                name="country_code_iso_alpha2",
            )
        ]

    def __str__(self):
        return self.localized_name

    def save(self, *args, **kwargs):
        self.code = (self.code or "").strip().upper()
        super().save(*args, **kwargs)

    @property
    def localized_name(self) -> str:
        language = translation.get_language()
        if language == "ru" and self.name_ru:
            return self.name_ru
        if language and language != "en":
            from .reference_data import country_name

            return country_name(self.code) or self.name
        return self.name


class OrganisationType(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    NGO = "ngo", _("Non-governmental organisation")
    INTERNATIONAL = "international", _("International organisation")
    ACADEMIA = "academia", _("Academia")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(
        _("type"),
        max_length=20,
        choices=OrganisationType.choices,
        default=OrganisationType.GOVERNMENT,
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_(
            "Organisations proposed by learners stay unverified until an "
            "administrator checks them."
        ),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "country", name="organisation_unique_name_per_country"
            )
        ]

    def __str__(self):
        return self.name


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    certificate_name = models.CharField(
        _("name on certificates"),
        max_length=200,
        blank=True,
        help_text=_(
            "Exactly as it should be printed on certificates, in any script. "
            "Leave empty to use the full name."
        ),
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    position = models.CharField(_("position / job title"), max_length=150, blank=True)
    sex = models.CharField(
        _("sex"), max_length=12, choices=Sex.choices, default=Sex.UNDISCLOSED
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.ALL_LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    consent_at = models.DateTimeField(
        _("consent to data processing given"), null=True, blank=True
    )
    consent_version = models.CharField(
        _("privacy notice version"), max_length=32, blank=True
    )
    coordinated_countries = models.ManyToManyField(
        Country,
        verbose_name=_("coordinated countries"),
        blank=True,
        related_name="coordinators",
        help_text=_(
            "For coordinators: the countries whose learners they follow and manage."
        ),
    )
    is_staff = models.BooleanField(
        _("Django staff"),
        default=False,
        help_text=_("Only for technical administrators."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    erased_at = models.DateTimeField(
        _("erased"),
        null=True,
        blank=True,
        help_text=_("When the person's data was erased; the account stays anonymous."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]
        indexes = [models.Index(fields=["country", "date_joined"])]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        self.full_name = clean_person_name(self.full_name)
        self.certificate_name = clean_person_name(self.certificate_name)

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        self.full_name = clean_person_name(self.full_name)
        self.certificate_name = clean_person_name(self.certificate_name)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]

    @property
    def name_for_certificate(self) -> str:
        return self.certificate_name or self.full_name

    @property
    def profile_complete(self) -> bool:
        return bool(self.full_name and self.country_id and self.consent_at)
