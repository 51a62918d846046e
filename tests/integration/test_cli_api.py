"""`sitecare api METHOD PATH`: raw calls with the client's auth and errors."""

import json
import uuid

import pytest

from helpers.accounts import STAFF_EMAIL


@pytest.fixture
def admin_cli(cli):
    assert cli.login(STAFF_EMAIL["admin"]).rc == 0
    return cli


def test_cli_api__get_me(admin_cli, accounts):
    r = admin_cli.run("api", "GET", "/me")
    assert r.rc == 0, r
    assert r.out.endswith("\n") and r.err == ""
    me = json.loads(r.out)
    want = accounts.me("admin")  # cached: public_key may have changed since
    for k in ("id", "name", "email", "role"):
        assert me[k] == want[k], k
    assert sorted(me["permissions"]) == sorted(want["permissions"])


def test_cli_api__get_tasks_with_query(admin_cli):
    r = admin_cli.run("api", "GET", "/tasks?limit=5")
    assert r.rc == 0, r
    page = json.loads(r.out)
    assert len(page["results"]) == 5
    assert page["next"]
    r2 = admin_cli.run("api", "get", f"/tasks?limit=5&cursor={page['next']}")
    assert r2.rc == 0, r2
    ids = {t["id"] for t in page["results"]} | {t["id"] for t in json.loads(r2.out)["results"]}
    assert len(ids) == 10


def test_cli_api__full_api_path_accepted(admin_cli):
    r = admin_cli.run("api", "GET", "/api/v1/me")
    assert r.rc == 0, r
    assert json.loads(r.out)["email"] == STAFF_EMAIL["admin"]


def test_cli_api__not_signed_in(cli):
    r = cli.run("api", "GET", "/me")
    assert r.rc == 1, r
    assert r.err.strip() == "sitecare: not signed in: run sitecare login"


def test_cli_api__not_found(admin_cli):
    r = admin_cli.run("api", "GET", "/tasks/987654321")
    assert r.rc == 1, r
    assert r.err.startswith("sitecare: not found:"), r
    assert json.loads(r.out)["error"]["code"] == "not_found"


def current_task(accounts, demo):
    tid = demo.task_ids()[0]
    r = accounts.staff("admin").get(f"/tasks/{tid}")
    assert r.status == 200, r
    return r.data


def test_cli_api__stale_if_match__412_conflict(admin_cli, accounts, demo):
    task = current_task(accounts, demo)
    stale = task["version"] - 1
    r = admin_cli.run("api", "PATCH", f"/tasks/{task['id']}",
                      "-H", f'If-Match: "{stale}"', "--data", '{"priority": "low"}')
    assert r.rc == 1, r
    assert r.err.startswith("sitecare: conflict:"), r
    body = json.loads(r.out)
    assert body["error"]["code"] == "version_conflict"
    assert body["error"]["current"]["version"] == task["version"]
    after = current_task(accounts, demo)
    assert after["version"] == task["version"]


def test_cli_api__support_assigning_someone_else__403(cli, accounts, demo):
    assert cli.login(STAFF_EMAIL["support"]).rc == 0
    task = current_task(accounts, demo)
    other = demo.staff_id("technician")
    r = cli.run("api", "PATCH", f"/tasks/{task['id']}", "-H",
                f'If-Match: "{task["version"]}"', "--data",
                json.dumps({"assignee_id": other}))
    assert r.rc == 1, r
    assert r.err.startswith("sitecare: forbidden:"), r
    assert current_task(accounts, demo)["version"] == task["version"]


def test_cli_api__empty_message__422_with_fields(admin_cli):
    r = admin_cli.run("api", "POST", "/conversations/1/messages", "--data",
                      json.dumps({"body": "", "client_msg_id": str(uuid.uuid4())}))
    assert r.rc == 1, r
    assert r.err.startswith("sitecare: invalid:"), r
    assert "body:" in r.err, r
    assert "body" in json.loads(r.out)["error"]["fields"]


def test_cli_api__data_must_be_json(admin_cli):
    for bad in ("{", "status=done", ""):
        r = admin_cli.run("api", "POST", "/conversations/1/messages", "--data", bad)
        assert r.rc == 2, r
        assert "not valid JSON" in r.err, r


def test_cli_api__usage_errors(admin_cli):
    for args in (["api"], ["api", "GET"], ["api", "GET", "me"],
                 ["api", "FETCH", "/me"], ["api", "GET", "/me", "-H", "NoColon"],
                 ["api", "GET", "/me", "-H", "Bad\nName: x"],
                 ["api", "GET", "/me", "--frobnicate"]):
        r = admin_cli.run(*args)
        assert r.rc == 2, r
        assert r.out == ""


def test_cli_api__help_exits_zero(cli):
    r = cli.run("api", "--help", flags=False)
    assert r.rc == 0 and "METHOD PATH" in r.out, r


@pytest.mark.fresh_service
def test_cli_api__post_with_csrf_from_stdin(cli_for, own_service):
    c = cli_for(own_service.url, own_service.ca)
    assert c.login(STAFF_EMAIL["admin"]).rc == 0
    msg_id = str(uuid.uuid4())
    body = json.dumps({"body": "from the cli", "internal": True, "client_msg_id": msg_id})
    r = c.run("api", "POST", "/tasks/1/comments", "--data", "-", input=body)
    assert r.rc == 0, r
    first = json.loads(r.out)
    assert first["body"] == "from the cli" and first["internal"] is True
    # The same client_msg_id again: the same comment, never a duplicate.
    r2 = c.run("api", "POST", "/tasks/1/comments", "--data", body)
    assert r2.rc == 0, r2
    assert json.loads(r2.out)["id"] == first["id"]
    detail = json.loads(c.run("api", "GET", "/tasks/1").out)
    assert [x["id"] for x in detail["comments"]].count(first["id"]) == 1


@pytest.mark.fresh_service
def test_cli_api__patch_with_current_version_then_conflict(cli_for, own_service):
    c = cli_for(own_service.url, own_service.ca)
    assert c.login(STAFF_EMAIL["manager"]).rc == 0
    task = json.loads(c.run("api", "GET", "/tasks/2").out)
    v = task["version"]
    r = c.run("api", "PATCH", "/tasks/2", "-H", f'If-Match: "{v}"',
              "--data", '{"status": "in_progress"}')
    assert r.rc == 0, r
    assert json.loads(r.out)["version"] == v + 1
    again = c.run("api", "PATCH", "/tasks/2", "-H", f'If-Match: "{v}"',
                  "--data", '{"status": "done"}')
    assert again.rc == 1 and "conflict" in again.err, again


@pytest.mark.fresh_service
def test_cli_api__logout_post_and_delete_carry_csrf(cli_for, own_service):
    """Every unsafe method passes Django's CSRF check (or fails on its own)."""
    c = cli_for(own_service.url, own_service.ca)
    assert c.login(STAFF_EMAIL["admin"]).rc == 0
    r = c.run("api", "DELETE", "/tasks/1")
    assert "CSRF" not in r.err, r
    r = c.run("api", "PUT", "/me/public-key", "--data", '{"public_key": "short"}')
    assert r.rc == 1 and "CSRF" not in r.err and "invalid" in r.err, r
    r = c.run("api", "POST", "/auth/logout")
    assert r.rc == 0, r
    assert r.out == ""
