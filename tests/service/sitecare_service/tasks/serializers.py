"""JSON shapes of tasks, comments and attachments."""

from django.db.models import TextField
from django.db.models.functions import Cast

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


# The columns of a list row (GET /tasks): the task's own and its client's
# and assignee's names, read as plain values. A page of 500 is then no
# model instances and no select_related objects, which were most of the
# service's time per page; list_row makes the same shape as task().
LIST_COLUMNS = ("id", "version", "title", "description", "status",
                "priority", "client_id", "client__name", "client__company",
                "assignee_id", "assignee__name", "comment_count",
                "attachment_count")
# Its times, read as the database's text (LIST_TIMES): parsing 1,500
# datetimes a page only to format them again was the next largest part.
LIST_TIMES = {"created_text": "created_at", "updated_text": "updated_at",
              "due_text": "due_at"}


def list_times():
    """values() expressions of LIST_TIMES. Both engines write a time in
    the connection's zone, UTC (settings.USE_TZ), as `YYYY-MM-DD
    HH:MM:SS` and then fractions and (PostgreSQL) the offset."""
    return {name: Cast(field, TextField())
            for name, field in LIST_TIMES.items()}


def text_time(text):
    """rfc3339() of a time read by list_times()."""
    if text is None:
        return None
    return f"{text[:10]}T{text[11:19]}Z"


def list_row(r):
    """task() of a values() row of LIST_COLUMNS (staff's counts)."""
    assignee = r["assignee_id"]
    return {
        "id": r["id"],
        "version": r["version"],
        "title": r["title"],
        "description": r["description"],
        "status": r["status"],
        "priority": r["priority"],
        "client": {"id": r["client_id"], "name": r["client__name"],
                   "company": r["client__company"]},
        "assignee": None if assignee is None else
        {"id": assignee, "name": r["assignee__name"]},
        "created_at": text_time(r["created_text"]),
        "updated_at": text_time(r["updated_text"]),
        "due_at": text_time(r["due_text"]),
        "comment_count": r["comment_count"],
        "attachment_count": r["attachment_count"],
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
