"""Appending events; the only way the rest of the service talks to streams."""

import json
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .lifecycle import announce_event
from .models import Event

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
    event = Event.objects.create(
        type=event_type, audience=audience,
        data=json.dumps(data, separators=(",", ":"), ensure_ascii=False),
        created_at=timezone.now())
    # Streams read committed rows only: wake them once it is committed.
    transaction.on_commit(announce_event)
    return event


def prune(hours=None):
    """Deletes events older than the retention window; returns the count."""
    hours = settings.EVENT_RETENTION_HOURS if hours is None else hours
    cutoff = timezone.now() - timedelta(hours=hours)
    return Event.objects.filter(created_at__lt=cutoff).delete()[0]
