from django import forms
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    reminders = forms.BooleanField(
        label=_("Send me reminders"),
        required=False,
        help_text=_(
            "When you have not opened a course for a while, when a deadline is "
            "close and when a certificate is about to expire. Messages about your "
            "enrolments and certificates are always sent."
        ),
    )
