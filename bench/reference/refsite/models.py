from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class RichTextPage(Page):
    """A plain page with one rich-text body: the stock Wagtail reference."""

    body = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]


class Hit(models.Model):
    """One row per request of the insert reference view."""

    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return f"hit {self.pk}"
