import logging
import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training_platform.settings")

logger = logging.getLogger(__name__)

app = Celery("training_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# How long a request may wait for the broker when it publishes a task: a broker
# that hangs or refuses writes costs the request no more than this (K01, K02).
PUBLISH_TIMEOUT = 0.25
_PUBLISH_TRANSPORT_OPTIONS = {
    "socket_timeout": PUBLISH_TIMEOUT,
    "socket_connect_timeout": PUBLISH_TIMEOUT,
    "max_retries": 0,
    "interval_start": 0,
    "interval_step": 0,
    "interval_max": 0,
}


def publish_bounded(task, args):
    """Send ``task`` to the broker once, on a connection whose every socket
    operation is bounded by ``PUBLISH_TIMEOUT``, without retries (run inline
    when tasks are eager). A failure is raised: the caller decides what takes
    over (a reconciler, or doing the work in the request)."""
    if task.app.conf.task_always_eager:
        task.apply_async(args=args)
        return
    with task.app.connection_for_write(
        connect_timeout=PUBLISH_TIMEOUT,
        transport_options=_PUBLISH_TRANSPORT_OPTIONS,
    ) as connection:
        task.apply_async(args=args, connection=connection, retry=False)


class UnsafeBrokerError(RuntimeError):
    pass


def check_broker_eviction_policy(broker_url: str) -> str | None:
    """Refuse a Redis broker that may evict keys: an evicted key is a silently
    lost task (K05). Returns the policy, or None for non-Redis brokers."""
    if not broker_url.startswith(("redis://", "rediss://")):
        return None
    import redis

    client = redis.Redis.from_url(broker_url, socket_connect_timeout=2)
    try:
        policy = client.config_get("maxmemory-policy").get("maxmemory-policy")
    except redis.exceptions.ResponseError:
        # Managed Redis services often disable CONFIG; trust their settings.
        logger.warning("cannot read the broker's maxmemory-policy; assuming noeviction")
        return "unknown"
    finally:
        client.close()
    if policy != "noeviction":
        raise UnsafeBrokerError(
            f"The Redis broker uses maxmemory-policy={policy}; tasks could be "
            "evicted and lost. Set maxmemory-policy noeviction on the broker."
        )
    return policy


@worker_init.connect
def _refuse_unsafe_broker(sender=None, **kwargs):
    """Stop the worker before it consumes anything. Celery logs and swallows
    an ``Exception`` raised by a signal receiver and carries on, so the worker
    would report ready; ``SystemExit`` is not swallowed and ends the process
    with a non-zero status that a supervisor or orchestrator sees."""
    try:
        check_broker_eviction_policy(app.conf.broker_url or "")
    except UnsafeBrokerError as error:
        logger.critical("refusing to start the worker: %s", error)
        raise SystemExit(1) from error
