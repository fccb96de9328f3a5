"""The certificate rule on the course page's editor: an inline panel added
from this app (the course page has no certificate field of its own)."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel, ObjectList

RELATION = "certificate_rules"


def rule_panel():
    return InlinePanel(
        RELATION,
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


def _has_panel(panels):
    for panel in panels:
        if getattr(panel, "relation_name", None) == RELATION:
            return True
        if _has_panel(getattr(panel, "children", [])):
            return True
    return False


def add_course_panel():
    """Add a "Certificate" tab to the course page editor (or the panel to its
    content panels when it has no tabs). Returns whether the course page
    exists."""
    try:
        CoursePage = apps.get_model("courses", "CoursePage")
    except LookupError:
        return False
    handler = CoursePage.__dict__.get("edit_handler")
    if handler is not None:
        if not _has_panel(handler.children):
            tab = ObjectList([rule_panel()], heading=_("Certificate"))
            # Before Promote and Settings, after the course's own tabs.
            position = min(2, len(handler.children))
            handler.children.insert(position, tab)
        return True
    panels = list(getattr(CoursePage, "content_panels", []))
    if not _has_panel(panels):
        CoursePage.content_panels = [*panels, rule_panel()]
    return True
