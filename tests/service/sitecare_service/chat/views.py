"""Staff chat endpoints."""

from rest_framework.response import Response

from ..common.errors import invalid, not_found
from ..common.pagination import page, parse_limit
from ..common.views import StaffView, int_param
from ..tasks.service import clean_body, clean_msg_id
from . import serializers as out
from . import service
from .models import Conversation


def get_conversation(conversation_id):
    c = Conversation.objects.select_related("client") \
        .filter(id=conversation_id).first()
    if c is None:
        raise not_found("No such conversation.")
    return c


class ConversationListView(StaffView):
    perms = {"GET": "chat.read"}

    def get(self, request):
        qs = service.with_unread(Conversation.objects)
        qs = service.filter_list(
            qs, request.query_params.get("unread") in ("1", "true"),
            request.query_params.get("q", "").strip())
        return page(request, qs, service.ORDERING, service.staff_view)


class ConversationView(StaffView):
    perms = {"GET": "chat.read"}

    def get(self, request, conversation_id):
        c = service.with_unread(Conversation.objects) \
            .filter(id=conversation_id).first()
        if c is None:
            raise not_found("No such conversation.")
        return Response(service.staff_view(c))


def message_window(request, conversation_id):
    """GET .../messages for staff and clients alike."""
    rows, has_more = service.window(
        conversation_id, int_param(request, "before"),
        int_param(request, "after"), parse_limit(request))
    return Response({"results": [out.message(m) for m in rows],
                     "has_more": has_more})


def message_body(request):
    data = request.data if isinstance(request.data, dict) else {}
    return (clean_body(data.get("body")),
            clean_msg_id(data.get("client_msg_id")))


class MessageListView(StaffView):
    perms = {"GET": "chat.read", "POST": "chat.reply"}

    def get(self, request, conversation_id):
        return message_window(request, get_conversation(conversation_id).id)

    def post(self, request, conversation_id):
        c = get_conversation(conversation_id)
        body, msg_id = message_body(request)
        m, created = service.post_message(c, body, msg_id, staff=request.user)
        return Response(out.message(m), status=201 if created else 200)


class ReadView(StaffView):
    perms = {"POST": "chat.read"}

    def post(self, request, conversation_id):
        c = get_conversation(conversation_id)
        data = request.data if isinstance(request.data, dict) else {}
        value = data.get("last_read_message_id")
        if isinstance(value, bool) or not isinstance(value, int) \
                or value < 0:
            raise invalid({"last_read_message_id": [
                "A message id is required."]})
        service.mark_read(c, value)
        return Response(status=204)
