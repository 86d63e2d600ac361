"""The Celery app: Redis as the broker, late acks, and a queue of its own for MT.

This module imports no torch or transformers, so the web process can use it to send
messages, and a prefork worker's parent never loads a model before it forks.
"""

from __future__ import annotations

from celery import Celery

from workers import logs  # noqa: F401  (connects the JSON log formatter)
from workflow.settings import load

settings = load()

celery = Celery("linguadesk", broker=settings.redis_url, include=["workers.tasks"])
celery.conf.update(
    task_acks_late=True,  # a message is removed only once its task finished
    task_reject_on_worker_lost=True,  # a killed child's message goes back to the queue
    worker_prefetch_multiplier=1,
    task_ignore_result=True,  # the database holds every outcome
    task_default_queue=settings.default_queue,
    task_routes={"linguadesk.translate": {"queue": settings.mt_queue}},
    broker_transport_options={"visibility_timeout": 3600},
    broker_connection_retry_on_startup=True,
    broker_connection_timeout=3,
    task_publish_retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
    # Both limits sit below the lease (and far below the visibility timeout), so a stuck
    # task is killed before anyone else may take its job over.
    task_soft_time_limit=settings.task_time_limit - min(30, max(settings.task_time_limit // 5, 1)),
    task_time_limit=settings.task_time_limit,
    worker_max_tasks_per_child=500,
    # A child imports torch, transformers and CTranslate2 before its first task (see
    # workers/engines/preload.py): seconds on a busy machine, far past the 4 s default.
    worker_proc_alive_timeout=120,
    beat_schedule={
        "reconcile": {"task": "linguadesk.reconcile", "schedule": float(settings.reconcile_every)},
        "remind": {"task": "linguadesk.remind", "schedule": float(settings.remind_every)},
        "poll-sources": {"task": "linguadesk.poll_sources",
                         "schedule": float(settings.sources_tick)},
    },
    beat_schedule_filename=settings.beat_schedule,
    timezone="UTC",
)
