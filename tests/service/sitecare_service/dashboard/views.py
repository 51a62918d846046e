"""The few client-side (web dashboard) calls, so tests can act as a client.

A client sees only its own conversation and tasks, and never internal
comments.
"""

from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect
from rest_framework.response import Response
from rest_framework.views import APIView

from ..accounts.auth import sign_in
from ..accounts.serializers import client_ref
from ..chat import serializers as chat_out
from ..chat import service as chat
from ..chat.models import Conversation
from ..chat.views import message_body, message_window
from ..common.errors import invalid, not_found
from ..common.pagination import page
from ..common.views import ClientView
from ..tasks import serializers as task_out
from ..tasks import service as tasks
from ..tasks.models import PRIORITIES, Task


@method_decorator(csrf_protect, name="dispatch")
class ClientLoginView(APIView):
    authentication_classes = []

    def post(self, request):
        user = sign_in(request, want_staff=False)
        return Response(client_ref(user.client))


def own_conversation(request):
    conversation, _ = Conversation.objects.select_related("client") \
        .get_or_create(client=request.user.client)
    return conversation


class ConversationView(ClientView):
    def get(self, request):
        return Response(chat.client_view(own_conversation(request)))


class MessagesView(ClientView):
    def get(self, request):
        return message_window(request, own_conversation(request).id)

    def post(self, request):
        c = own_conversation(request)
        body, msg_id = message_body(request)
        m, created = chat.post_message(c, body, msg_id,
                                       client=request.user.client)
        return Response(chat_out.message(m), status=201 if created else 200)


def own_tasks(request):
    return tasks.with_relations(Task.objects).filter(
        client=request.user.client)


def client_task(t):
    return task_out.task_detail(t, for_client=True)


class TaskListView(ClientView):
    def get(self, request):
        return page(request, own_tasks(request),
                    [("created_at", True), ("id", True)], client_task)

    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        title, description, priority = _task_fields(data)
        task = tasks.create_task(request.user.client, title, description,
                                 priority)
        return Response(client_task(task), status=201)


def _task_fields(data):
    errors = {}
    title = data.get("title")
    if not isinstance(title, str) or not 1 <= len(title.strip()) <= 500:
        errors["title"] = ["Must be 1 to 500 characters."]
    description = data.get("description", "")
    if not isinstance(description, str) or len(description) > 20000:
        errors["description"] = ["Must be text up to 20000 characters."]
    priority = data.get("priority", "normal")
    if priority not in PRIORITIES:
        errors["priority"] = [f"Must be one of {', '.join(PRIORITIES)}."]
    if errors:
        raise invalid(errors)
    return title, description, priority


def get_own_task(request, task_id):
    task = own_tasks(request).filter(id=task_id).first()
    if task is None:
        raise not_found("No such task.")
    return task


class TaskView(ClientView):
    def get(self, request, task_id):
        return Response(client_task(get_own_task(request, task_id)))


class CommentView(ClientView):
    def post(self, request, task_id):
        task = get_own_task(request, task_id)
        data = request.data if isinstance(request.data, dict) else {}
        body = tasks.clean_body(data.get("body"))
        msg_id = tasks.clean_msg_id(data.get("client_msg_id"))
        comment, created = tasks.add_comment(
            task, body, False, msg_id, client=request.user.client)
        return Response(task_out.comment(comment),
                        status=201 if created else 200)
