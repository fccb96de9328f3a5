from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from training_platform.accounts import roles


class ImpactMenuItem(MenuItem):
    def is_shown(self, request):
        return roles.is_trainer(request.user) or roles.is_administrator(request.user)


@hooks.register("register_admin_menu_item")
def impact_menu_item():
    return ImpactMenuItem(
        gettext_lazy("Impact of the training"),
        reverse("reports:impact"),
        icon_name="doc-full",
        order=265,
        name="impact",
    )


class MyCoursesPanel(Component):
    name = "my_courses"
    order = 40
    template_name = "reports/workbench/my_courses.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        from .workbench import my_courses

        return {"rows": my_courses(self.request.user), "request": self.request}


class NeedsAttentionPanel(MyCoursesPanel):
    name = "needs_attention"
    order = 41
    template_name = "reports/workbench/needs_attention.html"

    def get_context_data(self, parent_context):
        from .workbench import needs_attention

        return {"attention": needs_attention(self.request.user)}


class RecentResultsPanel(MyCoursesPanel):
    name = "recent_results"
    order = 42
    template_name = "reports/workbench/recent_results.html"

    def get_context_data(self, parent_context):
        from .workbench import recent_results

        return {"results": recent_results(self.request.user)}


@hooks.register("construct_homepage_panels")
def workbench_panels(request, panels):
    """Trainers (and anyone on a course's team) see their courses first,
    then what needs their attention and the latest results."""
    from courses.permissions import course_keys_editable_by

    if roles.is_trainer(request.user) or course_keys_editable_by(request.user):
        panels[:0] = [
            MyCoursesPanel(request),
            NeedsAttentionPanel(request),
            RecentResultsPanel(request),
        ]


@hooks.register("register_admin_urls")
def workbench_urls():
    from django.urls import include, path

    from . import workbench_views

    urls = [
        path(
            "course/<int:page_id>/",
            workbench_views.course_results,
            name="course_results",
        ),
    ]
    return [path("results/", include((urls, "reports_admin")))]
