from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from training_platform.views import no_access

from . import documents
from .models import Project


class ProjectViewSet(SnippetViewSet):
    model = Project
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Projects")
    menu_order = 205
    add_to_admin_menu = True
    list_display = ["code", "name", "donor", "start_date", "end_date"]
    list_filter = ["donor", "countries", "start_date"]
    search_fields = ["code", "name", "donor"]
    ordering = ["code"]
    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("donor"),
        FieldPanel("countries"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
    ]


register_snippet(ProjectViewSet)


@hooks.register("before_serve_document")
def restrict_course_documents(document, request):
    """Documents used in lessons go only to those who may open the lesson (E05)."""
    access = documents.document_access(user=request.user, document=document)
    if access.allowed:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    course = access.course
    links = [(course.url, course.title)] if course is not None and course.url else []
    return no_access(
        request,
        title=_("This document belongs to a course"),
        message=_(
            "It is part of the lessons of “%(course)s”. Enrol in the course to "
            "download it; if your enrolment is waiting for approval, try again "
            "once it is approved."
        )
        % {"course": course.title if course is not None else ""},
        links=links,
    )


@hooks.register("register_admin_urls")
def course_admin_urls():
    from django.urls import path

    from . import admin_views

    submit_view, update_view = admin_views.localize_views()
    return [
        # Before wagtail-localize's own (this app comes first): the same
        # addresses, with the page's permissions asked.
        path("localize/submit/page/<int:page_id>/", submit_view.as_view()),
        path("localize/update/<int:translation_source_id>/", update_view.as_view()),
        path(
            "courses/<int:page_id>/copy/",
            admin_views.course_copy,
            name="courses_course_copy",
        ),
        path(
            "courses/<int:page_id>/team/",
            admin_views.course_team,
            name="courses_course_team",
        ),
        path(
            "courses/<int:page_id>/outline/",
            admin_views.course_outline_import,
            name="courses_outline_import",
        ),
    ]


class CourseCopyButton(PageMenuItem):
    label = gettext_lazy("Copy the course")
    icon_name = "copy"
    url_name = "courses_course_copy"

    def is_shown(self, user):
        from .models import CoursePage

        if self.page.specific_class is not CoursePage:
            return False
        return (
            self.page.permissions_for_user(user).can_edit()
            and self.page.get_parent().permissions_for_user(user).can_add_subpage()
        )


class OutlineImportButton(PageMenuItem):
    label = gettext_lazy("Import an outline")
    icon_name = "upload"
    url_name = "courses_outline_import"

    def is_shown(self, user):
        from .models import CoursePage

        return (
            self.page.specific_class is CoursePage
            and self.page.permissions_for_user(user).can_add_subpage()
        )


class CourseTeamButton(PageMenuItem):
    label = gettext_lazy("Course team")
    icon_name = "group"
    url_name = "courses_course_team"

    def is_shown(self, user):
        from .models import CoursePage
        from .permissions import can_edit_course

        return self.page.specific_class is CoursePage and can_edit_course(
            user, self.page
        )


def _course_buttons(page):
    yield CourseTeamButton(page=page, priority=34)
    yield CourseCopyButton(page=page, priority=35)
    yield OutlineImportButton(page=page, priority=36)


@hooks.register("register_page_listing_more_buttons")
def course_listing_buttons(page, user, next_url=None):
    yield from _course_buttons(page)


@hooks.register("register_page_header_buttons")
def course_header_buttons(page, user, view_name, next_url=None):
    yield from _course_buttons(page)


@hooks.register("after_create_snippet")
def materials_remember_their_creator(request, instance):
    from .shared_materials import record_creator

    record_creator(request, instance)
