"""The certificate rule on the course page's editor: an inline panel added
from this app (the course page has no certificate field of its own)."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel


def rule_panel():
    return InlinePanel(
        "certificate_rules",
        heading=_("Certificate"),
        label=_("Certificate rule"),
        min_num=0,
        max_num=1,
        help_text=_(
            "The template of this course's certificates, and when they are "
            "issued: on completion, optionally only with a minimum final score; "
            "optionally valid for a number of months."
        ),
    )


def add_course_panel():
    try:
        CoursePage = apps.get_model("courses", "CoursePage")
    except LookupError:
        return False
    panels = getattr(CoursePage, "content_panels", None)
    if panels is None:
        return False
    if any(getattr(p, "relation_name", None) == "certificate_rules" for p in panels):
        return True
    CoursePage.content_panels = [*panels, rule_panel()]
    return True
