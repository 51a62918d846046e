"""Credentials in a real terminal: gating by role and assignment, the
staff key, the reveal with its countdown, the clipboard, and no trace of
the secret in the process's memory afterwards.

The tests share one throwaway service: they register staff keys, which
the session's service must not see (its contract tests seal to their own
keys). The expected passwords come from the service's own vault, opened
the way the service opens it.
"""

import base64
import json
import re
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from nacl.secret import SecretBox

from conftest import _cleanup, _new_state
from e2e.conftest import Tui
from e2e.test_notify import wait_bytes
from helpers.service import Service

PASSPHRASE = "correct horse 42"


@pytest.fixture(scope="module")
def vault_svc():
    svc = Service(_new_state("sitecare-creds-"), seed="demo")
    try:
        svc.start()
        yield svc
    finally:
        _cleanup(svc)


@pytest.fixture
def vtui(tmp_path, sitecare_bin, vault_svc):
    t = Tui(sitecare_bin, vault_svc, tmp_path / "home")
    try:
        yield t
    finally:
        t.close()


def admin(svc):
    s = svc.session()
    assert s.login("admin@example.com").status == 200
    return s


def staff(svc, role):
    s = svc.session()
    assert s.login(f"{role}@example.com").status == 200
    return s


def vault(svc, credential_id):
    """The stored {"username", "password"}, decrypted as the service does."""
    box = SecretBox((Path(svc.state) / "vault.key").read_bytes())
    db = sqlite3.connect(Path(svc.state) / "db.sqlite3")
    try:
        (secret,) = db.execute("SELECT secret FROM vault_credential "
                               "WHERE id = ?", (credential_id,)).fetchone()
    finally:
        db.close()
    return json.loads(box.decrypt(bytes(secret)))


def assigned(svc, role, mine=True):
    """A client the role is (or is not) assigned to, with a credential."""
    me = staff(svc, role).get("/me").data
    for c in admin(svc).all("/clients"):
        ids = [s["id"] for s in c["assigned_staff"]]
        if (me["id"] in ids) != mine:
            continue
        creds = admin(svc).get(f"/clients/{c['id']}/credentials").data
        if creds["results"]:
            return c, creds["results"][0]
    pytest.fail(f"no client for {role} (mine={mine}) with credentials")


def keygen(tui, role="tech"):
    """Signs role in and makes and registers its staff key, from the
    command line."""
    tui.login(role)
    r = subprocess.run([tui.bin, *tui.flags(), "keygen",
                        "--passphrase-stdin"], input=PASSPHRASE + "\n",
                       capture_output=True, text=True,
                       env={**tui.env, "PATH": "/usr/bin:/bin"}, timeout=60)
    assert r.returncode == 0, r.stderr


def open_creds(tui, role, width=130, height=30):
    t = tui.open(width=width, height=height, signed_in=role)
    t.wait_text("3 Credentials", timeout=20)
    t.send("3")
    t.wait_for(lambda s: "Clients (* assigned to you)" in s and
               "loading" not in s, timeout=20, what="the clients")
    return t


def choose(t, client):
    t.send("/")
    t.type(client["name"])
    t.send("Enter")
    t.wait_for(lambda s: client["name"] in s, what="the client")
    t.send("Enter")
    t.wait_text(f"Credentials of {client['name']}")


def reveal(t, label, purpose="e2e check", passphrase=PASSPHRASE):
    t.wait_text(label)
    t.send("Enter")
    t.wait_text("purpose of revealing")
    t.type(purpose)
    t.send("Enter")
    if passphrase is not None:
        t.wait_text("Unlock your staff key")
        t.type(passphrase)
        t.send("Enter")


def sitecare_pid(tui):
    out = subprocess.run(["pgrep", "-n", "-f", f"sitecare --url {tui.service.url}"],
                         capture_output=True, text=True).stdout.split()
    return int(out[0])


def memory_has(pid, needle):
    """True when needle is anywhere in the memory of pid: every mapping,
    the no-access ones too (root reads them through /proc/PID/mem, as a
    debugger would), except the kernel's [vvar]/[vsyscall]."""
    found = False
    with open(f"/proc/{pid}/maps") as maps, \
            open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            fields = line.split()
            addr = fields[0]
            if fields[-1] in ("[vvar]", "[vsyscall]", "[vvar_vclock]"):
                continue
            start, end = (int(x, 16) for x in addr.split("-"))
            try:
                mem.seek(start)
                chunk = mem.read(end - start)
            except (OSError, ValueError, OverflowError):
                continue
            if needle in chunk:
                found = True
                break
    return found


def test_credentials__support_and_manager_see_no_tab(vtui):
    for role in ("support", "manager"):
        t = vtui.open(width=110, height=30, signed_in=role)
        screen = t.wait_text(f"({role})", timeout=20)
        assert "Credentials" not in screen.splitlines()[0]
        t.send("3")
        t.wait_text("not available")
        t.send("q")
        t.wait_exit()


def test_credentials__technician_reveals_then_hidden_and_wiped(
        vtui, vault_svc):
    keygen(vtui)
    client, cred = assigned(vault_svc, "tech")
    plain = vault(vault_svc, cred["id"])
    t = open_creds(vtui, "tech")
    choose(t, client)
    screen = t.wait_text(cred["label"])
    assert plain["password"] not in screen
    reveal(t, cred["label"], purpose="e2e reveal check")
    screen = t.wait_text(plain["password"], timeout=20)
    assert plain["username"] in screen
    assert re.search(r"\s\d+s", screen)  # the countdown
    # While shown it is in memory (in sodium's guarded pages): the
    # search below can find it.
    pid = sitecare_pid(vtui)
    assert memory_has(pid, plain["password"].encode())
    # The audit log has the purpose.
    audit = admin(vault_svc).get(f"/credentials/{cred['id']}/audit").data
    assert any(a["purpose"] == "e2e reveal check" for a in audit["results"])
    # Hidden after 15 s, and nowhere in the process's memory.
    t.wait_gone(plain["password"], timeout=25)
    t.wait_text("credential hidden")
    time.sleep(0.5)
    assert not memory_has(pid, plain["password"].encode()), \
        "the password is still in the process's memory"
    assert t.exit_status() is None


def test_credentials__hidden_on_pane_switch(vtui, vault_svc):
    keygen(vtui)
    client, cred = assigned(vault_svc, "tech")
    plain = vault(vault_svc, cred["id"])
    t = open_creds(vtui, "tech")
    choose(t, client)
    reveal(t, cred["label"])
    t.wait_text(plain["password"], timeout=20)
    t.send("1")
    t.wait_gone(plain["password"])
    t.send("3")
    screen = t.wait_text(cred["label"])
    assert plain["password"] not in screen


def test_credentials__not_assigned_is_a_locked_state(vtui, vault_svc):
    keygen(vtui)
    client, cred = assigned(vault_svc, "tech", mine=False)
    t = open_creds(vtui, "tech")
    choose(t, client)
    screen = t.wait_text("not assigned: cannot reveal")
    t.send("Enter")
    t.wait_text("purpose of revealing")
    t.type("trying")
    t.send("Enter")
    t.wait_text("Unlock your staff key")
    t.type(PASSPHRASE)
    t.send("Enter")
    screen = t.wait_text(f"You are not assigned to {client['name']}",
                         timeout=20)
    assert "ask a manager" in screen


def test_credentials__wrong_passphrase_says_so(vtui, vault_svc):
    keygen(vtui)
    client, cred = assigned(vault_svc, "tech")
    t = open_creds(vtui, "tech")
    choose(t, client)
    reveal(t, cred["label"], passphrase="not it at all")
    t.wait_text("wrong passphrase", timeout=20)
    t.send("C-u")
    t.type(PASSPHRASE)
    t.send("Enter")
    t.wait_text(vault(vault_svc, cred["id"])["password"], timeout=20)


def test_credentials__no_key_then_keygen_in_the_interface(vtui, vault_svc):
    client, cred = assigned(vault_svc, "admin")
    t = open_creds(vtui, "admin")
    choose(t, client)
    reveal(t, cred["label"], passphrase=None)
    t.wait_text("No staff key on this machine", timeout=20)
    t.send(":")
    t.type("keygen")
    t.send("Enter")
    t.wait_text("New staff key: choose a passphrase")
    t.type("short")
    t.send("Enter")
    t.wait_text("too short")
    t.send("C-u")
    t.type(PASSPHRASE)
    t.send("Enter")
    t.wait_text("the same passphrase again")
    t.type(PASSPHRASE)
    t.send("Enter")
    t.wait_text("staff key made and registered", timeout=30)
    pk = staff(vault_svc, "admin").get("/me").data["public_key"]
    key = vtui.home / "data" / "sitecare" / "staff.key"
    assert key.exists() and pk and len(base64.b64decode(pk)) == 32
    reveal(t, cred["label"], passphrase=None)  # unlocked already
    t.wait_text(vault(vault_svc, cred["id"])["password"], timeout=20)


def test_credentials__copy_by_osc52_then_overwritten(vtui, vault_svc,
                                                     tmp_path):
    keygen(vtui)
    client, cred = assigned(vault_svc, "tech")
    plain = vault(vault_svc, cred["id"])
    vtui.env["DISPLAY"] = ""
    vtui.env["WAYLAND_DISPLAY"] = ""
    t = open_creds(vtui, "tech")
    t._tmux("set", "-g", "set-clipboard", "external")
    raw = tmp_path / "pane.raw"
    raw.touch()
    t._tmux("pipe-pane", "-o", "-t", "t", f"cat >> {raw}")
    choose(t, client)
    reveal(t, cred["label"])
    t.wait_text(plain["password"], timeout=20)
    t.send("y")
    t.wait_text("password copied (by OSC 52)")
    b64 = base64.b64encode(plain["password"].encode())
    wait_bytes(raw, b"]52;c;" + b64)
    # 30 s later a placeholder (a space) overwrites it.
    wait_bytes(raw, b"]52;c;" + base64.b64encode(b" "), timeout=40)
    t.wait_text("clipboard overwritten")


def test_credentials__lock_key_asks_the_passphrase_again(vtui, vault_svc):
    keygen(vtui)
    client, cred = assigned(vault_svc, "tech")
    t = open_creds(vtui, "tech")
    choose(t, client)
    reveal(t, cred["label"])
    t.wait_text("[key unlocked]", timeout=20)
    t.send(":")
    t.type("lock-key")
    t.send("Enter")
    t.wait_gone("[key unlocked]")
    t.wait_text("staff key locked")
    assert vault(vault_svc, cred["id"])["password"] not in t.screen()
    reveal(t, cred["label"])  # the passphrase box comes again
    t.wait_text(vault(vault_svc, cred["id"])["password"], timeout=20)
