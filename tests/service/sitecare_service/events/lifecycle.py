"""Set when the worker is asked to stop, so open streams end at once
instead of holding the graceful shutdown for its whole timeout."""

import threading

SHUTDOWN = threading.Event()
