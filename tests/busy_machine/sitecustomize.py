"""Loaded by a worker process the lifecycle tests start with this folder on PYTHONPATH:
the machine is busy at the worst moment of a worker's exit.

rq's worker sends UNSUBSCRIBE to Redis, then tells its listener thread to stop. On an
idle machine the worker's own thread usually gets there first; on a loaded one the
listener reads Redis's reply first and goes back to waiting (60 s). Here the worker's
thread always pauses after sending, so the listener always wins: a release of rq or
redis-py that cannot stop a listener in that state hangs every time, not now and then.
"""

import time

from redis.client import PubSub

_send_unsubscribe = PubSub.unsubscribe


def _unsubscribe_then_pause(self, *args, **kwargs):
    result = _send_unsubscribe(self, *args, **kwargs)
    time.sleep(0.3)
    return result


PubSub.unsubscribe = _unsubscribe_then_pause
