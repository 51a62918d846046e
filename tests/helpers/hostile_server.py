"""A hostile HTTPS server that speaks the staff API contract.

`HostileServer(cert, key, poison)` serves enough of the contract for the
interactive client to sign in (`sitecare login`), show the task queue, a
task's detail with its comments and attachments, the staff picker, the
chat list and a conversation, and the event stream (`GET /events`), with
`poison` (any text: escape sequences, C1 controls, bidi overrides, a huge
line; lone surrogates become raw bytes, see `dump`) inside every string
the client draws: names, titles, descriptions, comments, file names,
message bodies, error messages. `permissions` is the list GET /me gives.

It is a `FaultServer` (integration/fault_server.py), so any path can still
be scripted to misbehave, and scripts win over the contract's answers:
`hs.script(path, (status, headers, body))` with malformed JSON, wrong
types, deep nesting, `ENDLESS`, `("huge", n)`, or `hs.stall` (no answer
at all until the server closes); `hs.heal(path)` drops the script.

The event stream sends what the test queues with `push(event, data, id)`
(data a dict, or str/bytes sent as they are) or `push_raw(bytes)`, and
`: ping` every `ping_seconds` otherwise. What is pushed goes to the newest
stream only (or waits for the next), so a stream the client dropped never
swallows it. With `stall_events` set, a stream opened after sends its
headers and then nothing, not even pings. `streams` counts the streams.

Only 127.0.0.1 is bound; `close()` ends every stalled answer and stream.
"""

import json
import queue
import sys
import threading

from integration.fault_server import ENDLESS, FaultServer

from . import ROOT

__all__ = ["ENDLESS", "HostileServer", "dump", "make_certificates"]

API = "/api/v1"
STAFF_ID = 7
WHEN = "2026-11-28T06:55:13Z"
PERMISSIONS = ["tasks.read", "tasks.update", "tasks.comment", "chat.read",
               "chat.reply"]


def make_certificates(directory):
    """ca.pem, server.pem and server.key in directory, made as the
    reference service makes its own (a throwaway CA, a certificate for
    127.0.0.1), without starting the service. Returns directory."""
    sys.path.insert(0, str(ROOT / "tests" / "service"))
    try:
        from sitecare_service import bootstrap
    finally:
        sys.path.pop(0)
    bootstrap.make_ca(directory)
    bootstrap.make_server_cert(directory)
    return directory


def dump(value):
    """JSON as a hostile server sends it: raw UTF-8, not \\u escapes, and
    lone surrogates ("\\udc9b") as the raw bytes they stand for (0x9b), so
    a test can send broken UTF-8 inside a JSON string."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8",
                                                        "surrogateescape")


class HostileServer(FaultServer):
    def __init__(self, cert, key, poison=""):
        self.poison = poison
        self.permissions = list(PERMISSIONS)
        self.ping_seconds = 1.0
        self.stall_events = False
        self.streams = 0
        self.closing = threading.Event()
        self._current = None  # the newest stream's queue
        self._pending = []    # pushed while no stream was open
        super().__init__(cert, key)

    # -- what the test controls ---------------------------------------------

    def push(self, event, data, event_id=None):
        """Queues one event for the open (or next) event stream."""
        if isinstance(data, (dict, list)):
            data = dump(data)
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        head = b""
        if event_id is not None:
            head += b"id: %d\n" % event_id
        lines = b"".join(b"data: " + line + b"\n"
                         for line in data.split(b"\n"))
        self.push_raw(head + b"event: " + event.encode() + b"\n" + lines
                      + b"\n")

    def push_raw(self, raw):
        """Queues bytes for the newest stream (or the next one)."""
        with self._lock:
            if self._current is not None:
                self._current.put(raw)
            else:
                self._pending.append(raw)

    def heal(self, path):
        """Drops path's script: the contract's answer again."""
        with self._lock:
            self._scripts.pop(path, None)

    def stall(self, handler):
        """A scripted body: answers nothing until the server closes."""
        self.closing.wait()

    def close(self):
        self.closing.set()
        super().close()

    # -- the contract's answers ----------------------------------------------

    def text(self, plain):
        return f"{plain} {self.poison} end"

    def me(self):
        return {"id": STAFF_ID, "name": self.text("Hal"),
                "email": "hal@example.com", "role": "support",
                "public_key": None, "public_key_registered_at": None,
                "permissions": self.permissions}

    def client(self, cid):
        return {"id": cid, "name": self.text(f"Client{cid}"),
                "company": self.text(f"Co{cid}")}

    def task(self, tid):
        return {"id": tid, "version": 1, "title": self.text(f"Task{tid}"),
                "description": self.text(f"Described{tid}"),
                "status": "new", "priority": "normal",
                "client": self.client(1),
                "assignee": {"id": STAFF_ID, "name": self.text("Hal")},
                "created_at": WHEN, "updated_at": WHEN, "due_at": None,
                "comment_count": 1, "attachment_count": 1}

    def task_detail(self, tid):
        t = self.task(tid)
        t["comments"] = [{"id": 1, "author": {"kind": "client", "id": 1,
                                              "name": self.text("Author")},
                          "body": self.text(f"Comment{tid}"),
                          "internal": False, "created_at": WHEN}]
        t["attachments"] = [{"id": 1, "filename": self.text("file.txt"),
                             "size": 10, "content_type": "text/plain",
                             "created_at": WHEN}]
        return t

    def message(self, mid, cid=1, body=None):
        return {"id": mid, "conversation_id": cid,
                "author": {"kind": "client", "id": cid,
                           "name": self.text(f"Client{cid}")},
                "body": body if body is not None else self.text(f"Msg{mid}"),
                "created_at": WHEN, "client_msg_id": None}

    def conversation(self, cid):
        return {"id": cid, "client": self.client(cid),
                "last_message_at": WHEN, "unread_count": int(cid == 1),
                "last_message": self.message(cid * 10, cid)}

    def _fallback(self, seen):
        path, method = seen.path, seen.method
        ok = lambda body: (200, {}, dump(body))  # noqa: E731
        page = lambda items: ok({"results": items, "next": None})  # noqa: E731
        parts = path[len(API):].strip("/").split("/")
        if path == API + "/auth/login" and method == "POST":
            return (200, {"Set-Cookie": "sessionid=hostile0123456789; Path=/;"
                          " Secure; HttpOnly; SameSite=Lax"},
                    dump(self.me()))
        if path == API + "/auth/logout":
            return (204, {}, b"")
        if path == API + "/me":
            return ok(self.me())
        if path == API + "/staff":
            return page([{"id": STAFF_ID, "name": self.text("Hal"),
                          "role": "support"}])
        if path == API + "/tasks":
            return page([self.task(i) for i in (1, 2, 3)])
        if parts[0] == "tasks" and len(parts) == 2 and method == "GET":
            return ok(self.task_detail(int(parts[1])))
        if path == API + "/conversations":
            return page([self.conversation(i) for i in (1, 2)])
        if parts[0] == "conversations" and parts[-1] == "messages":
            cid = int(parts[1])
            return ok({"results": [self.message(cid * 10 - 1, cid),
                                   self.message(cid * 10, cid)],
                       "has_more": False})
        if parts[0] == "conversations" and parts[-1] == "read":
            return (204, {}, b"")
        if path == API + "/events":
            return (200, {}, self._stream)
        if path == API + "/auth/csrf":
            return super()._fallback(seen)
        return (404, {}, dump({"error": {
            "code": "not_found", "message": self.text("Not found.")}}))

    def _stream(self, handler):
        """GET /events: queued events, pings, or (stalled) nothing."""
        mine = queue.Queue()
        with self._lock:
            self.streams += 1
            self._current = mine
            for raw in self._pending:
                mine.put(raw)
            self._pending.clear()
        try:
            handler.send_response(200)
            handler.send_header("Content-Type", "text/event-stream")
            handler.send_header("Cache-Control", "no-cache")
            handler.send_header("Connection", "close")
            handler.end_headers()
            handler.wfile.flush()
            if self.stall_events:
                self.closing.wait()
                return
            while not self.closing.is_set():
                try:
                    raw = mine.get(timeout=self.ping_seconds)
                except queue.Empty:
                    raw = b": ping\n\n"
                handler.wfile.write(raw)
                handler.wfile.flush()
        finally:
            # The client hung up: what it did not get waits for the next.
            with self._lock:
                if self._current is mine:
                    self._current = None
                    while not mine.empty():
                        self._pending.append(mine.get())
