from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from celery.schedules import crontab
        from django.conf import settings

        from courses.models import ModulePage
        from courses.readiness import register_check
        from courses.shared_materials import register_shared
        from training_platform.accounts import roles
        from training_platform.accounts.permissions import grant

        from .models import Question, QuestionBank
        from .readiness import assessments_have_questions

        register_shared(Question)
        register_shared(QuestionBank)
        register_check(assessments_have_questions)

        if "assessments.AssessmentPage" not in ModulePage.subpage_types:
            ModulePage.subpage_types.append("assessments.AssessmentPage")

        models = ("questionbank", "question", "learningobjective")
        authoring = [
            f"assessments.{action}_{model}"
            for model in models
            for action in ("add", "change", "delete", "view")
        ]
        grant(roles.TRAINERS, *authoring, "assessments.view_attempt")
        grant(roles.ADMINISTRATORS, *authoring, "assessments.view_attempt")
        grant(roles.COORDINATORS, "assessments.view_attempt")

        # Attempts whose time ran out while nobody was looking are finished
        # by the server's clock.
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "assessments-finalize-overdue-attempts",
            {
                "task": "assessments.tasks.finalize_overdue_attempts",
                "schedule": crontab(minute="*"),
            },
        )
        from .notifications import register_events

        register_events()
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "assessments-remind-deadlines",
            {
                "task": "assessments.tasks.remind_assessment_deadlines",
                "schedule": crontab(minute=5),
            },
        )
