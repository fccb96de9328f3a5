"""Reading a learner's answers from a POST: one field ``q<position>`` per
question (``q<position>-<item key>`` for matching), and ``slots`` naming the
questions the request carries. Everything else about an answer is checked by
``services`` against the attempt's own questions."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AttemptSlot, QuestionBank
from .services import InvalidAnswer

MAX_SLOTS_PER_REQUEST = 200
_FIELD = re.compile(r"^q(\d{1,5})(?:-(.+))?$")


def _positions(raw):
    if not raw:
        return []
    parts = raw.split(",")
    if len(parts) > MAX_SLOTS_PER_REQUEST:
        raise InvalidAnswer()
    try:
        return [int(p) for p in parts if p.strip()]
    except ValueError as error:
        raise InvalidAnswer() from error


def answers_from_post(post, attempt, slots=None) -> dict:
    """``slots`` (position -> slot with its version) spares a query."""
    positions = _positions(post.get("slots", ""))
    if slots is not None:
        kinds = {p: slots[p].version.data["kind"] for p in positions if p in slots}
    else:
        kinds = dict(
            AttemptSlot.objects.filter(
                attempt=attempt, position__in=positions
            ).values_list("position", "version__data__kind")
        )
    for key in post:
        match = _FIELD.match(key)
        if match and int(match.group(1)) not in kinds:
            raise InvalidAnswer()  # C01: a field for a question not sent/not ours
    answers = {}
    for position in positions:
        kind = kinds.get(position)
        name = f"q{position}"
        if kind is None:
            raise InvalidAnswer()
        if kind == "single":
            value = post.get(name, "")
            answers[position] = {"choice": value} if value else None
        elif kind == "multiple":
            answers[position] = {"choices": post.getlist(name)}
        elif kind == "truefalse":
            value = post.get(name, "")
            if value not in ("", "true", "false"):
                raise InvalidAnswer()
            answers[position] = {"value": value == "true"} if value else None
        elif kind in ("short", "numeric"):
            if len(post.getlist(name)) > 1:
                raise InvalidAnswer()
            key = "text" if kind == "short" else "value"
            answers[position] = {key: post.get(name, "")}
        elif kind == "matching":
            prefix = f"{name}-"
            pairs = {
                k[len(prefix) :]: post.get(k) for k in post if k.startswith(prefix)
            }
            answers[position] = {"pairs": pairs}
    return answers


class ImportForm(forms.Form):
    bank = forms.ModelChoiceField(
        label=_("Question bank"), queryset=QuestionBank.objects.all()
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("auto", _("Recognise automatically")),
            ("aiken", "Aiken"),
            ("gift", "GIFT"),
        ],
    )
    language = forms.ChoiceField(label=_("Language"))
    objective = forms.ModelChoiceField(
        label=_("Learning objective"), queryset=None, required=False
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separated by commas.")
    )
    file = forms.FileField(label=_("File"), required=False)
    text = forms.CharField(
        label=_("Or paste the questions"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        from .models import LANGUAGES, LearningObjective

        super().__init__(*args, **kwargs)
        if user is not None:
            from courses.shared_materials import changeable_by

            # Importing adds to a bank: only into banks the person may change.
            self.fields["bank"].queryset = changeable_by(user, QuestionBank)
        self.fields["language"].choices = LANGUAGES
        self.fields["objective"].queryset = LearningObjective.objects.all()

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > 1_000_000:
                raise forms.ValidationError(_("The file is too large (at most 1 MB)."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(
                    _("The file must be plain text in UTF-8.")
                ) from error
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste the questions."))
        data["tag_list"] = [
            t.strip() for t in data.get("tags", "").split(",") if t.strip()
        ]
        return data
