"""Admin views of the course editor's own: copying a course into a new one,
or into another language as its translation."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.coreutils import get_content_languages
from wagtail.models import Locale

from . import services
from .models import CoursePage

NEW_COURSE = "new"


class CourseCopyForm(forms.Form):
    what = forms.ChoiceField(
        label=gettext_lazy("Make"), widget=forms.RadioSelect, initial=NEW_COURSE
    )
    title = forms.CharField(
        label=gettext_lazy("Title of the new course"), max_length=255, required=False
    )
    slug = forms.SlugField(
        label=gettext_lazy("Address (slug) of the new course"),
        max_length=255,
        required=False,
        allow_unicode=True,
        help_text=gettext_lazy("Made from the title when left empty."),
    )

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        languages = dict(get_content_languages())
        translated = set(
            course.get_translations()
            .filter(alias_of__isnull=True)
            .values_list("locale__language_code", flat=True)
        )
        self.locales = {
            str(locale.pk): locale
            for locale in Locale.objects.exclude(pk=course.locale_id)
            if locale.language_code in languages
            and locale.language_code not in translated
        }
        self.fields["what"].choices = [
            (NEW_COURSE, _("A new course (a copy to adapt)"))
        ] + [
            (
                pk,
                _("Its translation into %(language)s")
                % {"language": languages[locale.language_code]},
            )
            for pk, locale in self.locales.items()
        ]
        self.fields["title"].initial = _("%(title)s (copy)") % {"title": course.title}

    def clean(self):
        data = super().clean()
        if data.get("what") == NEW_COURSE:
            if not data.get("title"):
                self.add_error("title", _("Give the new course a title."))
            elif not data.get("slug"):
                data["slug"] = slugify(data["title"], allow_unicode=True)[:255]
                if not data["slug"]:
                    self.add_error("slug", _("Give the new course an address."))
        return data


def course_copy(request, page_id):
    course = get_object_or_404(CoursePage, pk=page_id)
    parent = course.get_parent()
    if not (
        course.permissions_for_user(request.user).can_edit()
        and parent.permissions_for_user(request.user).can_add_subpage()
    ):
        raise PermissionDenied
    form = CourseCopyForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["what"] == NEW_COURSE:
                copy = services.course_copy(
                    course=course,
                    by=request.user,
                    title=data["title"],
                    slug=data["slug"],
                )
                messages.success(
                    request,
                    _("“%(title)s” is a new draft course. Edit it, then publish it.")
                    % {"title": copy.title},
                )
            else:
                copy = services.course_translate(
                    course=course, by=request.user, locale=form.locales[data["what"]]
                )
                messages.success(
                    request,
                    _(
                        "The translation is ready to translate: open each page's "
                        "translation, or download the texts as a PO file."
                    ),
                )
        except services.CourseCopyError as error:
            form.add_error(None, error.message)
        else:
            return redirect("wagtailadmin_pages:edit", copy.pk)
    return TemplateResponse(
        request,
        "courses/admin/course_copy.html",
        {"course": course, "form": form, "page_title": _("Copy a course")},
    )


class OutlineForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Outline (CSV or XLSX)"),
        help_text=gettext_lazy(
            "One row per lesson with the columns module, lesson, minutes and "
            "text. A row without a module belongs to the module above it; a "
            "row with only a module makes an empty module."
        ),
    )


def course_outline_import(request, page_id):
    """Modules and lessons from a spreadsheet, as drafts under the course:
    all of them, or none and every row's problem listed."""
    from . import bulk, outline

    course = get_object_or_404(CoursePage, pk=page_id)
    if not course.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    form = OutlineForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = outline.read_outline(form.cleaned_data["file"])
        except bulk.BulkFileError as error:
            form.add_error("file", error.message)
        else:
            problems = [row for row in rows if row.errors]
            if not problems:
                created = outline.outline_apply(
                    course=course, rows=rows, by=request.user
                )
                messages.success(
                    request,
                    _(
                        "%(modules)s modules and %(lessons)s lessons were added as "
                        "drafts. Fill them in, then publish them."
                    )
                    % created,
                )
                return redirect("wagtailadmin_explore", course.pk)
    return TemplateResponse(
        request,
        "courses/admin/outline_import.html",
        {
            "course": course,
            "form": form,
            "problems": problems,
            "page_title": _("Import an outline"),
        },
    )


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(label=gettext_lazy("Trainer"), queryset=None)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=())

    def __init__(self, *args, course, **kwargs):
        from django.contrib.auth import get_user_model

        from training_platform.accounts import roles

        from .models import CourseRole

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=roles.TRAINERS)
            .distinct()
            .order_by("full_name", "email")
        )
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.full_name or u.email} <{u.email}>"
        )
        self.fields["role"].choices = CourseRole.choices
        self.fields["role"].initial = CourseRole.CO_EDITOR


def course_team(request, page_id):
    """Who edits the course: its owners and co-editors, shown to whoever
    may edit it, changed by administrators and its owners."""
    from django.contrib.auth import get_user_model

    from .models import CourseEditor
    from .permissions import can_edit_course, can_manage_team

    course = get_object_or_404(CoursePage, pk=page_id)
    if not can_edit_course(request.user, course):
        raise PermissionDenied
    may_manage = can_manage_team(request.user, course)
    form = TeamMemberForm(request.POST or None, course=course)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        try:
            if "remove" in request.POST:
                remove = request.POST["remove"]
                if not remove.isdigit():
                    raise Http404
                person = get_object_or_404(get_user_model(), pk=remove)
                services.course_team_remove(course=course, user=person, by=request.user)
                messages.success(
                    request,
                    _("%(name)s no longer edits this course.")
                    % {"name": person.full_name or person.email},
                )
                return redirect("courses_course_team", course.pk)
            if form.is_valid():
                person = form.cleaned_data["user"]
                services.course_team_add(
                    course=course,
                    user=person,
                    role=form.cleaned_data["role"],
                    by=request.user,
                )
                messages.success(
                    request,
                    _("%(name)s edits this course now.")
                    % {"name": person.full_name or person.email},
                )
                return redirect("courses_course_team", course.pk)
        except services.CourseTeamError as error:
            messages.error(request, str(error))
            if "remove" in request.POST:
                return redirect("courses_course_team", course.pk)
            form.add_error(None, str(error))
    team = (
        CourseEditor.objects.filter(course_key=course.translation_key)
        .select_related("user", "added_by")
        .order_by("role", "user__full_name", "user__email")
    )
    return TemplateResponse(
        request,
        "courses/admin/course_team.html",
        {
            "course": course,
            "team": team,
            "form": form if may_manage else None,
            "page_title": _("Course team"),
        },
    )


# ------------------------------------------------- wagtail-localize, guarded
# wagtail-localize lets anyone with its "submit translation" permission
# start or update (and publish) the translations of any page; for the pages
# of a course that takes the course's page permissions (its team).


def localize_views():
    from wagtail_localize.views.submit_translations import (
        SubmitPageTranslationView,
    )
    from wagtail_localize.views.update_translations import UpdateTranslationsView

    class GuardedSubmitPageTranslationView(SubmitPageTranslationView):
        def get_object(self):
            page = super().get_object()
            if not page.permissions_for_user(self.request.user).can_edit():
                raise PermissionDenied
            return page

    class GuardedUpdateTranslationsView(UpdateTranslationsView):
        def get_object(self):
            from wagtail.models import Page

            source = super().get_object()
            instance = source.get_source_instance()
            if isinstance(instance, Page):
                permissions = instance.permissions_for_user(self.request.user)
                if not permissions.can_edit():
                    raise PermissionDenied
                if self.request.POST.get("publish_translations") and not (
                    permissions.can_publish()
                ):
                    raise PermissionDenied
            return source

    return GuardedSubmitPageTranslationView, GuardedUpdateTranslationsView
