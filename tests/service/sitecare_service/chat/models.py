"""Chat: one conversation per client, shared by all staff.

Staff read state is shared too: `staff_last_read_id` is the newest message
any staff member has marked read, and the unread count is the number of
client messages after it.
"""

from django.db import models


class Conversation(models.Model):
    client = models.OneToOneField("accounts.Client", on_delete=models.CASCADE,
                                  related_name="conversation")
    staff_last_read_id = models.IntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="messages")
    author_kind = models.CharField(max_length=10, choices=(
        ("staff", "staff"), ("client", "client")))
    author_staff = models.ForeignKey("accounts.User", null=True, blank=True,
                                     on_delete=models.SET_NULL)
    author_client = models.ForeignKey("accounts.Client", null=True,
                                      blank=True, on_delete=models.SET_NULL)
    body = models.TextField()
    created_at = models.DateTimeField()
    client_msg_id = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "client_msg_id"],
                                    name="message_idempotency"),
        ]
        indexes = [models.Index(fields=["conversation", "id"],
                                name="message_by_conversation")]
