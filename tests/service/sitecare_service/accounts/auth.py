"""Password checks: sign-in (shared by the staff and the client login
endpoints) and re-authentication of a signed-in staff member."""

from django.contrib.auth import authenticate, login
from rest_framework import serializers

from ..common.errors import ApiError, invalid
from . import ratelimit


class Credentials(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=1024, trim_whitespace=False)


def _address(request):
    return request.META.get("REMOTE_ADDR", "")


def sign_in(request, want_staff):
    """Checks the password and the account kind, then starts a session.

    The kind is checked only after the password, so a wrong password never
    reveals whether an account is staff or client. Django's login() cycles
    the session key and rotates the CSRF token.
    """
    body = Credentials(data=request.data)
    if not body.is_valid():
        raise invalid({k: [str(m) for m in v] for k, v in body.errors.items()})
    email = body.validated_data["email"].strip().lower()
    address = _address(request)
    user = ratelimit.guarded(email, address, lambda: authenticate(
        request._request, email=email,
        password=body.validated_data["password"]))
    if user is None:
        raise ApiError(401, "invalid_credentials",
                       "Wrong email or password.")
    if want_staff and not user.is_staff_member:
        raise ApiError(403, "staff_only", "This is not a staff account.")
    if not want_staff and user.is_staff_member:
        raise ApiError(403, "clients_only", "This is not a client account.")
    login(request._request, user)
    return user


def reauthenticate(request, password):
    """Checks the signed-in member's password again before a change a
    stolen session must not be able to make (registering a key).

    Missing or wrong: 403 reauth_required. A wrong one counts as a failed
    sign-in, under the same limit (429 once over it)."""
    if not isinstance(password, str) or not password:
        raise ApiError(403, "reauth_required",
                       "Send the account's password with this request.")
    user = request.user
    if not ratelimit.guarded(user.email.strip().lower(), _address(request),
                             lambda: user.check_password(password)):
        raise ApiError(403, "reauth_required", "Wrong password.")
