"""K05: a broker that may evict keys is refused at worker start."""

import subprocess

import pytest

from training_platform.celery import UnsafeBrokerError, check_broker_eviction_policy


def test_eviction_policy_other_than_noeviction_is_refused_K05(scratch_redis):
    port, client = scratch_redis
    client.config_set("maxmemory-policy", "allkeys-lru")
    with pytest.raises(UnsafeBrokerError, match="allkeys-lru"):
        check_broker_eviction_policy(f"redis://127.0.0.1:{port}/0")


def test_noeviction_is_accepted_K05(scratch_redis):
    port, client = scratch_redis
    client.config_set("maxmemory-policy", "noeviction")
    assert check_broker_eviction_policy(f"redis://127.0.0.1:{port}/0") == "noeviction"


def test_non_redis_brokers_are_not_checked():
    assert check_broker_eviction_policy("memory://") is None


def test_worker_exits_non_zero_on_an_evicting_broker_K05(scratch_redis, tmp_path):
    """The guard must stop the worker, not just log: a worker that reports
    ready on an evicting broker loses tasks silently."""
    import os
    import sys
    from pathlib import Path

    port, client = scratch_redis
    client.config_set("maxmemory-policy", "allkeys-lru")
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="training_platform.test_settings",
        CELERY_BROKER_URL=f"redis://127.0.0.1:{port}/0",
        CELERY_TASK_ALWAYS_EAGER="0",
    )
    log = tmp_path / "worker.log"
    with open(log, "w") as stream:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "training_platform",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
        try:
            returncode = worker.wait(timeout=45)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
            pytest.fail("the worker kept running on an allkeys-lru broker")
    output = log.read_text()
    assert returncode != 0, output
    assert "allkeys-lru" in output
    assert "ready." not in output
