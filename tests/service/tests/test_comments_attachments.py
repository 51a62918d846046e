"""Task comments (idempotent by client_msg_id) and attachments (contract: "Tasks")."""

import itertools
import re

import pytest

from helpers.api import new_msg_id
from helpers.contract import assert_comment, assert_error, assert_invalid

_pick = itertools.count(5)


@pytest.fixture
def tech(accounts):
    return accounts.staff("technician")


def _a_task(demo):
    ids = demo.task_ids()
    return ids[(next(_pick) * 31) % len(ids)]


def test_comments__post__gives_201_and_the_comment(tech, demo):
    tid = _a_task(demo)
    before = tech.get(f"/tasks/{tid}").data
    mid = new_msg_id()
    r = tech.post(f"/tasks/{tid}/comments",
                  json={"body": "Checked the backups.", "internal": False, "client_msg_id": mid})
    assert r.status == 201, r
    assert_comment(r.data)
    assert r.data["body"] == "Checked the backups."
    assert r.data["internal"] is False
    assert r.data["author"]["kind"] == "staff"
    assert r.data["author"]["id"] == demo.staff_id("technician")
    after = tech.get(f"/tasks/{tid}").data
    assert after["comment_count"] == before["comment_count"] + 1
    assert [c["id"] for c in after["comments"]].count(r.data["id"]) == 1


def test_comments__same_client_msg_id_gives_200_and_same_comment(tech, demo):
    tid = _a_task(demo)
    body = {"body": "Only once, please.", "internal": True, "client_msg_id": new_msg_id()}
    first = tech.post(f"/tasks/{tid}/comments", json=body)
    assert first.status == 201, first
    count = tech.get(f"/tasks/{tid}").data["comment_count"]
    second = tech.post(f"/tasks/{tid}/comments", json=body)
    assert second.status == 200, f"a retried comment was not answered 200: {second!r}"
    assert second.data["id"] == first.data["id"]
    assert second.data == first.data
    after = tech.get(f"/tasks/{tid}").data
    assert after["comment_count"] == count, "the retry made a duplicate"
    assert sum(1 for c in after["comments"] if c["body"] == body["body"]) == 1


def test_comments__same_client_msg_id_on_retry_by_other_session_of_same_person(accounts, demo):
    tid = _a_task(demo)
    body = {"body": "retried from a new session", "internal": False,
            "client_msg_id": new_msg_id()}
    a = accounts.staff("support").post(f"/tasks/{tid}/comments", json=body)
    assert a.status == 201, a
    b = accounts.new_staff("support").post(f"/tasks/{tid}/comments", json=body)
    assert b.status == 200 and b.data["id"] == a.data["id"], b


def test_comments__internal_flag_is_kept(tech, demo):
    tid = _a_task(demo)
    r = tech.post(f"/tasks/{tid}/comments",
                  json={"body": "internal note", "internal": True, "client_msg_id": new_msg_id()})
    assert r.status == 201 and r.data["internal"] is True, r
    got = next(c for c in tech.get(f"/tasks/{tid}").data["comments"] if c["id"] == r.data["id"])
    assert got["internal"] is True


def test_comments__internal_comments_are_never_shown_to_the_client(accounts, demo):
    c = accounts.client()
    own = c.get("/client/tasks")
    assert own.status == 200 and own.data["results"], own
    tid = own.data["results"][0]["id"]
    tech = accounts.staff("technician")
    secret = f"INTERNAL-{new_msg_id()}"
    public = f"PUBLIC-{new_msg_id()}"
    assert tech.post(f"/tasks/{tid}/comments", json={"body": secret, "internal": True,
                                                      "client_msg_id": new_msg_id()}).status == 201
    assert tech.post(f"/tasks/{tid}/comments", json={"body": public, "internal": False,
                                                      "client_msg_id": new_msg_id()}).status == 201
    raw = b""
    cursor = None
    while True:
        r = c.get("/client/tasks", params={"cursor": cursor} if cursor else None)
        assert r.status == 200, r
        raw += r.body
        cursor = r.data["next"]
        if not cursor:
            break
    assert secret.encode() not in raw, "an internal comment reached the client"
    assert public.encode() in raw, "the client's tasks do not show public comments"
    for t in c.all("/client/tasks"):
        for cm in t.get("comments", []):
            assert cm.get("internal") in (False, None), cm


def test_comments__empty_body_gives_422(tech, demo):
    r = tech.post(f"/tasks/{_a_task(demo)}/comments",
                  json={"body": "", "internal": False, "client_msg_id": new_msg_id()})
    assert_invalid(r, "body")


def test_comments__unknown_task_gives_404(tech):
    r = tech.post("/tasks/987654321/comments",
                  json={"body": "x", "internal": False, "client_msg_id": new_msg_id()})
    assert_error(r, 404, "not_found")


def test_comments__are_in_task_detail_in_order(tech, demo):
    tid = _a_task(demo)
    ids = []
    for i in range(3):
        r = tech.post(f"/tasks/{tid}/comments",
                      json={"body": f"step {i}", "internal": False, "client_msg_id": new_msg_id()})
        assert r.status == 201, r
        ids.append(r.data["id"])
    got = [c["id"] for c in tech.get(f"/tasks/{tid}").data["comments"]]
    assert [i for i in got if i in ids] == ids, "comments are not oldest first"


# -- attachments -----------------------------------------------------------------

def _attachments(s, demo):
    out = []
    for t in demo.tasks:
        if t["attachment_count"]:
            d = s.get(f"/tasks/{t['id']}").data
            out += [(t["id"], a) for a in d["attachments"]]
    return out


@pytest.fixture(scope="module")
def attachments(accounts, demo):
    all_ = _attachments(accounts.staff("admin"), demo)
    assert all_, "no attachments in the demo data"
    return all_


def test_attachments__bytes_and_headers(tech, attachments):
    for tid, a in attachments[:15]:
        r = tech.get(f"/tasks/{tid}/attachments/{a['id']}", accept="*/*")
        assert r.status == 200, r
        assert len(r.body) == a["size"], (a, len(r.body))
        assert int(r.headers["Content-Length"]) == a["size"]
        ctype = r.headers.get("Content-Type") or ""
        assert ctype.split(";")[0].strip() == a["content_type"].split(";")[0].strip(), (ctype, a)
        disp = r.headers.get("Content-Disposition") or ""
        assert disp.startswith(("attachment", "inline")), disp
        assert "filename" in disp, disp


def test_attachments__traversal_filename_is_only_a_name(tech, attachments):
    evil = [(tid, a) for tid, a in attachments if a["filename"] == "../../etc/passwd"]
    assert evil, "the demo data should have an attachment named ../../etc/passwd"
    tid, a = evil[0]
    r = tech.get(f"/tasks/{tid}/attachments/{a['id']}", accept="*/*")
    assert r.status == 200, r
    assert len(r.body) == a["size"]
    try:
        passwd = open("/etc/passwd", "rb").read()
    except OSError:
        passwd = b"root:x:0:0"
    assert r.body != passwd and b"root:x:0:0" not in r.body, "the server read a file by name"
    disp = r.headers.get("Content-Disposition") or ""
    m = re.search(r'filename="?([^";]*)', disp)
    assert m, disp


def test_attachments__another_tasks_attachment_gives_404(tech, attachments, demo):
    tid, a = attachments[0]
    other = next(t["id"] for t in demo.tasks if t["id"] != tid)
    r = tech.get(f"/tasks/{other}/attachments/{a['id']}", accept="*/*")
    assert_error(r, 404, "not_found")


def test_attachments__unknown_id_gives_404(tech, attachments):
    tid, _ = attachments[0]
    assert_error(tech.get(f"/tasks/{tid}/attachments/987654321", accept="*/*"), 404, "not_found")


def test_attachments__anonymous_gets_401(service, attachments):
    tid, a = attachments[0]
    r = service.session().get(f"/tasks/{tid}/attachments/{a['id']}", accept="*/*")
    assert_error(r, 401, "not_authenticated")
