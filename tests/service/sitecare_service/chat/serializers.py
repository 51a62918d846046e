"""JSON shapes of conversations and messages."""

from ..accounts.serializers import client_ref
from ..common.timefmt import rfc3339
from ..tasks.serializers import author

PREVIEW_CHARS = 200


def message(m, preview=False):
    return {
        "id": m.id,
        "conversation_id": m.conversation_id,
        "author": author(m.author_kind, m.author_staff, m.author_client),
        "body": m.body[:PREVIEW_CHARS] if preview else m.body,
        "created_at": rfc3339(m.created_at),
        "client_msg_id": m.client_msg_id,
    }


def conversation(c, unread_count, last):
    return {
        "id": c.id,
        "client": client_ref(c.client),
        "last_message_at": rfc3339(c.last_message_at),
        "unread_count": unread_count,
        "last_message": message(last, preview=True) if last else None,
    }
