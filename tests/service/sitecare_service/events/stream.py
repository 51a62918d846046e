"""The Server-Sent Events stream: where it starts and what it sends."""

import time

from django.conf import settings
from django.db import connection, transaction

from ..common.middleware import events_held
from .emit import lock_event_order
from .lifecycle import SHUTDOWN, announcements, wait_for_event
from .models import Event

BATCH = 500


def high_water():
    """The largest event id ever issued, even if that row was pruned."""
    if connection.vendor == "postgresql":
        return _pg_high_water()
    with connection.cursor() as cur:
        cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s",
                    [Event._meta.db_table])
        row = cur.fetchone()
    return row[0] if row else 0


def _pg_high_water():
    """The sequence's last value, read under the event lock so that no
    event drawn from it is still uncommitted (see emit.lock_event_order)."""
    with transaction.atomic(), connection.cursor() as cur:
        lock_event_order()
        cur.execute("SELECT pg_get_serial_sequence(%s, 'id')",
                    [Event._meta.db_table])
        seq = cur.fetchone()[0]
        cur.execute(f"SELECT last_value, is_called FROM {seq}")
        last, called = cur.fetchone()
    return last if called else 0


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
        seen = announcements()
        held = events_held()
        rows = [] if held else list(
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
            wait_for_event(seen, _wait_seconds(next_ping, held))


def _wait_seconds(next_ping, held):
    """Until the next ping, at most the poll interval (a safety net: every
    commit wakes the streams, see wake.py). Held events are looked for
    often, since the end of a hold is a file removed, announced to no one."""
    limit = settings.SSE_HELD_POLL_SECONDS if held else \
        settings.SSE_POLL_SECONDS
    return max(0.0, min(limit, next_ping - time.monotonic()))
