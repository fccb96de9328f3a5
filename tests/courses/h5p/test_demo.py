import pytest
from django.core.management import call_command

from courses.h5p.models import H5PContent, H5PLibrary

pytestmark = pytest.mark.django_db


def test_seed_demo_imports_the_platforms_own_activities_once(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assert H5PContent.objects.count() == 2
    # Only the platform's own library: nothing from the test corpus is seeded.
    assert list(H5PLibrary.objects.values_list("machine_name", flat=True)) == [
        "H5P.PlatformQuiz"
    ]
    assert "H5P" in capsys.readouterr().out
    from courses.models import LessonPage

    lessons = LessonPage.objects.filter(slug="indicators")
    assert lessons.count() == 2  # English and Russian
    for lesson in lessons:
        assert lesson.completion_mode == "activities"
        keys = lesson.activity_keys()
        assert len(keys) == 1
        content = H5PContent.objects.get(uuid=keys[0].removeprefix("h5p:"))
        assert (lesson.locale.language_code == "ru") == content.title.startswith(
            "Быстрая"
        )
