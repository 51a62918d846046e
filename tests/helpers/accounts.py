"""The demo accounts and the contract's role/permission matrix."""

PASSWORD = "sitecare-demo"

ROLES = ("support", "technician", "manager", "admin")

STAFF_EMAIL = {
    "support": "support@example.com",
    "technician": "tech@example.com",
    "manager": "manager@example.com",
    "admin": "admin@example.com",
}

CLIENT_EMAIL = "client@example.com"

BASE_PERMISSIONS = {"tasks.read", "tasks.update", "tasks.comment",
                    "chat.read", "chat.reply"}

# Exactly the table under "Staff, roles and permissions" in the contract.
PERMISSIONS = {
    "support": BASE_PERMISSIONS | {"billing.summary"},
    "technician": BASE_PERMISSIONS | {"credentials.reveal"},
    "manager": BASE_PERMISSIONS | {"tasks.assign_any", "billing.summary",
                                   "billing.read"},
    "admin": BASE_PERMISSIONS | {"tasks.assign_any", "credentials.reveal",
                                 "billing.summary", "billing.read"},
}

ALL_PERMISSIONS = set().union(*PERMISSIONS.values())


def has(role, permission):
    """Whether the contract grants `permission` to `role`."""
    return permission in PERMISSIONS[role]
