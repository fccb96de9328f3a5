from django import forms
from django.utils.translation import gettext_lazy as _

from . import conf


class H5PUploadForm(forms.Form):
    package = forms.FileField(
        label=_("H5P file"),
        help_text=_(
            "An .h5p file exported from H5P.org, Lumi or Moodle, at most %(size)s MiB."
        )
        % {"size": conf.DEFAULTS["H5P_MAX_UPLOAD_BYTES"] // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".h5p,application/zip"}),
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=255,
        help_text=_("Leave empty to use the title stored in the package."),
    )
