"""Times as the contract writes them: RFC 3339, UTC, whole seconds, `Z`."""

from datetime import timezone


def rfc3339(dt):
    if dt is None:
        return None
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
