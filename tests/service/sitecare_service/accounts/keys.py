"""Registering a staff member's public key, the one path shared by
`PUT /me/public-key` and `ctl set-public-key`: the key, its history row and
the `staff.key_changed` event are written in one transaction."""

import base64
import binascii

from django.db import transaction
from django.utils import timezone

from ..common.errors import invalid
from ..events.emit import emit
from . import serializers as out
from .models import KeyRegistration


def decode_public_key(value):
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


@transaction.atomic
def register_public_key(user, raw):
    """Makes `raw` the key credentials are sealed to for `user`, keeps the
    registration, and tells that member's streams (only theirs) at once."""
    user.public_key = raw
    user.save(update_fields=["public_key"])
    registration = KeyRegistration.objects.create(
        staff=user, public_key=raw, registered_at=timezone.now())
    emit("staff.key_changed", out.key_registration(registration), to=user)
    return registration


def history(user):
    """Every registration of `user`'s key (paged newest first by views)."""
    return KeyRegistration.objects.filter(staff=user)
