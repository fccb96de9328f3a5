from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from training_platform.content_cache import CachedViewRestrictionsMixin


class HomePage(CachedViewRestrictionsMixin, Page):
    """The site's front page, one per language."""

    intro = models.CharField(
        _("introduction"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences under the page title."),
    )
    body = RichTextField(
        _("body"),
        blank=True,
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link"],
        help_text=_("What the platform offers and who it is for."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
