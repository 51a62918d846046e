"""The contract's permission matrix, the one place roles become rights."""

BASE = ("tasks.read", "tasks.update", "tasks.comment", "chat.read",
        "chat.reply")

PERMISSIONS = {
    "support": BASE + ("billing.summary",),
    "technician": BASE + ("credentials.reveal",),
    "manager": BASE + ("tasks.assign_any", "billing.summary",
                       "billing.read"),
    "admin": BASE + ("tasks.assign_any", "credentials.reveal",
                     "billing.summary", "billing.read"),
}

STAFF_ROLES = tuple(PERMISSIONS)
CLIENT_ROLE = "client"


def permissions_for(role):
    return list(PERMISSIONS.get(role, ()))
