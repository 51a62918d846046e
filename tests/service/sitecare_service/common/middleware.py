"""Response middleware shared by every endpoint."""

import json
import os
import re
import sys
import time

from django.conf import settings
from django.middleware.gzip import GZipMiddleware


class GZipExceptEventStream(GZipMiddleware):
    """Django's gzip, except for Server-Sent Events.

    A compressed event stream would sit in the compressor's buffer instead
    of reaching the client, so the stream is always sent as is. Files
    (attachments) are sent as stored too, so Content-Length is their size.
    """

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("text/event-stream") \
                or getattr(response, "skip_gzip", False):
            return response
        return super().process_response(request, response)


class WorkerHeader:
    """X-Sitecare-Worker: the pid of the worker that answered, so tests and
    the bench can tell which of several workers served a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["X-Sitecare-Worker"] = str(os.getpid())
        return response


class ResponseDelay:
    """Holds every API response back for a while, to test slow services.

    Off by default. `ctl delay SECONDS [--match REGEX]` writes
    STATE/delay.json (`ctl delay 0` removes it), which is read on every
    request, so a running service can be slowed and sped up again; the
    environment variable SITECARE_DELAY_SECONDS sets a delay from the
    start instead. The view runs first and the wait comes after it, so a
    change is already stored when its answer is held back (a client that
    loses the connection meanwhile never learns it was stored). Only
    requests under /api/ whose "METHOD /path" matches REGEX (default:
    all) and, with `--query Q`, whose query string has a match of Q (a
    test can hold one sort's pages and not another's) wait; serve's readiness probe (header X-Sitecare-Probe) never
    does. Each wait is logged to stderr (service.log) before it starts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        seconds = self.seconds_for(request)
        if seconds > 0:
            sys.stderr.write(f"delay: {seconds:g}s before answering "
                             f"{request.method} {request.path} "
                             f"({response.status_code})\n")
            sys.stderr.flush()
            time.sleep(seconds)
        return response

    @staticmethod
    def seconds_for(request):
        if not request.path.startswith("/api/") or \
                "HTTP_X_SITECARE_PROBE" in request.META:
            return 0.0
        seconds, match, query = delay_setting()
        if seconds <= 0 or (match and not re.search(
                match, f"{request.method} {request.path}")):
            return 0.0
        if query and not re.search(query, request.META.get("QUERY_STRING",
                                                           "")):
            return 0.0
        return seconds


def delay_setting():
    """(seconds, path regex or None, query regex or None) from
    STATE/delay.json, else the env."""
    data = delay_file()
    if data is not None:
        try:
            return (float(data.get("seconds", 0)), data.get("match"),
                    data.get("query"))
        except (ValueError, TypeError):
            return 0.0, None, None
    try:
        return (float(os.environ.get("SITECARE_DELAY_SECONDS", "0")), None,
                None)
    except ValueError:
        return 0.0, None, None


def events_held():
    """Whether event streams hold their events back (pings still go):
    `ctl delay ... --hold-events`, so that a change is stored and a
    client never hears of it before the service is killed."""
    data = delay_file()
    return bool(data.get("hold_events")) if data is not None else False


def delay_file():
    """STATE/delay.json as a dict: None when missing, {} when unreadable."""
    try:
        data = json.loads((settings.STATE_DIR / "delay.json").read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
