"""Tasks, their comments and attachments.

A task's `version` is its optimistic-locking counter (PATCH needs it in
If-Match). `priority_rank` mirrors `priority` as a number so that sorting
by priority is an indexed integer sort, and the comment/attachment counts
are kept on the row so a list page never counts per task.
"""

from django.db import models

STATUSES = ("new", "in_progress", "waiting_on_client", "done", "cancelled")
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_RANK = {p: i for i, p in enumerate(PRIORITIES)}
AUTHOR_KINDS = (("staff", "staff"), ("client", "client"))


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
    assignee = models.ForeignKey("accounts.User", null=True, blank=True,
                                 on_delete=models.SET_NULL,
                                 related_name="tasks")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    version = models.IntegerField(default=1)
    comment_count = models.IntegerField(default=0)
    public_comment_count = models.IntegerField(default=0)
    attachment_count = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["-priority_rank", "created_at", "id"],
                         name="task_default_order"),
            models.Index(fields=["created_at", "id"], name="task_created"),
            models.Index(fields=["updated_at", "id"], name="task_updated"),
            models.Index(fields=["status"], name="task_status"),
        ]


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
