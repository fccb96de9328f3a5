"""Demo H5P activities for ``seed_demo``: built in code from the platform's
own quiz library (no third-party package is shipped or seeded)."""

import io

from training_platform.accounts import roles

from .models import H5PContent
from .package_builder import quiz_package
from .services import content_import

DEMO_ACTIVITIES = [
    {
        "filename": "demo-consent-quiz.h5p",
        "title": "Quick check: consent and exploitation",
        "question": (
            "A person agreed to travel for a job, then had their passport taken "
            "and was forced to work without pay. Can this be trafficking in "
            "persons?"
        ),
        "answers": (
            ("Yes: consent does not matter once deception or coercion is used", True),
            ("No: the person agreed to travel", False),
        ),
    },
    {
        "filename": "demo-referral-quiz.h5p",
        "title": "Быстрая проверка: направление пострадавших",
        "question": (
            "Кого в первую очередь нужно уведомить, выявив возможную жертву "
            "торговли людьми?"
        ),
        "answers": (
            ("Национальный механизм перенаправления", True),
            ("Работодателя пострадавшего", False),
        ),
    },
]


def seed(context):
    administrator = context.users.get(roles.ADMINISTRATORS)
    activities = []
    for item in DEMO_ACTIVITIES:
        content = H5PContent.objects.filter(source_filename=item["filename"]).first()
        if content is None:
            package = quiz_package(
                title=item["title"], question=item["question"], answers=item["answers"]
            )
            content = content_import(
                file=io.BytesIO(package),
                user=administrator,
                filename=item["filename"],
            )
        activities.append(content)
    context.objects["h5p_activities"] = activities
    context.notes.append(
        f"H5P: {len(activities)} demo activities (admin menu > H5P activities)."
    )
