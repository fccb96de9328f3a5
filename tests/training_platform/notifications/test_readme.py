"""The README lists every periodic task with its schedule (issue 14)."""

from pathlib import Path

from django.conf import settings


def test_every_periodic_task_is_listed_in_the_readme():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    missing = [
        entry["task"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if f"`{entry['task']}`" not in readme
    ]
    assert not missing, f"add these periodic tasks to the README's table: {missing}"
