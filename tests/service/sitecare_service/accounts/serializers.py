"""JSON shapes of accounts and clients."""

import base64

from ..common.timefmt import rfc3339


def _b64(raw):
    return base64.b64encode(bytes(raw)).decode()


def me(user):
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "public_key": _b64(user.public_key) if user.public_key else None,
        "public_key_registered_at": _registered_at(user),
        "permissions": user.permissions,
    }


def _registered_at(user):
    """When the key in force was registered (its newest history row)."""
    if not user.public_key:
        return None
    latest = user.key_registrations.order_by("-id").first()
    return rfc3339(latest.registered_at) if latest else None


def key_registration(r):
    return {"public_key": _b64(r.public_key),
            "registered_at": rfc3339(r.registered_at)}


def staff_ref(user):
    return {"id": user.id, "name": user.name} if user else None


def staff(user):
    return {"id": user.id, "name": user.name, "role": user.role}


def client_ref(client):
    return {"id": client.id, "name": client.name, "company": client.company}


def client(c):
    return {
        "id": c.id,
        "name": c.name,
        "company": c.company,
        "email": c.email,
        "phone": c.phone,
        "site_url": c.site_url,
        "assigned_staff": [staff_ref(u) for u in c.assigned_staff.all()],
    }
