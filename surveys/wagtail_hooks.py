from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Survey


class SurveyViewSet(SnippetViewSet):
    model = Survey
    icon = "clipboard-list"
    menu_label = _("Surveys")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["title", "locale", "created_at"]
    search_fields = ["title"]


register_snippet(SurveyViewSet)
