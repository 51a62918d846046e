"""Chat reads and writes shared by the staff API, the client API and ctl."""

from django.db import IntegrityError, transaction
from django.db.models import (Case, Count, IntegerField, OuterRef, Q,
                              Subquery, Value, When)
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..common.errors import invalid
from ..events.emit import emit
from . import serializers as out
from .models import Conversation, Message

# Newest activity first; conversations without messages last.
ORDERING = [("no_activity", False), ("last_message_at", True), ("id", True)]


def with_unread(queryset):
    """Annotates the staff side's unread count and the sort helper."""
    unread = Message.objects.filter(
        conversation=OuterRef("pk"), author_kind="client",
        id__gt=OuterRef("staff_last_read_id"),
    ).values("conversation").annotate(n=Count("id")).values("n")
    return queryset.select_related("client").annotate(
        unread=Coalesce(Subquery(unread, output_field=IntegerField()), 0),
        no_activity=Case(When(last_message_at__isnull=True, then=Value(1)),
                         default=Value(0), output_field=IntegerField()))


def messages_of(conversation_id):
    return Message.objects.filter(conversation_id=conversation_id) \
        .select_related("author_staff", "author_client")


def last_message(conversation_id):
    return messages_of(conversation_id).order_by("-id").first()


def staff_view(c):
    """A conversation as staff see it (needs with_unread)."""
    return out.conversation(c, c.unread, last_message(c.id))


def client_view(c):
    """The conversation as its client sees it: unread means staff messages
    after the client's own latest message."""
    msgs = Message.objects.filter(conversation=c)
    mine = msgs.filter(author_kind="client").order_by("-id") \
        .values_list("id", flat=True).first() or 0
    unread = msgs.filter(author_kind="staff", id__gt=mine).count()
    return out.conversation(c, unread, last_message(c.id))


def unread_count(conversation):
    return Message.objects.filter(
        conversation=conversation, author_kind="client",
        id__gt=conversation.staff_last_read_id).count()


def filter_list(queryset, unread_only, q):
    if unread_only:
        queryset = queryset.filter(unread__gt=0)
    if q:
        queryset = queryset.filter(Q(client__name__icontains=q)
                                   | Q(client__company__icontains=q))
    return queryset


def window(conversation_id, before, after, limit):
    """(messages oldest first, has_more) for ?before=&after=&limit=.

    With `after` the page grows forward from it and has_more means newer
    messages exist; otherwise it is the newest `limit` (before `before`)
    and has_more means older ones exist.
    """
    qs = messages_of(conversation_id)
    if after is not None:
        qs = qs.filter(id__gt=after)
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs.order_by("id" if after is not None else "-id")
                [:limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    if after is None:
        rows.reverse()
    return rows, has_more


def post_message(conversation, body, msg_id, staff=None, client=None):
    """(message, created). The same client_msg_id returns the first one."""
    if msg_id is not None:
        found = _existing(conversation, msg_id)
        if found:
            return found, False
    try:
        with transaction.atomic():
            now = timezone.now()
            m = Message.objects.create(
                conversation=conversation, body=body, created_at=now,
                client_msg_id=msg_id,
                author_kind="staff" if staff else "client",
                author_staff=staff, author_client=client)
            Conversation.objects.filter(id=conversation.id).update(
                last_message_at=now)
            emit("message.created", {"conversation_id": conversation.id,
                                     "message": out.message(m)})
    except IntegrityError:  # a concurrent retry got there first
        return _existing(conversation, msg_id), False
    return m, True


def _existing(conversation, msg_id):
    return messages_of(conversation.id).filter(client_msg_id=msg_id).first()


def mark_read(conversation, message_id):
    """Moves the shared staff read marker forward and tells all staff."""
    if message_id != 0 and not Message.objects.filter(
            id=message_id, conversation=conversation).exists():
        raise invalid({"last_read_message_id": [
            "Not a message of this conversation."]})
    with transaction.atomic():
        Conversation.objects.filter(
            id=conversation.id, staff_last_read_id__lt=message_id
        ).update(staff_last_read_id=message_id)
        conversation.refresh_from_db()
        emit("conversation.read", {"conversation_id": conversation.id,
                                   "unread_count": unread_count(conversation)})
