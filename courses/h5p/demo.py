"""Demo H5P activities for ``seed_demo``: built in code from the platform's
own quiz library (no third-party package is shipped or seeded), and placed in
the demo course's "indicators" lesson, which the learner completes by
answering (runs after the courses demo, which builds the course)."""

import io

from wagtail.models import Locale

from training_platform.accounts import roles

from .models import H5PContent
from .package_builder import quiz_package
from .services import content_import

LESSON_SLUG = "indicators"

DEMO_ACTIVITIES = {
    "en": {
        "filename": "demo-indicators-quiz.h5p",
        "title": "Quick check: indicators",
        "question": (
            "A worker's employer keeps her passport “for safekeeping” and she "
            "owes a recruitment debt that keeps growing. What does this point to?"
        ),
        "answers": (
            ("Indicators of trafficking that call for a closer look", True),
            ("An ordinary employment arrangement", False),
        ),
        "labels": {},
    },
    "ru": {
        "filename": "demo-indicators-quiz-ru.h5p",
        "title": "Быстрая проверка: признаки",
        "question": (
            "Работодатель хранит паспорт работницы «для сохранности», а её долг "
            "за трудоустройство постоянно растёт. На что это указывает?"
        ),
        "answers": (
            ("На признаки торговли людьми, требующие внимания", True),
            ("На обычные трудовые отношения", False),
        ),
        "labels": {
            "checkLabel": "Проверить",
            "correctText": "Верно",
            "wrongText": "Не совсем",
        },
    },
}


def _activity(language, administrator):
    item = DEMO_ACTIVITIES[language]
    content = H5PContent.objects.filter(source_filename=item["filename"]).first()
    if content is None:
        package = quiz_package(
            title=item["title"],
            question=item["question"],
            answers=item["answers"],
            labels=item["labels"],
        )
        content = content_import(
            file=io.BytesIO(package), user=administrator, filename=item["filename"]
        )
    return content


def _place(lesson, content):
    """Add the activity to the lesson once and let it complete the lesson."""
    if any(child.block_type == "h5p" for child in lesson.body):
        return False
    block = lesson.body.stream_block.child_blocks["h5p"]
    value = block.to_python(
        {"content": content.pk, "title": "", "pass_threshold": 50, "grade_policy": ""}
    )
    lesson.body.append(("h5p", value))
    lesson.completion_mode = "activities"
    lesson.save_revision().publish()
    return True


def seed(context):
    administrator = context.users.get(roles.ADMINISTRATORS)
    activities = {
        language: _activity(language, administrator) for language in DEMO_ACTIVITIES
    }
    context.objects["h5p_activities"] = list(activities.values())
    course = context.objects.get("demo_course")
    placed = ""
    if course is not None:
        from courses.models import LessonPage

        lesson = (
            LessonPage.objects.descendant_of(course).filter(slug=LESSON_SLUG).first()
        )
        if lesson is not None:
            _place(lesson, activities["en"])
            russian = lesson.get_translation_or_none(
                Locale.objects.get(language_code="ru")
            )
            if russian is not None:
                _place(russian.specific, activities["ru"])
            placed = f" in the lesson “{lesson.title}”"
    context.notes.append(f"H5P: {len(activities)} demo activities{placed}.")
