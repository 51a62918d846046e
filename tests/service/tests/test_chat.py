"""Chat: conversations, messages, idempotency, unread/read (contract: "Chat")."""

import itertools

import pytest

from helpers.api import new_msg_id
from helpers.contract import (assert_conversation, assert_error, assert_invalid,
                              assert_list_shape, assert_message, parse_time)

_pick = itertools.count(1)


@pytest.fixture
def support(accounts):
    return accounts.staff("support")


def _conversations(s, **params):
    return s.all("/conversations", params=params or None)


def _a_conversation(s):
    convs = _conversations(s)
    return convs[(next(_pick) * 7) % len(convs)]["id"]


def _all_messages(s, conv, limit=3):
    """Walks a conversation backwards with `before`; returns it oldest first."""
    r = s.get(f"/conversations/{conv}/messages", params={"limit": limit})
    assert r.status == 200, r
    msgs = list(r.data["results"])
    more = r.data["has_more"]
    while more:
        r = s.get(f"/conversations/{conv}/messages",
                  params={"before": msgs[0]["id"], "limit": limit})
        assert r.status == 200, r
        assert r.data["results"], "has_more was true but the older page is empty"
        msgs = r.data["results"] + msgs
        more = r.data["has_more"]
    return msgs


def _client_conversation(accounts):
    r = accounts.client().get("/client/conversation")
    assert r.status == 200, r
    return r.data


def test_chat__conversations__shape_and_one_per_client(support, demo):
    r = support.get("/conversations")
    assert r.status == 200, r
    assert_list_shape(r.data, "/conversations")
    convs = _conversations(support)
    assert len(convs) == 40, len(convs)
    for c in convs:
        assert_conversation(c)
    assert len({c["client"]["id"] for c in convs}) == 40


def test_chat__conversations__newest_activity_first(support):
    convs = _conversations(support)
    times = [parse_time(c["last_message_at"]) for c in convs if c["last_message_at"]]
    assert times == sorted(times, reverse=True), "not newest activity first"
    nulls = [i for i, c in enumerate(convs) if c["last_message_at"] is None]
    assert not nulls or nulls[0] == len(convs) - len(nulls), "empty ones in the middle"


def test_chat__conversations__new_message_moves_conversation_first(support):
    convs = _conversations(support)
    last = convs[-1]["id"]
    r = support.post(f"/conversations/{last}/messages",
                     json={"body": "bumping this one", "client_msg_id": new_msg_id()})
    assert r.status == 201, r
    top = support.get("/conversations", params={"limit": 1}).data["results"][0]
    assert top["id"] == last
    assert top["last_message"]["id"] == r.data["id"]
    assert top["last_message_at"] == r.data["created_at"]


def test_chat__conversations__last_message_body_cut_to_200(support):
    conv = _a_conversation(support)
    body = "".join(chr(ord("a") + i % 26) for i in range(700))
    r = support.post(f"/conversations/{conv}/messages",
                     json={"body": body, "client_msg_id": new_msg_id()})
    assert r.status == 201 and r.data["body"] == body, r
    c = next(x for x in _conversations(support) if x["id"] == conv)
    cut = c["last_message"]["body"]
    assert len(cut) <= 200, len(cut)
    assert len(cut) >= 150 and body.startswith(cut.rstrip("…").rstrip(".")), cut
    # The message itself is whole.
    full = support.get(f"/conversations/{conv}/messages", params={"limit": 1}).data["results"]
    assert full[-1]["body"] == body


def test_chat__conversations__q_filters_by_client(support):
    convs = _conversations(support)
    target = convs[3]
    word = max(target["client"]["name"].split(), key=len)
    got = _conversations(support, q=word)
    assert target["id"] in {c["id"] for c in got}
    assert len(got) < len(convs)


def test_chat__messages__newest_limit_oldest_first(support):
    conv = _a_conversation(support)
    every = _all_messages(support, conv)
    assert len(every) >= 3, "demo conversations should have a few messages"
    r = support.get(f"/conversations/{conv}/messages", params={"limit": 2})
    assert r.status == 200, r
    assert set(r.data) >= {"results", "has_more"}
    assert isinstance(r.data["has_more"], bool)
    ids = [m["id"] for m in r.data["results"]]
    assert ids == [m["id"] for m in every[-2:]], "not the newest 2, oldest first"
    assert r.data["has_more"] is True
    for m in r.data["results"]:
        assert_message(m)
        assert m["conversation_id"] == conv


def test_chat__messages__before_walks_back_without_gaps(support):
    conv = _a_conversation(support)
    walked = _all_messages(support, conv, limit=2)
    ids = [m["id"] for m in walked]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    one = support.get(f"/conversations/{conv}/messages", params={"limit": 500}).data
    assert [m["id"] for m in one["results"]] == ids
    assert one["has_more"] is False


def test_chat__messages__after_gives_newer_oldest_first(support):
    conv = _a_conversation(support)
    every = _all_messages(support, conv)
    pivot = every[0]["id"]
    r = support.get(f"/conversations/{conv}/messages", params={"after": pivot, "limit": 2})
    assert r.status == 200, r
    ids = [m["id"] for m in r.data["results"]]
    assert ids == [m["id"] for m in every[1:3]], ids
    assert r.data["has_more"] is (len(every) > 3)
    tail = support.get(f"/conversations/{conv}/messages",
                       params={"after": every[-1]["id"]}).data
    assert tail["results"] == [] and tail["has_more"] is False


def test_chat__messages__unknown_conversation_gives_404(support):
    assert_error(support.get("/conversations/987654321/messages"), 404, "not_found")
    r = support.post("/conversations/987654321/messages",
                     json={"body": "x", "client_msg_id": new_msg_id()})
    assert_error(r, 404, "not_found")


def test_chat__post__gives_201_and_the_message(support, demo):
    conv = _a_conversation(support)
    mid = new_msg_id()
    r = support.post(f"/conversations/{conv}/messages",
                     json={"body": "Hello from support", "client_msg_id": mid})
    assert r.status == 201, r
    assert_message(r.data)
    assert r.data["conversation_id"] == conv
    assert r.data["client_msg_id"] == mid
    assert r.data["author"]["kind"] == "staff"
    assert r.data["author"]["id"] == demo.staff_id("support")
    assert r.data["body"] == "Hello from support"
    latest = support.get(f"/conversations/{conv}/messages", params={"limit": 1}).data
    assert latest["results"][-1]["id"] == r.data["id"]


def test_chat__post__same_client_msg_id_gives_200_and_same_message(support):
    conv = _a_conversation(support)
    body = {"body": "Retry-safe hello", "client_msg_id": new_msg_id()}
    first = support.post(f"/conversations/{conv}/messages", json=body)
    assert first.status == 201, first
    count = len(_all_messages(support, conv, limit=500))
    second = support.post(f"/conversations/{conv}/messages", json=body)
    assert second.status == 200, f"a retried message was not answered 200: {second!r}"
    assert second.data == first.data
    after = _all_messages(support, conv, limit=500)
    assert len(after) == count, "the retry made a duplicate"
    assert sum(1 for m in after if m["client_msg_id"] == body["client_msg_id"]) == 1


@pytest.mark.parametrize("length", [0, 10001, 20000])
def test_chat__post__body_length_out_of_range_gives_422(support, length):
    conv = _a_conversation(support)
    before = len(_all_messages(support, conv, limit=500))
    r = support.post(f"/conversations/{conv}/messages",
                     json={"body": "x" * length, "client_msg_id": new_msg_id()})
    assert_invalid(r, "body")
    assert len(_all_messages(support, conv, limit=500)) == before


@pytest.mark.parametrize("length", [1, 10000])
def test_chat__post__body_length_at_the_bounds_is_accepted(support, length):
    conv = _a_conversation(support)
    body = "é" * length  # characters, not bytes
    r = support.post(f"/conversations/{conv}/messages",
                     json={"body": body, "client_msg_id": new_msg_id()})
    assert r.status == 201, r
    assert r.data["body"] == body


def test_chat__post__missing_body_gives_422(support):
    conv = _a_conversation(support)
    r = support.post(f"/conversations/{conv}/messages", json={"client_msg_id": new_msg_id()})
    assert_invalid(r, "body")


def test_chat__post__client_msg_id_not_a_uuid_gives_422(support):
    conv = _a_conversation(support)
    r = support.post(f"/conversations/{conv}/messages",
                     json={"body": "bad id", "client_msg_id": "not-a-uuid"})
    assert_invalid(r, "client_msg_id")


def test_chat__unread__client_message_is_unread_then_read(accounts, support):
    conv = _client_conversation(accounts)
    c = accounts.client()
    m = c.post("/client/conversation/messages",
               json={"body": "Is my site down?", "client_msg_id": new_msg_id()})
    assert m.status == 201, m
    row = next(x for x in _conversations(support) if x["id"] == conv["id"])
    assert row["unread_count"] >= 1, row
    unread = _conversations(support, unread=1)
    assert conv["id"] in {x["id"] for x in unread}
    assert all(x["unread_count"] > 0 for x in unread), "unread=1 listed read conversations"
    r = support.post(f"/conversations/{conv['id']}/read",
                     json={"last_read_message_id": m.data["id"]})
    assert r.status == 204, r
    assert not r.body
    row = next(x for x in _conversations(support) if x["id"] == conv["id"])
    assert row["unread_count"] == 0, row
    assert conv["id"] not in {x["id"] for x in _conversations(support, unread=1)}


def test_chat__unread__counts_only_messages_after_last_read(accounts, support):
    conv = _client_conversation(accounts)["id"]
    c = accounts.client()
    ids = []
    for i in range(3):
        m = c.post("/client/conversation/messages",
                   json={"body": f"message {i}", "client_msg_id": new_msg_id()})
        assert m.status == 201, m
        ids.append(m.data["id"])
    assert support.post(f"/conversations/{conv}/read",
                        json={"last_read_message_id": ids[0]}).status == 204
    row = next(x for x in _conversations(support) if x["id"] == conv)
    assert row["unread_count"] == 2, row
    assert support.post(f"/conversations/{conv}/read",
                        json={"last_read_message_id": ids[2]}).status == 204
    row = next(x for x in _conversations(support) if x["id"] == conv)
    assert row["unread_count"] == 0, row


def test_chat__read__unknown_message_is_refused(support):
    conv = _a_conversation(support)
    r = support.post(f"/conversations/{conv}/read", json={"last_read_message_id": 987654321})
    assert 400 <= r.status < 500, r
    assert_error(r, r.status)


def test_chat__read__unknown_conversation_gives_404(support):
    r = support.post("/conversations/987654321/read", json={"last_read_message_id": 1})
    assert_error(r, 404, "not_found")


def test_chat__client_message_is_seen_by_staff_with_client_author(accounts, support, demo):
    conv = _client_conversation(accounts)["id"]
    mid = new_msg_id()
    m = accounts.client().post("/client/conversation/messages",
                               json={"body": "From the client", "client_msg_id": mid})
    assert m.status == 201, m
    latest = support.get(f"/conversations/{conv}/messages", params={"limit": 1}).data["results"][-1]
    assert latest["id"] == m.data["id"]
    assert latest["author"]["kind"] == "client"
    assert latest["client_msg_id"] == mid
