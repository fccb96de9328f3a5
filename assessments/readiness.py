"""The assessments' part of a course's readiness check (registered with
``courses.readiness``): every assessment has questions, and each pool it
draws from holds at least as many questions as it draws."""

from django.utils.translation import gettext as _

from courses.readiness import Problem


def assessments_have_questions(course, pages) -> list[Problem]:
    from .models import AssessmentPage

    problems = []
    for page in pages:
        if not isinstance(page, AssessmentPage):
            continue
        rules = list(page.random_rules.all())
        if not list(page.fixed_questions.all()) and not rules:
            problems.append(
                Problem(page.pk, page.title, _("The assessment has no questions."))
            )
        for rule in rules:
            available = rule.candidates().count()
            if available < rule.count:
                problems.append(
                    Problem(
                        page.pk,
                        page.title,
                        _(
                            "It draws %(count)s questions at random from a pool "
                            "of %(available)s."
                        )
                        % {"count": rule.count, "available": available},
                    )
                )
    return problems
