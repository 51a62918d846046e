#!/usr/bin/python3
"""Quick self-check of the reference service (not the contract suite).

    /usr/bin/python3 tests/service/smoke.py

Starts a fresh service in a temporary directory, walks every endpoint
once, restarts it to check persistence and Last-Event-ID resume, and
prints one line per check. Exit status 0 when all pass.
"""

import base64
import gzip
import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSWORD = "sitecare-demo"
FAILED = []


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f"  {detail}"))
    if not ok:
        FAILED.append(name)


class Api:
    """A tiny cookie-keeping HTTPS client that sends CSRF like a browser."""

    def __init__(self, url, ca):
        self.url = url
        self.host, self.port = url.split("//")[1].split(":")
        self.ctx = ssl.create_default_context(cafile=str(ca))
        self.cookies = {}

    def conn(self, timeout=30):
        return http.client.HTTPSConnection(self.host, int(self.port),
                                           context=self.ctx, timeout=timeout)

    def headers(self, method, extra):
        h = {"Accept": "application/json"}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method not in ("GET", "HEAD") and "csrftoken" in self.cookies:
            h["X-CSRFToken"] = self.cookies["csrftoken"]
            h["Referer"] = self.url + "/"
        h.update(extra or {})
        return h

    def keep_cookies(self, resp):
        for k, v in resp.getheaders():
            if k.lower() == "set-cookie":
                name, value = v.split(";")[0].split("=", 1)
                if value in ("", '""'):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value

    def call(self, method, path, body=None, headers=None):
        c = self.conn()
        data = json.dumps(body).encode() if body is not None else None
        h = self.headers(method, headers)
        if data is not None:
            h["Content-Type"] = "application/json"
        c.request(method, "/api/v1" + path, body=data, headers=h)
        resp = c.getresponse()
        raw = resp.read()
        self.keep_cookies(resp)
        c.close()
        if resp.getheader("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw
        return resp.status, dict(resp.getheaders()), parsed

    def login(self, email, path="/auth/login"):
        self.call("GET", "/auth/csrf")
        return self.call("POST", path, {"email": email, "password": PASSWORD})

    def stream(self, last_event_id=None):
        """Opens /events; returns (connection, response)."""
        c = self.conn(timeout=10)
        h = self.headers("GET", {"Accept": "text/event-stream",
                                 "Accept-Encoding": "gzip"})
        if last_event_id is not None:
            h["Last-Event-ID"] = str(last_event_id)
        c.request("GET", "/api/v1/events", headers=h)
        return c, c.getresponse()


def read_events(resp, until, timeout=5):
    """Reads SSE blocks until `until(blocks)` or timeout."""
    blocks, current = [], {}
    deadline = time.monotonic() + timeout
    resp.fp.raw._sock.settimeout(timeout)
    while time.monotonic() < deadline and not until(blocks):
        try:
            line = resp.fp.readline().decode().rstrip("\n")
        except socket.timeout:
            break
        if line == "":
            if current:
                blocks.append(current)
            current = {}
        elif line.startswith(":"):
            blocks.append({"comment": line})
        else:
            k, _, v = line.partition(": ")
            current[k] = v
    return blocks


def start(state, *extra, env=None):
    proc = subprocess.Popen([str(HERE / "serve"), "--port", "0", "--state",
                             str(state), *extra], stdout=subprocess.PIPE,
                            text=True, env=env)
    line = proc.stdout.readline().split()
    assert line and line[0] == "ready", line
    return proc, line[1]


def stop(proc):
    t = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    rc = proc.wait(timeout=10)
    return rc, time.monotonic() - t


def ctl(state, *args):
    out = subprocess.run([str(HERE / "ctl"), "--state", str(state), *args],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def auth_checks(api, state):
    s, _, body = api.call("GET", "/me")
    check("me without session is 401", s == 401 and
          body["error"]["code"] == "not_authenticated", body)
    s, _, body = api.call("GET", "/auth/csrf")
    check("csrf", s == 200 and "csrf_token" in body)
    s, _, body = api.call("POST", "/auth/login",
                          {"email": "admin@example.com", "password": "x"})
    check("wrong password 401", s == 401 and
          body["error"]["code"] == "invalid_credentials", body)
    s, _, body = api.call("POST", "/auth/login", {"email": "admin@example.com",
                                                  "password": PASSWORD},
                          headers={"X-CSRFToken": "nope"})
    check("login without valid CSRF 403", s == 403 and
          "CSRF" in body["error"]["message"], body)
    s, _, body = Api(api.url, state / "ca.pem").login("client@example.com")
    check("client at staff login 403 staff_only", s == 403 and
          body["error"]["code"] == "staff_only", body)
    before = api.cookies.get("csrftoken")
    s, _, body = api.login("admin@example.com")
    check("login", s == 200 and body["role"] == "admin", body)
    check("csrf rotates on login", api.cookies["csrftoken"] != before)
    s, _, body = api.call("GET", "/nope")
    check("unknown route 404 json", s == 404 and
          body["error"]["code"] == "not_found", body)
    s, _, body = api.call("DELETE", "/me")
    check("wrong method 405", s == 405, body)


def key_and_vault_checks(api):
    from nacl.public import PrivateKey, SealedBox
    s, _, body = api.call("PUT", "/me/public-key", {"public_key": "AAAA"})
    check("bad public key 422", s == 422 and "public_key" in
          body["error"]["fields"], body)
    s, _, body = api.call("POST", "/credentials/1/reveal", {"purpose": "x"})
    check("reveal without key 409", s == 409 and
          body["error"]["code"] == "no_public_key", body)
    sk = PrivateKey.generate()
    pk = base64.b64encode(bytes(sk.public_key)).decode()
    s, _, body = api.call("PUT", "/me/public-key", {"public_key": pk})
    check("no password 403", s == 403 and
          body["error"]["code"] == "reauth_required", body)
    s, _, body = api.call("PUT", "/me/public-key",
                          {"public_key": pk, "password": PASSWORD})
    check("public key registered", s == 200 and body["public_key"] == pk
          and body["public_key_registered_at"], body)
    s, _, body = api.call("GET", "/me/key-history")
    check("key history", s == 200 and
          [r["public_key"] for r in body["results"]] == [pk], body)
    s, _, body = api.call("GET", "/clients/1/credentials")
    check("credentials list", s == 200 and body["results"] and
          all(c["can_reveal"] for c in body["results"]), body)
    s, _, body = api.call("GET", "/clients/2/credentials")
    check("not assigned: can_reveal false", s == 200 and
          not any(c["can_reveal"] for c in body["results"]), body)
    cred = api.call("GET", "/clients/1/credentials")[2]["results"][0]["id"]
    s, _, body = api.call("POST", f"/credentials/{cred}/reveal",
                          {"purpose": "task #1"})
    plain = json.loads(SealedBox(sk).decrypt(base64.b64decode(body["sealed"])))
    check("reveal decrypts", s == 200 and set(plain) ==
          {"username", "password", "notes"}, body)
    other = api.call("GET", "/clients/2/credentials")[2]["results"][0]["id"]
    s, _, body = api.call("POST", f"/credentials/{other}/reveal",
                          {"purpose": "x"})
    check("reveal not assigned 403", s == 403 and
          body["error"]["code"] == "not_assigned", body)
    s, _, body = api.call("GET", f"/credentials/{cred}/audit")
    check("audit", s == 200 and body["results"][0]["purpose"] == "task #1",
          body)


def task_checks(api):
    s, h, body = api.call("GET", "/tasks?limit=20")
    check("tasks list", s == 200 and len(body["results"]) == 20 and
          body["next"], body)
    ranks = ["urgent", "high", "normal", "low"]
    order = [ranks.index(t["priority"]) for t in body["results"]]
    check("default sort -priority", order == sorted(order))
    s2, _, _ = api.call("GET", "/tasks?limit=20",
                        headers={"If-None-Match": h["ETag"]})
    check("etag 304", s2 == 304, s2)
    seen, cursor, pages = set(), None, 0
    while True:
        q = "/tasks?limit=37&sort=due_at" + (f"&cursor={cursor}" if cursor
                                             else "")
        page = api.call("GET", q)[2]
        seen |= {t["id"] for t in page["results"]}
        pages += 1
        cursor = page["next"]
        if not cursor:
            break
    check("cursor walk covers all tasks", len(seen) == 300, len(seen))
    s, _, body = api.call("GET", "/tasks?cursor=garbage")
    check("tampered cursor 422", s == 422, body)
    s, _, body = api.call("GET", "/tasks?status=new,done&priority=urgent"
                          "&assignee=none&client=1")
    check("filters", s == 200 and all(
        t["status"] in ("new", "done") and t["priority"] == "urgent" and
        t["assignee"] is None and t["client"]["id"] == 1
        for t in body["results"]), body)
    s, _, task = api.call("GET", "/tasks/1")
    check("task detail", s == 200 and "comments" in task and
          len(task["attachments"]) >= 2, task)
    s, _, body = api.call("PATCH", "/tasks/1", {"status": "done"})
    check("patch without If-Match 428", s == 428, body)
    v = task["version"]
    s, _, body = api.call("PATCH", "/tasks/1", {"status": "bogus"},
                          headers={"If-Match": f'"{v}"'})
    check("patch invalid 422", s == 422 and "status" in
          body["error"]["fields"], body)
    s, _, body = api.call("PATCH", "/tasks/1", {"status": "in_progress"},
                          headers={"If-Match": f'"{v}"'})
    check("patch", s == 200 and body["version"] == v + 1, body)
    s, _, body = api.call("PATCH", "/tasks/1", {"status": "done"},
                          headers={"If-Match": f'"{v}"'})
    check("stale patch 412", s == 412 and
          body["error"]["current"]["version"] == v + 1, body)
    mid = str(uuid.uuid4())
    s1, _, c1 = api.call("POST", "/tasks/1/comments",
                         {"body": "hi", "internal": True,
                          "client_msg_id": mid})
    s2, _, c2 = api.call("POST", "/tasks/1/comments",
                         {"body": "hi", "internal": True,
                          "client_msg_id": mid})
    check("comment idempotent", s1 == 201 and s2 == 200 and c1 == c2)
    for a in task["attachments"]:
        c = api.conn()
        c.request("GET", f"/api/v1/tasks/1/attachments/{a['id']}",
                  headers=api.headers("GET", {}))
        r = c.getresponse()
        data = r.read()
        check(f"attachment {a['filename']!r}", r.status == 200 and
              len(data) == a["size"] and
              int(r.getheader("Content-Length")) == a["size"] and
              "filename*=" in r.getheader("Content-Disposition"))


def chat_checks(api):
    s, _, body = api.call("GET", "/conversations")
    times = [c["last_message_at"] or "" for c in body["results"]]
    check("conversations newest first", s == 200 and
          times == sorted(times, reverse=True), times)
    s, _, unread = api.call("GET", "/conversations?unread=1")
    check("unread filter", all(c["unread_count"] > 0
                               for c in unread["results"]))
    conv = unread["results"][0]["id"]
    s, _, msgs = api.call("GET", f"/conversations/{conv}/messages?limit=5")
    ids = [m["id"] for m in msgs["results"]]
    check("messages oldest first", ids == sorted(ids) and len(ids) <= 5)
    s, _, older = api.call(
        "GET", f"/conversations/{conv}/messages?before={ids[0]}&limit=3")
    check("messages before", all(m["id"] < ids[0] for m in older["results"]))
    s, _, body = api.call("POST", f"/conversations/{conv}/messages",
                          {"body": "", "client_msg_id": str(uuid.uuid4())})
    check("empty message 422", s == 422, body)
    s, _, body = api.call("POST", f"/conversations/{conv}/messages",
                          {"body": "x" * 10001,
                           "client_msg_id": str(uuid.uuid4())})
    check("too long message 422", s == 422, body)
    mid = str(uuid.uuid4())
    s1, _, m1 = api.call("POST", f"/conversations/{conv}/messages",
                         {"body": "hello", "client_msg_id": mid})
    s2, _, m2 = api.call("POST", f"/conversations/{conv}/messages",
                         {"body": "hello", "client_msg_id": mid})
    check("message idempotent", s1 == 201 and s2 == 200 and m1 == m2)
    s, _, _ = api.call("POST", f"/conversations/{conv}/read",
                       {"last_read_message_id": m1["id"]})
    after = api.call("GET", "/conversations?unread=1")[2]
    check("read clears unread", s == 204 and conv not in
          [c["id"] for c in after["results"]])


def billing_checks(admin, state):
    s, _, body = admin.call("GET", "/billing/summary")
    check("billing summary", s == 200 and len(body["revenue_by_month"]) == 12
          and body["mrr_cents"] > 0, body)
    s, _, body = admin.call("GET", "/billing/invoices?status=failed")
    check("failed invoices", s == 200 and body["results"] and all(
        i["failure_reason"] for i in body["results"]), body)
    support = Api(admin.url, state / "ca.pem")
    support.login("support@example.com")
    s, _, body = support.call("GET", "/billing/subscriptions")
    check("summary-only subscriptions omit amounts", s == 200 and
          "amount_cents" not in body["results"][0] and
          "card" not in body["results"][0], body)
    s, _, body = support.call("GET", "/billing/summary")
    check("support billing summary 403", s == 403, body)
    s, _, body = support.call("GET", "/clients/1/credentials")
    check("support credentials 403", s == 403, body)


def client_checks(url, state):
    client = Api(url, state / "ca.pem")
    s, _, body = client.login("client@example.com", "/client/auth/login")
    check("client login", s == 200 and body["id"] == 1, body)
    s, _, body = client.call("GET", "/tasks")
    check("client on staff endpoint 403", s == 403 and
          body["error"]["code"] == "staff_only", body)
    s, _, tasks = client.call("GET", "/client/tasks")
    check("client tasks hide internal comments", s == 200 and not any(
        c["internal"] for t in tasks["results"] for c in t["comments"]))
    s, _, t = client.call("POST", "/client/tasks",
                          {"title": "New page", "priority": "high"})
    check("client creates task", s == 201 and t["status"] == "new", t)
    s, _, c = client.call("GET", "/client/conversation")
    check("client conversation", s == 200 and c["client"]["id"] == 1, c)
    s, _, m = client.call("POST", "/client/conversation/messages",
                          {"body": "hello from client",
                           "client_msg_id": str(uuid.uuid4())})
    check("client message", s == 201, m)
    staff = Api(url, state / "ca.pem")
    staff.login("tech@example.com")
    s, _, body = staff.call("GET", "/client/conversation")
    check("staff on client endpoint 403", s == 403 and
          body["error"]["code"] == "clients_only", body)


def event_checks(admin, tech, state):
    c, r = admin.stream()
    check("events headers", r.status == 200 and
          r.getheader("Content-Type").startswith("text/event-stream") and
          r.getheader("Content-Encoding") is None and
          r.getheader("Cache-Control") == "no-cache", r.getheaders())
    tc, tr = tech.stream()
    read_events(r, lambda b: b, 2)
    read_events(tr, lambda b: b, 2)
    ctl(state, "fail-invoice", "--client-id", "2")
    ctl(state, "client-message", "--client-id", "2", "--body", "ping")
    got = read_events(r, lambda b: sum("event" in x for x in b) >= 2)
    types = [b.get("event") for b in got if "event" in b]
    check("admin gets invoice.failed and message.created",
          types == ["invoice.failed", "message.created"], got)
    got = read_events(tr, lambda b: any("event" in x for x in b))
    types = [b.get("event") for b in got if "event" in b]
    check("tech does not get invoice.failed", types == ["message.created"],
          got)
    c.close()
    tc.close()
    return int([b for b in got if "event" in b][-1]["id"])


def main():
    tmp = Path(tempfile.mkdtemp(prefix="sitecare-smoke-"))
    state = tmp / "state"
    env = dict(os.environ, SITECARE_PING_SECONDS="1")
    t0 = time.monotonic()
    proc, url = start(state, env=env)
    check(f"started in {time.monotonic() - t0:.1f}s", True)
    admin = Api(url, state / "ca.pem")
    auth_checks(admin, state)
    task_checks(admin)
    chat_checks(admin)
    key_and_vault_checks(admin)
    billing_checks(admin, state)
    client_checks(url, state)
    tech = Api(url, state / "ca.pem")
    tech.login("tech@example.com")
    last_id = event_checks(admin, tech, state)
    c, r = admin.stream()
    read_events(r, lambda b: b, 1)
    rc, took = stop(proc)
    check(f"SIGTERM with open stream stops in {took:.1f}s", rc == 0 and
          took < 3.5, (rc, took))
    proc, url = start(state, env=env)
    admin.url = url
    admin.host, admin.port = url.split("//")[1].split(":")
    s, _, body = admin.call("GET", "/me")
    check("session survives restart", s == 200, body)
    ctl(state, "client-message", "--client-id", "3", "--body", "after")
    c, r = admin.stream(last_event_id=last_id)
    got = read_events(r, lambda b: any(x.get("event") == "message.created"
                                       for x in b))
    check("resume after Last-Event-ID", any(
        x.get("event") == "message.created" and "after" in x["data"]
        for x in got), got)
    check("pings", any(x.get("comment") == ": ping" for x in got), got)
    c.close()
    ctl(state, "prune-events", "--all")
    c, r = admin.stream(last_event_id=1)
    got = read_events(r, lambda b: any("event" in x for x in b))
    check("resync after prune", any(x.get("event") == "resync" for x in got),
          got)
    c.close()
    ctl(state, "expire-sessions", "--email", "admin@example.com")
    s, _, body = admin.call("GET", "/me")
    check("expired session 401", s == 401, body)
    for _ in range(5):
        admin.call("POST", "/auth/login", {"email": "manager@example.com",
                                           "password": "wrong"})
    s, h, body = admin.call("POST", "/auth/login",
                            {"email": "manager@example.com",
                             "password": PASSWORD})
    check("rate limited 429", s == 429 and "Retry-After" in h, body)
    stop(proc)
    print(f"smoke: {len(FAILED)} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
