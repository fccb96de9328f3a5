"""Forms of the Wagtail admin's user management, with the platform's profile
fields instead of first and last name."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from .models import User

PROFILE_ADMIN_FIELDS = [
    "full_name",
    "certificate_name",
    "country",
    "organisation",
    "position",
    "sex",
    "preferred_language",
    "coordinated_countries",
]


class _ProfileAdminFields(forms.ModelForm):
    first_name = None
    last_name = None

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        country = cleaned.get("country")
        if organisation and country and organisation.country_id != country.pk:
            self.add_error(
                "organisation", _("This organisation is not in the chosen country.")
            )
        return cleaned


class PlatformUserCreationForm(_ProfileAdminFields, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["email", "is_superuser", "groups", *PROFILE_ADMIN_FIELDS]
        widgets = {
            "groups": forms.CheckboxSelectMultiple,
            "coordinated_countries": forms.CheckboxSelectMultiple,
        }


class PlatformUserEditForm(_ProfileAdminFields, UserEditForm):
    class Meta(UserEditForm.Meta):
        model = User
        fields = ["email", "is_active", "is_superuser", "groups", *PROFILE_ADMIN_FIELDS]
        widgets = {
            "groups": forms.CheckboxSelectMultiple,
            "coordinated_countries": forms.CheckboxSelectMultiple,
        }
