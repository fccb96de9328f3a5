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


@hooks.register("construct_homepage_panels")
def workbench_panels(request, panels):
    """Trainers (and anyone on a course's team) see their courses first."""
    from courses.permissions import course_keys_editable_by

    if roles.is_trainer(request.user) or course_keys_editable_by(request.user):
        panels[:0] = [MyCoursesPanel(request)]


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
