"""Background jobs: enqueued only after the transaction that asked for them commits.

With REDIS_URL set, jobs go to RQ (``flask rq worker`` runs them). Without it (first
run on a laptop), they run inline once the request or command is over. If Redis is
down when a job is enqueued, nothing is lost: the rows it would act on stay pending
and the periodic relay enqueues them again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from flask import current_app, g, has_app_context
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy.orm import Session

from ct.core.tenancy import bound_tenant
from ct.extensions import db, rq

log = logging.getLogger(__name__)

_PENDING_KEY = "ct_jobs_after_commit"  # in session.info: jobs waiting for the commit
_INLINE_KEY = "ct_inline_jobs"  # in g: committed jobs to run at the end, without Redis


class QueueRedis(Redis):
    """The queue's Redis client (RQ_CONNECTION_CLASS): when Redis is down, fail fast.

    A request that enqueues must not wait for Redis: its message is safe in the outbox
    and the relay enqueues it later. By default redis-py retries three times with
    back-off, and waits for the system's connect timeout on a host that does not answer.
    """

    @classmethod
    def from_url(cls, url: str, **kwargs) -> QueueRedis:
        kwargs.setdefault("socket_connect_timeout", 2)
        kwargs.setdefault("retry", Retry(NoBackoff(), 1))
        return super().from_url(url, **kwargs)


def enqueue_after_commit(func: Callable, *args, job_id: str, timeout: int | None = None) -> None:
    """Run ``func(*args)`` in the background once the current transaction commits.

    ``timeout``: seconds the worker lets the job run (RQ's default: 3 minutes)."""
    db.session.info.setdefault(_PENDING_KEY, []).append((func, args, job_id, timeout))


def release_jobs(session: Session) -> None:
    jobs = session.info.pop(_PENDING_KEY, [])
    if not jobs or not has_app_context():
        return
    if current_app.config.get("REDIS_URL"):
        for func, args, job_id, timeout in jobs:
            _enqueue(func, args, job_id, timeout)
    else:
        g.setdefault(_INLINE_KEY, []).extend(jobs)


def drop_jobs(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


def _enqueue(func: Callable, args: tuple, job_id: str, timeout: int | None = None) -> bool:
    try:
        rq.queue.enqueue(func, *args, job_id=job_id, job_timeout=timeout)
    except Exception:  # Redis down: never fail the request, the relay enqueues it later
        log.warning("could not enqueue %s; the relay will retry", job_id, exc_info=True)
        return False
    return True


def run_inline_jobs(exc: BaseException | None = None) -> None:
    """Without Redis, run the jobs released by this request or command, in order.

    Each job starts on a fresh session, as it would in a worker: whatever the request
    left in its own (an error, uncommitted changes) is not the job's business.
    """
    jobs = g.pop(_INLINE_KEY, [])
    while jobs:
        func, args, _job_id, _timeout = jobs.pop(0)
        db.session.remove()
        try:
            func(*args)
        except Exception:
            log.exception("inline job %s failed", getattr(func, "__name__", func))
        finally:
            db.session.remove()
        jobs.extend(g.pop(_INLINE_KEY, []))  # released by the job itself: after it


def enqueue(func: Callable, *args, job_id: str, timeout: int | None = None) -> bool:
    """Enqueue now (no transaction to wait for): the relay and periodic jobs use this.

    False when Redis refused it; inline (no Redis), the job runs at the end of the
    request or command.
    """
    if current_app.config.get("REDIS_URL"):
        return _enqueue(func, args, job_id, timeout)
    g.setdefault(_INLINE_KEY, []).append((func, args, job_id, timeout))
    return True


def tenant_job(func: Callable) -> Callable:
    """Job wrapper: the first argument is the tenant id, bound for the whole job;
    the transaction commits on success, rolls back on error, and the session is
    cleaned so the worker carries nothing into the next job."""

    @wraps(func)
    def wrapper(tenant_id: int, *args, **kwargs):
        with bound_tenant(tenant_id):
            try:
                result = func(tenant_id, *args, **kwargs)
                db.session.commit()
                return result
            except Exception:
                db.session.rollback()
                raise
            finally:
                db.session.remove()

    return wrapper
