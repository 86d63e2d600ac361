"""What the workers know about failures that the domain cannot: Celery, the broker, processes."""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

import kombu.exceptions
import redis
from billiard.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from celery.signals import task_failure

from workers.celery_app import settings
from workers.queue import enqueue_translations
from workflow import failures
from workflow.db import Database
from workflow.errors import N_
from workflow.failures import Failure
from workflow.leases import held_by, held_job
from workflow.models import State
from workflow.services import jobs
from workflow.uow import UnitOfWork

log = logging.getLogger(__name__)


def explain(exc: BaseException) -> Failure:
    """The domain's explanation, plus time limits and the broker."""
    if isinstance(exc, SoftTimeLimitExceeded | TimeLimitExceeded):
        # Another try may help (the first one may have spent its time converting or
        # loading a model); the attempt count stops an article that is simply too long.
        return Failure(N_("The translation took longer than the time limit of %(seconds)s s "
                          "(LINGUADESK_TASK_TIME_LIMIT) and was stopped; if it keeps "
                          "happening, split the article or give the workers more time."),
                       transient=True, salvage=False,
                       values={"seconds": settings.task_time_limit})
    if isinstance(exc, redis.RedisError | kombu.exceptions.OperationalError):
        return Failure(N_("The message broker could not be reached (%(error)s)."),
                       transient=True, values={"error": f"{type(exc).__name__}: {exc}"})
    return failures.explain(exc)


def owner_gone(owner: str) -> bool:
    """Whether the lease holder ``host:pid`` is a process of this machine that has died."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


@task_failure.connect
def _stopped_by_the_hard_limit(sender: Any = None, exception: BaseException | None = None,
                               args: Any = None, **_: Any) -> None:
    # Runs in the worker's parent process when it kills a child at the hard time limit:
    # the child cannot say why it stopped, so the parent records it on the job.
    if getattr(sender, "name", "") != "linguadesk.translate" or \
            not isinstance(exception, TimeLimitExceeded) or not args:
        return
    database = Database()  # short-lived: the parent forks children and must hold no connection
    try:
        with database.session() as session:
            job = held_job(session, int(args[0]), None)
            owner = job.lease_owner if job is not None else None
            # The jobs that shared its batch were held by the same child: all stop here.
            held = held_by(session, owner) if owner else []
        if owner and owner.rpartition(":")[0] == socket.gethostname():
            for tid in dict.fromkeys([int(args[0]), *held]):
                outcome = jobs.stopped(lambda: UnitOfWork(database), tid, owner,
                                       explain(exception))
                if outcome == State.QUEUED:  # its message was acknowledged: send another
                    enqueue_translations([tid])
    except Exception:  # the reconciler still takes the job over when its lease ends
        log.exception("could not record the time limit on translation %s", args[0])
    finally:
        database.engine.dispose()
