"""Set when the worker is asked to stop, so open streams end at once
instead of holding the graceful shutdown for its whole timeout."""

import threading

SHUTDOWN = threading.Event()


# Notified when this process commits a new event, so its streams send it
# at once instead of at their next poll (which still catches events that
# other processes, such as `ctl`, write to the database).
NEW_EVENT = threading.Condition()


def wait_for_event(timeout):
    """Sleeps until this process commits an event, or timeout passes."""
    with NEW_EVENT:
        NEW_EVENT.wait(timeout)


def announce_event():
    with NEW_EVENT:
        NEW_EVENT.notify_all()
