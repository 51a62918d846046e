"""Staff task endpoints: list, detail, update, comment, attachments."""

from urllib.parse import quote

from django.http import HttpResponse
from rest_framework.response import Response

from ..common.errors import ApiError, invalid, not_found
from ..common.pagination import page
from ..common.views import StaffView, need
from . import filters, service
from . import serializers as out
from .models import Attachment, Task


def get_task(task_id):
    task = service.with_relations(Task.objects).filter(id=task_id).first()
    if task is None:
        raise not_found("No such task.")
    return task


def list_query(request):
    """(the tasks GET /tasks?... lists, their ordering)."""
    qs = filters.apply(request, service.with_relations(Task.objects))
    return qs, filters.ordering(request)


class TaskListView(StaffView):
    perms = {"GET": "tasks.read"}

    def get(self, request):
        qs, ordering = list_query(request)
        columns = dict.fromkeys(out.LIST_COLUMNS + tuple(
            f for f, _ in ordering))
        return page(request, qs.values(*columns, **out.list_times()),
                    ordering, out.list_row)


class TaskView(StaffView):
    perms = {"GET": "tasks.read", "PATCH": "tasks.update"}

    def get(self, request, task_id):
        return Response(out.task_detail(get_task(task_id)))

    def patch(self, request, task_id):
        task = get_task(task_id)
        version = _if_match(request)
        changes = filters.clean_changes(request, request.data)
        _check_assignment(request, task, changes)
        updated = None
        # The checks above read the task at task.version: the update must
        # apply to that very version, not to one a racing writer made.
        if version is not None and version == task.version:
            updated = service.update_task(task.id, version, changes)
        if updated is None:
            raise ApiError(412, "version_conflict",
                           "The task changed since you read it.",
                           current=out.task(service.reload(task.id)))
        return Response(out.task(updated))


def _check_assignment(request, task, changes):
    """Assigning or unassigning someone else needs tasks.assign_any;
    assigning or unassigning oneself only tasks.update."""
    if "assignee_id" not in changes:
        return
    new = changes["assignee_id"]
    affected = new if new is not None else task.assignee_id
    if affected not in (None, request.user.id):
        need(request, "tasks.assign_any")


def _if_match(request):
    """The version in If-Match ("3", 3 or W/"3"); None if unparsable.

    A missing header is 428: an update without a version could silently
    overwrite someone else's change.
    """
    raw = request.META.get("HTTP_IF_MATCH")
    if raw is None:
        raise ApiError(428, "precondition_required",
                       'PATCH needs If-Match: "<version>".')
    raw = raw.strip()
    if raw.startswith("W/"):
        raw = raw[2:]
    try:
        return int(raw.strip('"'))
    except ValueError:
        return None


class CommentListView(StaffView):
    perms = {"POST": "tasks.comment"}

    def post(self, request, task_id):
        task = get_task(task_id)
        data = request.data if isinstance(request.data, dict) else {}
        body = service.clean_body(data.get("body"))
        internal = data.get("internal", False)
        if not isinstance(internal, bool):
            raise invalid({"internal": ["Must be true or false."]})
        msg_id = service.clean_msg_id(data.get("client_msg_id"))
        comment, created = service.add_comment(
            task, body, internal, msg_id, staff=request.user)
        return Response(out.comment(comment), status=201 if created else 200)


class AttachmentView(StaffView):
    perms = {"GET": "tasks.read"}

    def get(self, request, task_id, attachment_id):
        a = Attachment.objects.filter(id=attachment_id,
                                      task_id=task_id).first()
        if a is None:
            raise not_found("No such attachment.")
        return file_response(a)


def file_response(a):
    """The attachment's bytes, its name kept verbatim in filename*.

    Header values cannot carry control characters, so the plain
    `filename=` is an ASCII stand-in and the exact name travels
    percent-encoded (RFC 6266); sanitising it is the client's job.
    """
    data = bytes(a.data)
    response = HttpResponse(data, content_type=a.content_type)
    response["Content-Length"] = str(len(data))
    fallback = "".join(ch if 0x20 <= ord(ch) < 0x7f and ch not in '"\\'
                       else "_" for ch in a.filename)
    response["Content-Disposition"] = (
        f'attachment; filename="{fallback}"; '
        f"filename*=UTF-8''{quote(a.filename, safe='')}")
    response.skip_gzip = True
    return response
