"""Server-Sent Events: types, visibility, pings, resume and resync
(contract: "Events: Server-Sent Events"). The session's service pings every
second (SITECARE_PING_SECONDS=1)."""

import time

import pytest

from helpers.api import Event, new_msg_id
from helpers.contract import (INVOICE_KEYS, assert_comment, assert_keys, assert_message,
                              assert_task)

pytestmark = pytest.mark.events


def _message_with(mid):
    return lambda e: (e.event == "message.created" and isinstance(e.data, dict)
                      and (e.data.get("message") or {}).get("client_msg_id") == mid)


def _message_body(body):
    return lambda e: (e.event == "message.created" and isinstance(e.data, dict)
                      and (e.data.get("message") or {}).get("body") == body)


def _client_says(accounts, body=None):
    mid = new_msg_id()
    r = accounts.client().post("/client/conversation/messages",
                               json={"body": body or f"client says {mid}", "client_msg_id": mid})
    assert r.status == 201, r
    return r.data


def _patch(s, tid, body):
    cur = s.get(f"/tasks/{tid}").data
    r = s.patch(f"/tasks/{tid}", json=body, headers={"If-Match": f'"{cur["version"]}"'})
    assert r.status == 200, r
    return r.data


def test_events__stream__is_event_stream_with_pings(accounts):
    with accounts.staff("support").events(settle=False) as st:
        assert st.status == 200, (st.status, st.data)
        assert (st.headers.get("Content-Type") or "").startswith("text/event-stream")
        first = st.wait_ping(timeout=4)
        assert first is not None, "no ': ping' within 4 s (SITECARE_PING_SECONDS=1)"
        second = st.wait_ping(timeout=4)
        assert second is not None, "pings stopped after the first"
        assert second.at - first.at < 3.5


def test_events__message_created__client_message_arrives_within_a_second(accounts):
    with accounts.staff("support").events() as st:
        msg = _client_says(accounts)
        t0 = time.monotonic()
        e, _ = st.wait_for(_message_with(msg["client_msg_id"]), timeout=1.0,
                           what="message.created within 1 s")
        assert time.monotonic() - t0 <= 1.0
        assert e.id is not None and e.id.isdigit(), f"event without a numeric id: {e}"
        assert e.data["conversation_id"] == msg["conversation_id"]
        assert_message(e.data["message"])
        assert e.data["message"]["id"] == msg["id"]
        assert e.data["message"]["body"] == msg["body"]
        assert e.data["message"]["author"]["kind"] == "client"


def test_events__message_created__from_ctl_client_message(service, accounts, demo):
    body = f"ctl says {new_msg_id()}"
    with accounts.staff("technician").events() as st:
        service.ctl("client-message", "--client-id", demo.client_account["id"], "--body", body)
        t0 = time.monotonic()
        e, _ = st.wait_for(_message_body(body), timeout=1.0, what="message.created within 1 s")
        assert time.monotonic() - t0 <= 1.0
        assert e.data["message"]["author"]["kind"] == "client"


def test_events__message_created__staff_reply_reaches_other_staff(accounts):
    with accounts.staff("manager").events() as st:
        s = accounts.staff("support")
        conv = s.get("/conversations", params={"limit": 1}).data["results"][0]["id"]
        mid = new_msg_id()
        assert s.post(f"/conversations/{conv}/messages",
                      json={"body": "staff reply", "client_msg_id": mid}).status == 201
        e, _ = st.wait_for(_message_with(mid), timeout=2.0)
        assert e.data["conversation_id"] == conv
        assert e.data["message"]["author"]["kind"] == "staff"


def test_events__task_updated__after_patch(accounts, demo):
    tid = demo.task_ids()[17]
    with accounts.staff("support").events() as st:
        t = _patch(accounts.staff("manager"), tid, {"priority": "urgent"})
        e, _ = st.wait_for(lambda e: e.event == "task.updated"
                           and e.data["task"]["id"] == tid
                           and e.data["task"]["version"] == t["version"], timeout=2.0,
                           what="task.updated")
        assert_task(e.data["task"])
        assert e.data["task"]["priority"] == "urgent"


def test_events__task_created__when_a_client_files_a_task(accounts):
    with accounts.staff("technician").events() as st:
        r = accounts.client().post("/client/tasks", json={"title": "Site is slow",
                                                          "description": "very", "priority": "normal"})
        assert r.status == 201, r
        e, _ = st.wait_for(lambda e: e.event == "task.created"
                           and e.data["task"]["id"] == r.data["id"], timeout=2.0,
                           what="task.created")
        assert_task(e.data["task"])
        assert e.data["task"]["status"] == "new"


def test_events__comment_created(accounts, demo):
    tid = demo.task_ids()[23]
    with accounts.staff("admin").events() as st:
        r = accounts.staff("technician").post(
            f"/tasks/{tid}/comments",
            json={"body": "event comment", "internal": True, "client_msg_id": new_msg_id()})
        assert r.status == 201, r
        e, _ = st.wait_for(lambda e: e.event == "comment.created"
                           and e.data["comment"]["id"] == r.data["id"], timeout=2.0,
                           what="comment.created")
        assert e.data["task_id"] == tid
        assert_comment(e.data["comment"])


def test_events__conversation_read(accounts):
    conv = accounts.client().get("/client/conversation").data["id"]
    msg = _client_says(accounts)
    s = accounts.staff("support")
    with s.events() as st:
        r = s.post(f"/conversations/{conv}/read", json={"last_read_message_id": msg["id"]})
        assert r.status == 204, r
        e, _ = st.wait_for(lambda e: e.event == "conversation.read"
                           and e.data["conversation_id"] == conv, timeout=2.0,
                           what="conversation.read")
        assert e.data["unread_count"] == 0


def test_events__invoice_failed__only_to_billing_read(service, accounts, demo):
    streams = {role: accounts.staff(role).events()
               for role in ("support", "technician", "manager", "admin")}
    try:
        service.ctl("fail-invoice")
        marker = f"after the invoice {new_msg_id()}"
        service.ctl("client-message", "--client-id", demo.client_account["id"], "--body", marker)
        for role, st in streams.items():
            e, before = st.wait_for(_message_body(marker), timeout=5.0, what=f"marker for {role}")
            failed = [x for x in before if x.event == "invoice.failed"]
            if role in ("manager", "admin"):
                assert len(failed) == 1, f"{role} did not get invoice.failed: {before}"
                inv = failed[0].data["invoice"]
                assert_keys(inv, INVOICE_KEYS, "invoice.failed invoice")
                assert inv["status"] == "failed" and inv["failure_reason"], inv
            else:
                assert not failed, f"{role} received invoice.failed"
                assert all(x.event != "invoice.failed" for x in st.history)
    finally:
        for st in streams.values():
            st.close()


def test_events__invoice_failed__not_replayed_to_support_on_resume(service, accounts, demo):
    ids = {}
    for role in ("support", "manager"):
        with accounts.staff(role).events() as st:
            m = _client_says(accounts)
            ids[role] = st.wait_for(_message_with(m["client_msg_id"]), timeout=2)[0].id
    service.ctl("fail-invoice")
    marker = f"after the replayed invoice {new_msg_id()}"
    service.ctl("client-message", "--client-id", demo.client_account["id"], "--body", marker)
    for role, last in ids.items():
        with accounts.staff(role).events(last_event_id=last) as st:
            _, before = st.wait_for(_message_body(marker), timeout=5, what=f"replay for {role}")
            failed = [e for e in before if e.event == "invoice.failed"]
            if role == "manager":
                assert len(failed) == 1, f"manager's replay lacks invoice.failed: {before}"
            else:
                assert not failed, "support got invoice.failed in a replay"


def test_events__ids_strictly_increase(accounts):
    with accounts.staff("admin").events() as st:
        for _ in range(4):
            _client_says(accounts)
        got = []
        while len(got) < 4:
            e = st.next(timeout=3)
            assert e is not None, f"only {len(got)} events"
            got.append(e)
        ids = [e.int_id for e in got]
        assert all(i is not None for i in ids), got
        assert ids == sorted(ids) and len(set(ids)) == len(ids), ids


def test_events__latest_last_event_id_replays_nothing(accounts):
    s = accounts.staff("admin")
    with s.events() as st:
        m = _client_says(accounts)
        e, _ = st.wait_for(_message_with(m["client_msg_id"]), timeout=2)
    with s.events(last_event_id=e.id) as again:
        extra = again.collect(1.5)
        assert extra == [], f"replayed already seen events: {extra}"


def _missed_events_check(service, accounts, restart=False):
    s = accounts.staff("admin")
    with s.events() as first:
        m0 = _client_says(accounts)
        e0, _ = first.wait_for(_message_with(m0["client_msg_id"]), timeout=2)
    # Disconnected: things happen.
    mids = []
    mids.append(_client_says(accounts)["client_msg_id"])
    tid = accounts.staff("admin").all("/tasks", params={"status": "new"}, limit=5)[0]["id"]
    _patch(accounts.staff("manager"), tid, {"priority": "low"})
    mids.append(_client_says(accounts)["client_msg_id"])
    if restart:
        service.stop()
        service.start()
        s = accounts.staff("admin")
    with s.events(last_event_id=e0.id) as resumed:
        last, got = resumed.wait_for(_message_with(mids[-1]), timeout=5,
                                     what="the last missed message")
        got.append(last)
        ids = [e.int_id for e in got]
        assert ids == sorted(ids) and len(set(ids)) == len(ids), f"order/duplicates: {ids}"
        assert all(i > e0.int_id for i in ids), "replayed an event older than Last-Event-ID"
        assert not any(e.event == "resync" for e in got), "resync for a recent Last-Event-ID"
        got_mids = [e.data["message"]["client_msg_id"] for e in got
                    if e.event == "message.created"]
        assert [x for x in got_mids if x in mids] == mids, "missed messages not all replayed"
        assert any(e.event == "task.updated" and e.data["task"]["id"] == tid for e in got)
        # Nothing more than what was missed.
        assert resumed.collect(1.2) == []
        return e0, got


def test_events__resume_with_last_event_id_gives_exactly_the_missed_events(service, accounts):
    # A second stream that never disconnects is the reference.
    ref = accounts.new_staff("admin").events()
    try:
        e0, got = _missed_events_check(service, accounts)
        reference = []
        while not reference or reference[-1].id != got[-1].id:
            e = ref.next(timeout=5)
            assert e is not None, "the reference stream stalled"
            if e.int_id > e0.int_id:
                reference.append(e)
        assert [(e.id, e.event) for e in got] == [(e.id, e.event) for e in reference], \
            "the resumed stream differs from an uninterrupted one (gap or duplicate)"
    finally:
        ref.close()


@pytest.mark.restart
@pytest.mark.slow
def test_events__resume_across_service_restart(service, accounts):
    e0, got = _missed_events_check(service, accounts, restart=True)
    # Ids keep growing after the restart.
    with accounts.staff("admin").events() as st:
        m = _client_says(accounts)
        e, _ = st.wait_for(_message_with(m["client_msg_id"]), timeout=2)
        assert e.int_id > max(x.int_id for x in got)


def test_events__prune_recent_hours_keeps_recent_events(service, accounts):
    s = accounts.staff("admin")
    with s.events() as st:
        m0 = _client_says(accounts)
        e0, _ = st.wait_for(_message_with(m0["client_msg_id"]), timeout=2)
    m1 = _client_says(accounts)
    service.ctl("prune-events", "--hours", "24")
    with s.events(last_event_id=e0.id) as resumed:
        e, before = resumed.wait_for(_message_with(m1["client_msg_id"]), timeout=3)
        assert not any(x.event == "resync" for x in before + [e])


def test_events__resync_after_prune_all_with_old_last_event_id(service, accounts):
    s = accounts.staff("support")
    with s.events() as st:
        m0 = _client_says(accounts)
        e0, _ = st.wait_for(_message_with(m0["client_msg_id"]), timeout=2)
    for _ in range(3):
        _client_says(accounts)
    service.ctl("prune-events", "--all")
    with s.events(last_event_id=e0.id, settle=False) as resumed:
        assert resumed.status == 200
        first = resumed.next(timeout=3)
        assert first is not None, "no event after reconnecting with a pruned Last-Event-ID"
        assert first.event == "resync", f"expected resync first, got {first}"
        assert first.data == {}, first.data
        # The stream goes on afterwards.
        m = _client_says(accounts)
        resumed.wait_for(_message_with(m["client_msg_id"]), timeout=2)


def test_events__garbage_last_event_id_is_not_5xx(accounts):
    with accounts.staff("support").events(last_event_id="not-a-number", settle=False) as st:
        assert st.status < 500, st.status
        if st.status == 200:
            m = _client_says(accounts)
            e, before = st.wait_for(_message_with(m["client_msg_id"]), timeout=3)
            assert isinstance(e, Event)


def test_events__stream_ends_when_its_session_is_revoked(service, accounts):
    s = accounts.new_staff("support")
    other = accounts.staff("technician")
    with s.events() as st, other.events() as kept:
        assert st.status == 200 and kept.status == 200
        service.ctl("expire-sessions", "--email", "support@example.com")
        accounts.forget("support")  # the cached session went too
        # The stream's session is checked at every ping (1 s here).
        deadline = time.monotonic() + 10
        while not st.closed_by_server and time.monotonic() < deadline:
            st.next(timeout=0.5, comments=True)
        assert st.closed_by_server, "the revoked session's stream went on"
        assert kept.wait_ping(timeout=4) is not None, \
            "another account's stream ended too"
        assert not kept.closed_by_server
    again = s.get("/me")
    assert again.status == 401, again


def test_events__ctl_delay_hold_events_holds_them_back_then_sends(
        service, accounts):
    with accounts.staff("support").events() as st:
        service.ctl("delay", "0", "--hold-events")
        try:
            msg = _client_says(accounts)
            assert st.collect(1.5) == [], "an event came while held"
        finally:
            service.ctl("delay", "0")
        e, _ = st.wait_for(_message_with(msg["client_msg_id"]), timeout=3,
                           what="the held message.created")
        assert e.data["conversation_id"] == msg["conversation_id"]
