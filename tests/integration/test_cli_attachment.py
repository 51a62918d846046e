"""`sitecare attachment list|save` against the reference service.

The demo seed gives the first client's first task two attachments with
hostile names ("../../etc/passwd" and "scan\\x1b]0;pwned\\x07.pdf"): a
name from the server is never a path and never reaches the terminal raw.
Downloads change nothing on the server, so the session's service is used.
"""

import hashlib
import json
import os
import signal
import subprocess
import threading
import time

import pytest

from helpers.accounts import STAFF_EMAIL
from integration.fault_server import ENDLESS, trickle_then_stall
from integration.cli import scaled

TRAVERSAL = "../../etc/passwd"
ESCAPE = "scan\x1b]0;pwned\x07.pdf"


@pytest.fixture
def admin_cli(cli):
    assert cli.login(STAFF_EMAIL["admin"]).rc == 0
    return cli


def all_tasks(cli):
    """Every task, through `sitecare api` as the brief of the feature says."""
    tasks, path = [], "/tasks?limit=500"
    while path:
        r = cli.run("api", "GET", path)
        assert r.rc == 0, r
        page = json.loads(r.out)
        tasks += page["results"]
        path = f"/tasks?limit=500&cursor={page['next']}" if page.get("next") else None
    return tasks


@pytest.fixture
def hostile(admin_cli, accounts):
    """(task id, {filename: attachment}) of the task with the hostile names."""
    api = accounts.staff("admin")
    for t in sorted(all_tasks(admin_cli), key=lambda t: t["id"]):
        if t["attachment_count"] == 0:
            continue
        detail = api.get(f"/tasks/{t['id']}").json()
        names = {a["filename"]: a for a in detail["attachments"]}
        if TRAVERSAL in names and ESCAPE in names:
            return t["id"], names
    pytest.fail("no task carries the seed's hostile attachment names")


def served(accounts, task_id, att):
    """The bytes the service sends for one attachment."""
    r = accounts.staff("admin").get(f"/tasks/{task_id}/attachments/{att['id']}",
                                    accept="*/*")
    assert r.status == 200, r
    assert len(r.body) == att["size"]
    return r.body


def tree(root):
    """Every file under root (relative paths), minus the client's own state."""
    out = set()
    for d, _, files in os.walk(root):
        for f in files:
            rel = os.path.relpath(os.path.join(d, f), root)
            if not rel.startswith(("state" + os.sep, "measured.")):
                out.add(rel)
    return out


def no_partials(*dirs):
    for d in dirs:
        left = [f for f in os.listdir(d) if ".part-" in f]
        assert left == [], left


def test_cli_attachment__list_escapes_hostile_names(admin_cli, hostile):
    task_id, names = hostile
    r = admin_cli.run("attachment", "list", task_id)
    assert r.rc == 0, r
    assert "\x1b" not in r.out and "\x07" not in r.out
    rows = [line.split("\t") for line in r.out.splitlines()]
    assert all(len(row) == 4 for row in rows), rows
    by_id = {int(row[0]): row for row in rows}
    assert set(by_id) == {a["id"] for a in names.values()}
    for name, att in names.items():
        row = by_id[att["id"]]
        assert int(row[1]) == att["size"]
        assert row[2] == att["content_type"]
    assert by_id[names[TRAVERSAL]["id"]][3] == "../../etc/passwd"
    assert by_id[names[ESCAPE]["id"]][3] == "scan^[]0;pwned^G.pdf"


def test_cli_attachment__traversal_name_lands_inside_the_folder(admin_cli, hostile,
                                                                accounts):
    task_id, names = hostile
    att = names[TRAVERSAL]
    dest_dir = admin_cli.home / "work" / "dl"
    dest_dir.mkdir(parents=True)
    before = tree(admin_cli.home)
    r = admin_cli.run("attachment", "save", task_id, att["id"], dest_dir)
    assert r.rc == 0, r
    assert r.out == f"{dest_dir / 'passwd'}\n"
    assert (dest_dir / "passwd").read_bytes() == served(accounts, task_id, att)
    assert tree(admin_cli.home) - before == {"work/dl/passwd"}
    assert sorted(os.listdir(dest_dir)) == ["passwd"]
    assert oct((dest_dir / "passwd").stat().st_mode & 0o777) == oct(0o644)
    assert not (admin_cli.home / "etc").exists()
    assert not (admin_cli.home / "work" / "etc").exists()


def test_cli_attachment__escape_name_saved_clean(admin_cli, hostile, accounts):
    task_id, names = hostile
    att = names[ESCAPE]
    r = admin_cli.run("attachment", "save", task_id, att["id"], admin_cli.home)
    assert r.rc == 0, r
    assert "\x1b" not in r.out + r.err and "\x07" not in r.out + r.err
    saved = admin_cli.home / "scan]0;pwned.pdf"
    assert r.out == f"{saved}\n"
    assert saved.read_bytes() == served(accounts, task_id, att)
    no_partials(admin_cli.home)


def test_cli_attachment__never_overwrites_without_force(admin_cli, hostile, accounts):
    task_id, names = hostile
    att = names[TRAVERSAL]
    dest = admin_cli.home / "passwd"
    r = admin_cli.run("attachment", "save", task_id, att["id"], admin_cli.home)
    assert r.rc == 0, r
    first = dest.stat()
    digest = hashlib.sha256(dest.read_bytes()).hexdigest()

    r = admin_cli.run("attachment", "save", task_id, att["id"], admin_cli.home)
    assert r.rc == 1, r
    assert r.out == ""
    assert r.err == (f"sitecare: {dest} exists; choose another name or use "
                     "--force to replace it\n")
    assert hashlib.sha256(dest.read_bytes()).hexdigest() == digest
    assert dest.stat().st_ino == first.st_ino
    assert dest.stat().st_mtime_ns == first.st_mtime_ns
    no_partials(admin_cli.home)

    # A user's own file is not replaced either, named explicitly or not.
    mine = admin_cli.home / "mine.txt"
    mine.write_text("my notes\n")
    r = admin_cli.run("attachment", "save", task_id, att["id"], mine)
    assert r.rc == 1, r
    assert mine.read_text() == "my notes\n"

    r = admin_cli.run("attachment", "save", task_id, att["id"], mine, "--force")
    assert r.rc == 0, r
    assert r.out == f"{mine}\n"
    assert mine.read_bytes() == served(accounts, task_id, att)
    no_partials(admin_cli.home)


def test_cli_attachment__force_replaces(admin_cli, hostile, accounts):
    task_id, names = hostile
    att = names[TRAVERSAL]
    dest = admin_cli.home / "passwd"
    dest.write_text("tampered\n")
    r = admin_cli.run("attachment", "save", "--force", task_id, att["id"],
                      admin_cli.home)
    assert r.rc == 0, r
    assert dest.read_bytes() == served(accounts, task_id, att)
    assert oct(dest.stat().st_mode & 0o777) == oct(0o644)
    no_partials(admin_cli.home)


def test_cli_attachment__file_path_used_as_given(admin_cli, hostile, accounts):
    task_id, names = hostile
    att = names[ESCAPE]
    dest = admin_cli.home / "report.pdf"
    r = admin_cli.run("attachment", "save", task_id, att["id"], dest)
    assert r.rc == 0, r
    assert r.out == f"{dest}\n"
    assert dest.read_bytes() == served(accounts, task_id, att)


def test_cli_attachment__default_folder_honours_xdg_download_dir(admin_cli, hostile):
    task_id, names = hostile
    att = names[TRAVERSAL]
    dl = admin_cli.home / "my downloads"
    dl.mkdir()
    r = admin_cli.run("attachment", "save", task_id, att["id"],
                      env={"XDG_DOWNLOAD_DIR": str(dl)})
    assert r.rc == 0, r
    assert r.out == f"{dl / 'passwd'}\n"
    assert (dl / "passwd").stat().st_size == att["size"]
    assert not (admin_cli.home / "Downloads").exists()
    no_partials(dl)


def test_cli_attachment__default_folder_from_user_dirs_then_home(admin_cli, hostile):
    task_id, names = hostile
    att = names[TRAVERSAL]
    # No XDG_DOWNLOAD_DIR and no user-dirs.dirs: ~/Downloads, created.
    r = admin_cli.run("attachment", "save", task_id, att["id"])
    assert r.rc == 0, r
    assert r.out == f"{admin_cli.home / 'Downloads' / 'passwd'}\n"
    # user-dirs.dirs, as xdg-user-dirs-update writes it.
    (admin_cli.home / "Telechargements").mkdir()
    (admin_cli.home / "config" / "user-dirs.dirs").write_text(
        'XDG_DOWNLOAD_DIR="$HOME/Telechargements"\n')
    r = admin_cli.run("attachment", "save", task_id, att["id"])
    assert r.rc == 0, r
    assert r.out == f"{admin_cli.home / 'Telechargements' / 'passwd'}\n"


def test_cli_attachment__unknown_attachment_is_a_clear_error(admin_cli, hostile):
    task_id, _ = hostile
    before = tree(admin_cli.home)
    r = admin_cli.run("attachment", "save", task_id, 987654321, admin_cli.home)
    assert r.rc == 1, r
    assert r.out == ""
    assert r.err == (f"sitecare: not found: task {task_id} has no attachment "
                     "987654321\n")
    r = admin_cli.run("attachment", "save", 987654321, 1, admin_cli.home)
    assert r.rc == 1, r
    assert r.err.startswith("sitecare: not found:"), r
    r = admin_cli.run("attachment", "list", 987654321)
    assert r.rc == 1, r
    assert r.err.startswith("sitecare: not found:"), r
    assert tree(admin_cli.home) == before
    no_partials(admin_cli.home)


def test_cli_attachment__missing_folder_is_named(admin_cli, hostile):
    task_id, names = hostile
    dest = admin_cli.home / "no" / "such" / "file.txt"
    r = admin_cli.run("attachment", "save", task_id, names[TRAVERSAL]["id"], dest)
    assert r.rc == 1, r
    assert r.err == f"sitecare: cannot save {dest}: the folder does not exist\n"


def test_cli_attachment__not_signed_in(cli):
    r = cli.run("attachment", "list", 1)
    assert r.rc == 1, r
    assert r.err.strip() == "sitecare: not signed in: run sitecare login"


@pytest.mark.parametrize("args", [
    ["attachment"], ["attachment", "list"], ["attachment", "list", "x"],
    ["attachment", "list", "0"], ["attachment", "list", "1", "2"],
    ["attachment", "save", "1"], ["attachment", "save", "1", "-3"],
    ["attachment", "save", "1", "2", "a", "b"], ["attachment", "fetch", "1"],
    ["attachment", "list", "1", "--force"], ["attachment", "save", "1", "2", "--bogus"],
])
def test_cli_attachment__usage_errors(cli, args):
    r = cli.run(*args)
    assert r.rc == 2, r
    assert "usage: sitecare attachment list TASK_ID" in r.err
    assert r.out == ""


def test_cli_attachment__help(cli):
    r = cli.run("attachment", "--help")
    assert r.rc == 0, r
    assert "sitecare attachment save TASK_ID ATTACHMENT_ID [PATH] [--force]" in r.out


# -- a misbehaving server (fault_server.py) -----------------------------------

STAMP = "2026-11-28T06:55:13Z"


def fault_task(size, name="../../x.bin"):
    """GET /tasks/1 of the fault server: one attachment (id 5) of size bytes."""
    return {"id": 1, "version": 1, "title": "T", "description": "", "status": "new",
            "priority": "normal", "client": {"id": 1, "name": "C", "company": "Co"},
            "assignee": None, "created_at": STAMP, "updated_at": STAMP, "due_at": None,
            "comment_count": 0, "attachment_count": 1, "comments": [],
            "attachments": [{"id": 5, "filename": name, "size": size,
                             "content_type": "application/octet-stream",
                             "created_at": STAMP}]}


def test_cli_attachment__fault_bytes_saved_without_compression(fault):
    fault.script("/api/v1/tasks/1", (200, {}, fault_task(11)))
    fault.script("/api/v1/tasks/1/attachments/5",
                 (200, {"Content-Type": "application/octet-stream"}, b"hello world"))
    r = fault.cli.run("attachment", "save", 1, 5, fault.cli.home)
    assert r.rc == 0, r
    assert (fault.cli.home / "x.bin").read_bytes() == b"hello world"
    seen = fault.seen("/api/v1/tasks/1/attachments/5")[0]
    assert seen.method == "GET"
    assert seen.headers.get("Accept-Encoding") == "identity"


def test_cli_attachment__fault_endless_body_stopped_at_the_cap(fault):
    fault.script("/api/v1/tasks/1", (200, {}, fault_task(1000)))
    fault.script("/api/v1/tasks/1/attachments/5", (200, {}, ENDLESS))
    r = fault.cli.run("attachment", "save", 1, 5, fault.cli.home)
    assert r.rc == 1, r
    assert r.err == ("sitecare: too large: the attachment is larger than the "
                     f"{1000 + (1 << 20)} bytes allowed\n")
    assert not (fault.cli.home / "x.bin").exists()
    no_partials(fault.cli.home)


def test_cli_attachment__fault_huge_content_length_refused_at_once(fault):
    fault.script("/api/v1/tasks/1", (200, {}, fault_task(100)))
    fault.script("/api/v1/tasks/1/attachments/5", (200, {}, ("huge", 5 << 30)))
    r = fault.cli.run("attachment", "save", 1, 5, fault.cli.home)
    assert r.rc == 1, r
    assert r.err.startswith("sitecare: too large:"), r
    assert r.seconds < scaled(10)
    no_partials(fault.cli.home)


def test_cli_attachment__fault_http_errors_mapped(fault):
    fault.script("/api/v1/tasks/1", (200, {}, fault_task(10)))
    fault.script("/api/v1/tasks/1/attachments/5",
                 (404, {}, {"error": {"code": "not_found",
                                      "message": "No such attachment."}}),
                 (403, {}, {"error": {"code": "forbidden",
                                      "message": "Not your client's task."}}))
    r = fault.cli.run("attachment", "save", 1, 5, fault.cli.home)
    assert r.rc == 1, r
    assert r.err == "sitecare: not found: No such attachment.\n"
    r = fault.cli.run("attachment", "save", 1, 5, fault.cli.home)
    assert r.rc == 1, r
    assert r.err == "sitecare: forbidden: Not your client's task.\n"
    assert os.listdir(fault.cli.home / "data") == []
    assert not (fault.cli.home / "x.bin").exists()
    no_partials(fault.cli.home)


def test_cli_attachment__fault_interrupt_leaves_nothing(fault):
    fault.script("/api/v1/tasks/1", (200, {}, fault_task(1 << 29)))
    fault.script("/api/v1/tasks/1/attachments/5", (200, {}, ENDLESS))
    home = fault.cli.home
    p = subprocess.Popen(fault.cli.argv(["attachment", "save", 1, 5, home]),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=fault.cli.env(), cwd=home)
    deadline = time.monotonic() + scaled(20)
    while time.monotonic() < deadline:
        parts = [f for f in os.listdir(home) if ".part-" in f]
        if parts and (home / parts[0]).stat().st_size > 0:
            break
        time.sleep(0.01)  # poll interval, the deadline above decides
    else:
        p.kill()
        pytest.fail("the download never started writing")
    assert parts[0].startswith(".x.bin.part-")
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=scaled(20))
    assert p.returncode == 1, (out, err)
    assert err.decode().endswith("sitecare: interrupted; nothing was saved\n")
    assert not (home / "x.bin").exists()
    no_partials(home)


def test_cli_attachment__fault_stalled_body_stopped_after_30s(fault):
    """10 bytes of 1000, then silence: stopped at the stall limit, no file."""
    release = threading.Event()
    fault.script("/api/v1/tasks/1", (200, {}, fault_task(1000)))
    fault.script("/api/v1/tasks/1/attachments/5",
                 (200, {}, trickle_then_stall(release)))
    started = time.monotonic()
    try:
        r = fault.cli.run("attachment", "save", 1, 5, fault.cli.home,
                          timeout=90)
    finally:
        release.set()
    took = time.monotonic() - started
    assert r.rc == 1, r
    assert r.err.endswith(
        "sitecare: network: nothing arrived for 30 s; the download was "
        "stopped and nothing was saved\n"), r.err
    assert took >= 29, took
    assert not (fault.cli.home / "x.bin").exists()
    no_partials(fault.cli.home)
