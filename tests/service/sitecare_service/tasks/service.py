"""Task changes shared by the staff API, the client API and ctl.

Each change and its event are written in one transaction, so a stream
never announces something a refetch cannot see (or misses one that it can).
"""

import uuid

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..common.errors import invalid
from ..events.emit import emit
from . import serializers as out
from .models import PRIORITY_RANK, Comment, Task, priority_sort_key

BODY_MAX = 10000


def with_relations(queryset):
    return queryset.select_related("client", "assignee")


def reload(task_id):
    return with_relations(Task.objects).get(id=task_id)


@transaction.atomic
def create_task(client, title, description="", priority="normal"):
    now = timezone.now()
    task = Task.objects.create(
        client=client, title=title, description=description,
        priority=priority, priority_rank=PRIORITY_RANK[priority],
        status="new", created_at=now, updated_at=now)
    task = reload(task.id)
    emit("task.created", {"task": out.task(task)})
    return task


def update_task(task_id, version, changes):
    """Applies `changes` if the task is still at `version`.

    Returns the updated task, or None when the version is stale. The
    compare-and-set is one UPDATE, so two racing writers cannot both win.
    """
    if "priority" in changes:
        changes["priority_rank"] = PRIORITY_RANK[changes["priority"]]
        changes["priority_key"] = priority_sort_key(changes["priority"])
    with transaction.atomic():
        won = Task.objects.filter(id=task_id, version=version).update(
            version=F("version") + 1, updated_at=timezone.now(), **changes)
        if not won:
            return None
        task = reload(task_id)
        emit("task.updated", {"task": out.task(task)})
    return task


def clean_msg_id(value):
    """client_msg_id must be a UUID string when given."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid({"client_msg_id": ["Must be a UUID."]})
    try:
        uuid.UUID(value)
    except ValueError:
        raise invalid({"client_msg_id": ["Must be a UUID."]})
    return value


def clean_body(value, field="body"):
    if not isinstance(value, str) or not 1 <= len(value) <= BODY_MAX:
        raise invalid({field: [f"Must be 1 to {BODY_MAX} characters."]})
    return value


def add_comment(task, body, internal, msg_id, staff=None, client=None):
    """(comment, created). The same client_msg_id returns the first one."""
    if msg_id is not None:
        found = _existing_comment(task, msg_id, staff, client)
        if found:
            return found, False
    try:
        with transaction.atomic():
            c = Comment.objects.create(
                task=task, body=body, internal=internal,
                client_msg_id=msg_id, created_at=timezone.now(),
                author_kind="staff" if staff else "client",
                author_staff=staff, author_client=client)
            Task.objects.filter(id=task.id).update(
                comment_count=F("comment_count") + 1,
                public_comment_count=F("public_comment_count")
                + (0 if internal else 1))
            emit("comment.created", {"task_id": task.id,
                                     "comment": out.comment(c)})
    except IntegrityError:  # a concurrent retry got there first
        return _existing_comment(task, msg_id, staff, client), False
    return c, True


def _existing_comment(task, msg_id, staff, client):
    """The comment a retry refers to. An id reused by another author is
    refused rather than answered, so it can never expose that comment
    (a client must not get a staff member's internal note)."""
    found = Comment.objects.select_related("author_staff", "author_client") \
        .filter(task=task, client_msg_id=msg_id).first()
    if found and (found.author_staff_id, found.author_client_id) != (
            staff.id if staff else None, client.id if client else None):
        raise invalid({"client_msg_id": ["Already used by someone else."]})
    return found
