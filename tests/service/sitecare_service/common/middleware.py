"""Response middleware shared by every endpoint."""

from django.middleware.gzip import GZipMiddleware


class GZipExceptEventStream(GZipMiddleware):
    """Django's gzip, except for Server-Sent Events.

    A compressed event stream would sit in the compressor's buffer instead
    of reaching the client, so the stream is always sent as is. Files
    (attachments) are sent as stored too, so Content-Length is their size.
    """

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("text/event-stream") \
                or getattr(response, "skip_gzip", False):
            return response
        return super().process_response(request, response)
