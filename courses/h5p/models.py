"""H5P libraries, imported content, xAPI statements, activity results and
resume state.

Files live in the configured storage (``conf.H5P_STORAGE``): a library's files
under its own ``storage_prefix`` (shared by every content that uses it), a
content's files under the content's ``storage_prefix``. Rows point at files, so
a row only exists once its files are in place (publish = commit the row).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GradePolicy(models.TextChoices):
    BEST = "best", _("Best attempt")
    LAST = "last", _("Last attempt")


class H5PLibrary(models.Model):
    """One installed library version. Only one patch version of a
    ``machine_name major.minor`` is installed at a time: content asks for
    major.minor, and H5P patch releases are compatible by convention."""

    machine_name = models.CharField(_("machine name"), max_length=255)
    major_version = models.PositiveIntegerField(_("major version"))
    minor_version = models.PositiveIntegerField(_("minor version"))
    patch_version = models.PositiveIntegerField(_("patch version"))
    title = models.CharField(_("title"), max_length=255)
    runnable = models.BooleanField(_("runnable"), default=False)
    metadata = models.JSONField(_("library.json"))
    storage_prefix = models.CharField(max_length=500, unique=True)
    manifest = models.JSONField(default=list, editable=False)
    file_count = models.PositiveIntegerField(default=0)
    total_bytes = models.PositiveBigIntegerField(default=0)
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    installed_at = models.DateTimeField(_("installed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("H5P library")
        verbose_name_plural = _("H5P libraries")
        ordering = ["machine_name", "major_version", "minor_version"]
        permissions = [
            ("install_h5plibrary", _("Can install or upgrade H5P libraries"))
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["machine_name", "major_version", "minor_version"],
                name="h5p_library_one_per_major_minor",
            )
        ]

    def __str__(self):
        return f"{self.machine_name} {self.version}"

    @property
    def version(self):
        return f"{self.major_version}.{self.minor_version}.{self.patch_version}"

    @property
    def folder_name(self):
        return f"{self.machine_name}-{self.major_version}.{self.minor_version}"


class H5PContent(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    main_library = models.ForeignKey(
        H5PLibrary,
        on_delete=models.PROTECT,
        related_name="main_contents",
        verbose_name=_("main library"),
    )
    libraries = models.ManyToManyField(
        H5PLibrary,
        related_name="contents",
        verbose_name=_("libraries"),
        help_text=_("Every library the content needs to play (its preloaded closure)."),
    )
    h5p_json = models.JSONField()
    storage_prefix = models.CharField(max_length=500, unique=True)
    manifest = models.JSONField(default=list, editable=False)
    file_count = models.PositiveIntegerField(default=0)
    total_bytes = models.PositiveBigIntegerField(default=0)
    source_filename = models.CharField(_("file name"), max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    import_notes = models.JSONField(default=list, blank=True)
    pass_threshold = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=50,
        help_text=_("Score in percent a learner needs to pass this activity."),
    )
    grade_policy = models.CharField(
        _("grade kept"),
        max_length=8,
        choices=GradePolicy.choices,
        default=GradePolicy.BEST,
    )
    # The maximum score the package's own parameters give, read at import
    # (``scoring``); statements that claim another maximum are refused. Empty
    # when the content type does not say: then no learner's statement may
    # set it for the others (B02).
    known_max_score = models.FloatField(null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("H5P activity")
        verbose_name_plural = _("H5P activities")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def activity_key(self):
        return f"h5p:{self.uuid}"


class H5PStatement(models.Model):
    """An xAPI statement as the browser reported it, stored once by its id."""

    statement_id = models.UUIDField(unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    content = models.ForeignKey(
        H5PContent, on_delete=models.CASCADE, related_name="statements"
    )
    context_key = models.CharField(max_length=64, blank=True)
    activity_key = models.CharField(max_length=128)
    verb = models.CharField(max_length=255)
    top_level = models.BooleanField()
    body = models.JSONField()
    body_sha256 = models.CharField(max_length=64)
    client_timestamp = models.DateTimeField(null=True, blank=True)
    stored_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        ordering = ["stored_at", "pk"]
        indexes = [models.Index(fields=["user", "content"])]

    def __str__(self):
        return f"{self.statement_id} {self.verb}"


class H5PResult(models.Model):
    """A learner's result for one H5P activity in one lesson (all its
    translations share ``context_key``); reported by the browser."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    content = models.ForeignKey(
        H5PContent, on_delete=models.CASCADE, related_name="results"
    )
    context_key = models.CharField(max_length=64, blank=True)
    lesson = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    activity_key = models.CharField(max_length=128)
    completed = models.BooleanField(default=False)
    score_raw = models.FloatField(null=True, blank=True)
    score_max = models.FloatField(null=True, blank=True)
    score_scaled = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True
    )
    passed = models.BooleanField(null=True, blank=True)
    pass_threshold = models.PositiveSmallIntegerField(default=50)
    grade_policy = models.CharField(
        max_length=8, choices=GradePolicy.choices, default=GradePolicy.BEST
    )
    attempt_count = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=16, default="client")
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("H5P result")
        verbose_name_plural = _("H5P results")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "context_key", "activity_key"],
                name="h5p_result_one_per_activity",
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.activity_key}"


class H5PAttempt(models.Model):
    """History: one row per top-level result statement."""

    result = models.ForeignKey(
        H5PResult, on_delete=models.CASCADE, related_name="attempts"
    )
    statement = models.OneToOneField(
        H5PStatement, on_delete=models.CASCADE, related_name="attempt"
    )
    verb = models.CharField(max_length=255)
    completed = models.BooleanField(default=False)
    score_raw = models.FloatField(null=True, blank=True)
    score_max = models.FloatField(null=True, blank=True)
    score_scaled = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, blank=True
    )
    success = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.result_id} {self.verb}"


class H5PUserState(models.Model):
    """H5P "content user data": what a learner had done, to resume."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    content = models.ForeignKey(
        H5PContent, on_delete=models.CASCADE, related_name="user_states"
    )
    data_type = models.CharField(max_length=64, default="state")
    sub_content_id = models.CharField(max_length=64, default="0")
    data = models.TextField()
    size = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content", "data_type", "sub_content_id"],
                name="h5p_user_state_unique",
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.content_id} {self.data_type}"


class PendingImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an administrator")
    IMPORTED = "imported", _("Libraries approved and imported")
    REFUSED = "refused", _("Refused")


class H5PPendingImport(models.Model):
    """A trainer's package that needs libraries nobody has installed yet. The
    file is kept (never served) until an administrator approves the
    libraries, which installs them and imports the package for the trainer,
    or refuses them with a reason."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255, blank=True)
    source_filename = models.CharField(_("file name"), max_length=255, blank=True)
    storage_name = models.CharField(max_length=500, unique=True, editable=False)
    sha256 = models.CharField(max_length=64)
    missing_libraries = models.JSONField(
        _("libraries to approve"),
        default=list,
        help_text=_("Each library the package brings that is not installed yet."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PendingImportStatus.choices,
        default=PendingImportStatus.PENDING,
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    content = models.OneToOneField(
        H5PContent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pending_import",
        verbose_name=_("imported activity"),
    )

    class Meta:
        verbose_name = _("H5P package awaiting approval")
        verbose_name_plural = _("H5P packages awaiting approval")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title or self.source_filename
