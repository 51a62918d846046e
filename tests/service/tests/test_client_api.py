"""The dashboard's client API (contract: "The client side")."""

import pytest

from helpers.accounts import CLIENT_EMAIL, STAFF_EMAIL
from helpers.api import new_msg_id
from helpers.contract import (assert_comment, assert_conversation, assert_error, assert_invalid,
                              assert_message, assert_task)


@pytest.fixture
def client(accounts):
    return accounts.client()


def test_client_api__login__answers_id_name_company(service):
    s = service.session()
    r = s.client_login(CLIENT_EMAIL)
    assert r.status == 200, r
    assert set(r.data) >= {"id", "name", "company"}, r.data
    assert isinstance(r.data["id"], int) and r.data["name"]
    assert "sessionid" in s.cookies


def test_client_api__login__staff_account_gives_403_clients_only(service):
    s = service.session()
    r = s.client_login(STAFF_EMAIL["support"])
    assert_error(r, 403, "clients_only")
    assert_error(s.get("/client/conversation"), 403 if "sessionid" in s.cookies else 401)


def test_client_api__login__needs_csrf(service):
    s = service.session()
    s.csrf()
    r = s.client_login(CLIENT_EMAIL, csrf=False)
    assert r.status == 403, r
    assert "sessionid" not in s.cookies


def test_client_api__conversation__is_the_clients_own(client, demo, accounts):
    r = client.get("/client/conversation")
    assert r.status == 200, r
    assert_conversation(r.data)
    assert r.data["client"]["id"] == demo.client_account["id"]
    staff_view = {c["id"]: c for c in accounts.staff("support").all("/conversations")}
    assert r.data["id"] in staff_view
    assert staff_view[r.data["id"]]["client"]["id"] == demo.client_account["id"]


def test_client_api__messages__oldest_first_with_has_more(client):
    conv = client.get("/client/conversation").data["id"]
    for i in range(3):
        assert client.post("/client/conversation/messages",
                           json={"body": f"padding {i}", "client_msg_id": new_msg_id()}).status == 201
    r = client.get("/client/conversation/messages", params={"limit": 2})
    assert r.status == 200, r
    assert set(r.data) >= {"results", "has_more"} and r.data["has_more"] is True
    ids = [m["id"] for m in r.data["results"]]
    assert len(ids) == 2 and ids == sorted(ids)
    for m in r.data["results"]:
        assert_message(m)
        assert m["conversation_id"] == conv
    older = client.get("/client/conversation/messages", params={"before": ids[0], "limit": 2})
    assert older.status == 200 and all(m["id"] < ids[0] for m in older.data["results"])
    newer = client.get("/client/conversation/messages", params={"after": ids[0]})
    assert [m["id"] for m in newer.data["results"]] == [ids[1]]


def test_client_api__post_message__staff_sees_it(client, accounts):
    conv = client.get("/client/conversation").data["id"]
    mid = new_msg_id()
    r = client.post("/client/conversation/messages",
                    json={"body": "Please renew my SSL certificate", "client_msg_id": mid})
    assert r.status == 201, r
    assert_message(r.data)
    assert r.data["author"]["kind"] == "client"
    assert r.data["conversation_id"] == conv and r.data["client_msg_id"] == mid
    staff = accounts.staff("support")
    latest = staff.get(f"/conversations/{conv}/messages", params={"limit": 1}).data["results"]
    assert latest[-1]["id"] == r.data["id"] and latest[-1]["body"] == r.data["body"]


def test_client_api__post_message__idempotent(client):
    body = {"body": "Sent twice by a flaky network", "client_msg_id": new_msg_id()}
    first = client.post("/client/conversation/messages", json=body)
    assert first.status == 201, first
    second = client.post("/client/conversation/messages", json=body)
    assert second.status == 200 and second.data == first.data, second
    recent = client.get("/client/conversation/messages", params={"limit": 20}).data["results"]
    assert sum(1 for m in recent if m["client_msg_id"] == body["client_msg_id"]) == 1


@pytest.mark.parametrize("length", [0, 10001])
def test_client_api__post_message__bad_length_gives_422(client, length):
    r = client.post("/client/conversation/messages",
                    json={"body": "y" * length, "client_msg_id": new_msg_id()})
    assert_invalid(r, "body")


def test_client_api__staff_reply_reaches_the_client(client, accounts):
    conv = client.get("/client/conversation").data["id"]
    r = accounts.staff("support").post(f"/conversations/{conv}/messages",
                                       json={"body": "We are on it.", "client_msg_id": new_msg_id()})
    assert r.status == 201, r
    got = client.get("/client/conversation/messages", params={"limit": 1}).data["results"]
    assert got[-1]["id"] == r.data["id"] and got[-1]["author"]["kind"] == "staff"


def test_client_api__tasks__only_own(client, demo, accounts):
    r = client.get("/client/tasks")
    assert r.status == 200, r
    assert "results" in r.data and "next" in r.data
    own = client.all("/client/tasks")
    assert own, "the demo client has no tasks"
    cid = demo.client_account["id"]
    for t in own:
        assert_task(t)
        assert t["client"]["id"] == cid, t
    staff_ids = {t["id"] for t in accounts.staff("admin").all("/tasks", params={"client": cid})}
    assert {t["id"] for t in own} == staff_ids


def test_client_api__create_task__201_new_and_staff_sees_it(client, accounts, demo):
    r = client.post("/client/tasks", json={"title": "Contact form broken",
                                           "description": "Nothing arrives since Monday.",
                                           "priority": "high"})
    assert r.status == 201, r
    assert_task(r.data)
    assert r.data["status"] == "new" and r.data["priority"] == "high"
    assert r.data["title"] == "Contact form broken"
    assert r.data["client"]["id"] == demo.client_account["id"]
    seen = accounts.staff("support").get(f"/tasks/{r.data['id']}")
    assert seen.status == 200 and seen.data["title"] == "Contact form broken"
    assert r.data["id"] in {t["id"] for t in client.all("/client/tasks")}


@pytest.mark.parametrize("body,field", [
    ({"title": "", "description": "d", "priority": "low"}, "title"),
    ({"title": "t", "description": "d", "priority": "whenever"}, "priority"),
    ({"description": "d", "priority": "low"}, "title"),
])
def test_client_api__create_task__invalid_gives_422(client, body, field):
    assert_invalid(client.post("/client/tasks", json=body), field)


def test_client_api__create_task__cannot_set_status_or_assignee(client, demo):
    r = client.post("/client/tasks", json={"title": "Sneaky", "description": "d",
                                           "priority": "low", "status": "done",
                                           "assignee_id": demo.staff_id("admin")})
    if r.status == 201:
        assert r.data["status"] == "new" and r.data["assignee"] is None, r.data
    else:
        assert_invalid(r)


def test_client_api__comment__201_staff_sees_it(client, accounts):
    tid = client.all("/client/tasks")[0]["id"]
    mid = new_msg_id()
    r = client.post(f"/client/tasks/{tid}/comments",
                    json={"body": "Any news?", "client_msg_id": mid})
    assert r.status == 201, r
    assert_comment(r.data)
    assert r.data["author"]["kind"] == "client" and r.data["internal"] is False
    again = client.post(f"/client/tasks/{tid}/comments",
                        json={"body": "Any news?", "client_msg_id": mid})
    assert again.status == 200 and again.data["id"] == r.data["id"], again
    d = accounts.staff("technician").get(f"/tasks/{tid}").data
    assert [c["id"] for c in d["comments"]].count(r.data["id"]) == 1


def test_client_api__comment_on_another_clients_task_is_refused(client, demo):
    cid = demo.client_account["id"]
    other = next(t for t in demo.tasks if t["client"]["id"] != cid)
    r = client.post(f"/client/tasks/{other['id']}/comments",
                    json={"body": "not my task", "client_msg_id": new_msg_id()})
    assert r.status in (403, 404), r
    assert_error(r, r.status)


def test_client_api__writes_need_csrf(client):
    r = client.post("/client/conversation/messages",
                    json={"body": "no token", "client_msg_id": new_msg_id()}, csrf=False)
    assert r.status == 403, r
    r = client.post("/client/tasks", json={"title": "t", "description": "d", "priority": "low"},
                    referer=False)
    assert r.status == 403, r
