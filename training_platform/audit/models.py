"""The audit log: security-relevant actions, who did them, when, on which
object and from which address. Entries are only ever added: the
application neither changes nor deletes them, and they keep the actor's
e-mail address, so that they outlive the actor's account."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_REVOKED = "role_revoked", _("Role revoked")
    SUPERUSER_CHANGED = "superuser_changed", _("Superuser status changed")
    COUNTRIES_CHANGED = "countries_changed", _("Coordinated countries changed")
    COURSE_TEAM_CHANGED = "course_team_changed", _("Course team changed")
    LOGIN = "login", _("Staff sign-in")
    LOGIN_FAILED = "login_failed", _("Failed staff sign-in")
    MFA_ADDED = "mfa_added", _("Two-factor method added")
    MFA_REMOVED = "mfa_removed", _("Two-factor method removed")
    MFA_RESET = "mfa_reset", _("Recovery codes renewed")
    MFA_FAILED = "mfa_failed", _("Wrong two-factor code")
    CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
    CERTIFICATE_REISSUED = "certificate_reissued", _("Certificate reissued")
    BULK_ENROLMENT = "bulk_enrolment", _("Bulk enrolment applied")
    EXPORT_REQUESTED = "export_requested", _("Export of personal data requested")
    EXPORT_DOWNLOADED = "export_downloaded", _("Personal data downloaded")
    H5P_LIBRARY_INSTALLED = "h5p_library_installed", _("H5P library installed")
    ACCOUNT_ERASED = "account_erased", _("Account erased")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is not changed.")

    def delete(self):
        raise PermissionError("The audit log is not deleted.")

    _raw_delete = delete


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # Not a foreign key: the entry outlives the account and is never
    # touched when the account goes.
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor = models.CharField(_("who"), max_length=254, blank=True)
    action = models.CharField(
        _("what"), max_length=40, choices=AuditAction.choices, db_index=True
    )
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=255, blank=True)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["actor_id", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or '-'}: {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is not changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is not deleted.")
