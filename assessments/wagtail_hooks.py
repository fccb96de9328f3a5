"""Admin wiring: question bank snippets, attempts, import, results,
statistics and regrading."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from courses.shared_materials import SharedMaterialsMixin
from training_platform.accounts.permissions import ServiceOnlyPolicy

from . import admin_views, selectors, services
from .models import (
    AssessmentPage,
    Attempt,
    LearningObjective,
    Question,
    QuestionBank,
)


class QuestionViewSet(SharedMaterialsMixin, SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = gettext_lazy("Questions")
    list_display = ["title", "kind", "bank", "objective", "language", "points"]
    list_filter = ["bank", "kind", "language", "objective"]
    search_fields = ["title", "text"]
    ordering = ["bank__name", "title"]
    edit_handler = ObjectList(
        Question.panels, base_form_class=admin_views.QuestionAdminForm
    )


class QuestionBankViewSet(SharedMaterialsMixin, SnippetViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Question banks")
    list_display = ["name", "created_at"]
    search_fields = ["name"]


class LearningObjectiveViewSet(SnippetViewSet):
    model = LearningObjective
    icon = "tick-inverse"
    menu_label = gettext_lazy("Learning objectives")
    list_display = ["code", "name", "name_ru"]
    search_fields = ["code", "name", "name_ru"]


class QuestionBankGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, QuestionBankViewSet, LearningObjectiveViewSet)
    menu_icon = "help"
    menu_label = gettext_lazy("Question bank")
    menu_name = "question-bank"
    menu_order = 210


register_snippet(QuestionBankGroup)

register_permission_policy(Attempt, ServiceOnlyPolicy(Attempt), exact_class=True)
attempt_viewset = admin_views.AttemptViewSet("assessments_attempt")


@hooks.register("register_admin_viewset")
def register_attempts():
    return attempt_viewset


@hooks.register("register_admin_urls")
def register_urls():
    urls = [
        path("import/", admin_views.import_questions, name="import"),
        path("results/", admin_views.results_index, name="results"),
        path(
            "statistics/<int:page_id>/",
            admin_views.assessment_statistics,
            name="statistics",
        ),
        path("regrade/<int:pk>/", admin_views.regrade_question, name="regrade"),
    ]
    return [path("assessments/", include((urls, "assessments_admin")))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def results_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Assessment results"),
        reverse("assessments_admin:results"),
        icon_name="table",
        order=215,
        permission="assessments.view_attempt",
        name="assessment-results",
    )


@hooks.register("register_admin_menu_item")
def attempts_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Attempts"),
        reverse("assessments_attempt:index"),
        icon_name="tasks",
        order=216,
        permission="assessments.view_attempt",
        name="assessment-attempts",
    )


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Import questions"),
        reverse("assessments_admin:import"),
        icon_name="upload",
        order=217,
        permission="assessments.add_question",
        name="import-questions",
    )


def _sync_version(request, instance):
    if not isinstance(instance, Question):
        return
    before = instance.current_version_id
    version = services.question_version_sync(question=instance, by=request.user)
    if before and version.pk != before:
        messages.info(
            request,
            _(
                "This question was already used, so version %(number)s was created. "
                "Attempts keep the version they showed. To apply the correction to "
                "them, regrade: %(url)s"
            )
            % {
                "number": version.number,
                "url": reverse("assessments_admin:regrade", args=[instance.pk]),
            },
        )


@hooks.register("after_create_snippet")
def version_after_create(request, instance):
    _sync_version(request, instance)


@hooks.register("after_edit_snippet")
def version_after_edit(request, instance):
    _sync_version(request, instance)


def _statistics_button(page, user, priority):
    if isinstance(page.specific_deferred, AssessmentPage) and user.has_perm(
        "assessments.view_attempt"
    ):
        yield Button(
            _("Statistics"),
            reverse("assessments_admin:statistics", args=[page.pk]),
            icon_name="table",
            priority=priority,
        )


@hooks.register("register_page_listing_more_buttons")
def statistics_listing_button(page, user, next_url=None):
    yield from _statistics_button(page, user, 65)


@hooks.register("register_page_header_buttons")
def statistics_header_button(page, user, view_name, next_url=None):
    yield from _statistics_button(page, user, 65)


@hooks.register("before_serve_page")
def pretest_gate(page, request, serve_args, serve_kwargs):
    """A course whose pre-test gates its content opens after the pre-test."""
    pretest = selectors.pretest_gate_for(page=page, user=request.user)
    if pretest is not None:
        messages.info(request, _("Take the pre-test first: the course opens after it."))
        return redirect(pretest.localized.url)
    return None
