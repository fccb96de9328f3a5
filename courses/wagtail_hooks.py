from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _
from wagtail import hooks

from training_platform.views import no_access

from . import documents


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
