"""Surveys: not graded, separate from assessments. A survey (a snippet,
translated like other content) holds questions; a course names an
end-of-course feedback survey and a follow-up survey (``CourseSurveys``).
Answers are kept with the learner's country, organisation type and sex as they
were when answering, so reports aggregate them without reading the learner's
profile; the learner's link is dropped when the account is deleted."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, TranslatableMixin

RATING_POINTS = 5
MAX_CHOICES = 20


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating scale (1–5)")
    SINGLE = "single", pgettext_lazy("survey question", "Single choice")
    MULTIPLE = "multiple", pgettext_lazy("survey question", "Multiple choice")
    YES_NO = "yes_no", _("Yes or no")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Free text")


class SurveyKind(models.TextChoices):
    FEEDBACK = "feedback", _("End-of-course feedback")
    FOLLOW_UP = "follow_up", _("Follow-up")


class Survey(TranslatableMixin, ClusterableModel):
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_(
            "A few sentences above the questions: why you ask, how long it takes."
        ),
    )
    named = models.BooleanField(
        _("answers are named"),
        default=False,
        help_text=_(
            "Trainers and coordinators see who gave each free-text answer. "
            "Leave off for anonymous answers (the usual choice)."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    panels = [
        FieldPanel("title"),
        FieldPanel("intro"),
        FieldPanel("named"),
        InlinePanel("questions", label=_("Questions"), min_num=1),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["title"]

    def __str__(self):
        return self.title


class SurveyQuestion(TranslatableMixin, Orderable):
    """One question. Its ``translation_key`` is the same in every language, and
    choices are kept by position, so answers in all languages add up."""

    survey = ParentalKey(Survey, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=QuestionKind.choices,
        default=QuestionKind.RATING,
    )
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    choices = models.TextField(
        _("choices"),
        blank=True,
        help_text=_(
            "One per line. For single and multiple choice: the options. For a "
            "rating scale: optional labels of 1 to 5 (five lines)."
        ),
    )
    minimum = models.IntegerField(_("smallest number"), null=True, blank=True)
    maximum = models.IntegerField(_("largest number"), null=True, blank=True)
    indicator = models.CharField(
        _("impact indicator"),
        max_length=16,
        blank=True,
        choices=[
            ("satisfaction", _("Satisfaction (level 1)")),
            ("use", _("Use on the job (level 3)")),
        ],
        help_text=_(
            "Marks the rating or yes/no question that the impact report shows "
            "side by side with the knowledge gain."
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
        FieldPanel("text"),
        FieldPanel("help_text"),
        FieldPanel("choices"),
        FieldRowPanel([FieldPanel("minimum"), FieldPanel("maximum")]),
        FieldPanel("indicator"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        options = self.choice_list
        if self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if len(options) < 2:
                raise ValidationError(
                    {"choices": _("Give at least two choices, one per line.")}
                )
            if len(options) > MAX_CHOICES:
                raise ValidationError(
                    {
                        "choices": _("Give at most %(max)s choices.")
                        % {"max": MAX_CHOICES}
                    }
                )
        if (
            self.kind == QuestionKind.RATING
            and options
            and len(options) != RATING_POINTS
        ):
            raise ValidationError(
                {"choices": _("Give five labels, one per line, or none.")}
            )
        if (
            self.minimum is not None
            and self.maximum is not None
            and self.minimum > self.maximum
        ):
            raise ValidationError(
                {"maximum": _("The largest number must not be below the smallest.")}
            )
        if self.indicator and self.kind not in (
            QuestionKind.RATING,
            QuestionKind.YES_NO,
        ):
            raise ValidationError(
                {
                    "indicator": _(
                        "Only a rating or yes/no question can be an indicator."
                    )
                }
            )


class CourseSurveys(models.Model):
    """Which surveys a course asks. Edited on the course page (a tab added by
    this app), so the course page has no survey field of its own; translations
    of a course copy it, and all of them are one course for the answers."""

    course = ParentalKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="course_surveys"
    )
    feedback_survey = models.ForeignKey(
        Survey,
        verbose_name=_("end-of-course feedback survey"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Offered when the learner completes the course."),
    )
    feedback_required = models.BooleanField(
        _("feedback required before the certificate"),
        default=False,
        help_text=_(
            "Learners answer the feedback survey before they can download their "
            "certificate. Otherwise they may skip it."
        ),
    )
    follow_up_survey = models.ForeignKey(
        Survey,
        verbose_name=_("follow-up survey"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Sent by e-mail some time after completion."),
    )
    follow_up_days = models.PositiveSmallIntegerField(
        _("send the follow-up after (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    follow_up_reminder_days = models.PositiveSmallIntegerField(
        _("remind after (days)"),
        default=14,
        validators=[MaxValueValidator(60)],
        help_text=_("One reminder this many days after the follow-up; 0 for none."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("feedback_survey"), FieldPanel("feedback_required")],
            heading=_("End of the course"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("follow_up_survey"),
                FieldRowPanel(
                    [
                        FieldPanel("follow_up_days"),
                        FieldPanel("follow_up_reminder_days"),
                    ]
                ),
            ],
            heading=_("Follow-up"),
        ),
    ]

    class Meta:
        verbose_name = _("course surveys")
        verbose_name_plural = _("course surveys")

    def __str__(self):
        return str(self.course)

    def survey(self, kind):
        return (
            self.feedback_survey
            if kind == SurveyKind.FEEDBACK
            else self.follow_up_survey
        )


class SurveyResponse(models.Model):
    """One learner's answers to one survey of one course, at most once."""

    survey_key = models.UUIDField(_("survey key"), db_index=True)
    survey = models.ForeignKey(
        Survey,
        verbose_name=_("survey (as answered)"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SurveyKind.choices)
    course_key = models.UUIDField(_("course key"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    language = models.CharField(_("language"), max_length=10)
    country = models.ForeignKey(
        "accounts.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation_type = models.CharField(
        _("organisation type"), max_length=20, blank=True
    )
    sex = models.CharField(_("sex"), max_length=20, blank=True)
    completed_at = models.DateTimeField(_("course completed"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("answered"), default=timezone.now)
    # What the learner was told when answering: turning "named" on later
    # puts no name beside answers given anonymously.
    named = models.BooleanField(_("answered with the name shown"), default=False)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_key", "kind"],
                name="survey_response_once_per_learner",
            )
        ]
        indexes = [models.Index(fields=["course_key", "kind", "submitted_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.submitted_at:%Y-%m-%d}"


class SurveyAnswer(models.Model):
    """One answer: a rating, a number, yes (1) / no (0) or a chosen option
    (its position; one row per option of a multiple choice) in ``value``;
    free text in ``text``."""

    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question_key = models.UUIDField(_("question key"), db_index=True)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def __str__(self):
        return str(self.question_key)
