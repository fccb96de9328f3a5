"""The form a learner answers: one field per question, plain HTML controls
(radio buttons, check boxes, a number, a text area), no JavaScript."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RATING_POINTS, QuestionKind

MAX_TEXT = 4000
# What an answer's column holds (numeric(12, 2)).
LARGEST_NUMBER = 9_999_999_999


def _name(question) -> str:
    return f"q_{question.translation_key.hex}"


class SurveyForm(forms.Form):
    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[_name(question)] = self._field(question)

    @staticmethod
    def _field(question):
        common = {
            "label": question.text,
            "help_text": question.help_text,
            "required": question.required,
        }
        options = question.choice_list
        if question.kind == QuestionKind.RATING:
            labels = options if len(options) == RATING_POINTS else [""] * RATING_POINTS
            choices = [
                (str(n), f"{n} – {label}" if label else str(n))
                for n, label in zip(range(1, RATING_POINTS + 1), labels, strict=True)
            ]
            return forms.TypedChoiceField(
                choices=choices, coerce=int, widget=forms.RadioSelect, **common
            )
        if question.kind == QuestionKind.SINGLE:
            return forms.TypedChoiceField(
                choices=[(str(i), o) for i, o in enumerate(options)],
                coerce=int,
                widget=forms.RadioSelect,
                **common,
            )
        if question.kind == QuestionKind.MULTIPLE:
            return forms.TypedMultipleChoiceField(
                choices=[(str(i), o) for i, o in enumerate(options)],
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        if question.kind == QuestionKind.YES_NO:
            return forms.TypedChoiceField(
                choices=[("1", _("Yes")), ("0", _("No"))],
                coerce=int,
                widget=forms.RadioSelect,
                **common,
            )
        if question.kind == QuestionKind.NUMBER:
            return forms.IntegerField(
                min_value=question.minimum
                if question.minimum is not None
                else -LARGEST_NUMBER,
                max_value=question.maximum
                if question.maximum is not None
                else LARGEST_NUMBER,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                **common,
            )
        return forms.CharField(
            max_length=MAX_TEXT,
            widget=forms.Textarea(attrs={"rows": 4}),
            strip=True,
            **common,
        )

    def answers(self) -> list[tuple]:
        """(question_key, value, text) rows of the cleaned answers; a question
        left empty gives none."""
        rows = []
        for question in self.questions:
            value = self.cleaned_data.get(_name(question))
            if value in (None, "", []):
                continue
            key = question.translation_key
            if question.kind == QuestionKind.MULTIPLE:
                rows.extend((key, Decimal(v), "") for v in sorted(set(value)))
            elif question.kind == QuestionKind.TEXT:
                rows.append((key, None, value))
            else:
                rows.append((key, Decimal(value), ""))
        return rows
