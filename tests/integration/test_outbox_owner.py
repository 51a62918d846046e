"""The outbox sends an item only to the service and as the member it was for.

Conversation and task ids are only unique within one service: a reply
queued against staging must never reach production's conversation with
the same id, and an item queued as one staff member must never go out
under another's session (issue #14, point 4). Two reference services with
the same demo data (so the same ids) stand for staging and production.
"""

import json
import uuid

import pytest

from helpers.accounts import STAFF_EMAIL

pytestmark = [pytest.mark.restart, pytest.mark.slow]

CONVERSATION = 1  # Carla Client's, in every demo data set


def unique(tag):
    return f"{tag} {uuid.uuid4().hex[:10]}"


def staff_session(svc, role="admin"):
    s = svc.session()
    r = s.login(STAFF_EMAIL[role])
    assert r.status == 200, r
    return s


def message_bodies(svc):
    r = staff_session(svc).get(f"/conversations/{CONVERSATION}/messages",
                               params={"limit": 500})
    assert r.status == 200, r
    return [m["body"] for m in r.data["results"]]


def messages_by(svc, body):
    r = staff_session(svc).get(f"/conversations/{CONVERSATION}/messages",
                               params={"limit": 500})
    assert r.status == 200, r
    return [m for m in r.data["results"] if m["body"] == body]


def comment_bodies(svc, task_id):
    r = staff_session(svc).get(f"/tasks/{task_id}")
    assert r.status == 200, r
    return [c["body"] for c in r.data["comments"]]


def first_task_id(svc):
    r = staff_session(svc).get("/tasks", params={"limit": 1})
    assert r.status == 200, r
    return r.data["results"][0]["id"]


def outbox_items(cli, **kw):
    r = cli.run("outbox", "list", "--json", **kw)
    assert r.rc == 0, r
    return [json.loads(line) for line in r.out.splitlines()]


@pytest.fixture
def two_services(fresh_service):
    """Staging and production: the same demo data, so the same ids."""
    return fresh_service(seed="demo"), fresh_service(seed="demo")


def test_outbox__queued_for_one_service__never_reaches_another(two_services, cli_for):
    staging, prod = two_services
    task_id = first_task_id(staging)
    assert first_task_id(prod) == task_id
    cli = cli_for(staging.url, staging.ca)
    on_prod = {"url": prod.url, "ca": prod.ca}
    assert cli.login(STAFF_EMAIL["admin"]).rc == 0
    assert cli.login(STAFF_EMAIL["admin"], **on_prod).rc == 0
    reply, note = unique("for staging only"), unique("staging note")
    staging.stop()
    try:
        r = cli.run("reply", CONVERSATION, reply)
        assert r.rc == 1 and "kept in the outbox" in r.err, r
        r = cli.run("comment", task_id, "--internal", note)
        assert r.rc == 1 and "kept in the outbox" in r.err, r
        items = outbox_items(cli)
        assert [i["body"] for i in items] == [reply, note]
        assert all(i["service"] == staging.url for i in items), items
        assert all(i["staff_email"] == STAFF_EMAIL["admin"] for i in items)
        # Against production: nothing of staging's goes there.
        f = cli.run("outbox", "flush", "--timeout", "20", **on_prod)
        assert f.rc == 0, f
        assert "2 items held back" in f.err, f
        for it in items:
            assert it["id"] in f.err, f
        assert f"queued for {staging.url}" in f.err, f
        assert reply not in message_bodies(prod)
        assert note not in comment_bodies(prod, task_id)
        # A reply typed against production goes there, and only that.
        r = cli.run("reply", CONVERSATION, "prod's own", **on_prod)
        assert r.rc == 0, r
        assert reply not in message_bodies(prod)
        # Still listed, held back from production, with the reason.
        listed = outbox_items(cli, **on_prod)
        assert [i["id"] for i in listed] == [i["id"] for i in items]
        assert all(i["state"] == "held" for i in listed), listed
        assert all(staging.url in i["held"] for i in listed), listed
    finally:
        staging.start()
    # Against staging again: sent there, once each.
    f = cli.run("outbox", "flush")
    assert f.rc == 0, f
    assert outbox_items(cli) == []
    assert message_bodies(staging).count(reply) == 1
    assert comment_bodies(staging, task_id).count(note) == 1
    assert reply not in message_bodies(prod)
    assert note not in comment_bodies(prod, task_id)


def test_outbox__queued_as_one_member__not_sent_as_another(fresh_service, cli_for):
    svc = fresh_service(seed="demo")
    cli = cli_for(svc.url, svc.ca)
    assert cli.login(STAFF_EMAIL["support"]).rc == 0
    body = unique("support's reply")
    svc.stop()
    try:
        r = cli.run("reply", CONVERSATION, body)
        assert r.rc == 1 and "kept in the outbox" in r.err, r
    finally:
        svc.start()
    [item] = outbox_items(cli)
    assert item["staff_email"] == STAFF_EMAIL["support"]
    # Another member signs in on the same machine and service.
    assert cli.login(STAFF_EMAIL["admin"]).rc == 0
    f = cli.run("outbox", "flush", "--timeout", "20")
    assert "1 item held back" in f.err and item["id"] in f.err, f
    assert f"queued as {STAFF_EMAIL['support']}" in f.err, f
    assert messages_by(svc, body) == []
    r = cli.run("reply", CONVERSATION, unique("admin's own"))
    assert r.rc == 0, r
    assert messages_by(svc, body) == []
    [held] = outbox_items(cli)
    assert (held["id"], held["state"]) == (item["id"], "held"), held
    assert STAFF_EMAIL["support"] in held["held"]
    # Its own member sends it, as themselves.
    assert cli.login(STAFF_EMAIL["support"]).rc == 0
    f = cli.run("outbox", "flush")
    assert f.rc == 0, f
    [sent] = messages_by(svc, body)
    support_id = staff_session(svc, "support").get("/me").data["id"]
    assert sent["author"]["id"] == support_id, sent
    assert outbox_items(cli) == []


def test_outbox__earlier_version_item__listed_never_sent_discardable(
        fresh_service, cli_for):
    svc = fresh_service(seed="demo")
    cli = cli_for(svc.url, svc.ca)
    assert cli.login(STAFF_EMAIL["admin"]).rc == 0
    # What an earlier version left: one folder for every service, no owner.
    body = unique("from an earlier version")
    old = {"version": 1, "id": str(uuid.uuid4()), "kind": "message",
           "target_id": CONVERSATION, "internal": False, "body": body,
           "created_at": 1764000000, "seq": 0, "attempts": 0,
           "next_attempt_at": 0, "last_error": None}
    folder = cli.state_dir / "outbox"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{old['id']}.json"
    path.write_text(json.dumps(old))
    path.chmod(0o600)
    f = cli.run("outbox", "flush", "--timeout", "20")
    assert old["id"] in f.err and "earlier version" in f.err, f
    assert body not in message_bodies(svc)
    [item] = outbox_items(cli)
    assert (item["id"], item["state"], item["service"]) == (old["id"], "held", None)
    assert "earlier version" in item["held"]
    d = cli.run("outbox", "discard", old["id"])
    assert d.rc == 0, d
    assert outbox_items(cli) == []
    assert not path.exists()
