"""Python's cyclic garbage collector, held back for the length of a bulk job.

The collector runs whenever the count of new container objects passes a threshold (700 by
default), and every tenth and hundredth run it walks the older generations: every object still
alive. A bulk job keeps hundreds of thousands of objects alive at once (a chunk of tasks, their
reports and reminders) and allocates millions more, so those walks over what it holds are paid
again and again: measured on a first sweep at 100,000 tasks, a third of the sweep's CPU went to
collections that found almost nothing (its objects form no cycles; they are freed by reference
counting as each chunk goes). Inside :func:`fewer_collections` the young generation is collected
after :data:`YOUNG` new objects instead and the old ones rarely: a cycle made meanwhile is still
collected, later. The thresholds are the process's, so they are set by the first job to enter
and put back by the last one to leave (a worker may run two in threads).
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

#: New container objects between two collections of the young generation during a bulk job.
YOUNG = 50_000
#: Young collections between two of the middle generation, and middle between two full ones.
MIDDLE, OLD = 20, 100

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, ...] | None = None
_set: tuple[int, ...] | None = None


@contextmanager
def fewer_collections():
    global _depth, _saved, _set
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            young, middle, old = _saved
            # Never lower a threshold someone set higher, and keep collection switched off if it is.
            if young:
                gc.set_threshold(max(young, YOUNG), max(middle, MIDDLE), max(old, OLD))
            _set = gc.get_threshold()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                # Thresholds someone else set meanwhile are theirs to keep.
                if gc.get_threshold() == _set:
                    gc.set_threshold(*_saved)
                _saved = None
