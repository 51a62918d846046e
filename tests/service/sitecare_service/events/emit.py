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


def emit(event_type, data):
    event = Event.objects.create(
        type=event_type, audience=AUDIENCE[event_type],
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
