"""Question banks, versioned questions, assessment pages, attempts and grades.

Questions are edited by trainers; what a learner sees is a frozen
``QuestionVersion`` (a JSON snapshot) so that a review always shows what was
asked and what counted as correct. Attempts move through a small state machine
whose guarantees live in the database: one open attempt per learner and
assessment, unique attempt numbers, one final grade per attempt, and a
sequence number that every save must present (conditional updates in
``services.py``)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PreviewableMixin
from wagtail.search import index

from courses.models import CourseItemMixin

QUESTION_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "superscript"]

LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("sq", "Shqip"),
    ("hy", "Հայերեն"),
    ("az", "Azərbaycan"),
    ("be", "Беларуская"),
    ("bs", "Bosanski"),
    ("ka", "ქართული"),
    ("kk", "Қазақша"),
    ("ky", "Кыргызча"),
    ("mk", "Македонски"),
    ("ro", "Română"),
    ("sr", "Srpski"),
    ("tg", "Тоҷикӣ"),
    ("tr", "Türkçe"),
    ("tk", "Türkmençe"),
    ("uk", "Українська"),
    ("uz", "Oʻzbekcha"),
]


# ---------------------------------------------------------------- question bank


class QuestionBank(models.Model):
    """A pool of questions; random questions can be drawn from it."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")

    def __str__(self):
        return self.name


class LearningObjective(models.Model):
    """What a question checks; knowledge gain is also reported per objective."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name (English)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("learning objective")
        verbose_name_plural = _("learning objectives")

    def __str__(self):
        return f"{self.code}: {self.localized_name}"

    @property
    def localized_name(self):
        from django.utils import translation

        if translation.get_language() == "ru" and self.name_ru:
            return self.name_ru
        return self.name


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "truefalse", _("True or false")
    SHORT = "short", _("Short text answer")
    NUMERIC = "numeric", _("Numeric answer")
    MATCHING = "matching", _("Matching")


class MultipleScoring(models.TextChoices):
    ALL_OR_NOTHING = "all", _("All or nothing")
    PARTIAL = "partial", _("Partial credit")


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey(
        "assessments.Question", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Question(PreviewableMixin, index.Indexed, ClusterableModel):
    """The editable question. Its content is frozen into a ``QuestionVersion``
    whenever it changes after having been used in an attempt."""

    bank = models.ForeignKey(
        QuestionBank,
        verbose_name=_("question bank"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    kind = models.CharField(
        _("type"), max_length=16, choices=QuestionKind.choices, default="single"
    )
    title = models.CharField(
        _("name"),
        max_length=255,
        help_text=_("A short name for the question bank listing; learners see it."),
    )
    text = RichTextField(_("question text"), features=QUESTION_TEXT_FEATURES)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    points = models.DecimalField(
        _("points"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    general_feedback = RichTextField(
        _("general feedback"),
        blank=True,
        features=QUESTION_TEXT_FEATURES,
        help_text=_("Shown in the review whatever the answer was."),
    )
    objective = models.ForeignKey(
        LearningObjective,
        verbose_name=_("learning objective"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
    )
    tags = ClusterTaggableManager(through=QuestionTag, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=LANGUAGES, default="en"
    )
    # Choice questions
    scoring = models.CharField(
        _("scoring of multiple choice"),
        max_length=8,
        choices=MultipleScoring.choices,
        default=MultipleScoring.ALL_OR_NOTHING,
    )
    wrong_choice_penalty = models.BooleanField(
        _("penalty for wrong choices"),
        default=False,
        help_text=_(
            "With partial credit: every wrong choice ticked takes away its share, "
            "so ticking everything scores nothing."
        ),
    )
    shuffle_choices = models.BooleanField(
        _("shuffle choices"),
        default=True,
        help_text=_("Allow the assessment to shuffle the choices of this question."),
    )
    # True/false
    correct_answer = models.BooleanField(
        _("the statement is"),
        null=True,
        blank=True,
        choices=[(True, _("True")), (False, _("False"))],
    )
    feedback_true = models.TextField(_("feedback for 'true'"), blank=True)
    feedback_false = models.TextField(_("feedback for 'false'"), blank=True)
    # Short text answer
    case_sensitive = models.BooleanField(_("case sensitive"), default=False)
    trim_spaces = models.BooleanField(
        _("ignore extra spaces"),
        default=True,
        help_text=_("Spaces around the answer and repeated spaces do not count."),
    )
    ignore_diacritics = models.BooleanField(
        _("ignore diacritics"),
        default=False,
        help_text=_("For example, accept 'Petrovic' for 'Petrović'."),
    )
    current_version = models.ForeignKey(
        "assessments.QuestionVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("bank"),
                FieldPanel("kind"),
                FieldPanel("title"),
                FieldPanel("text"),
                FieldPanel("image"),
                FieldRowPanel([FieldPanel("points"), FieldPanel("language")]),
                FieldPanel("objective"),
                FieldPanel("tags"),
                FieldPanel("general_feedback"),
            ],
            heading=_("Question"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("scoring"),
                FieldPanel("wrong_choice_penalty"),
                FieldPanel("shuffle_choices"),
                InlinePanel("choices", heading=_("Choices"), label=_("Choice")),
            ],
            heading=_("Single and multiple choice"),
            classname="collapsed",
        ),
        MultiFieldPanel(
            [
                FieldPanel("correct_answer"),
                FieldPanel("feedback_true"),
                FieldPanel("feedback_false"),
            ],
            heading=_("True or false"),
            classname="collapsed",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("case_sensitive"),
                        FieldPanel("trim_spaces"),
                        FieldPanel("ignore_diacritics"),
                    ]
                ),
                InlinePanel(
                    "accepted_answers",
                    heading=_("Accepted answers"),
                    label=_("Accepted answer"),
                ),
            ],
            heading=_("Short text answer"),
            classname="collapsed",
        ),
        MultiFieldPanel(
            [
                InlinePanel(
                    "numeric_answers",
                    heading=_("Numeric answers"),
                    label=_("Numeric answer"),
                )
            ],
            heading=_("Numeric answer"),
            classname="collapsed",
        ),
        MultiFieldPanel(
            [InlinePanel("pairs", heading=_("Pairs"), label=_("Pair"))],
            heading=_("Matching"),
            classname="collapsed",
        ),
    ]

    search_fields = [
        index.SearchField("title"),
        index.SearchField("text"),
        index.AutocompleteField("title"),
        index.FilterField("bank"),
        index.FilterField("kind"),
        index.FilterField("language"),
    ]

    class Meta:
        ordering = ["bank", "title"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gt=0), name="question_points_positive"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def preview_modes(self):
        """The question as a learner sees it, with the page around it in each
        of the site's languages (the question itself has one language)."""
        return list(settings.LANGUAGES)

    @property
    def default_preview_mode(self):
        codes = [code for code, _name in settings.LANGUAGES]
        return self.language if self.language in codes else codes[0]

    def serve_preview(self, request, mode_name):
        from .views import question_preview

        return question_preview(request, self, mode_name)


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    # Stable across versions: a learner's answer names the choice by its key, so
    # a corrected question can regrade old answers.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    text = models.TextField(_("text"))
    correct = models.BooleanField(_("correct"), default=False)
    feedback = models.TextField(_("feedback for this choice"), blank=True)

    panels = [FieldPanel("text"), FieldPanel("correct"), FieldPanel("feedback")]

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")


class AcceptedAnswer(Orderable):
    question = ParentalKey(
        Question, on_delete=models.CASCADE, related_name="accepted_answers"
    )
    text = models.CharField(_("answer"), max_length=255)
    credit = models.DecimalField(
        _("credit (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("100"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    feedback = models.TextField(_("feedback"), blank=True)

    panels = [FieldPanel("text"), FieldPanel("credit"), FieldPanel("feedback")]

    class Meta(Orderable.Meta):
        verbose_name = _("accepted answer")
        verbose_name_plural = _("accepted answers")


class NumericAnswer(Orderable):
    question = ParentalKey(
        Question, on_delete=models.CASCADE, related_name="numeric_answers"
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    tolerance = models.DecimalField(
        _("tolerance (±)"),
        max_digits=20,
        decimal_places=6,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    credit = models.DecimalField(
        _("credit (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("100"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    feedback = models.TextField(_("feedback"), blank=True)

    panels = [
        FieldRowPanel(
            [FieldPanel("value"), FieldPanel("tolerance"), FieldPanel("credit")]
        ),
        FieldPanel("feedback"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("numeric answer")
        verbose_name_plural = _("numeric answers")


class MatchingPair(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="pairs")
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    prompt = models.TextField(
        _("item"),
        blank=True,
        help_text=_("Leave empty to add the answer as a distractor."),
    )
    answer = models.CharField(_("matches"), max_length=255)

    panels = [FieldPanel("prompt"), FieldPanel("answer")]

    class Meta(Orderable.Meta):
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")


class QuestionVersion(models.Model):
    """An immutable snapshot of a question as learners see and are graded on."""

    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("content"))
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["question", "-number"]
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "number"], name="question_version_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="question_version_number_positive"
            ),
        ]

    def __str__(self):
        return f"{self.question} (v{self.number})"


# ---------------------------------------------------------------- assessments


class AssessmentKind(models.TextChoices):
    PRETEST = "pretest", _("Pre-test")
    QUIZ = "quiz", _("Quiz")
    POSTTEST = "posttest", _("Post-test")
    FINAL = "final", _("Final exam")


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest grade")
    LAST = "last", _("Last attempt")
    FIRST = "first", _("First attempt")
    AVERAGE = "average", _("Average of attempts")


class ReviewWhen(models.TextChoices):
    AFTER_ATTEMPT = "attempt", _("Right after each attempt")
    AFTER_LAST = "last", _("After the last attempt")
    AFTER_CLOSE = "close", _("After the assessment closes")
    NEVER = "never", _("Never")


class Navigation(models.TextChoices):
    FREE = "free", _("Free: any page, in any order")
    SEQUENTIAL = "sequential", _("Sequential: no going back or jumping ahead")


class OverdueHandling(models.TextChoices):
    SUBMIT = "submit", _("Submit the answers saved so far")
    ABANDON = "abandon", _("Abandon the attempt (not graded)")


class AssessmentPage(CourseItemMixin, Page):
    """A pre-test, quiz, post-test or final exam inside a course module."""

    kind = models.CharField(
        _("kind"), max_length=10, choices=AssessmentKind.choices, default="quiz"
    )
    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "ol", "ul", "link"],
    )
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
        help_text=_("Leave empty for no time limit."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=1, help_text=_("0 means unlimited.")
    )
    pass_mark = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    grading_method = models.CharField(
        _("grade across attempts"),
        max_length=10,
        choices=GradingMethod.choices,
        default=GradingMethod.HIGHEST,
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    questions_per_page = models.PositiveSmallIntegerField(
        _("questions per page"), default=0, help_text=_("0 puts all on one page.")
    )
    navigation = models.CharField(
        _("navigation"),
        max_length=10,
        choices=Navigation.choices,
        default=Navigation.FREE,
    )
    overdue_handling = models.CharField(
        _("when time runs out"),
        max_length=10,
        choices=OverdueHandling.choices,
        default=OverdueHandling.SUBMIT,
    )
    review_score = models.CharField(
        _("show the score"),
        max_length=8,
        choices=ReviewWhen.choices,
        default=ReviewWhen.AFTER_ATTEMPT,
    )
    review_answers = models.CharField(
        _("show the correct answers"),
        max_length=8,
        choices=ReviewWhen.choices,
        default=ReviewWhen.AFTER_LAST,
    )
    review_feedback = models.CharField(
        _("show the feedback"),
        max_length=8,
        choices=ReviewWhen.choices,
        default=ReviewWhen.AFTER_ATTEMPT,
        help_text=_(
            "Feedback often gives the answer away, so it is shown only when the "
            "correct answers may be shown too."
        ),
    )
    gate_course_content = models.BooleanField(
        _("pre-test opens the course"),
        default=True,
        help_text=_(
            "Pre-tests only: learners take it before the rest of the course opens."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        InlinePanel("fixed_questions", heading=_("Questions"), label=_("Question")),
        InlinePanel(
            "random_rules",
            heading=_("Random questions"),
            label=_("Random questions"),
        ),
    ]
    settings_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("time_limit_minutes"),
                        FieldPanel("max_attempts"),
                        FieldPanel("pass_mark"),
                    ]
                ),
                FieldPanel("grading_method"),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("overdue_handling"),
                FieldPanel("required_for_completion"),
                FieldPanel("gate_course_content"),
            ],
            heading=_("Rules"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]
                ),
                FieldRowPanel(
                    [FieldPanel("questions_per_page"), FieldPanel("navigation")]
                ),
            ],
            heading=_("Layout"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("review_score"),
                FieldPanel("review_answers"),
                FieldPanel("review_feedback"),
            ],
            heading=_("Review"),
        ),
        *Page.settings_panels,
    ]

    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []
    template = "assessments/assessment_page.html"

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0) & Q(pass_mark__lte=100),
                name="assessment_pass_mark_percent",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="assessment_window_ordered",
            ),
        ]

    def completion_requires_pass(self) -> bool:
        return self.kind != AssessmentKind.PRETEST

    @property
    def assessment_key(self):
        return self.translation_key

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.kind == AssessmentKind.PRETEST:
            # A pre-test measures what people knew; it never decides a pass.
            self.required_for_completion = False
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("The assessment must close after it opens.")}
            )

    @property
    def preview_modes(self):
        return [
            ("", _("Assessment page")),
            ("learner", _("As a learner takes it")),
        ]

    def serve_preview(self, request, mode_name):
        if mode_name == "learner":
            from .views import assessment_preview

            return assessment_preview(request, self)
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.assessment_overview(page=self, user=request.user))
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # Attempt lists and knowledge gain are personal: never cached.
        response["Cache-Control"] = "private, no-store"
        return response


class AssessmentQuestion(Orderable):
    page = ParentalKey(
        AssessmentPage, on_delete=models.CASCADE, related_name="fixed_questions"
    )
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    points = models.DecimalField(
        _("points"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Leave empty to use the question's points."),
    )

    panels = [FieldPanel("question"), FieldPanel("points")]

    class Meta(Orderable.Meta):
        verbose_name = _("question")


class RandomQuestionRule(Orderable):
    """Draw ``count`` questions at random from a bank, a tag and/or an
    objective (every filter given must match)."""

    page = ParentalKey(
        AssessmentPage, on_delete=models.CASCADE, related_name="random_rules"
    )
    bank = models.ForeignKey(
        QuestionBank,
        verbose_name=_("question bank"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tag = models.CharField(_("tag"), max_length=100, blank=True)
    objective = models.ForeignKey(
        LearningObjective,
        verbose_name=_("learning objective"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=LANGUAGES, blank=True
    )
    count = models.PositiveSmallIntegerField(
        _("number of questions"), default=1, validators=[MinValueValidator(1)]
    )
    points = models.DecimalField(
        _("points each"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    panels = [
        FieldRowPanel([FieldPanel("bank"), FieldPanel("tag")]),
        FieldRowPanel([FieldPanel("objective"), FieldPanel("language")]),
        FieldRowPanel([FieldPanel("count"), FieldPanel("points")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("random questions")

    def candidates(self):
        questions = Question.objects.all()
        if self.bank_id:
            questions = questions.filter(bank_id=self.bank_id)
        if self.tag:
            questions = questions.filter(tags__name__iexact=self.tag.strip())
        if self.objective_id:
            questions = questions.filter(objective_id=self.objective_id)
        if self.language:
            questions = questions.filter(language=self.language)
        return questions.distinct()


# ---------------------------------------------------------------- attempts


class AttemptState(models.TextChoices):
    IN_PROGRESS = "inprogress", _("In progress")
    OVERDUE = "overdue", _("Overdue")
    FINISHED = "finished", _("Finished")
    ABANDONED = "abandoned", _("Abandoned")


OPEN_STATES = (AttemptState.IN_PROGRESS, AttemptState.OVERDUE)
CLOSED_STATES = (AttemptState.FINISHED, AttemptState.ABANDONED)


class Attempt(models.Model):
    # Records of learners, not content: kept out of Wagtail's reference index
    # (one write fewer per attempt; pages they point to are PROTECTed).
    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="assessment_attempts",
    )
    page = models.ForeignKey(
        AssessmentPage,
        verbose_name=_("assessment"),
        on_delete=models.PROTECT,
        related_name="attempts",
    )
    # Translations of an assessment are one assessment: limits, grades and
    # knowledge gain are keyed by the page's translation key.
    assessment_key = models.UUIDField(_("assessment key"), db_index=True)
    course_key = models.UUIDField(_("course key"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=AssessmentKind.choices)
    number = models.PositiveIntegerField(_("attempt"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=AttemptState.choices,
        default=AttemptState.IN_PROGRESS,
    )
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    last_batch = models.CharField(max_length=64, blank=True)
    current_page = models.PositiveSmallIntegerField(default=0)
    page_count = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    last_saved_at = models.DateTimeField(_("last saved"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    timed_out = models.BooleanField(_("finished by the clock"), default=False)
    max_marks = models.DecimalField(
        _("maximum marks"), max_digits=9, decimal_places=3, default=0
    )
    marks = models.DecimalField(
        _("marks"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    percent = models.DecimalField(
        _("grade (%)"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [
            models.Index(fields=["state", "deadline"], name="attempt_state_deadline"),
            models.Index(
                fields=["assessment_key", "state"], name="attempt_assessment_state"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "assessment_key", "number"],
                name="attempt_unique_number",
            ),
            models.UniqueConstraint(
                fields=["user", "assessment_key"],
                condition=Q(state__in=["inprogress", "overdue"]),
                name="attempt_one_open_per_learner",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="attempt_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(
                    state__in=["inprogress", "overdue", "finished", "abandoned"]
                ),
                name="attempt_state_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state__in=["inprogress", "overdue"], finished_at__isnull=True)
                    | Q(state__in=["finished", "abandoned"], finished_at__isnull=False)
                ),
                name="attempt_finished_at_matches_state",
            ),
            models.CheckConstraint(
                condition=~Q(state="finished")
                | Q(percent__isnull=False, marks__isnull=False),
                name="attempt_finished_has_grade",
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True)
                | (Q(percent__gte=0) & Q(percent__lte=100)),
                name="attempt_percent_range",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.page} · #{self.number}"

    @property
    def is_open(self):
        return self.state in OPEN_STATES


class AttemptSlot(models.Model):
    """One question of an attempt: the version shown, the order of its choices,
    the learner's latest saved answer and its grade."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField()
    page_number = models.PositiveSmallIntegerField(default=0)
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="slots"
    )
    version = models.ForeignKey(
        QuestionVersion, on_delete=models.PROTECT, related_name="slots"
    )
    graded_version = models.ForeignKey(
        QuestionVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="graded_slots",
    )
    max_marks = models.DecimalField(max_digits=7, decimal_places=3)
    order = models.JSONField(default=list, blank=True)
    response = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    fraction = models.DecimalField(
        max_digits=8, decimal_places=7, null=True, blank=True
    )
    marks = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    outcome = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("question in an attempt")
        verbose_name_plural = _("questions in attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="slot_unique_position"
            ),
            models.UniqueConstraint(
                fields=["attempt", "question"], name="slot_unique_question"
            ),
            models.CheckConstraint(
                condition=Q(fraction__isnull=True)
                | (Q(fraction__gte=0) & Q(fraction__lte=1)),
                name="slot_fraction_range",
            ),
        ]

    def __str__(self):
        return f"{self.attempt_id} · {self.position}"


class GradeReason(models.TextChoices):
    FINISH = "finish", _("Attempt finished")
    REGRADE = "regrade", _("Regraded")


class AttemptGrade(models.Model):
    """The history of an attempt's grade: the grade at finish, then one row per
    regrade. Exactly one finish grade per attempt."""

    wagtail_reference_index_ignore = True

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="grades"
    )
    reason = models.CharField(max_length=10, choices=GradeReason.choices)
    marks = models.DecimalField(max_digits=9, decimal_places=3)
    max_marks = models.DecimalField(max_digits=9, decimal_places=3)
    percent = models.DecimalField(max_digits=7, decimal_places=3)
    passed = models.BooleanField(null=True)
    details = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["attempt", "created_at", "pk"]
        verbose_name = _("grade")
        verbose_name_plural = _("grade history")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt"],
                condition=Q(reason="finish"),
                name="attempt_one_finish_grade",
            )
        ]

    def __str__(self):
        return f"{self.attempt_id} · {self.percent}%"


class AssessmentResult(models.Model):
    """A learner's grade for an assessment across attempts (by the assessment's
    grading method). Certificates, knowledge gain and reports read this."""

    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assessment_results",
    )
    assessment_key = models.UUIDField()
    course_key = models.UUIDField(null=True, blank=True, db_index=True)
    page = models.ForeignKey(
        AssessmentPage, on_delete=models.PROTECT, related_name="results"
    )
    kind = models.CharField(max_length=10, choices=AssessmentKind.choices)
    percent = models.DecimalField(max_digits=7, decimal_places=3)
    passed = models.BooleanField(null=True)
    attempts_finished = models.PositiveIntegerField(default=0)
    counted_attempt = models.ForeignKey(
        Attempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        indexes = [
            models.Index(fields=["course_key", "kind"], name="result_course_kind")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "assessment_key"], name="result_one_per_learner"
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100),
                name="result_percent_range",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.percent}%"


class PaperResult(models.Model):
    """A pre- or post-test score collected on paper in a workshop's room and
    entered by a trainer or coordinator. It counts in the knowledge gain like
    the online tests' results (``selectors.pre_post_means``).
    ``session_key`` is the translation key of the session it was taken at."""

    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="paper_results",
    )
    course_key = models.UUIDField(db_index=True)
    session_key = models.UUIDField()
    kind = models.CharField(
        _("test"),
        max_length=10,
        choices=[
            (AssessmentKind.PRETEST, AssessmentKind.PRETEST.label),
            (AssessmentKind.POSTTEST, AssessmentKind.POSTTEST.label),
        ],
    )
    percent = models.DecimalField(
        _("score (%)"),
        max_digits=7,
        decimal_places=3,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("paper test score")
        verbose_name_plural = _("paper test scores")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "session_key", "kind"],
                name="paper_result_one_per_test",
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100),
                name="paper_result_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["pretest", "posttest"]),
                name="paper_result_pre_or_post",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.kind} · {self.percent}%"
