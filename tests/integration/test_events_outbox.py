"""`sitecare events`, `reply`, `comment` and `outbox` against the service.

The live stream must deliver every event once, in order, across a restart
of the service (Last-Event-ID), and say `resync` when the server no longer
has what was missed. Outgoing messages and comments go through the outbox
on disk: kept while the service is down, kept when the client is killed
with SIGKILL, and stored exactly once by the server once flushed, even when
the server already had one of them (the crash window between the server's
commit and the file's removal).
"""

import json
import os
import signal
import socket
import subprocess
import time
import uuid
from urllib.parse import urlsplit

import pytest

from helpers.accounts import STAFF_EMAIL
from integration.faults_events import EventsProc
from integration.cli import scaled

pytestmark = pytest.mark.events


def unique(tag):
    return f"{tag} {uuid.uuid4().hex[:10]}"


def client_message(service, body, client_id=1):
    """The demo client writes in its conversation; returns the message."""
    return service.ctl("client-message", "--client-id", client_id, "--body", body)["message"]


@pytest.fixture
def admin_cli(cli):
    r = cli.login(STAFF_EMAIL["admin"])
    assert r.rc == 0, r
    return cli


@pytest.fixture
def events_proc():
    """Makes EventsProc(cli, *args); each is stopped after the test."""
    made = []

    def make(cli, *args):
        p = EventsProc(cli, *args)
        made.append(p)
        return p

    yield make
    for p in made:
        if p.proc.poll() is None:
            p.stop()


@pytest.fixture
def running_service(service):
    """The session's service, running again after the test whatever happened."""
    yield service
    if not service.running:
        service.start()


def outbox_items(cli):
    r = cli.run("outbox", "list", "--json")
    assert r.rc == 0, r
    return [json.loads(l) for l in r.out.splitlines()]


def conversation_messages(accounts, conversation_id):
    r = accounts.staff("admin").get(f"/conversations/{conversation_id}/messages",
                                    params={"limit": 500})
    assert r.status == 200, r
    return r.data["results"]


def check_stream(events):
    """Ids are unique and increasing: nothing delivered twice or reordered."""
    ids = [int(e["id"]) for e in events]
    assert ids == sorted(ids), ids
    assert len(ids) == len(set(ids)), ids


# -- the live stream ---------------------------------------------------------

def test_events__message_created__arrives_within_a_second(admin_cli, service, events_proc):
    ev = events_proc(admin_cli)
    ev.wait_state("online")
    body = unique("fresh")
    msg = client_message(service, body)
    sent_at = time.monotonic()
    ev.wait_bodies([body], timeout=scaled(5))
    i = ev.message_bodies().index(body)
    got = [e for e in ev.events if e["event"] == "message.created"][i]
    arrived = ev.arrived[ev.events.index(got)]
    assert arrived - sent_at < 1.0, f"took {arrived - sent_at:.2f}s"
    assert got["data"]["message"]["id"] == msg["id"]
    assert got["data"]["conversation_id"] == msg["conversation_id"]
    assert got["id"].isdigit()
    assert ev.stop() == 0


def test_events__fresh_start__replays_nothing_and_count_ends_it(admin_cli, service, events_proc):
    old = unique("old")
    client_message(service, old)
    ev = events_proc(admin_cli, "--count", "1")
    ev.wait_state("online")
    new = unique("new")
    client_message(service, new)
    assert ev.wait_exit() == 0, ev.describe()
    assert ev.message_bodies() == [new]


def test_events__since__resumes_after_that_id(admin_cli, service, events_proc):
    first = client_message(service, unique("a"))
    ev = events_proc(admin_cli, "--count", "1")
    ev.wait_state("online")
    mark = unique("mark")
    client_message(service, mark)
    assert ev.wait_exit() == 0, ev.describe()
    mark_id = ev.events[0]["id"]
    later = [unique("b"), unique("c")]
    for b in later:
        client_message(service, b)
    ev2 = events_proc(admin_cli, "--since", mark_id, "--count", "2")
    assert ev2.wait_exit() == 0, ev2.describe()
    assert ev2.message_bodies() == later
    assert all(int(e["id"]) > int(mark_id) for e in ev2.events)
    assert first["id"] not in [e["data"]["message"]["id"] for e in ev2.events]


@pytest.mark.restart
@pytest.mark.slow
def test_events__service_restart__no_gap_no_duplicate(admin_cli, running_service, events_proc):
    service = running_service
    ev = events_proc(admin_cli)
    ev.wait_state("online")
    before = [unique("before1"), unique("before2")]
    for b in before:
        client_message(service, b)
    ev.wait_bodies(before)
    mark = len(ev.err_lines)
    service.stop()
    ev.wait_state("reconnecting", after=mark)
    # Written while the service is down: the stream must catch up on them.
    during = [unique("during1"), unique("during2")]
    for b in during:
        client_message(service, b)
    service.start()
    ev.wait_state("online", timeout=90, after=mark)
    after = [unique("after1"), unique("after2")]
    for b in after:
        client_message(service, b)
    ev.wait_bodies(before + during + after, timeout=30)
    assert ev.stop() == 0
    check_stream(ev.events)
    mine = [b for b in ev.message_bodies() if b in set(before + during + after)]
    assert mine == before + during + after


@pytest.mark.restart
@pytest.mark.slow
def test_events__pruned_while_disconnected__reports_resync(admin_cli, running_service,
                                                          events_proc):
    service = running_service
    ev = events_proc(admin_cli)
    ev.wait_state("online")
    seen = unique("seen")
    client_message(service, seen)
    ev.wait_bodies([seen])
    last_id = int(ev.events[-1]["id"])
    mark = len(ev.err_lines)
    service.stop()
    ev.wait_state("reconnecting", after=mark)
    missed = unique("missed")
    client_message(service, missed)
    assert service.ctl("prune-events", "--all")["deleted"] >= 1
    service.start()
    ev.wait_for(lambda: any(e["event"] == "resync" for e in ev.events), 90, "resync")
    resync = next(e for e in ev.events if e["event"] == "resync")
    assert int(resync["id"]) > last_id
    assert resync["data"] == {}
    # stderr is read by its own thread: the notice may trail the event.
    ev.wait_for(lambda: any("resync" in l for l in ev.err_lines), 10,
                "the resync notice on stderr")
    # The stream goes on after the resync, from the resync's id.
    after = unique("after-resync")
    client_message(service, after)
    ev.wait_bodies([after])
    assert missed not in ev.message_bodies()
    assert ev.stop() == 0
    check_stream(ev.events)


def test_events__session_expired__stops_with_status_1(cli, service, accounts, events_proc):
    assert cli.login(STAFF_EMAIL["technician"]).rc == 0
    try:
        service.ctl("expire-sessions", "--email", STAFF_EMAIL["technician"])
        ev = events_proc(cli)
        assert ev.wait_exit(timeout=30) == 1, ev.describe()
        assert any("session expired" in l for l in ev.err_lines), ev.describe()
        assert not any("reconnecting" in l for l in ev.err_lines), ev.describe()
        assert ev.events == []
        # A reply meets the same 401: paused, kept, exit status 1.
        r = cli.run("reply", 1, "after expiry")
        assert r.rc == 1, r
        assert "session expired" in r.err and "kept in the outbox" in r.err, r
        assert [i["body"] for i in outbox_items(cli)] == ["after expiry"]
    finally:
        accounts.forget("technician")


# -- the outbox --------------------------------------------------------------

def test_reply__online__sent_once_and_outbox_empty(admin_cli, service, accounts):
    conv = client_message(service, unique("hi"))["conversation_id"]
    body = unique("reply")
    r = admin_cli.run("reply", conv, body)
    assert r.rc == 0, r
    out = json.loads(r.out)
    assert out["conversation_id"] == conv
    msgs = [m for m in conversation_messages(accounts, conv) if m["body"] == body]
    assert len(msgs) == 1
    assert msgs[0]["id"] == out["id"]
    assert msgs[0]["client_msg_id"] == out["client_msg_id"]
    assert outbox_items(admin_cli) == []


def test_reply__refused__kept_as_failed_then_discarded(admin_cli):
    r = admin_cli.run("reply", 999999, "to nowhere")
    assert r.rc == 1, r
    assert "kept in the outbox" in r.err
    items = outbox_items(admin_cli)
    assert [(i["body"], i["state"]) for i in items] == [("to nowhere", "failed")]
    assert items[0]["last_error"]
    # flush tries it again, it is refused again, and it stays.
    f = admin_cli.run("outbox", "flush", "--timeout", "20")
    assert f.rc == 1, f
    assert [i["id"] for i in outbox_items(admin_cli)] == [items[0]["id"]]
    d = admin_cli.run("outbox", "discard", items[0]["id"])
    assert d.rc == 0, d
    assert outbox_items(admin_cli) == []
    assert admin_cli.run("outbox", "discard", items[0]["id"]).rc == 1


def test_reply__stdin_text_and_usage_errors(admin_cli, service, accounts):
    conv = client_message(service, unique("hi"))["conversation_id"]
    body = unique("from stdin") + "\nsecond line"
    r = admin_cli.run("reply", conv, "-", input=body + "\n")
    assert r.rc == 0, r
    assert any(m["body"] == body for m in conversation_messages(accounts, conv))
    assert admin_cli.run("reply", "abc", "x").rc == 2
    assert admin_cli.run("reply", conv, "").rc == 2
    assert admin_cli.run("--readonly", "reply", conv, "x").rc == 2
    assert outbox_items(admin_cli) == []


def kill_during_flush(cli, url):
    """Starts `outbox flush` (the service at url being down) and SIGKILLs
    it in the middle of its work: a socket listening on the service's
    port once the flush runs takes one of its tries and never answers it
    (a positive sign that it is at work, not a time waited)."""
    p = subprocess.Popen(cli.argv(["outbox", "flush", "--timeout", "120"]),
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=cli.env(), cwd=cli.home,
                         start_new_session=True)
    with socket.socket() as ear:
        ear.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ear.bind(("127.0.0.1", urlsplit(url).port))
        ear.listen()
        ear.settimeout(scaled(60))
        conn, _ = ear.accept()  # the flush is asking
        with conn:
            assert p.poll() is None, p.communicate()
            os.kill(p.pid, signal.SIGKILL)  # the client closes first
            p.communicate(timeout=10)
    assert p.returncode == -signal.SIGKILL


@pytest.mark.restart
@pytest.mark.slow
def test_outbox__down_killed_restarted__three_messages_exactly_once(
        admin_cli, running_service, accounts):
    service = running_service
    conv = client_message(service, unique("hi"))["conversation_id"]
    bodies = [unique(f"queued {i}") for i in range(3)]
    service.stop()
    for b in bodies:
        r = admin_cli.run("reply", conv, b)
        assert r.rc == 1, r
        assert "kept in the outbox" in r.err and "outbox flush" in r.err, r
    items = outbox_items(admin_cli)
    assert [i["body"] for i in items] == bodies
    assert all(i["state"] == "pending" for i in items)
    # Later ones wait behind the first (one conversation, typing order).
    assert items[0]["attempts"] >= 1
    kill_during_flush(admin_cli, service.url)
    assert [i["id"] for i in outbox_items(admin_cli)] == [i["id"] for i in items]
    service.start()
    # The crash window: the server stored the first one, but the client
    # died before it could remove the file. The resend must not double it.
    r = accounts.staff("admin").post(f"/conversations/{conv}/messages",
                                     json={"body": items[0]["body"],
                                           "client_msg_id": items[0]["id"]})
    assert r.status == 201, r
    f = admin_cli.run("outbox", "flush")
    assert f.rc == 0, f
    assert outbox_items(admin_cli) == []
    msgs = conversation_messages(accounts, conv)
    by_id = {}
    for m in msgs:
        by_id.setdefault(m["client_msg_id"], []).append(m)
    for it in items:
        assert len(by_id.get(it["id"], [])) == 1, (it, msgs[-6:])
        assert by_id[it["id"]][0]["body"] == it["body"]
    assert [m["body"] for m in msgs if m["body"] in bodies] == bodies


@pytest.mark.restart
@pytest.mark.slow
def test_outbox__comment_while_down__arrives_exactly_once(admin_cli, running_service,
                                                         accounts, demo):
    service = running_service
    task_id = demo.task_ids()[0]
    body = unique("internal note")
    service.stop()
    r = admin_cli.run("comment", task_id, "--internal", body)
    assert r.rc == 1, r
    assert "kept in the outbox" in r.err
    [item] = outbox_items(admin_cli)
    assert (item["kind"], item["target_id"], item["internal"]) == ("comment", task_id, True)
    service.start()
    # Again the crash window: the server already has it.
    first = accounts.staff("admin").post(f"/tasks/{task_id}/comments",
                                         json={"body": body, "internal": True,
                                               "client_msg_id": item["id"]})
    assert first.status == 201, first
    f = admin_cli.run("outbox", "flush")
    assert f.rc == 0, f
    assert outbox_items(admin_cli) == []
    t = accounts.staff("admin").get(f"/tasks/{task_id}")
    assert t.status == 200, t
    mine = [c for c in t.data["comments"] if c["body"] == body]
    assert len(mine) == 1, mine
    assert mine[0]["internal"] is True
    assert mine[0]["id"] == first.data["id"]


@pytest.mark.restart
@pytest.mark.slow
def test_outbox__item_open_to_others__held_named_not_sent(admin_cli, running_service,
                                                          accounts):
    service = running_service
    conv = client_message(service, unique("hi"))["conversation_id"]
    body = unique("queued then made readable by all")
    service.stop()
    r = admin_cli.run("reply", conv, body)
    assert r.rc == 1, r
    [item] = outbox_items(admin_cli)
    # Wherever the outbox keeps it, its file is <id>.json under the state dir.
    [path] = list(admin_cli.state_dir.rglob(item["id"] + ".json"))
    os.chmod(path, 0o644)
    why = f"{path} is readable by others (mode 0644): chmod 600 {path}"
    service.start()
    f = admin_cli.run("outbox", "flush", "--timeout", "20")
    assert f.rc == 1, f
    assert f"outbox item {item['id']} is held, not sent: {why}" in f.err, f
    assert not [m for m in conversation_messages(accounts, conv) if m["body"] == body]
    # Listed (on stderr: nothing of it is trusted enough to print as an item)...
    l = admin_cli.run("outbox", "list", "--json")
    assert l.rc == 0 and l.out == "", l
    assert why in l.err and f"sitecare outbox discard {item['id']}" in l.err, l
    assert path.exists()
    # ...and discarded like any other.
    d = admin_cli.run("outbox", "discard", item["id"])
    assert d.rc == 0, d
    assert not path.exists()
    assert admin_cli.run("outbox", "list").err == ""


def test_comment__online__sent_once(admin_cli, accounts, demo):
    task_id = demo.task_ids()[1]
    body = unique("comment")
    r = admin_cli.run("comment", task_id, body)
    assert r.rc == 0, r
    out = json.loads(r.out)
    assert out["task_id"] == task_id
    t = accounts.staff("admin").get(f"/tasks/{task_id}")
    mine = [c for c in t.data["comments"] if c["body"] == body]
    assert len(mine) == 1 and mine[0]["internal"] is False
    assert mine[0]["id"] == out["id"]


MESSAGE_DATA = ('{"conversation_id": 7, "message": {"id": %d, "conversation_id": 7, '
                '"author": {"kind": "client", "id": 3, "name": "Cy"}, "body": "%s", '
                '"created_at": "2026-11-28T08:00:00Z", "client_msg_id": null}}')


@pytest.mark.slow
def test_events__45_seconds_of_silence__reconnects_with_last_event_id(service, cli_for,
                                                                     events_proc):
    from integration.faults_events import SilentStream

    chunks = [": ping\n\nid: 7\nevent: message.created\ndata: "
              + MESSAGE_DATA % (70, "before the silence") + "\n\n",
              ": ping\n\nid: 8\nevent: message.created\ndata: "
              + MESSAGE_DATA % (80, "after the reconnection") + "\n\n"]
    silent = SilentStream(service.state / "server.pem", service.state / "server.key", chunks)
    try:
        c = cli_for(silent.url, service.ca)
        ev = events_proc(c, "--count", "2")
        ev.wait_bodies(["before the silence"], timeout=scaled(10))
        t0 = time.monotonic()
        assert ev.wait_exit(timeout=75) == 0, ev.describe()
        waited = time.monotonic() - t0
        assert 44 <= waited <= 70, waited
        assert ev.message_bodies() == ["before the silence", "after the reconnection"]
        assert [e["id"] for e in ev.events] == ["7", "8"]
        assert len(silent.requests) == 2
        assert "last-event-id" not in silent.requests[0]
        assert silent.requests[1]["last-event-id"] == "7"
        assert silent.requests[0]["accept"] == "text/event-stream"
        assert any("no data from the service for 45 s" in l for l in ev.err_lines), ev.describe()
    finally:
        silent.close()
