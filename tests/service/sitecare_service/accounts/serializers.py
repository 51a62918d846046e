"""JSON shapes of accounts and clients."""

import base64


def me(user):
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "public_key": base64.b64encode(bytes(user.public_key)).decode()
        if user.public_key else None,
        "permissions": user.permissions,
    }


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
