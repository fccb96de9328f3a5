from django import forms
from django.utils.translation import gettext_lazy as _

from training_platform.accounts.models import Country, Sex

from .models import AttendanceStatus


class AttendanceForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=AttendanceStatus.choices)


class WalkInForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.order_by("name")
    )
    organisation = forms.CharField(
        label=_("Organisation"), max_length=200, required=False
    )
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    sex = forms.ChoiceField(
        label=_("Sex"), choices=Sex.choices, initial=Sex.UNDISCLOSED
    )
