"""Credential listing, sealed reveal, and the reveal audit log."""

import base64

from django.db import transaction
from django.utils import timezone
from rest_framework.response import Response

from ..accounts.models import Client
from ..accounts.serializers import staff_ref
from ..common.errors import ApiError, forbidden, invalid, not_found
from ..common.pagination import page
from ..common.timefmt import rfc3339
from ..common.views import StaffView
from .crypto import seal_for
from .models import Credential, RevealAudit


def is_assigned(user, client_id):
    return user.assigned_clients.filter(id=client_id).exists()


class ClientCredentialsView(StaffView):
    perms = {"GET": "credentials.reveal"}

    def get(self, request, client_id):
        if not Client.objects.filter(id=client_id).exists():
            raise not_found("No such client.")
        can_reveal = is_assigned(request.user, client_id)
        return page(request, Credential.objects.filter(client_id=client_id),
                    [("id", False)], lambda c: {
                        "id": c.id, "label": c.label, "site_url": c.site_url,
                        "updated_at": rfc3339(c.updated_at),
                        "can_reveal": can_reveal})


class RevealView(StaffView):
    perms = {"POST": "credentials.reveal"}

    def post(self, request, credential_id):
        cred = Credential.objects.filter(id=credential_id).first()
        if cred is None:
            raise not_found("No such credential.")
        if not is_assigned(request.user, cred.client_id):
            raise forbidden("You are not assigned to this client.",
                            code="not_assigned")
        if not request.user.public_key:
            raise ApiError(409, "no_public_key",
                           "Register a public key first (PUT /me/public-key).")
        purpose = _purpose(request.data)
        # Audit first, in the same transaction: no reveal goes unlogged.
        with transaction.atomic():
            RevealAudit.objects.create(credential=cred, staff=request.user,
                                       purpose=purpose, at=timezone.now())
            sealed = seal_for(cred.secret, request.user.public_key)
        return Response({"credential_id": cred.id,
                         "sealed": base64.b64encode(sealed).decode()})


def _purpose(data):
    value = data.get("purpose") if isinstance(data, dict) else None
    if not isinstance(value, str) or not value.strip() or len(value) > 1000:
        raise invalid({"purpose": ["Say why (1 to 1000 characters)."]})
    return value.strip()


class AuditView(StaffView):
    def get(self, request, credential_id):
        if request.user.role != "admin":
            raise forbidden("Only admins can read the reveal audit log.")
        if not Credential.objects.filter(id=credential_id).exists():
            raise not_found("No such credential.")
        qs = RevealAudit.objects.filter(credential_id=credential_id) \
            .select_related("staff")
        return page(request, qs, [("at", True), ("id", True)], lambda a: {
            "staff": staff_ref(a.staff), "purpose": a.purpose,
            "at": rfc3339(a.at)})
