"""Base views: who may call what.

StaffView and ClientView split the two audiences of the API; each staff
view names the permission every HTTP method needs, and the server checks it
against the caller's role before the handler runs.
"""

from rest_framework import exceptions
from rest_framework.views import APIView

from .errors import ApiError, forbidden, invalid


def require_signed_in(request):
    if not request.user or not request.user.is_authenticated:
        raise exceptions.NotAuthenticated("Authentication required.")


class StaffView(APIView):
    # HTTP method -> permission name; HEAD follows GET.
    perms = {}

    def check_permissions(self, request):
        require_signed_in(request)
        if not request.user.is_staff_member:
            raise ApiError(403, "staff_only",
                           "This endpoint is for staff accounts only.")
        method = "GET" if request.method == "HEAD" else request.method
        needed = self.perms.get(method)
        if needed and not request.user.can(needed):
            raise forbidden(f"This needs the {needed} permission.")


class ClientView(APIView):
    def check_permissions(self, request):
        require_signed_in(request)
        if request.user.is_staff_member or request.user.client_id is None:
            raise ApiError(403, "clients_only",
                           "This endpoint is for client accounts only.")


def need(request, permission):
    """Raise 403 unless the caller has `permission`."""
    if not request.user.can(permission):
        raise forbidden(f"This needs the {permission} permission.")


def int_param(request, name, required=False):
    """An integer query parameter, or None; 422 when malformed."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        if required:
            raise invalid({name: ["This parameter is required."]})
        return None
    try:
        return int(raw)
    except ValueError:
        raise invalid({name: ["An integer is required."]})


def list_param(request, name, allowed):
    """A comma-separated list of allowed values, or None; 422 otherwise."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    values = [v.strip() for v in raw.split(",") if v.strip()]
    bad = [v for v in values if v not in allowed]
    if bad:
        raise invalid({name: [f"Unknown value: {v}." for v in bad]})
    return values
