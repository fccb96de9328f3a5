from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Survey


class SurveyViewSet(SnippetViewSet):
    model = Survey
    icon = "clipboard-list"
    menu_label = gettext_lazy("Surveys")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["title", "locale", "created_at"]
    search_fields = ["title"]


register_snippet(SurveyViewSet)


@hooks.register("before_delete_snippet")
def keep_surveys_with_answers(request, instances):
    """A survey that has been answered stays: its answers are the record of
    what learners said (and reports read them). Say so instead of failing."""
    answered = [
        survey
        for survey in instances
        if isinstance(survey, Survey) and survey.responses.exists()
    ]
    if not answered:
        return None
    messages.error(
        request,
        _(
            "“%(title)s” has been answered, so it cannot be deleted. Remove it "
            "from its courses instead."
        )
        % {"title": answered[0].title},
    )
    return redirect(
        request.META.get("HTTP_REFERER") or "wagtailsnippets_surveys_survey:list"
    )
