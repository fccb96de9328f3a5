import logging
import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training_platform.settings")

logger = logging.getLogger(__name__)

app = Celery("training_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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
