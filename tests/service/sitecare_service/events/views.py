"""GET /events: the staff member's live event stream."""

import os
import sys

from django.contrib.sessions.models import Session
from django.http import StreamingHttpResponse
from django.utils import timezone
from rest_framework.negotiation import BaseContentNegotiation

from ..common.views import StaffView
from .emit import personal_audience, prune
from .stream import events, start_point


def session_alive(key):
    """Whether the session a stream was opened with still exists: a stream
    ends when its session is revoked (`ctl expire-sessions`), as the
    client's next request would be refused anyway."""
    if key is None:
        return True
    return Session.objects.filter(session_key=key,
                                  expire_date__gt=timezone.now()).exists()


class JsonForErrors(BaseContentNegotiation):
    """Accept: text/event-stream must not be refused with 406: the stream
    bypasses renderers, and errors before it are rendered as JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None


class EventStreamView(StaffView):
    content_negotiation_class = JsonForErrors

    def get(self, request):
        prune()
        after, resync = start_point(request.META.get("HTTP_LAST_EVENT_ID"))
        audiences = request.user.permissions + [
            personal_audience(request.user)]
        key = request.session.session_key
        # The bench reads which worker serves a client's stream here (the
        # client keeps its response headers to itself).
        sys.stderr.write(f"stream: worker {os.getpid()} opened for staff "
                         f"{request.user.id}\n")
        sys.stderr.flush()
        response = StreamingHttpResponse(
            events(audiences, after, resync, lambda: session_alive(key)),
            content_type="text/event-stream; charset=utf-8")
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"
        return response
