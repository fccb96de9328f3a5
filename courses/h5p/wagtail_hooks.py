from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from courses.shared_materials import SharedMaterialsMixin

from .admin_views import H5PUploadView, PendingImportIndexView
from .models import H5PContent, H5PLibrary


class H5PContentViewSet(SharedMaterialsMixin, SnippetViewSet):
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
    submenu_hook = "register_h5p_menu_item"


register_snippet(H5PGroup)


class ImportersMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("h5p.add_h5pcontent")


class PendingImportViewSet(ViewSet):
    """Packages waiting for an administrator's approval of new libraries;
    listed in the H5P menu."""

    name = "h5p_pending_imports"
    url_prefix = "h5p/awaiting-approval"
    icon = "code"
    menu_label = _("Awaiting approval")
    menu_hook = "register_h5p_menu_item"
    menu_order = 3

    def get_menu_item(self, order=None):
        return ImportersMenuItem(
            self.menu_label,
            self.menu_url,
            name=self.name,
            icon_name=self.icon,
            order=self.get_menu_item_order(order),
        )

    def get_urlpatterns(self):
        view = PendingImportIndexView.as_view()
        return [
            path("", view, name="index"),
            path("<uuid:uuid>/", view, name="decide"),
        ]


@hooks.register("register_admin_viewset")
def register_pending_imports():
    return PendingImportViewSet()
