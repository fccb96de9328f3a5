"""Course pages (``CourseIndexPage`` -> ``CoursePage`` -> ``ModulePage`` ->
``LessonPage``) and the records of enrolment, progress and completion.

All translations of a course are one course: enrolments, progress and
completion are keyed by the pages' ``translation_key``, never by page id."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Task
from wagtail.search import index

from training_platform.content_cache import CachedViewRestrictionsMixin

from .admin_forms import CoursePageForm
from .blocks import LessonBodyBlock
from .enrolment_keys import enrolment_key_problems
from .panels import EnrolmentCountsPanel, ReadinessPanel
from .permissions import CourseTeamPermissionsMixin

SIMPLE_RICH_TEXT = ["bold", "italic", "ol", "ul", "link"]


class Level(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class EnrolmentMode(models.TextChoices):
    OPEN = "open", _("Open: any learner can enrol")
    KEY = "key", _("With an enrolment key")
    INVITATION = "invitation", _("By invitation only")
    APPROVAL = "approval", _("Approval by a coordinator of the learner's country")


class CompletionRule(models.TextChoices):
    ALL_REQUIRED = (
        "all_required",
        _("Every required lesson completed and every required assessment passed"),
    )
    ASSESSMENTS = (
        "assessments",
        _("Every required assessment passed (lessons are optional)"),
    )


class CompletionMode(models.TextChoices):
    VIEW = "view", _("When the learner opens the lesson")
    MANUAL = "manual", _("When the learner marks it as complete")
    ACTIVITIES = "activities", _("When the learner completes its activities")


class CourseIndexPage(CachedViewRestrictionsMixin, Page):
    """The catalogue, one per language."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=SIMPLE_RICH_TEXT,
        help_text=_("A few sentences above the list of courses."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1
    template = "courses/course_index_page.html"

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogues")

    def get_context(self, request, *args, **kwargs):
        from .views import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request, self))
        return context


class CourseTopic(TaggedItemBase):
    content_object = ParentalKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="tagged_topics"
    )

    class Meta:
        verbose_name = _("course topic")
        verbose_name_plural = _("course topics")


class Project(models.Model):
    """A funded project (programme) that courses belong to. Coordinators report
    to each project's donor: figures can be filtered and broken down by project.

    A course may be paid for by several projects at once (co-funding, or a
    follow-up project reusing a course), so courses link to projects many to
    many; a project's courses are those whose page, in any language, names it."""

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_(
            "Short reference used in reports and file names, for example "
            "PRJ-WB-2026 (letters, digits, dots, dashes and underscores)."
        ),
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                _("Use letters, digits, dots, dashes and underscores only."),
            )
        ],
    )
    name = models.CharField(_("name"), max_length=255)
    donor = models.CharField(
        _("donor"),
        max_length=255,
        help_text=_(
            "The organisation that funds the project and receives its reports."
        ),
    )
    countries = models.ManyToManyField(
        "accounts.Country",
        verbose_name=_("countries"),
        blank=True,
        related_name="projects",
        help_text=_("Countries where the project trains officials."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty if open-ended.")
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="project_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        self.code = (self.code or "").strip().upper()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.code = (self.code or "").strip().upper()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The project must end on or after its start date.")}
            )


class CoursePage(
    CourseTeamPermissionsMixin, CachedViewRestrictionsMixin, RoutablePageMixin, Page
):
    summary = models.TextField(
        _("summary"),
        max_length=600,
        help_text=_(
            "Two or three sentences: what the course is about and what the learner "
            "will be able to do. Shown in the catalogue."
        ),
    )
    objectives = RichTextField(
        _("learning objectives"),
        features=SIMPLE_RICH_TEXT,
        help_text=_(
            "A list of what learners will be able to do after the course, each "
            "starting with a verb (identify, refer, explain, ...)."
        ),
    )
    audience = RichTextField(
        _("target audience"),
        blank=True,
        features=SIMPLE_RICH_TEXT,
        help_text=_("Who the course is for, for example border police or NGO staff."),
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"),
        max_digits=5,
        decimal_places=1,
        default=1,
        help_text=_("How long a learner needs, in hours (for example 2.5)."),
    )
    level = models.CharField(
        _("level"),
        max_length=20,
        choices=Level.choices,
        default=Level.INTRODUCTORY,
        help_text=_("How much previous knowledge the course expects."),
    )
    topics = ClusterTaggableManager(
        verbose_name=_("topics"),
        through=CourseTopic,
        blank=True,
        help_text=_(
            "Topics learners can filter the catalogue by, such as trafficking, "
            "referral or children. Separate with commas."
        ),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown on the catalogue card and the course page, cropped to 16:9. "
            "Give the image a description in the image library."
        ),
    )
    prerequisites = ParentalManyToManyField(
        "courses.CoursePage",
        verbose_name=_("prerequisites"),
        blank=True,
        symmetrical=False,
        related_name="required_by",
        help_text=_(
            "Courses a learner must complete before enrolling in this one "
            "(in any language)."
        ),
    )
    enrolment_mode = models.CharField(
        _("enrolment"),
        max_length=20,
        choices=EnrolmentMode.choices,
        default=EnrolmentMode.OPEN,
        help_text=_(
            "Who can enrol and how. Coordinators and administrators can always "
            "enrol learners from a spreadsheet."
        ),
    )
    enrolment_key = models.CharField(
        _("enrolment key"),
        max_length=64,
        blank=True,
        help_text=_(
            "For enrolment with a key: the word or code learners must type. "
            "Give it to your group by e-mail or in class."
        ),
    )
    enrolment_opens_at = models.DateTimeField(
        _("enrolment opens"),
        null=True,
        blank=True,
        help_text=_("Leave empty to allow enrolment from publication."),
    )
    enrolment_closes_at = models.DateTimeField(
        _("enrolment closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep enrolment open."),
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_(
            "Maximum number of learners (all languages together, pending "
            "requests included). Leave empty for no limit."
        ),
    )
    projects = ParentalManyToManyField(
        "courses.Project",
        verbose_name=_("projects"),
        blank=True,
        related_name="courses",
        help_text=_(
            "Projects that fund this course. Its learners in every language "
            "count in the reports of each project named here."
        ),
    )
    inactivity_reminder_days = models.PositiveSmallIntegerField(
        _("remind inactive learners after (days)"),
        default=14,
        help_text=_(
            "A learner who has not opened the course for this many days is "
            "reminded, at most three times. 0 turns the reminders off."
        ),
    )
    completion_rule = models.CharField(
        _("completion rule"),
        max_length=20,
        choices=CompletionRule.choices,
        default=CompletionRule.ALL_REQUIRED,
        help_text=_(
            "When the course counts as completed. A lesson or assessment counts "
            "only if it is marked as required for completion."
        ),
    )

    review_before_publishing = models.BooleanField(
        _("review by a second trainer"),
        default=False,
        help_text=_(
            "Trainers of the course submit their changes for moderation; another "
            "member of the course team approves them, and they are published "
            "then. Takes effect once the course is published with it."
        ),
    )

    content_panels = [
        *Page.content_panels,
        ReadinessPanel(heading=_("Ready to publish?")),
        EnrolmentCountsPanel(heading=_("Learners")),
        FieldPanel("summary"),
        FieldPanel("objectives"),
        FieldPanel("audience"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("estimated_hours"), FieldPanel("level")]),
                FieldPanel("topics"),
                FieldPanel("prerequisites"),
            ],
            heading=_("Catalogue"),
        ),
        FieldPanel("projects", widget=forms.CheckboxSelectMultiple),
    ]
    enrolment_panels = [
        HelpPanel(
            content=_(
                "<p>These settings are shared in meaning by all translations of "
                "the course: enrolments, places and progress count once across "
                "languages.</p>"
            )
        ),
        FieldPanel("enrolment_mode"),
        FieldPanel("enrolment_key"),
        FieldRowPanel(
            [FieldPanel("enrolment_opens_at"), FieldPanel("enrolment_closes_at")]
        ),
        FieldPanel("capacity"),
        FieldPanel("completion_rule"),
        FieldPanel("inactivity_reminder_days"),
    ]
    base_form_class = CoursePageForm
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(enrolment_panels, heading=_("Enrolment and completion")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(
                [*Page.settings_panels, FieldPanel("review_before_publishing")],
                heading=_("Settings"),
            ),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.SearchField("audience"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("level"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]
    template = "courses/course_page.html"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    @property
    def course_key(self):
        return self.translation_key

    def clean(self):
        super().clean()
        if self.enrolment_mode == EnrolmentMode.KEY and not self.enrolment_key:
            raise ValidationError(
                {"enrolment_key": _("Set the key learners must type.")}
            )
        if self.enrolment_mode == EnrolmentMode.KEY:
            problems = enrolment_key_problems(self.enrolment_key)
            if problems:
                raise ValidationError({"enrolment_key": problems})
        if (
            self.enrolment_opens_at
            and self.enrolment_closes_at
            and self.enrolment_closes_at <= self.enrolment_opens_at
        ):
            raise ValidationError(
                {"enrolment_closes_at": _("Enrolment must close after it opens.")}
            )

    def enrolment_window_state(self, now=None) -> str:
        """ "open", "not_yet" or "closed"."""
        now = now or timezone.now()
        if self.enrolment_opens_at and now < self.enrolment_opens_at:
            return "not_yet"
        if self.enrolment_closes_at and now >= self.enrolment_closes_at:
            return "closed"
        return "open"

    def get_course_items(self):
        """The pages under the course that take part in completion, in tree
        order, as their specific classes: those learners are shown, that is
        live pages whose module is live too (a live lesson in an unpublished
        module is not published for learners). StreamField bodies are loaded
        only when used."""
        item_models = course_item_models()
        if not item_models:
            return []
        unpublished_ancestor = Page.objects.filter(
            live=False,
            depth__gt=self.depth,
            depth__lt=OuterRef("depth"),
            path=Substr(OuterRef("path"), 1, Length("path")),
        )
        return list(
            Page.objects.descendant_of(self)
            .type(*item_models)
            .live()
            .filter(~Exists(unpublished_ancestor))
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def get_context(self, request, *args, **kwargs):
        from .views import course_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_context(request, self))
        return context

    @path("enrol/", name="enrol")
    def enrol_view(self, request):
        from .views import course_enrol

        return course_enrol(request, self)

    @path("withdraw/", name="withdraw")
    def withdraw_view(self, request):
        from .views import course_withdraw

        return course_withdraw(request, self)

    @path("again/", name="again")
    def again_view(self, request):
        from .views import course_new_round

        return course_new_round(request, self)


class ModulePage(CourseTeamPermissionsMixin, CachedViewRestrictionsMixin, Page):
    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=600,
        help_text=_("What this module covers, in one or two sentences."),
    )

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CoursePage"]
    # A plain list: later apps append their page types in AppConfig.ready().
    subpage_types = ["courses.LessonPage"]
    template = "courses/module_page.html"
    # Its own route only adds this rule (training_platform.routing reads it).
    draft_hides_descendants = True

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def route(self, request, path_components):
        # Wagtail serves a live page under a draft one; a module that is not
        # published hides its lessons and assessments too (get_course_items).
        if path_components and not self.live:
            raise Http404
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from .views import module_context

        context = super().get_context(request, *args, **kwargs)
        context.update(module_context(request, self))
        return context


class CourseItemMixin(CourseTeamPermissionsMixin, models.Model):
    """A page under a module that takes part in course completion."""

    required_for_completion = models.BooleanField(
        _("required for completion"),
        default=True,
        help_text=_(
            "Learners must complete this to complete the course. Untick it for "
            "optional reading."
        ),
    )

    class Meta:
        abstract = True

    def completion_requires_pass(self) -> bool:
        return False

    @property
    def item_key(self):
        return self.translation_key


def course_item_models():
    from wagtail.models import get_page_models

    return [m for m in get_page_models() if issubclass(m, CourseItemMixin)]


class LessonPage(CachedViewRestrictionsMixin, RoutablePageMixin, CourseItemMixin, Page):
    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=400,
        help_text=_("One sentence under the lesson title and in the outline."),
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        default=10,
        help_text=_("How long the lesson takes, in minutes."),
    )
    completion_mode = models.CharField(
        _("completed"),
        max_length=12,
        choices=CompletionMode.choices,
        default=CompletionMode.MANUAL,
        help_text=_(
            "Opening the lesson suits short readings; marking as complete suits "
            "longer ones; activities suits lessons built around H5P activities."
        ),
    )
    body = StreamField(
        LessonBodyBlock(),
        verbose_name=_("body"),
        blank=True,
        help_text=_(
            "The lesson: text, images, video, documents, callouts, accordions and "
            "activities. Keep paragraphs short: most learners read on a phone."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel(
            [
                FieldPanel("estimated_minutes"),
                FieldPanel("completion_mode"),
                FieldPanel("required_for_completion"),
            ]
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self):
        return self.title

    def activity_keys(self) -> list[str]:
        keys = []
        for child in self.body:
            key_for = getattr(child.block, "activity_key", None)
            if callable(key_for):
                key = key_for(child.value)
                if key:
                    keys.append(str(key))
        return keys

    def get_context(self, request, *args, **kwargs):
        from .views import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(request, self))
        return context

    def serve(self, request, *args, **kwargs):
        from .views import lesson_serve_guard

        response = lesson_serve_guard(request, self)
        if response is not None:
            return response
        return super().serve(request, *args, **kwargs)

    @path("complete/", name="complete")
    def complete_view(self, request):
        from .views import lesson_complete

        return lesson_complete(request, self)


# ------------------------------------------------------------------ records


class EnrolmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolment")
    KEY = "key", _("Enrolment key")
    BULK = "bulk", _("Bulk enrolment")
    INVITE = "invite", _("Invitation")
    APPROVAL = "approval", _("Approved request")


class EnrolmentQuerySet(models.QuerySet):
    def current(self):
        """The current round of each learner's enrolment in each course."""
        return self.filter(is_current=True)


class Enrolment(models.Model):
    """A learner's round of a course. Taking a completed course again starts a
    new round: a new row with the next ``round_number``, while the earlier
    round keeps its status, progress and completion (``is_current`` False)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    course_key = models.UUIDField(_("course key"), db_index=True)
    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
        help_text=_("The page (in the language) the learner enrolled from."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ACTIVE,
    )
    source = models.CharField(
        _("source"),
        max_length=12,
        choices=EnrolmentSource.choices,
        default=EnrolmentSource.SELF,
    )
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved, refused or withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    progress_percent = models.PositiveSmallIntegerField(
        _("progress (%)"),
        default=0,
        help_text=_("Share of required items completed, updated with progress."),
    )
    last_page = models.ForeignKey(
        Page,
        verbose_name=_("last opened"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_accessed_at = models.DateTimeField(_("last opened"), null=True, blank=True)
    notified_at = models.DateTimeField(
        _("enrolment e-mail sent"), null=True, blank=True
    )
    round_number = models.PositiveSmallIntegerField(
        _("round"),
        default=1,
        help_text=_("1 for the first time the learner takes the course, then 2, 3..."),
    )
    is_current = models.BooleanField(
        _("current round"),
        default=True,
        help_text=_("False once the learner has started the course again."),
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course_key"],
                condition=Q(is_current=True),
                name="enrolment_one_current_per_user_course",
            ),
            models.UniqueConstraint(
                fields=["user", "course_key", "round_number"],
                name="enrolment_one_per_user_course_round",
            ),
            models.CheckConstraint(
                condition=Q(round_number__gte=1),
                name="enrolment_round_number_positive",
            ),
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100),
                name="enrolment_progress_percent_range",
            ),
        ]
        indexes = [models.Index(fields=["course_key", "status"])]

    def __str__(self):
        return f"{self.user} – {self.course or self.course_key}"

    @property
    def is_open(self) -> bool:
        """The learner can work in the course."""
        return self.status in (EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED)


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class ProgressSource(models.TextChoices):
    SERVER = "server", _("Recorded by the server")
    CLIENT = "client", _("Reported by the browser")


class ItemProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="item_progress",
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="item_progress",
    )
    item_key = models.UUIDField(_("item key"))
    page = models.ForeignKey(
        Page,
        verbose_name=_("page"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProgressStatus.choices,
        default=ProgressStatus.NOT_STARTED,
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    source = models.CharField(
        _("reported by"),
        max_length=8,
        choices=ProgressSource.choices,
        default=ProgressSource.SERVER,
    )
    created_at = models.DateTimeField(_("first opened"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "item_key"], name="item_progress_one_per_item"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="item_progress_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.item_key}: {self.status}"

    @property
    def is_completed(self) -> bool:
        return self.status == ProgressStatus.COMPLETED


class ActivityProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="activity_progress",
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="activity_progress",
    )
    item_key = models.UUIDField(_("lesson key"))
    activity_key = models.CharField(_("activity key"), max_length=200)
    completed = models.BooleanField(_("completed"), default=False)
    score_scaled = models.DecimalField(
        _("score (0–1)"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    source = models.CharField(
        _("reported by"),
        max_length=8,
        choices=ProgressSource.choices,
        default=ProgressSource.CLIENT,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity progress")
        verbose_name_plural = _("activity progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "item_key", "activity_key"],
                name="activity_progress_one_per_activity",
            ),
            models.CheckConstraint(
                condition=Q(score_scaled__isnull=True)
                | Q(score_scaled__gte=0, score_scaled__lte=1),
                name="activity_progress_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.activity_key}"


class CourseCompletion(models.Model):
    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="completion",
    )
    completed_at = models.DateTimeField(_("completed"), default=timezone.now)
    final_score = models.DecimalField(
        _("final score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")

    def __str__(self):
        return str(self.enrolment)


class BulkEnrolmentStatus(models.TextChoices):
    PREVIEW = "preview", _("Waiting for confirmation")
    APPLIED = "applied", _("Applied")
    DISCARDED = "discarded", _("Discarded")


class BulkEnrolment(models.Model):
    """An uploaded spreadsheet between its preview and its application."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField(_("file"), max_length=255)
    rows = models.JSONField(_("rows"), default=list)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=BulkEnrolmentStatus.choices,
        default=BulkEnrolmentStatus.PREVIEW,
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    # What another app does with the same learners once they are enrolled,
    # by the name of its step in ``bulk.steps`` (a session's registration:
    # ``{"step": "session", "session": <page id>, "date": <date id>}``).
    extra = models.JSONField(_("then"), default=dict, blank=True)

    class Meta:
        verbose_name = _("bulk enrolment")
        verbose_name_plural = _("bulk enrolments")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename


class CourseRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    CO_EDITOR = "co_editor", _("Co-editor")


class CourseEditor(models.Model):
    """A trainer who may edit a course (in every language it has): its
    owners, who also choose the co-editors, and its co-editors. Keyed by the
    course's ``translation_key`` like everything else about a course."""

    course_key = models.UUIDField(_("course key"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="course_roles",
        verbose_name=_("trainer"),
    )
    role = models.CharField(
        _("role"), max_length=12, choices=CourseRole.choices, default=CourseRole.OWNER
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("course editor")
        verbose_name_plural = _("course editors")
        constraints = [
            models.UniqueConstraint(
                fields=["course_key", "user"], name="one_role_per_course_and_person"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


class CourseTeamReviewTask(Task):
    """ "Review by a second trainer": a member of the course's team other
    than the person who submitted the change approves it (or an
    administrator). Used by the workflow that courses with
    ``review_before_publishing`` are given (``courses.review``)."""

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = _("Review by a second trainer")
        verbose_name_plural = _("Reviews by a second trainer")

    @classmethod
    def get_description(cls):
        return _(
            "Another member of the course team (owner or co-editor) approves "
            "the change; administrators may too."
        )

    def user_can_approve(self, obj, user) -> bool:
        from .review import may_review

        return may_review(user, obj)

    def user_can_access_editor(self, obj, user):
        from .permissions import can_edit_course, course_key_of

        return can_edit_course(user, course_key_of(obj))

    def locked_for_user(self, obj, user):
        return not self.user_can_access_editor(obj, user)

    def get_actions(self, obj, user):
        if self.user_can_approve(obj, user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Approve"), False),
                ("approve", _("Approve with comment"), True),
            ]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from .review import reviewable_task_states

        return reviewable_task_states(self, user)
