"""Staff sign-in, the signed-in staff member, the staff and client lists."""

import base64
import binascii

from django.contrib.auth import logout
from django.db.models import Q
from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect, ensure_csrf_cookie
from rest_framework.response import Response
from rest_framework.views import APIView

from ..common.errors import invalid
from ..common.pagination import page
from ..common.views import StaffView
from . import serializers as out
from .auth import sign_in
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
    def put(self, request):
        key = _decode_public_key(request.data.get("public_key")
                                 if isinstance(request.data, dict) else None)
        request.user.public_key = key
        request.user.save(update_fields=["public_key"])
        return Response(out.me(request.user))


def _decode_public_key(value):
    """Raw bytes of a base64 X25519 public key; 422 unless exactly 32."""
    error = "Must be the base64 of exactly 32 bytes."
    if not isinstance(value, str):
        raise invalid({"public_key": [error]})
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise invalid({"public_key": [error]})
    if len(raw) != 32:
        raise invalid({"public_key": [error]})
    return raw


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
