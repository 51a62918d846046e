"""Appending events; the only way the rest of the service talks to streams."""

import json
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import wake
from .lifecycle import announce_event
from .models import Event

# PostgreSQL advisory lock key held by every transaction that appends an
# event (any number will do; it only has to be the same everywhere).
EVENT_LOCK = 0x5173CA7E

# Event type -> the permission needed to receive it.
AUDIENCE = {
    "message.created": "chat.read",
    "conversation.read": "chat.read",
    "task.created": "tasks.read",
    "task.updated": "tasks.read",
    "comment.created": "tasks.read",
    "invoice.failed": "billing.read",
}

# Event types about one staff member, sent to that member's streams only.
PERSONAL = {"staff.key_changed"}


def personal_audience(user):
    """The audience naming one staff member (see models.Event)."""
    return f"staff:{user.id}"


def emit(event_type, data, to=None):
    """Appends an event: for everyone with its permission, or for the one
    staff member `to` when the type is personal."""
    if (event_type in PERSONAL) != (to is not None):
        raise ValueError(f"{event_type}: personal events, and only they, "
                         "name their recipient")
    audience = personal_audience(to) if to else AUDIENCE[event_type]
    with transaction.atomic():
        lock_event_order()
        event = Event.objects.create(
            type=event_type, audience=audience,
            data=json.dumps(data, separators=(",", ":"), ensure_ascii=False),
            created_at=timezone.now())
        wake.in_transaction()
        # Streams read committed rows only: wake them once it is committed.
        transaction.on_commit(_announce)
    return event


def _announce():
    announce_event()
    wake.after_commit()


def lock_event_order():
    """Makes events commit in id order, so a stream that has read up to id
    N never misses a smaller id committed later. SQLite has one writer at a
    time already; on PostgreSQL ids come from a sequence that concurrent
    transactions draw from and commit in any order, so they take turns
    (the lock is held until the transaction ends)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [EVENT_LOCK])


def prune(hours=None):
    """Deletes events older than the retention window; returns the count."""
    hours = settings.EVENT_RETENTION_HOURS if hours is None else hours
    cutoff = timezone.now() - timedelta(hours=hours)
    return Event.objects.filter(created_at__lt=cutoff).delete()[0]
