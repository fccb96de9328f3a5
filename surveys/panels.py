from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel


def surveys_panel():
    return InlinePanel(
        "course_surveys",
        heading=_("Surveys"),
        label=_("Course surveys"),
        min_num=0,
        max_num=1,
        help_text=_(
            "The feedback survey learners answer when they complete the course, "
            "and the follow-up survey e-mailed some time later."
        ),
    )
