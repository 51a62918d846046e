"""The Server-Sent Events stream: where it starts and what it sends."""

import time

from django.conf import settings
from django.db import connection

from ..common.middleware import events_held
from .lifecycle import SHUTDOWN, wait_for_event
from .models import Event

BATCH = 500


def high_water():
    """The largest event id ever issued, even if that row was pruned."""
    with connection.cursor() as cur:
        cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s",
                    [Event._meta.db_table])
        row = cur.fetchone()
    return row[0] if row else 0


def start_point(last_event_id):
    """(id to stream after, whether the client must resync first).

    Without Last-Event-ID a stream starts from now. With one, it resumes
    after it, unless events after it were pruned or the id was never
    issued, in which case the client is told to refetch everything.
    """
    top = high_water()
    if last_event_id is None:
        return top, False
    try:
        after = int(last_event_id.strip())
    except ValueError:
        return top, True
    if after < 0 or after > top:
        return top, True
    oldest = Event.objects.order_by("id").values_list("id", flat=True).first()
    if oldest is None:
        return top, after < top
    if after < oldest - 1:
        return top, True
    return after, False


def block(event_id, event_type, data):
    return f"id: {event_id}\nevent: {event_type}\ndata: {data}\n\n"


def events(audiences, after, resync, alive=lambda: True):
    """Yields SSE text until shutdown, the client goes away, or alive()
    turns false (checked at every ping: the session was revoked)."""
    ping_every = settings.SSE_PING_SECONDS
    # The first bytes go out at once so the client sees the headers.
    yield ": ping\n\n"
    if resync:
        yield block(after, "resync", "{}")
    next_ping = time.monotonic() + ping_every
    while not SHUTDOWN.is_set():
        rows = [] if events_held() else list(
            Event.objects.filter(id__gt=after, audience__in=audiences)
            .order_by("id")[:BATCH])
        for row in rows:
            after = row.id
            yield block(row.id, row.type, row.data)
        if time.monotonic() >= next_ping:
            if not alive():
                return
            next_ping = time.monotonic() + ping_every
            yield ": ping\n\n"
        if len(rows) < BATCH and not SHUTDOWN.is_set():
            wait_for_event(settings.SSE_POLL_SECONDS)
