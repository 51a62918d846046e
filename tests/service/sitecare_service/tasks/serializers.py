"""JSON shapes of tasks, comments and attachments."""

from ..accounts.serializers import client_ref, staff_ref
from ..common.timefmt import rfc3339


def author(kind, staff, client):
    if kind == "staff":
        return {"kind": "staff", "id": staff.id if staff else None,
                "name": staff.name if staff else "(deleted)"}
    return {"kind": "client", "id": client.id if client else None,
            "name": client.name if client else "(deleted)"}


def task(t, for_client=False):
    return {
        "id": t.id,
        "version": t.version,
        "title": t.title,
        "description": t.description,
        "status": t.status,
        "priority": t.priority,
        "client": client_ref(t.client),
        "assignee": staff_ref(t.assignee),
        "created_at": rfc3339(t.created_at),
        "updated_at": rfc3339(t.updated_at),
        "due_at": rfc3339(t.due_at),
        "comment_count": t.public_comment_count if for_client
        else t.comment_count,
        "attachment_count": t.attachment_count,
    }


def comment(c):
    return {
        "id": c.id,
        "author": author(c.author_kind, c.author_staff, c.author_client),
        "body": c.body,
        "internal": c.internal,
        "created_at": rfc3339(c.created_at),
    }


def attachment(a):
    return {"id": a.id, "filename": a.filename, "size": a.size,
            "content_type": a.content_type,
            "created_at": rfc3339(a.created_at)}


def task_detail(t, for_client=False):
    """The task with its comments (internal ones only for staff)."""
    comments = t.comments.select_related("author_staff", "author_client")
    if for_client:
        comments = comments.filter(internal=False)
    attachments = t.attachments.defer("data")
    return {**task(t, for_client),
            "comments": [comment(c) for c in comments.order_by("id")],
            "attachments": [attachment(a) for a in
                            attachments.order_by("id")]}
