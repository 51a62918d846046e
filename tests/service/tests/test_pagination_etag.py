"""Cursor pagination, ETag / If-None-Match and gzip (contract: "Conventions")."""

import gzip
import json
import math

import pytest

from helpers.api import new_msg_id
from helpers.contract import assert_error, assert_list_shape


@pytest.fixture
def admin(accounts):
    return accounts.staff("admin")


def test_pagination__tasks__walk_limit_50_has_no_duplicates_or_gaps(admin):
    everything = admin.all("/tasks", limit=500)
    assert len(everything) >= 300
    results, pages = admin.walk("/tasks", limit=50)
    ids = [t["id"] for t in results]
    assert len(ids) == len(set(ids)), "a task came twice"
    assert set(ids) == {t["id"] for t in everything}, "tasks missing or extra"
    assert len(ids) == len(everything)
    assert len(pages) == math.ceil(len(everything) / 50)
    for p in pages[:-1]:
        assert len(p["results"]) == 50 and p["next"]
    assert 1 <= len(pages[-1]["results"]) <= 50 and pages[-1]["next"] is None


def test_pagination__tasks__default_limit_is_50(admin):
    r = admin.get("/tasks")
    assert r.status == 200 and len(r.data["results"]) == 50 and r.data["next"], r


@pytest.mark.parametrize("limit", [1, 13, 299])
def test_pagination__tasks__other_limits_walk_everything(admin, limit):
    everything = {t["id"] for t in admin.all("/tasks", limit=500)}
    results, pages = admin.walk("/tasks", limit=limit)
    ids = [t["id"] for t in results]
    assert len(ids) == len(set(ids)) and set(ids) == everything
    assert all(len(p["results"]) <= limit for p in pages)


def test_pagination__tasks__walk_with_filters(admin):
    params = {"status": "new,in_progress,waiting_on_client", "sort": "-updated_at"}
    one = [t["id"] for t in admin.all("/tasks", params=params, limit=500)]
    paged = [t["id"] for t in admin.walk("/tasks", params=params, limit=9)[0]]
    assert paged == one


def test_pagination__tasks__insert_during_walk_causes_no_duplicates(admin, accounts):
    params = {"sort": "-created_at"}
    before = {t["id"] for t in admin.all("/tasks", params=params, limit=500)}
    first = admin.get("/tasks", params=dict(params, limit=20))
    assert first.status == 200 and first.data["next"], first
    # A new task lands at the front of this order while the walk goes on.
    c = accounts.client()
    made = c.post("/client/tasks", json={"title": "inserted during a walk",
                                         "description": "pagination test", "priority": "low"})
    assert made.status == 201, made
    seen = [t["id"] for t in first.data["results"]]
    cursor = first.data["next"]
    while cursor:
        r = admin.get("/tasks", params=dict(params, limit=20, cursor=cursor))
        assert r.status == 200, r
        seen += [t["id"] for t in r.data["results"]]
        cursor = r.data["next"]
    assert len(seen) == len(set(seen)), "a task came twice across pages"
    assert before <= set(seen), "tasks were skipped"


@pytest.mark.parametrize("path,params,limit", [
    ("/clients", None, 7),
    ("/staff", None, 1),
    ("/conversations", None, 6),
    ("/billing/subscriptions", None, 7),
    ("/billing/invoices", None, 50),
    ("/billing/invoices", {"status": "failed,refunded"}, 3),
])
def test_pagination__other_lists_walk_without_duplicates_or_gaps(admin, path, params, limit):
    everything = admin.all(path, params=params, limit=500)
    results, pages = admin.walk(path, params=params, limit=limit)
    ids = [x["id"] for x in results]
    assert len(ids) == len(set(ids)), f"{path}: duplicates"
    assert set(ids) == {x["id"] for x in everything}, f"{path}: gaps"
    assert all(len(p["results"]) <= limit for p in pages)
    for p in pages:
        assert_list_shape(p, path)


def test_pagination__credentials_list_has_list_shape(accounts, demo):
    s = accounts.staff("technician")
    client = demo.assigned_clients("technician")[0]
    results, pages = s.walk(f"/clients/{client['id']}/credentials", limit=1)
    ids = [c["id"] for c in results]
    assert ids and len(ids) == len(set(ids))


def test_pagination__limit_is_capped_at_500(admin):
    r = admin.get("/tasks", params={"limit": 100000})
    assert r.status < 500, r
    if r.status == 200:
        assert len(r.data["results"]) <= 500
    else:
        assert_error(r, 422, "invalid")


@pytest.mark.fresh_service
@pytest.mark.slow
def test_pagination__limit_over_500_never_gives_more_than_500(fresh_service):
    svc = fresh_service("--tasks", "620", "--conversations", "3", "--messages", "3",
                        seed="demo")
    s = svc.session()
    assert s.login("admin@example.com").status == 200
    total = len(s.all("/tasks", limit=500))
    assert total >= 600, f"--tasks 620 seeded only {total} tasks"
    r = s.get("/tasks", params={"limit": 501})
    assert r.status < 500, r
    if r.status == 200:
        assert len(r.data["results"]) == 500, len(r.data["results"])
        assert r.data["next"], "a capped page must point to the rest"
    else:
        assert_error(r, 422, "invalid")
    r = s.get("/tasks", params={"limit": 500})
    assert r.status == 200 and len(r.data["results"]) == 500 and r.data["next"], r


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "1.5"])
def test_pagination__bad_limit_is_not_5xx(admin, limit):
    r = admin.get("/tasks", params={"limit": limit})
    assert r.status < 500, r
    if r.status == 200:
        assert 1 <= len(r.data["results"]) <= 500
    else:
        assert_error(r, r.status)


@pytest.mark.parametrize("cursor", ["garbage", "!!!", "bz0xMDAwMDAwMDA", "cD0yMDIw", "=" * 40,
                                    "%00", "eyJ4IjoxfQ=="])
def test_pagination__garbage_cursor_gives_4xx(admin, cursor):
    r = admin.get("/tasks", params={"cursor": cursor})
    assert 400 <= r.status < 500, f"a garbage cursor was answered {r.status}: {r!r}"
    assert_error(r, r.status)


@pytest.mark.parametrize("path", ["/conversations", "/clients", "/billing/invoices"])
def test_pagination__garbage_cursor_on_other_lists_gives_4xx(admin, path):
    r = admin.get(path, params={"cursor": "not-a-cursor"})
    assert 400 <= r.status < 500, r
    assert_error(r, r.status)


# -- ETag ---------------------------------------------------------------------

def _fill(path, demo, accounts):
    admin = accounts.staff("admin")
    conv = admin.get("/conversations", params={"limit": 1}).data["results"][0]["id"]
    client = demo.assigned_clients("technician")[0]["id"]
    return path.format(task=demo.task_ids()[0], conv=conv, client=client)


ETAG_CASES = [
    ("admin", "/me"), ("admin", "/staff"), ("admin", "/clients"), ("admin", "/tasks"),
    ("admin", "/tasks/{task}"), ("admin", "/conversations"),
    ("admin", "/conversations/{conv}/messages"), ("technician", "/clients/{client}/credentials"),
    ("manager", "/billing/summary"), ("manager", "/billing/subscriptions"),
    ("manager", "/billing/invoices"), ("client", "/client/conversation"),
    ("client", "/client/conversation/messages"), ("client", "/client/tasks"),
]


@pytest.mark.parametrize("who,path", ETAG_CASES)
def test_etag__if_none_match_gives_304(accounts, demo, who, path):
    s = accounts.client() if who == "client" else accounts.staff(who)
    path = _fill(path, demo, accounts)
    r = s.get(path)
    assert r.status == 200, r
    etag = r.headers.get("ETag")
    assert etag, f"{path}: no ETag"
    again = s.get(path, headers={"If-None-Match": etag})
    assert again.status == 304, f"{path}: If-None-Match {etag} gave {again!r}"
    assert not again.wire, "a 304 has no body"
    assert again.headers.get("ETag") == etag, "a 304 repeats the ETag"
    other = s.get(path, headers={"If-None-Match": '"not-the-etag"'})
    assert other.status == 200 and other.data == r.data


def test_etag__changes_after_patch(admin, demo):
    tid = demo.task_ids()[11]
    r = admin.get(f"/tasks/{tid}")
    etag = r.headers["ETag"]
    new = "low" if r.data["priority"] != "low" else "normal"
    p = admin.patch(f"/tasks/{tid}", json={"priority": new},
                    headers={"If-Match": f'"{r.data["version"]}"'})
    assert p.status == 200, p
    after = admin.get(f"/tasks/{tid}", headers={"If-None-Match": etag})
    assert after.status == 200, "a changed task still answered 304"
    assert after.headers["ETag"] != etag and after.data["priority"] == new


def test_etag__list_changes_after_new_message(accounts):
    s = accounts.staff("support")
    r = s.get("/conversations")
    etag = r.headers["ETag"]
    conv = r.data["results"][0]["id"]
    m = s.post(f"/conversations/{conv}/messages",
               json={"body": "etag changes", "client_msg_id": new_msg_id()})
    assert m.status == 201, m
    after = s.get("/conversations", headers={"If-None-Match": etag})
    assert after.status == 200 and after.headers["ETag"] != etag


def test_etag__differs_between_people_for_me(accounts):
    a = accounts.staff("admin").get("/me").headers.get("ETag")
    b = accounts.staff("support").get("/me").headers.get("ETag")
    assert a and b and a != b


# -- gzip ---------------------------------------------------------------------

def test_gzip__large_response_is_compressed_when_accepted(admin):
    plain = admin.get("/tasks", params={"limit": 500})
    zipped = admin.get("/tasks", params={"limit": 500}, gzip_ok=True)
    assert plain.status == zipped.status == 200
    assert (zipped.headers.get("Content-Encoding") or "").lower() == "gzip", \
        f"no gzip with Accept-Encoding: gzip: {dict(zipped.headers)}"
    assert len(zipped.wire) < len(plain.wire)
    assert json.loads(gzip.decompress(zipped.wire)) == plain.data


def test_gzip__not_compressed_when_not_accepted(admin):
    r = admin.get("/tasks", params={"limit": 500})
    assert (r.headers.get("Content-Encoding") or "identity").lower() == "identity"
    assert json.loads(r.wire)["results"]


def test_gzip__etag_still_gives_304_with_gzip(admin):
    r = admin.get("/tasks", params={"limit": 500}, gzip_ok=True)
    etag = r.headers.get("ETag")
    assert etag
    again = admin.get("/tasks", params={"limit": 500}, gzip_ok=True,
                      headers={"If-None-Match": etag})
    assert again.status == 304, again


# -- conventions ---------------------------------------------------------------

def test_conventions__unknown_api_path_gives_404_json_error(admin):
    r = admin.get("/no/such/endpoint")
    assert_error(r, 404, "not_found")


def test_conventions__json_content_type_and_utf8(accounts):
    s = accounts.staff("support")
    conv = s.get("/conversations", params={"limit": 1}).data["results"][0]["id"]
    body = "Grüße, Kunde — 日本語 ✓"
    m = s.post(f"/conversations/{conv}/messages", json={"body": body, "client_msg_id": new_msg_id()})
    assert m.status == 201, m
    assert (m.headers.get("Content-Type") or "").startswith("application/json")
    assert m.data["body"] == body
    got = s.get(f"/conversations/{conv}/messages", params={"after": m.data["id"] - 1})
    assert any(x["body"] == body for x in got.data["results"])


def test_conventions__malformed_json_body_is_4xx(accounts):
    s = accounts.staff("support")
    conv = s.get("/conversations", params={"limit": 1}).data["results"][0]["id"]
    r = s.post(f"/conversations/{conv}/messages", body=b"{not json")
    assert 400 <= r.status < 500, r
    assert_error(r, r.status)
