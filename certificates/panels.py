"""The certificate rule on the course page's editor: an inline panel added
from this app (the course page has no certificate field of its own)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel

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


def add_course_panel():
    """Add a "Certificate" tab to the course page editor. Returns whether the
    course page exists."""
    from courses.panels import add_course_tab

    return add_course_tab(panel=rule_panel(), heading=_("Certificate"))
