"""The test tooling the other suites rely on: `serve` and `ctl` (not the API
contract, but what the brief of tests/service/ promises)."""

import os
import stat
import subprocess

import pytest

from helpers.accounts import CLIENT_EMAIL, PASSWORD, STAFF_EMAIL
from helpers.contract import assert_task
from helpers.service import SERVE


def test_service_cli__writes_url_and_ca(service):
    url_file = service.state / "url"
    assert url_file.exists(), "serve did not write DIR/url"
    assert url_file.read_text().strip() == service.url
    assert (service.state / "ca.pem").read_text().startswith("-----BEGIN CERTIFICATE-----")


def test_service_cli__listens_on_loopback_only(service):
    assert service.url.startswith("https://127.0.0.1:")


def test_service_cli__secrets_are_not_world_readable(service):
    for p in service.state.iterdir():
        if p.suffix == ".key" or p.name in ("secret_key", "vault.key"):
            mode = stat.S_IMODE(os.stat(p).st_mode)
            assert not mode & 0o077, f"{p.name} is mode {oct(mode)}"


def test_service_cli__ctl_create_task_is_visible(service, accounts, demo):
    cid = demo.clients[2]["id"]
    out = service.ctl("create-task", "--client-id", cid, "--title", "ctl-made task",
                      "--priority", "urgent")
    assert isinstance(out, dict) and "task" in out, out
    assert_task(out["task"])
    r = accounts.staff("support").get(f"/tasks/{out['task']['id']}")
    assert r.status == 200 and r.data["title"] == "ctl-made task", r
    assert r.data["priority"] == "urgent" and r.data["client"]["id"] == cid
    assert r.data["status"] == "new"


def test_service_cli__ctl_client_message_prints_the_message(service, accounts, demo):
    cid = demo.client_account["id"]
    out = service.ctl("client-message", "--client-id", cid, "--body", "hello from ctl")
    assert isinstance(out, dict) and out["message"]["body"] == "hello from ctl", out
    conv = accounts.client().get("/client/conversation").data["id"]
    latest = accounts.staff("support").get(f"/conversations/{conv}/messages",
                                           params={"limit": 1}).data["results"][-1]
    assert latest["id"] == out["message"]["id"]


@pytest.mark.fresh_service
def test_service_cli__seed_none_has_only_the_accounts(fresh_service):
    svc = fresh_service(seed="none")
    s = svc.session()
    assert s.login(STAFF_EMAIL["admin"], PASSWORD).status == 200
    assert s.all("/tasks") == []
    c = svc.session()
    assert c.client_login(CLIENT_EMAIL, PASSWORD).status == 200


@pytest.mark.fresh_service
@pytest.mark.restart
def test_service_cli__restart_keeps_data_and_sessions(fresh_service):
    svc = fresh_service("--tasks", "20", "--conversations", "3", "--messages", "6", seed="demo")
    port = svc.port
    s = svc.session()
    assert s.login(STAFF_EMAIL["admin"]).status == 200
    tasks = s.all("/tasks")
    assert len(tasks) == 20, len(tasks)
    t = tasks[0]
    p = s.patch(f"/tasks/{t['id']}", json={"priority": "urgent"},
                headers={"If-Match": f'"{t["version"]}"'})
    assert p.status == 200, p
    rc = svc.stop()
    assert rc == 0, f"serve exited {rc} on SIGTERM"
    assert_error_or_refused(svc)
    svc.start()
    assert svc.port == port
    again = s.get(f"/tasks/{t['id']}")
    assert again.status == 200, "the session did not survive a restart"
    assert again.data["version"] == p.data["version"] and again.data["priority"] == "urgent"
    assert len(s.all("/tasks")) == 20, "restart reseeded or lost data"


def assert_error_or_refused(svc):
    import socket
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", svc.port), timeout=2).close()


@pytest.mark.fresh_service
@pytest.mark.slow
def test_service_cli__ctl_delay_holds_answers_back_after_the_view(fresh_service):
    import time
    svc = fresh_service("--tasks", "3", "--conversations", "1", "--messages", "1",
                        seed="demo")
    s = svc.session()
    assert s.login(STAFF_EMAIL["support"]).status == 200
    out = svc.ctl("delay", "1.5", "--match", r"^GET /api/v1/me$")
    assert out == {"delay": {"seconds": 1.5, "match": r"^GET /api/v1/me$"}}
    t0 = time.monotonic()
    assert s.get("/me").status == 200
    assert time.monotonic() - t0 >= 1.5, "the matching request was not held"
    t0 = time.monotonic()
    assert s.get("/tasks").status == 200
    assert time.monotonic() - t0 < 1.5, "a request the regex excludes waited"
    assert "delay: 1.5s before answering GET /api/v1/me (200)" in \
        svc.log.read_text()
    assert svc.ctl("delay", "0") == {"delay": 0}
    assert not (svc.state / "delay.json").exists()
    t0 = time.monotonic()
    assert s.get("/me").status == 200
    assert time.monotonic() - t0 < 1.5, "delay 0 did not end the delay"
    # --query: one sort's pages held, the reversed sort's not.
    held = r"(^|&)sort=created_at(&|$)"
    out = svc.ctl("delay", "1.5", "--match", r"^GET /api/v1/tasks$",
                  "--query", held)
    assert out["delay"]["query"] == held
    t0 = time.monotonic()
    assert s.get("/tasks?sort=-created_at").status == 200
    assert time.monotonic() - t0 < 1.5, "a query the regex excludes waited"
    t0 = time.monotonic()
    assert s.get("/tasks?sort=created_at&limit=5").status == 200
    assert time.monotonic() - t0 >= 1.5, "the matching query was not held"
    assert svc.ctl("delay", "0") == {"delay": 0}


def test_service_cli__state_too_deep_for_the_front_socket__said_at_once(
        tmp_path):
    """The front reaches gunicorn on STATE/gunicorn.sock; a path over
    sun_path's 107 bytes is refused before anything is made, by name."""
    state = tmp_path / ("d" * (120 - len(str(tmp_path))))
    r = subprocess.run([str(SERVE), "--port", "0", "--state", str(state),
                        "--seed", "none"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 1
    assert "too long for a unix socket" in r.stderr
    assert "--front none" in r.stderr
    assert not state.exists()
