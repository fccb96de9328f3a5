from django import forms
from django.conf import settings
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Country, Organisation, OrganisationType, Sex, User
from .text import clean_person_name


class OrganisationSelect(forms.Select):
    """Each option carries its country so the page can show only the
    organisations of the chosen country."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-country"] = str(instance.country_id)
        return option


class OrganisationsByCountry(ModelChoiceIterator):
    """Organisations grouped under their country, so that the list reads well
    without JavaScript too (which then offers only the chosen country's)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for organisation in self.queryset.order_by("country__name", "name"):
            groups.setdefault(organisation.country.name, []).append(
                self.choice(organisation)
            )
        yield from groups.items()


class OrganisationChoiceField(forms.ModelChoiceField):
    iterator = OrganisationsByCountry


class ProfileFieldsMixin(forms.Form):
    """Fields and checks shared by sign-up and the profile page."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    certificate_name = forms.CharField(
        label=_("Name on certificates"),
        max_length=200,
        required=False,
        help_text=_(
            "Exactly as it should be printed on your certificates, in any script "
            "(for example Latin, Cyrillic, Georgian or Armenian). Leave empty to use "
            "your full name."
        ),
    )
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), empty_label=_("Choose…")
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(verified=True).select_related("country"),
        required=False,
        empty_label=_("Choose…"),
        widget=OrganisationSelect(attrs={"data-organisation-select": ""}),
    )
    new_organisation_name = forms.CharField(
        label=_("My organisation is not listed; its name is"),
        max_length=255,
        required=False,
        help_text=_("A new organisation is checked by an administrator."),
    )
    new_organisation_kind = forms.ChoiceField(
        label=_("Type of that organisation"),
        choices=OrganisationType.choices,
        required=False,
        initial=OrganisationType.GOVERNMENT,
    )
    position = forms.CharField(
        label=_("Position / job title"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    # No choice is preselected: a default would be counted as an answer in
    # every disaggregated figure.
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=[("", _("Choose…")), *Sex.choices],
        help_text=_("Used only for anonymous statistics on who was trained."),
        error_messages={"required": _("Please choose one, or “Prefer not to say”.")},
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES
    )

    def clean_full_name(self):
        value = clean_person_name(self.cleaned_data["full_name"])
        if not value:
            raise forms.ValidationError(_("Please enter your name."))
        return value

    def clean_certificate_name(self):
        return clean_person_name(self.cleaned_data.get("certificate_name"))

    def clean(self):
        cleaned = super().clean()
        country = cleaned.get("country")
        organisation = cleaned.get("organisation")
        new_name = " ".join((cleaned.get("new_organisation_name") or "").split())
        cleaned["new_organisation_name"] = new_name
        if organisation and new_name:
            self.add_error(
                "new_organisation_name",
                _("Choose an organisation from the list or enter a new one, not both."),
            )
        elif not organisation and not new_name:
            self.add_error(
                "organisation",
                _(
                    "Choose your organisation, or enter its name below if it is "
                    "missing."
                ),
            )
        if organisation and country and organisation.country_id != country.pk:
            self.add_error(
                "organisation",
                _("This organisation is not in the country you chose."),
            )
        if new_name and not cleaned.get("new_organisation_kind"):
            cleaned["new_organisation_kind"] = OrganisationType.OTHER
        return cleaned


class ProfileSignupForm(ProfileFieldsMixin):
    """Extra sign-up fields (allauth's ACCOUNT_SIGNUP_FORM_CLASS)."""

    consent = forms.BooleanField(
        label=_(
            "I agree that the platform stores my profile and learning records to "
            "run the courses and to report anonymous statistics to the programme."
        ),
        required=True,
    )

    field_order = [
        "email",
        "full_name",
        "certificate_name",
        "country",
        "organisation",
        "new_organisation_name",
        "new_organisation_kind",
        "position",
        "sex",
        "preferred_language",
        "password1",
        "password2",
        "consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].initial = get_language()

    def signup(self, request, user):
        data = self.cleaned_data
        services.profile_complete_signup(
            user=user,
            full_name=data["full_name"],
            certificate_name=data["certificate_name"],
            country=data["country"],
            organisation=data.get("organisation"),
            new_organisation_name=data["new_organisation_name"],
            new_organisation_kind=data.get("new_organisation_kind")
            or OrganisationType.OTHER,
            position=data["position"],
            sex=data["sex"],
            preferred_language=data["preferred_language"],
        )


class ProfileForm(ProfileFieldsMixin):
    """The learner's own profile. Only the fields declared here can change
    (E06: no staff flags, roles, groups or coordinated countries)."""

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        initial = {
            "full_name": user.full_name,
            "certificate_name": user.certificate_name,
            "country": user.country_id,
            "organisation": user.organisation_id,
            "position": user.position,
            "sex": user.sex,
            "preferred_language": user.preferred_language,
        }
        super().__init__(*args, initial=initial, **kwargs)
        # A learner keeps their own unverified organisation until it is checked.
        if user.organisation_id and not user.organisation.verified:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                Q(verified=True) | Q(pk=user.organisation_id)
            ).select_related("country")

    def save(self) -> User:
        data = self.cleaned_data
        organisation = data.get("organisation")
        if organisation is None and data["new_organisation_name"]:
            organisation = services.organisation_propose(
                name=data["new_organisation_name"],
                country=data["country"],
                kind=data.get("new_organisation_kind") or OrganisationType.OTHER,
                proposed_by=self.user,
            )
        return services.profile_update(
            user=self.user,
            full_name=data["full_name"],
            certificate_name=data["certificate_name"],
            country=data["country"],
            organisation=organisation,
            position=data["position"],
            sex=data["sex"],
            preferred_language=data["preferred_language"],
        )


class EraseForm(forms.Form):
    """Erasing one's own account: the password again, and a tick."""

    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data are erased."),
        required=True,
    )
    revoke_certificates = forms.BooleanField(
        label=_(
            "Also revoke my certificates (otherwise they keep verifying with my "
            "name as it was issued)."
        ),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        from . import roles

        data = super().clean()
        if roles.is_staff_member(self.user):
            raise forms.ValidationError(
                _(
                    "Staff accounts are closed by an administrator: ask them to "
                    "erase yours."
                )
            )
        password = data.get("password")
        if password and not self.user.check_password(password):
            self.add_error("password", _("This is not your password."))
        return data


class EraseOnRequestForm(forms.Form):
    """A coordinator or administrator erasing a learner's account on the
    learner's request: the address typed again, so nobody is erased by a
    slip."""

    email = forms.CharField(
        label=_("Type the learner's e-mail address to confirm"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    revoke_certificates = forms.BooleanField(
        label=_("Also revoke the learner's certificates"), required=False
    )

    def __init__(self, *args, learner, **kwargs):
        super().__init__(*args, **kwargs)
        self.learner = learner

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email.lower() != self.learner.email.lower():
            raise forms.ValidationError(_("This is not the learner's address."))
        return email

    def clean(self):
        from . import roles

        data = super().clean()
        if roles.is_staff_member(self.learner):
            raise forms.ValidationError(
                _("Staff accounts are closed by an administrator in the user list.")
            )
        return data


class ConsentForm(forms.Form):
    consent = ProfileSignupForm.base_fields["consent"]
