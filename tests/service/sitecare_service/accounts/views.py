"""Staff sign-in, the signed-in staff member, the staff and client lists."""

from django.contrib.auth import logout
from django.db.models import Q
from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect, ensure_csrf_cookie
from rest_framework.response import Response
from rest_framework.views import APIView

from ..common.pagination import page
from ..common.views import StaffView
from . import serializers as out
from .auth import reauthenticate, sign_in
from .keys import decode_public_key, history, register_public_key
from .models import Client, User
from .roles import STAFF_ROLES


@method_decorator(ensure_csrf_cookie, name="dispatch")
class CsrfView(APIView):
    authentication_classes = []

    def get(self, request):
        return Response({"csrf_token": get_token(request._request)})


# DRF exempts its views from CSRF and only checks it for signed-in users;
# csrf_protect makes sign-in and sign-out check it too (login CSRF).
@method_decorator(csrf_protect, name="dispatch")
class LoginView(APIView):
    authentication_classes = []

    def post(self, request):
        return Response(out.me(sign_in(request, want_staff=True)))


@method_decorator(csrf_protect, name="dispatch")
class LogoutView(APIView):
    authentication_classes = []

    def post(self, request):
        logout(request._request)
        return Response(status=204)


class MeView(StaffView):
    def get(self, request):
        return Response(out.me(request.user))


class PublicKeyView(StaffView):
    """Registers a key; the password is required every time, so a stolen
    session alone cannot swap in a key of the thief's choosing. A malformed
    key is refused first, before it can cost a sign-in attempt."""

    def put(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        key = decode_public_key(data.get("public_key"))
        reauthenticate(request, data.get("password"))
        register_public_key(request.user, key)
        return Response(out.me(request.user))


class KeyHistoryView(StaffView):
    def get(self, request):
        return page(request, history(request.user),
                    [("registered_at", True), ("id", True)],
                    out.key_registration)


class StaffListView(StaffView):
    perms = {"GET": "tasks.read"}

    def get(self, request):
        qs = User.objects.filter(role__in=STAFF_ROLES, is_active=True)
        return page(request, qs, [("name", False), ("id", False)], out.staff)


class ClientListView(StaffView):
    perms = {"GET": "tasks.read"}

    def get(self, request):
        qs = Client.objects.prefetch_related("assigned_staff")
        q = request.query_params.get("q", "").strip()
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(company__icontains=q)
                           | Q(email__icontains=q) | Q(site_url__icontains=q))
        return page(request, qs, [("id", False)], out.client)
