"""Stand-in for ``courses.models.CourseItemMixin`` until the courses app lands."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseItemMixin(models.Model):
    required_for_completion = models.BooleanField(
        _("required for completion"), default=True
    )

    class Meta:
        abstract = True

    def completion_requires_pass(self) -> bool:
        return False

    @property
    def item_key(self):
        return self.translation_key
