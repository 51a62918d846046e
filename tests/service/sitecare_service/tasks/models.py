"""Tasks, their comments and attachments.

A task's `version` is its optimistic-locking counter (PATCH needs it in
If-Match). `priority_rank` mirrors `priority` as a number, and the
comment/attachment counts are kept on the row so a list page never counts
per task.

Every sort of GET /tasks is one column tuple read in one direction (its
`-` form is the same tuple backwards), so each has an index it can seek in
with a row-value comparison at any depth: `priority_key` is minus the
rank (the default, most urgent first, is then ascending throughout) and
`due_key` is `due_at` with the tasks without one stored as DUE_NEVER, since
a NULL would drop out of a row-value comparison. Each index is there twice,
once led by `assignee_id` for the queue's usual `assignee=me`.
"""

from datetime import datetime, timezone

from django.db import models

STATUSES = ("new", "in_progress", "waiting_on_client", "done", "cancelled")
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_RANK = {p: i for i, p in enumerate(PRIORITIES)}
AUTHOR_KINDS = (("staff", "staff"), ("client", "client"))
DUE_NEVER = datetime(9999, 12, 31, tzinfo=timezone.utc)
# The column tuple of each sort (GET /tasks?sort=), index name prefix.
SORT_KEYS = {"priority": ("priority_key", "created_at", "id"),
             "created": ("created_at", "id"),
             "updated": ("updated_at", "id"),
             "due": ("due_key", "id")}


def priority_sort_key(priority):
    return -PRIORITY_RANK[priority]


def due_sort_key(due_at):
    return DUE_NEVER if due_at is None else due_at


def _sort_indexes():
    out = []
    for name, cols in SORT_KEYS.items():
        out.append(models.Index(fields=list(cols), name=f"task_{name}"))
        out.append(models.Index(fields=["assignee", *cols],
                                name=f"task_mine_{name}"))
    return out


class Task(models.Model):
    client = models.ForeignKey("accounts.Client", on_delete=models.CASCADE,
                               related_name="tasks")
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True, default="")
    status = models.CharField(max_length=20, default="new",
                              choices=[(s, s) for s in STATUSES])
    priority = models.CharField(max_length=10, default="normal",
                                choices=[(p, p) for p in PRIORITIES])
    priority_rank = models.SmallIntegerField(default=1)
    # Indexed first in each task_mine_* index, not alone: an index on
    # assignee_id alone tempts the planner to sort every task of one member.
    assignee = models.ForeignKey("accounts.User", null=True, blank=True,
                                 on_delete=models.SET_NULL,
                                 related_name="tasks", db_index=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    priority_key = models.SmallIntegerField(default=-1)
    due_key = models.DateTimeField(default=DUE_NEVER)
    version = models.IntegerField(default=1)
    comment_count = models.IntegerField(default=0)
    public_comment_count = models.IntegerField(default=0)
    attachment_count = models.IntegerField(default=0)

    class Meta:
        indexes = _sort_indexes()

    def save(self, *args, **kwargs):
        self.priority_key = priority_sort_key(self.priority)
        self.due_key = due_sort_key(self.due_at)
        super().save(*args, **kwargs)


class Comment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE,
                             related_name="comments")
    author_kind = models.CharField(max_length=10, choices=AUTHOR_KINDS)
    author_staff = models.ForeignKey("accounts.User", null=True, blank=True,
                                     on_delete=models.SET_NULL)
    author_client = models.ForeignKey("accounts.Client", null=True,
                                      blank=True, on_delete=models.SET_NULL)
    body = models.TextField()
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    client_msg_id = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "client_msg_id"],
                                    name="comment_idempotency"),
        ]


class Attachment(models.Model):
    """An uploaded file, kept as a blob; the filename is stored verbatim."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE,
                             related_name="attachments")
    filename = models.CharField(max_length=500)
    content_type = models.CharField(max_length=200)
    size = models.IntegerField()
    data = models.BinaryField()
    created_at = models.DateTimeField()
