"""Gunicorn hooks (the rest of the configuration is on the command line)."""

import signal

from sitecare_service.events.lifecycle import SHUTDOWN


def post_worker_init(worker):
    """On SIGTERM/SIGQUIT/SIGINT, first end every open event stream, then
    let gunicorn do its usual (graceful or immediate) stop."""
    for sig in (signal.SIGTERM, signal.SIGQUIT, signal.SIGINT):
        previous = signal.getsignal(sig)

        def handler(signum, frame, previous=previous):
            SHUTDOWN.set()
            if callable(previous):
                previous(signum, frame)

        signal.signal(sig, handler)
    # Re-registering resets this; a stop must not interrupt system calls.
    signal.siginterrupt(signal.SIGTERM, False)
