"""Celery delivery settings (design rule 5) and the lint rows K10 and L10."""

import ast
from pathlib import Path

from django.conf import settings

from training_platform.celery import app

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ["training_platform", "courses", "assessments", "workshops", "certificates"]


def _bounded(value, limit) -> bool:
    """A literal below ``limit``, or ``min(..., <literal below limit>)``."""
    if isinstance(value, ast.Constant) and isinstance(value.value, int | float):
        return value.value < limit
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "min"
    ):
        return any(_bounded(argument, limit) for argument in value.args)
    return False


def test_tasks_are_acknowledged_late_and_requeued_when_a_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_every_task_time_limit_is_below_the_visibility_timeout_L10():
    app.loader.import_default_modules()
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert app.conf.task_time_limit < visibility
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit
    own = [t for name, t in app.tasks.items() if not name.startswith("celery.")]
    assert own, "no project tasks registered"
    for task in own:
        limit = task.time_limit or app.conf.task_time_limit
        assert limit < visibility, task.name


def test_no_countdown_or_eta_reaches_the_visibility_timeout_K10():
    """Long delays belong in beat or the database, not in the broker."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    offenders = []
    for directory in CODE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "eta":
                        offenders.append(f"{path}:{node.lineno} uses eta=")
                    if keyword.arg == "countdown" and not _bounded(
                        keyword.value, visibility
                    ):
                        offenders.append(f"{path}:{node.lineno} countdown unbounded")
    assert offenders == []
