"""Set when the worker is asked to stop, so open streams end at once
instead of holding the graceful shutdown for its whole timeout."""

import threading

SHUTDOWN = threading.Event()


# Notified when an event is committed, by this process (emit's on_commit)
# or by another one (wake.py's listener), so streams send it at once.
NEW_EVENT = threading.Condition()
# Counts announcements: a stream notes it before reading the log and sleeps
# only if it has not moved since, so an event committed between its read
# and its wait is never slept through.
_announced = 0


def announcements():
    with NEW_EVENT:
        return _announced


def wait_for_event(seen, timeout):
    """Sleeps until an event is announced after `seen`, or timeout passes."""
    with NEW_EVENT:
        NEW_EVENT.wait_for(lambda: _announced != seen, timeout)


def announce_event():
    global _announced
    with NEW_EVENT:
        _announced += 1
        NEW_EVENT.notify_all()


def stop_streams():
    """SHUTDOWN, and every waiting stream woken to see it. Called from a
    signal handler, so the lock is taken on another thread."""
    SHUTDOWN.set()
    threading.Thread(target=announce_event, daemon=True).start()
