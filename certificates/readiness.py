"""The certificates' part of a course's readiness check: a course that
issues certificates names a template."""

from django.utils.translation import gettext as _

from courses.readiness import Problem


def certificate_template_set(course, pages) -> list[Problem]:
    latest = course.get_latest_revision_as_object()
    rules = getattr(latest, "certificate_rules", None)
    if rules is None:
        return []
    for rule in rules.all():
        if rule.issue_certificates and not rule.template_id:
            return [
                Problem(
                    course.pk,
                    course.title,
                    _("The course issues certificates but names no template."),
                )
            ]
    return []
