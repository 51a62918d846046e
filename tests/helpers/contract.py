"""Assertions about the shapes the contract (`share/api/API.md`) promises."""

import re
from datetime import datetime, timezone

RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")

TASK_STATUSES = ("new", "in_progress", "waiting_on_client", "done", "cancelled")
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_RANK = {p: i for i, p in enumerate(PRIORITIES)}

TASK_KEYS = {"id", "version", "title", "description", "status", "priority", "client",
             "assignee", "created_at", "updated_at", "due_at", "comment_count",
             "attachment_count"}
COMMENT_KEYS = {"id", "author", "body", "internal", "created_at"}
ATTACHMENT_KEYS = {"id", "filename", "size", "content_type", "created_at"}
MESSAGE_KEYS = {"id", "conversation_id", "author", "body", "created_at", "client_msg_id"}
CONVERSATION_KEYS = {"id", "client", "last_message_at", "unread_count", "last_message"}
CLIENT_KEYS = {"id", "name", "company", "email", "phone", "site_url", "assigned_staff"}
ME_KEYS = {"id", "name", "email", "role", "public_key", "public_key_registered_at",
           "permissions"}
SUBSCRIPTION_KEYS = {"id", "client", "plan", "status", "current_period_end",
                     "cancel_at_period_end"}
SUBSCRIPTION_MONEY_KEYS = {"amount_cents", "currency", "interval", "card"}
INVOICE_KEYS = {"id", "number", "client", "amount_cents", "currency", "status",
                "created_at", "paid_at", "stripe_ref", "failure_reason"}
INVOICE_STATUSES = ("paid", "open", "failed", "refunded")
SUBSCRIPTION_STATUSES = ("active", "trialing", "past_due", "canceled")


def is_time(v):
    return isinstance(v, str) and bool(RFC3339_UTC.match(v))


def parse_time(v):
    assert is_time(v), f"not an RFC 3339 UTC time: {v!r}"
    v = v[:-1]
    if "." in v:
        head, frac = v.split(".")
        v = f"{head}.{(frac + '000000')[:6]}"
        return datetime.strptime(v, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc)
    return datetime.strptime(v, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def assert_keys(obj, keys, what):
    assert isinstance(obj, dict), f"{what}: not an object: {obj!r}"
    missing = set(keys) - set(obj)
    assert not missing, f"{what}: missing {sorted(missing)} in {obj!r}"


def assert_error(r, status, code=None):
    """`r` is an error with `status` and the contract's error envelope."""
    assert r.status == status, f"expected {status} {code or ''}: {r!r}"
    assert isinstance(r.data, dict) and isinstance(r.data.get("error"), dict), \
        f"no error envelope: {r!r}"
    err = r.data["error"]
    assert isinstance(err.get("code"), str) and re.match(r"^[a-z][a-z0-9_]*$", err["code"]), r
    assert isinstance(err.get("message"), str) and err["message"], f"no message: {r!r}"
    if code is not None:
        assert err["code"] == code, f"expected code {code}: {r!r}"
    return err


def error_extra(r, key):
    """An extra member of an error (`fields`, `current`), inside `error` or
    beside it (the contract does not say which; both are accepted)."""
    err = r.error
    if key in err:
        return err[key]
    assert isinstance(r.data, dict) and key in r.data, f"no {key!r} in the error: {r!r}"
    return r.data[key]


def assert_invalid(r, *fields):
    """A 422 `invalid` whose `fields` names each of `fields` with messages."""
    assert_error(r, 422, "invalid")
    got = error_extra(r, "fields")
    assert isinstance(got, dict), r
    for f in fields:
        assert f in got, f"field {f!r} not reported: {r!r}"
        msgs = got[f]
        assert isinstance(msgs, list) and msgs and all(isinstance(m, str) and m for m in msgs), r
    return got


def assert_list_shape(data, what):
    assert isinstance(data, dict), f"{what}: {data!r}"
    assert isinstance(data.get("results"), list), f"{what}: no results list"
    assert "next" in data, f"{what}: no next"
    assert data["next"] is None or (isinstance(data["next"], str) and data["next"]), \
        f"{what}: next is {data['next']!r}"


def assert_small_client(c, what="client"):
    assert_keys(c, {"id", "name", "company"}, what)
    assert is_int(c["id"]) and isinstance(c["name"], str)


def assert_author(a, kind=None):
    assert_keys(a, {"kind", "id", "name"}, "author")
    assert a["kind"] in ("staff", "client"), a
    assert is_int(a["id"]) and isinstance(a["name"], str) and a["name"], a
    if kind:
        assert a["kind"] == kind, a


def assert_task(t):
    assert_keys(t, TASK_KEYS, "task")
    assert is_int(t["id"]) and is_int(t["version"]) and t["version"] >= 0, t
    assert isinstance(t["title"], str) and t["title"], t
    assert isinstance(t["description"], str), t
    assert t["status"] in TASK_STATUSES, t
    assert t["priority"] in PRIORITIES, t
    assert_small_client(t["client"], "task.client")
    if t["assignee"] is not None:
        assert_keys(t["assignee"], {"id", "name"}, "task.assignee")
        assert is_int(t["assignee"]["id"])
    assert is_time(t["created_at"]) and is_time(t["updated_at"]), t
    assert t["due_at"] is None or is_time(t["due_at"]), t
    assert is_int(t["comment_count"]) and t["comment_count"] >= 0, t
    assert is_int(t["attachment_count"]) and t["attachment_count"] >= 0, t


def assert_comment(c):
    assert_keys(c, COMMENT_KEYS, "comment")
    assert is_int(c["id"])
    assert_author(c["author"])
    assert isinstance(c["body"], str)
    assert isinstance(c["internal"], bool), c
    assert is_time(c["created_at"]), c


def assert_message(m):
    assert_keys(m, MESSAGE_KEYS, "message")
    assert is_int(m["id"]) and is_int(m["conversation_id"]), m
    assert_author(m["author"])
    assert isinstance(m["body"], str)
    assert is_time(m["created_at"]), m
    assert m["client_msg_id"] is None or isinstance(m["client_msg_id"], str), m


def assert_conversation(c):
    assert_keys(c, CONVERSATION_KEYS, "conversation")
    assert is_int(c["id"])
    assert_small_client(c["client"], "conversation.client")
    assert c["last_message_at"] is None or is_time(c["last_message_at"]), c
    assert is_int(c["unread_count"]) and c["unread_count"] >= 0, c
    if c["last_message"] is not None:
        assert_message(c["last_message"])
        assert len(c["last_message"]["body"]) <= 200, c


def assert_me(me, role=None):
    assert_keys(me, ME_KEYS, "me")
    assert is_int(me["id"]) and isinstance(me["name"], str) and isinstance(me["email"], str)
    assert me["role"] in ("support", "technician", "manager", "admin"), me
    assert isinstance(me["permissions"], list), me
    assert all(isinstance(p, str) for p in me["permissions"]), me
    if role:
        assert me["role"] == role, me
