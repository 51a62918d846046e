"""The transport against a server that fails on purpose (fault_server.py)."""

import gzip
import json
import uuid

from integration.fault_server import ENDLESS
from integration.cli import scaled

ME = {"id": 7, "name": "Fay Fault", "email": "fay@example.com", "role": "support",
      "public_key": None, "permissions": ["tasks.read"]}
UNAVAILABLE = (503, {}, {"error": {"code": "server_error", "message": "Try later."}})


def test_cli_faults__get_retried_after_503s(fault):
    fault.script("/api/v1/me", UNAVAILABLE, UNAVAILABLE, (200, {}, ME))
    r = fault.cli.run("api", "GET", "/me")
    assert r.rc == 0, r
    assert json.loads(r.out) == ME
    assert fault.count("/api/v1/me") == 3


def test_cli_faults__get_gives_up_after_bounded_attempts(fault):
    fault.script("/api/v1/me", UNAVAILABLE)
    r = fault.cli.run("whoami")
    assert r.rc == 1, r
    assert r.err.startswith("sitecare: server:"), r
    assert fault.count("/api/v1/me") == 4
    assert r.seconds < scaled(15)


def test_cli_faults__plain_post_not_retried(fault):
    fault.script("/api/v1/conversations/1/read", UNAVAILABLE, (204, {}, b""))
    r = fault.cli.run("api", "POST", "/conversations/1/read",
                      "--data", '{"last_read_message_id": 3}')
    assert r.rc == 1, r
    assert "server" in r.err
    assert fault.count("/api/v1/conversations/1/read") == 1


def test_cli_faults__post_with_client_msg_id_retried(fault):
    path = "/api/v1/conversations/1/messages"
    msg = {"id": 1, "conversation_id": 1, "author": {"kind": "staff", "id": 7, "name": "F"},
           "body": "hi", "created_at": "2026-11-28T06:55:13Z", "client_msg_id": None}
    fault.script(path, UNAVAILABLE, (201, {}, msg))
    body = json.dumps({"body": "hi", "client_msg_id": str(uuid.uuid4())})
    r = fault.cli.run("api", "POST", "/conversations/1/messages", "--data", body)
    assert r.rc == 0, r
    assert fault.count(path) == 2
    sent = [s.body for s in fault.seen(path)]
    assert sent[0] == sent[1] == body.encode()


def test_cli_faults__patch_with_if_match_retried(fault):
    fault.script("/api/v1/tasks/5", (502, {}, b"bad gateway"), (200, {}, {"id": 5}))
    r = fault.cli.run("api", "PATCH", "/tasks/5", "-H", 'If-Match: "3"',
                      "--data", '{"status": "done"}')
    assert r.rc == 0, r
    seen = fault.seen("/api/v1/tasks/5")
    assert len(seen) == 2
    assert all(s.headers.get("If-Match") == '"3"' for s in seen)


def test_cli_faults__429_retry_after_honoured(fault):
    fault.script("/api/v1/me",
                 (429, {"Retry-After": "2"},
                  {"error": {"code": "rate_limited", "message": "Slow down."}}),
                 (200, {}, ME))
    r = fault.cli.run("api", "GET", "/me")
    assert r.rc == 0, r
    assert fault.count("/api/v1/me") == 2
    assert r.seconds >= 1.9, r


def test_cli_faults__429_with_long_retry_after_reported(fault):
    fault.script("/api/v1/me",
                 (429, {"Retry-After": "900"},
                  {"error": {"code": "rate_limited", "message": "Slow down."}}))
    r = fault.cli.run("api", "GET", "/me")
    assert r.rc == 1, r
    assert fault.count("/api/v1/me") == 1
    assert "rate limited" in r.err and "900 s" in r.err, r


def test_cli_faults__unsafe_requests_carry_csrf_and_referer(fault):
    fault.script("/api/v1/tasks/9/comments", (201, {}, {"id": 1}))
    r = fault.cli.run("api", "POST", "/tasks/9/comments", "--data", '{"body": "x"}')
    assert r.rc == 0, r
    assert fault.count("/api/v1/auth/csrf", "GET") == 1
    (post,) = fault.seen("/api/v1/tasks/9/comments")
    assert post.headers["X-CSRFToken"] == fault.csrf_token
    assert post.headers["Referer"] == f"https://127.0.0.1:{fault.port}/"
    assert f"csrftoken={fault.csrf_token}" in post.headers["Cookie"]
    assert post.headers["Content-Type"] == "application/json"


def test_cli_faults__safe_requests_carry_no_csrf(fault):
    fault.script("/api/v1/me", (200, {}, ME))
    assert fault.cli.run("api", "GET", "/me").rc == 0
    (get,) = fault.seen("/api/v1/me")
    assert "X-CSRFToken" not in get.headers
    assert get.headers["User-Agent"].startswith("sitecare/")
    assert "gzip" in get.headers["Accept-Encoding"]
    assert fault.count("/api/v1/auth/csrf") == 0


def test_cli_faults__gzip_answer_decoded(fault):
    fault.script("/api/v1/me", (200, {"Content-Encoding": "gzip"},
                                gzip.compress(json.dumps(ME).encode())))
    r = fault.cli.run("whoami")
    assert r.rc == 0, r
    assert r.out.startswith("Fay Fault <fay@example.com>\n")


def test_cli_faults__too_large_by_content_length(fault):
    fault.script("/api/v1/tasks", (200, {}, ("huge", 40 * 1024 * 1024)))
    r = fault.cli.run("api", "GET", "/tasks")
    assert r.rc == 1, r
    assert r.err.startswith("sitecare: too large:"), r
    assert r.out == ""
    assert fault.count("/api/v1/tasks") == 1


def test_cli_faults__endless_body_cut_off_with_bounded_memory(fault):
    fault.script("/api/v1/tasks", (200, {}, ENDLESS))
    r = fault.cli.run_measured("api", "GET", "/tasks", timeout=120)
    assert r.rc == 1, r
    assert "too large" in r.err, r
    assert r.out == ""
    # 32 MiB is the limit; an unbounded client would grow forever.
    assert r.maxrss_kib < 200 * 1024, r.maxrss_kib


def test_cli_faults__malformed_json(fault):
    fault.script("/api/v1/me", (200, {}, b'{"id": 7, "name": '))
    r = fault.cli.run("whoami")
    assert r.rc == 1, r
    assert r.err.startswith("sitecare: malformed:"), r
    r = fault.cli.run("api", "GET", "/me")
    assert r.rc == 1, r
    assert r.err.startswith("sitecare: malformed:"), r
    assert r.out == ""


def test_cli_faults__wrong_shape_is_malformed(fault):
    fault.script("/api/v1/me", (200, {}, {**ME, "id": "seven"}))
    r = fault.cli.run("whoami")
    assert r.rc == 1, r
    assert "malformed" in r.err and "id" in r.err, r


def test_cli_faults__non_json_error_body(fault):
    fault.script("/api/v1/me", (500, {"Content-Type": "text/html"}, b"<h1>oops</h1>"))
    r = fault.cli.run("whoami")
    assert r.rc == 1, r
    assert r.err.startswith("sitecare: server:"), r


def test_cli_faults__server_text_sanitised_on_stderr(fault):
    fault.script("/api/v1/me", (403, {}, {"error": {"code": "forbidden",
                                                   "message": "no\x1b]0;pwned\x07 way"}}))
    r = fault.cli.run("whoami")
    assert r.rc == 1, r
    assert "\x1b" not in r.err and "\x07" not in r.err
    assert "way" in r.err


def test_cli_faults__csrf_refusal_fetches_a_new_token_once(fault):
    refused = (403, {}, {"error": {"code": "forbidden",
                                   "message": "CSRF verification failed: token rotated."}})
    fault.script("/api/v1/tasks/9/comments", refused, (201, {}, {"id": 1}))
    r = fault.cli.run("api", "POST", "/tasks/9/comments", "--data", '{"body": "x"}')
    assert r.rc == 0, r
    assert fault.count("/api/v1/tasks/9/comments") == 2
    assert fault.count("/api/v1/auth/csrf") == 2
    # Refused again after the new token: reported, not looped.
    fault.script("/api/v1/tasks/9/comments", refused)
    r = fault.cli.run("api", "POST", "/tasks/9/comments", "--data", '{"body": "x"}')
    assert r.rc == 1 and "CSRF" in r.err, r
    assert fault.count("/api/v1/tasks/9/comments") == 4


def test_cli_faults__readonly_refuses_unsafe_methods(fault):
    r = fault.cli.run("--readonly", "api", "POST", "/tasks/9/comments",
                      "--data", '{"body": "x"}')
    assert r.rc == 2 and "read-only" in r.err, r
    fault.script("/api/v1/me", (200, {}, ME))
    assert fault.cli.run("--readonly", "api", "GET", "/me").rc == 0
    assert fault.count("/api/v1/tasks/9/comments") == 0
