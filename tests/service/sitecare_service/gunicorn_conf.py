"""Gunicorn hooks (the rest of the configuration is on the command line)."""

import signal

from sitecare_service.events import wake
from sitecare_service.events.lifecycle import stop_streams


def post_worker_init(worker):
    """Wake-ups from other processes reach this worker's streams (after the
    fork: each worker listens for itself). On SIGTERM/SIGQUIT/SIGINT, first
    end every open event stream, then let gunicorn do its usual (graceful
    or immediate) stop."""
    wake.start_listener()
    for sig in (signal.SIGTERM, signal.SIGQUIT, signal.SIGINT):
        previous = signal.getsignal(sig)

        def handler(signum, frame, previous=previous):
            stop_streams()
            if callable(previous):
                previous(signum, frame)

        signal.signal(sig, handler)
    # Re-registering resets this; a stop must not interrupt system calls.
    signal.siginterrupt(signal.SIGTERM, False)


def pre_request(worker, req):
    """Each request's beginning, beside the access log's end of it: a
    client's request that timed out is then either stuck in here (begun,
    not answered) or never reached us (neither)."""
    worker.log.info("request begins %s %s (worker %s)", req.method,
                    req.path, worker.pid)


def worker_exit(server, worker):
    """Others stop sending to this worker's socket at once."""
    wake.stop_listener()
