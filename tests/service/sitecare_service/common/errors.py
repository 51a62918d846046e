"""One error shape for everything: {"error": {"code", "message"[, "fields"]}}.

DRF exceptions go through exception_handler; Django-level failures (CSRF,
unknown routes, crashes) go through the handler views below, so a client
never sees an HTML page from this service.
"""

from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response

class ApiError(exceptions.APIException):
    """An error with an explicit status, code and optional extra members."""

    def __init__(self, status_code, code, message, headers=None, **extra):
        super().__init__(message, code)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra


def invalid(fields, message="Invalid input."):
    """A 422 with per-field messages, as the contract's `invalid` code."""
    return ApiError(422, "invalid", message, fields=fields)


def forbidden(message="You do not have permission to do this.",
              code="forbidden"):
    return ApiError(403, code, message)


def not_found(message="Not found."):
    return ApiError(404, "not_found", message)


def error_body(code, message, **extra):
    return {"error": {"code": code, "message": message, **extra}}


def json_error(status_code, code, message):
    """An error response outside DRF (Django's own handlers)."""
    return JsonResponse(error_body(code, message), status=status_code,
                        json_dumps_params={"separators": (",", ":")})


def _flatten(detail):
    """DRF validation detail to {"field": ["msg", ...]}."""
    if isinstance(detail, dict):
        return {k: [str(m) for m in (v if isinstance(v, list) else [v])]
                for k, v in detail.items()}
    items = detail if isinstance(detail, list) else [detail]
    return {"non_field_errors": [str(m) for m in items]}


# DRF exception class -> (status, code) in the contract's vocabulary.
_MAPPED = (
    (exceptions.NotAuthenticated, 401, "not_authenticated"),
    (exceptions.AuthenticationFailed, 401, "not_authenticated"),
    (exceptions.PermissionDenied, 403, "forbidden"),
    (exceptions.NotFound, 404, "not_found"),
    (exceptions.MethodNotAllowed, 405, "method_not_allowed"),
    (exceptions.NotAcceptable, 406, "not_acceptable"),
    (exceptions.UnsupportedMediaType, 415, "unsupported_media_type"),
    (exceptions.ParseError, 400, "parse_error"),
    (exceptions.Throttled, 429, "rate_limited"),
)


def exception_handler(exc, context):
    """DRF EXCEPTION_HANDLER producing the contract's error shape."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, ApiError):
        return Response(error_body(exc.code, exc.message, **exc.extra),
                        status=exc.status_code, headers=exc.headers)
    if isinstance(exc, exceptions.ValidationError):
        return Response(error_body("invalid", "Invalid input.",
                                   fields=_flatten(exc.detail)), status=422)
    for cls, code_status, code in _MAPPED:
        if isinstance(exc, cls):
            headers = {}
            if getattr(exc, "wait", None):
                headers["Retry-After"] = str(int(exc.wait))
            # SessionAuthentication has no WWW-Authenticate, so DRF would
            # turn 401 into 403; the contract wants 401.
            return Response(error_body(code, _message(exc)),
                            status=code_status, headers=headers)
    if isinstance(exc, exceptions.APIException):
        return Response(error_body("error", _message(exc)),
                        status=exc.status_code)
    return None  # a crash: Django logs it and calls handler500


def _message(exc):
    return str(exc.detail)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django refused an unsafe request."""
    return json_error(403, "forbidden", f"CSRF verification failed: {reason}")


def handler400(request, exception=None):
    return json_error(400, "bad_request", "Bad request.")


def handler403(request, exception=None):
    return json_error(403, "forbidden", "Forbidden.")


def handler404(request, exception=None):
    return json_error(404, "not_found", "Not found.")


def handler500(request):
    return json_error(500, "server_error", "Internal server error.")
