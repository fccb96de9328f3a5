import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from courses import bulk
from courses.coordinator.forms import bulk_file_field
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


class PaperUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_(
            "Columns: e-mail, pre-test, post-test. A score is a percentage "
            "(72.5) or points out of the maximum (14/20)."
        ),
    )


class ScoreError(ValueError):
    pass


_POINTS = re.compile(r"^(\d+(?:[.,]\d+)?)\s*/\s*(\d+(?:[.,]\d+)?)$")


def parse_score(text) -> Decimal | None:
    """A score as typed on paper: ``72``, ``72.5``, ``72,5``, ``72 %`` or
    points out of the maximum, ``14/20``; blank is no score. Raises
    ``ScoreError`` for anything else or outside 0 to 100 %."""
    text = str(text or "").strip().replace("%", "").strip()
    if not text:
        return None
    points = _POINTS.match(text)
    try:
        if points:
            got, out_of = (Decimal(v.replace(",", ".")) for v in points.groups())
            if out_of <= 0:
                raise ScoreError(text)
            value = got * 100 / out_of
        else:
            value = Decimal(text.replace(",", "."))
    except InvalidOperation as error:
        raise ScoreError(text) from error
    if not value.is_finite() or not 0 <= value <= 100:
        raise ScoreError(text)
    return value.quantize(Decimal("0.1"))


class BulkRegisterForm(forms.Form):
    """A coordinator's file of learners to enrol in the course and register
    for the session (the course's bulk-enrolment columns)."""

    date = forms.TypedChoiceField(label=_("Date"), coerce=int)
    file = bulk_file_field()

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.dates = [d for d in session.dates.order_by("starts_at") if not d.is_over()]
        if session.every_date_required:
            del self.fields["date"]
        else:
            self.fields["date"].choices = [(d.pk, str(d)) for d in self.dates]

    def chosen_date(self):
        wanted = self.cleaned_data.get("date")
        return next((d for d in self.dates if d.pk == wanted), None)


# ---------------------------------------------------------------- paper tests

PAPER_KINDS = (("pretest", "pre"), ("posttest", "post"))
PAPER_HEADERS = {
    "email": bulk.HEADERS["email"],
    "pre": ("pre-test", "pretest", "pre test", "pre", "входной тест", _("Pre-test")),
    "post": (
        "post-test",
        "posttest",
        "post test",
        "post",
        "итоговый тест",
        _("Post-test"),
    ),
}


def score_text(result) -> str:
    """A saved score as the grid shows it: 72.500 -> 72.5."""
    if result is None:
        return ""
    return f"{result.percent.normalize():f}"


def paper_file_values(file_rows, rows):
    """The grid's values from an uploaded sheet, and the sheet's row errors
    as (line, message). Addresses the viewer cannot see read exactly like
    unknown ones."""
    users = {row.user.email.lower(): row.user.pk for row in rows}
    values, errors, seen = {}, [], {}
    for file_row in file_rows:
        line = file_row["line"]
        email = bulk.normalise_email(file_row.get("email"))
        user_id = users.get(email)
        if user_id is None:
            errors.append(
                (line, _("This e-mail is not one of the participants listed here."))
            )
            continue
        if email in seen:
            errors.append(
                (line, _("The same e-mail as row %(line)s.") % {"line": seen[email]})
            )
            continue
        seen[email] = line
        for kind, key in PAPER_KINDS:
            text = file_row.get(key, "")
            try:
                parse_score(text)
            except ScoreError:
                errors.append((line, _("%(score)s is not a score.") % {"score": text}))
            else:
                # An empty cell leaves the grid as it is: a file never erases.
                if str(text).strip():
                    values[(user_id, kind)] = text
    return values, errors


def paper_grid_changes(data, rows):
    """Read the paper-score grid as posted: ``(scores, values, invalid,
    errors)`` where ``scores`` holds only the boxes changed since the form was
    shown (so two people entering different rows do not undo each other),
    ``values`` what was typed, ``invalid`` the wrong boxes and ``errors`` a
    message per row with one."""
    scores, values, invalid, errors = {}, {}, set(), {}
    for row in rows:
        for kind, key in PAPER_KINDS:
            text = data.get(f"{key}-{row.user.pk}")
            if text is None:
                continue  # not in the form: left as it is
            values[(row.user.pk, kind)] = text
            try:
                new = parse_score(text)
                old = parse_score(data.get(f"was-{key}-{row.user.pk}"))
            except ScoreError:
                invalid.add((row.user.pk, key))
                errors[row.user.pk] = _(
                    "Enter a score from 0 to 100 (%), or points such as 14/20."
                )
                continue
            if new != old:
                scores[(row.user.pk, kind)] = new
    return scores, values, invalid, errors
