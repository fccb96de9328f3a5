from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Country, Organisation


class CountryViewSet(SnippetViewSet):
    model = Country
    icon = "globe"
    menu_label = _("Countries")
    list_display = ["name", "name_ru", "code", "sub_region"]
    list_filter = ["sub_region"]
    search_fields = ["name", "name_ru", "code"]
    ordering = ["name"]
    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("name_ru"),
        FieldPanel("sub_region"),
    ]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "kind", "country", "verified"]
    list_filter = ["verified", "kind", "country"]
    search_fields = ["name"]
    ordering = ["country__name", "name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("country"),
        FieldPanel("verified"),
    ]


class PeopleAndPlacesGroup(SnippetViewSetGroup):
    items = (CountryViewSet, OrganisationViewSet)
    menu_icon = "globe"
    menu_label = _("Countries and organisations")
    menu_name = "countries-organisations"
    menu_order = 250


register_snippet(PeopleAndPlacesGroup)
