from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_views import H5PUploadView
from .models import H5PContent, H5PLibrary


class H5PContentViewSet(SnippetViewSet):
    model = H5PContent
    icon = "pick"
    menu_label = _("Activities")
    list_display = ["title", "main_library", "uploaded_by", "created_at"]
    list_filter = ["main_library"]
    search_fields = ["title"]
    ordering = ["-created_at"]
    copy_view_enabled = False
    panels = [
        FieldPanel("title"),
        FieldPanel("pass_threshold"),
        FieldPanel("grade_policy"),
        HelpPanel(
            content=_(
                "The package itself cannot be edited here: import a new version "
                "and choose it in the lessons."
            )
        ),
    ]

    @property
    def add_view(self):
        return H5PUploadView.as_view()


class H5PLibraryViewSet(SnippetViewSet):
    model = H5PLibrary
    icon = "code"
    menu_label = _("Libraries")
    list_display = ["machine_name", "version", "title", "runnable", "updated_at"]
    list_filter = ["runnable"]
    search_fields = ["machine_name", "title"]
    ordering = ["machine_name", "major_version", "minor_version"]
    copy_view_enabled = False
    inspect_view_enabled = True
    panels = [FieldPanel("title")]


class H5PGroup(SnippetViewSetGroup):
    items = (H5PContentViewSet, H5PLibraryViewSet)
    menu_icon = "pick"
    menu_label = _("H5P activities")
    menu_name = "h5p"
    menu_order = 220


register_snippet(H5PGroup)
