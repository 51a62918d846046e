"""The permission matrix (contract: "Staff, roles and permissions"), the
client/staff split and anonymous access, endpoint by endpoint."""

import base64
import itertools

import pytest

from helpers.accounts import PASSWORD, PERMISSIONS, ROLES, has
from helpers.api import new_msg_id
from helpers.contract import assert_error, assert_me

_pick = itertools.count(7)


class Ctx:
    def __init__(self, accounts, demo, staff_keys):
        self.accounts, self.demo, self.keys = accounts, demo, staff_keys

    def task(self):
        """A different task on each call, so PATCHes do not pile on one task."""
        ids = self.demo.task_ids()
        return ids[(next(_pick) * 37) % len(ids)]

    def task_with_attachment(self):
        for t in self.demo.tasks:
            if t["attachment_count"] > 0:
                return t["id"]
        raise AssertionError("no task with an attachment in the demo data")

    def conversation(self, s):
        r = s.get("/conversations", params={"limit": 5})
        assert r.status == 200 and r.data["results"], r
        return r.data["results"][-1]["id"]

    def other_staff_id(self, role):
        mine = self.demo.staff_id(role)
        return next(self.demo.staff_id(r) for r in ROLES if self.demo.staff_id(r) != mine)

    def credential(self, role):
        """A credential of a client `role` is assigned to, else of any client."""
        admin = self.accounts.staff("admin")
        clients = (self.demo.assigned_clients(role) if role in ("technician", "admin")
                   else []) or self.demo.clients
        r = admin.get(f"/clients/{clients[0]['id']}/credentials")
        assert r.status == 200 and r.data["results"], r
        return r.data["results"][0]["id"]


def _patch(s, tid, body):
    cur = s.get(f"/tasks/{tid}")
    assert cur.status == 200, cur
    return s.patch(f"/tasks/{tid}", json=body, headers={"If-Match": f'"{cur.data["version"]}"'})


def ep_patch_status(ctx, s, role):
    tid = ctx.task()
    cur = s.get(f"/tasks/{tid}").data
    new = "in_progress" if cur["status"] != "in_progress" else "waiting_on_client"
    return _patch(s, tid, {"status": new})


def ep_patch_priority(ctx, s, role):
    tid = ctx.task()
    cur = s.get(f"/tasks/{tid}").data
    new = "high" if cur["priority"] != "high" else "low"
    return _patch(s, tid, {"priority": new})


def ep_assign_self(ctx, s, role):
    return _patch(s, ctx.task(), {"assignee_id": ctx.demo.staff_id(role)})


def ep_assign_other(ctx, s, role, tid=None):
    return _patch(s, tid or ctx.task(), {"assignee_id": ctx.other_staff_id(role)})


def ep_comment(ctx, s, role):
    return s.post(f"/tasks/{ctx.task()}/comments",
                  json={"body": f"matrix comment by {role}", "internal": True,
                        "client_msg_id": new_msg_id()})


def ep_attachment(ctx, s, role):
    tid = ctx.task_with_attachment()
    t = s.get(f"/tasks/{tid}")
    assert t.status == 200, t
    return s.get(f"/tasks/{tid}/attachments/{t.data['attachments'][0]['id']}", accept="*/*")


def ep_message(ctx, s, role):
    return s.post(f"/conversations/{ctx.conversation(s)}/messages",
                  json={"body": f"matrix reply by {role}", "client_msg_id": new_msg_id()})


def ep_read(ctx, s, role):
    cid = ctx.conversation(s)
    msgs = s.get(f"/conversations/{cid}/messages", params={"limit": 1})
    assert msgs.status == 200 and msgs.data["results"], msgs
    return s.post(f"/conversations/{cid}/read",
                  json={"last_read_message_id": msgs.data["results"][-1]["id"]})


def ep_credentials(ctx, s, role):
    clients = (ctx.demo.assigned_clients(role) if role in ("technician", "admin")
               else []) or ctx.demo.clients
    return s.get(f"/clients/{clients[0]['id']}/credentials")


def ep_reveal(ctx, s, role):
    return s.post(f"/credentials/{ctx.credential(role)}/reveal",
                  json={"purpose": f"permission matrix, {role}"})


def ep_audit(ctx, s, role):
    return s.get(f"/credentials/{ctx.credential('admin')}/audit")


def ep_public_key(ctx, s, role):
    pk = base64.b64encode(bytes(ctx.keys[role].public_key)).decode()
    return s.put("/me/public-key", json={"public_key": pk, "password": PASSWORD})


def ep_events(ctx, s, role):
    with s.events(settle=False) as st:
        return st


def ep_get(path):
    def f(ctx, s, role):
        return s.get(path.format(task=ctx.task(), conv=ctx.conversation(s)
                                 if "{conv}" in path else 0))
    f.__name__ = f"GET {path}"
    return f


# (name, permission or None for every staff member or "admin" for admin only,
#  call, success status)
MATRIX = [
    ("GET /me", None, ep_get("/me"), 200),
    ("GET /staff", None, ep_get("/staff"), 200),
    ("GET /clients", None, ep_get("/clients"), 200),
    ("PUT /me/public-key", None, ep_public_key, 200),
    ("GET /events", None, ep_events, 200),
    ("GET /tasks", "tasks.read", ep_get("/tasks"), 200),
    ("GET /tasks/{id}", "tasks.read", ep_get("/tasks/{task}"), 200),
    ("GET /tasks/{id}/attachments/{aid}", "tasks.read", ep_attachment, 200),
    ("PATCH /tasks/{id} status", "tasks.update", ep_patch_status, 200),
    ("PATCH /tasks/{id} priority", "tasks.update", ep_patch_priority, 200),
    ("PATCH /tasks/{id} assign self", "tasks.update", ep_assign_self, 200),
    ("PATCH /tasks/{id} assign someone else", "tasks.assign_any", ep_assign_other, 200),
    ("POST /tasks/{id}/comments", "tasks.comment", ep_comment, 201),
    ("GET /conversations", "chat.read", ep_get("/conversations"), 200),
    ("GET /conversations/{id}/messages", "chat.read",
     ep_get("/conversations/{conv}/messages"), 200),
    ("POST /conversations/{id}/messages", "chat.reply", ep_message, 201),
    ("POST /conversations/{id}/read", "chat.read", ep_read, 204),
    ("GET /clients/{id}/credentials", "credentials.reveal", ep_credentials, 200),
    ("POST /credentials/{id}/reveal", "credentials.reveal", ep_reveal, 200),
    ("GET /credentials/{id}/audit", "admin", ep_audit, 200),
    ("GET /billing/summary", "billing.read", ep_get("/billing/summary"), 200),
    ("GET /billing/subscriptions", "billing.summary", ep_get("/billing/subscriptions"), 200),
    ("GET /billing/invoices", "billing.read", ep_get("/billing/invoices"), 200),
]


def _allowed(role, perm):
    if perm is None:
        return True
    if perm == "admin":
        return role == "admin"
    return has(role, perm)


@pytest.fixture
def ctx(accounts, demo, staff_keys):
    return Ctx(accounts, demo, staff_keys)


@pytest.mark.parametrize("role", ROLES)
def test_permissions__me__lists_exactly_the_roles_permissions(accounts, role):
    me = accounts.staff(role).get("/me")
    assert me.status == 200, me
    assert_me(me.data, role)
    assert set(me.data["permissions"]) == PERMISSIONS[role], \
        f"{role}: {sorted(me.data['permissions'])} != {sorted(PERMISSIONS[role])}"
    assert len(me.data["permissions"]) == len(set(me.data["permissions"])), "duplicates"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,perm,call,ok", MATRIX, ids=[m[0] for m in MATRIX])
def test_permissions__matrix(ctx, accounts, role, name, perm, call, ok):
    s = accounts.staff(role)
    r = call(ctx, s, role)
    if _allowed(role, perm):
        assert r.status == ok, f"{role} {name} should be allowed ({perm}): {getattr(r, 'data', r)!r}"
    else:
        if hasattr(r, "code"):
            assert_error(r, 403, "forbidden")
        else:
            assert r.status == 403, f"{role} {name} should be refused ({perm})"


@pytest.mark.parametrize("role", ROLES)
def test_permissions__refused_assignment_changes_nothing(ctx, accounts, role):
    s = accounts.staff(role)
    tid = ctx.task()
    before = s.get(f"/tasks/{tid}").data
    r = ep_assign_other(ctx, s, role, tid)
    after = s.get(f"/tasks/{tid}").data
    if has(role, "tasks.assign_any"):
        assert r.status == 200 and after["assignee"]["id"] == ctx.other_staff_id(role), r
    else:
        assert r.status == 403, r
        assert after["version"] == before["version"], "a refused PATCH bumped the version"
        assert after["assignee"] == before["assignee"], "a refused PATCH changed the assignee"


STAFF_GETS = ["/me", "/staff", "/clients", "/tasks", "/tasks/{task}",
              "/conversations", "/conversations/{conv}/messages",
              "/clients/{client}/credentials", "/credentials/{cred}/audit",
              "/billing/summary", "/billing/subscriptions", "/billing/invoices",
              "/events"]


def _fill(path, ctx):
    admin = ctx.accounts.staff("admin")
    return path.format(task=ctx.task(), conv=ctx.conversation(admin),
                       client=ctx.demo.clients[0]["id"], cred=ctx.credential("admin"))


@pytest.mark.parametrize("path", STAFF_GETS)
def test_permissions__client_account_gets_403_staff_only(ctx, accounts, path):
    c = accounts.client()
    r = c.get(_fill(path, ctx), accept="text/event-stream" if path == "/events" else "application/json")
    assert_error(r, 403, "staff_only")


@pytest.mark.parametrize("method,path,body", [
    ("PATCH", "/tasks/{task}", {"priority": "low"}),
    ("POST", "/tasks/{task}/comments", {"body": "x", "internal": False, "client_msg_id": None}),
    ("POST", "/conversations/{conv}/messages", {"body": "x", "client_msg_id": None}),
    ("POST", "/conversations/{conv}/read", {"last_read_message_id": 1}),
    ("PUT", "/me/public-key", {"public_key": base64.b64encode(b"k" * 32).decode()}),
    ("POST", "/credentials/{cred}/reveal", {"purpose": "client trying"}),
])
def test_permissions__client_account_writes_get_403_staff_only(ctx, accounts, method, path, body):
    c = accounts.client()
    if body and "client_msg_id" in body:
        body = dict(body, client_msg_id=new_msg_id())
    r = c.request(method, _fill(path, ctx), json=body, headers={"If-Match": '"1"'})
    assert_error(r, 403, "staff_only")


@pytest.mark.parametrize("path", STAFF_GETS + ["/client/conversation", "/client/tasks",
                                               "/client/conversation/messages"])
def test_permissions__anonymous_gets_401_not_authenticated(ctx, service, path):
    r = service.session().get(_fill(path, ctx))
    assert_error(r, 401, "not_authenticated")


def test_permissions__anonymous_events_stream_gets_401(service):
    with service.session().events(settle=False) as st:
        assert st.status == 401, st.status
        assert isinstance(st.data, dict) and st.data["error"]["code"] == "not_authenticated", st.data


@pytest.mark.parametrize("path", ["/client/conversation", "/client/conversation/messages",
                                  "/client/tasks"])
@pytest.mark.parametrize("role", ROLES)
def test_permissions__staff_account_gets_403_clients_only(accounts, role, path):
    r = accounts.staff(role).get(path)
    assert_error(r, 403, "clients_only")


@pytest.mark.parametrize("method,path,body", [
    ("POST", "/client/conversation/messages", {"body": "staff on client api"}),
    ("POST", "/client/tasks", {"title": "t", "description": "d", "priority": "low"}),
])
def test_permissions__staff_account_writes_on_client_api_get_403_clients_only(
        accounts, method, path, body):
    if "body" in body:
        body = dict(body, client_msg_id=new_msg_id())
    r = accounts.staff("admin").request(method, path, json=body)
    assert_error(r, 403, "clients_only")
