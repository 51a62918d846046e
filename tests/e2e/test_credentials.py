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
import os
import re
import shlex
import sqlite3
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from nacl.secret import SecretBox

from e2e.conftest import PASSWORD, own_service, tui_on
from e2e.test_hostile import quits_untouched
from e2e.test_notify import wait_bytes
from e2e.waits import handled, settled
from helpers.service import Service

PASSPHRASE = "correct horse 42"


vault_svc = own_service("sitecare-creds-")
vtui = tui_on("vault_svc")


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
    command line (the passphrase, then the account password)."""
    tui.login(role)
    r = subprocess.run([tui.bin, *tui.flags(), "keygen",
                        "--passphrase-stdin", "--password-stdin"],
                       input=PASSPHRASE + "\n" + PASSWORD + "\n",
                       capture_output=True, text=True,
                       env={**tui.env, "PATH": "/usr/bin:/bin"}, timeout=60)
    assert r.returncode == 0, r.stderr


def write_config(tui, text):
    """The member's config file ($XDG_CONFIG_HOME/sitecare/config)."""
    cfg = tui.home / "cfg" / "sitecare" / "config"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(text)


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
    return tui.terminals[-1].pid()


# AddressSanitizer's shadow memory on x86-64 (terabytes, reserved lazily):
# it holds one poison byte per 8 bytes of memory, never the data itself.
ASAN_SHADOW = (0x7FFF8000, 0x10007FFF8000)
CHUNK = 64 << 20


def mappings(pid):
    """(start, end, name, resident_kb) of every mapping of pid, from smaps:
    resident counts RAM and swap, so 0 means the mapping holds no bytes."""
    out, cur = [], None
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            head = re.match(r"([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)",
                            line)
            if head:
                cur = [int(head[1], 16), int(head[2], 16), head[3], 0]
                out.append(cur)
            elif line.startswith(("Rss:", "Swap:")):
                cur[3] += int(line.split()[1])
    return out


def memory_has(pid, needle):
    """True when needle is anywhere in the memory of pid: every mapping
    with bytes in RAM or swap, the no-access ones too (root reads them
    through /proc/PID/mem, as a debugger would), except the kernel's
    [vvar]/[vsyscall] and, in a sanitised build, ASan's shadow."""
    return memory_matches(pid, re.compile(re.escape(needle)), len(needle))


# ncurses keeps what a window shows as cells (cchar_t: a 4-byte attribute,
# the character as a 4-byte wchar_t, then 20 bytes more), not as text, so
# a secret drawn in a window is found by its characters 28 bytes apart.
CELL = 28


def memory_has_cells(pid, text):
    """True when text is anywhere in pid's memory as curses cells."""
    gap = b".{%d}" % (CELL - 4)
    pattern = re.compile(gap.join(re.escape(ch.encode("utf-32-le"))
                                  for ch in text), re.S)
    return memory_matches(pid, pattern, CELL * len(text))


def memory_matches(pid, pattern, span):
    """True when pattern (at most span bytes long) matches in any mapping
    memory_has reads."""
    maps = mappings(pid)
    asan = any("libasan" in m[2] for m in maps)
    with open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for start, end, name, resident in maps:
            if name in ("[vvar]", "[vsyscall]", "[vvar_vclock]"):
                continue
            if resident == 0:
                continue
            if asan and ASAN_SHADOW[0] <= start and end <= ASAN_SHADOW[1]:
                continue
            if region_matches(mem, start, end, pattern, span):
                return True
    return False


def region_matches(mem, start, end, pattern, span):
    """Reads [start, end) in chunks that overlap by span bytes."""
    pos, tail = start, b""
    while pos < end:
        try:
            mem.seek(pos)
            chunk = mem.read(min(CHUNK, end - pos))
        except (OSError, ValueError, OverflowError):
            return False
        if pattern.search(tail + chunk):
            return True
        tail = chunk[-span:]
        pos += CHUNK
    return False


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
    handled(t)  # a whole loop pass after the hide, to be sure it is done
    assert not memory_has(pid, plain["password"].encode()), \
        "the password is still in the process's memory"
    assert t.exit_status() is None


def revealed(tui, svc):
    """The technician's key made, one of their credentials revealed and
    shown: the terminal, the client, the credential, its plain text."""
    keygen(tui)
    client, cred = assigned(svc, "tech")
    plain = vault(svc, cred["id"])
    t = open_creds(tui, "tech")
    choose(t, client)
    reveal(t, cred["label"])
    t.wait_text(plain["password"], timeout=20)
    return t, client, cred, plain


def test_credentials__hidden_on_pane_switch(vtui, vault_svc):
    t, client, cred, plain = revealed(vtui, vault_svc)
    t.send("1")
    t.wait_gone(plain["password"])
    t.send("3")
    screen = t.wait_text(cred["label"])
    assert plain["password"] not in screen


def test_credentials__pane_left__its_window_keeps_no_cell_of_it(
        vtui, vault_svc):
    t, client, cred, plain = revealed(vtui, vault_svc)
    pid = sitecare_pid(vtui)
    # Shown, it is in the pane's window as cells: the search can see it.
    assert memory_has_cells(pid, plain["password"])
    # Another pane: the Credentials pane's window, kept for the way back,
    # holds the masks, not the password's cells.
    t.send("1")
    t.wait_gone(plain["password"])
    t.wait_text("credential hidden")
    handled(t)  # a whole loop pass after the hide, to be sure it is done
    assert not memory_has_cells(pid, plain["password"]), \
        "the password's cells are still in a window"


def test_credentials__wiped_when_the_session_expires(vtui, vault_svc):
    # Shown for two minutes unless something wipes it sooner.
    write_config(vtui, "reveal-seconds = 120\n")
    t, client, cred, plain = revealed(vtui, vault_svc)
    pid = sitecare_pid(vtui)
    assert memory_has(pid, plain["password"].encode())
    # The session ends under it: the sign-in form, where anyone may sign
    # in, takes the screen, and the secret is gone before it does.
    assert vault_svc.ctl("expire-sessions", "--email",
                         "tech@example.com")["deleted"] >= 1
    screen = t.wait_text("your session expired: sign in again", timeout=30)
    assert plain["password"] not in screen
    # No wait: the panes wipe it before the form is drawn (tui.c,
    # on_session_expired), so the form on the screen is the sign.
    assert not memory_has(pid, plain["password"].encode()), \
        "the password is still in the process's memory"
    # Signed in again, it does not come back.
    t.type(PASSWORD)
    t.send("Enter")
    screen = t.wait_for(lambda s: "Sign in to" not in s and
                        f"Credentials of {client['name']}" in s,
                        timeout=30, what="signed in again")
    assert plain["password"] not in screen


# A client sets its site's password in the web app, so it is client text
# like any other: ESC and BEL, a C1 CSI, a bidi override and an OSC 52.
HOSTILE_PASSWORD = ("pw\x1b]0;PWN-T0\x07x\u009b31m\u202egnp"
                    "\x1b]52;c;cm0K\x07end")
# Drawn in place from sodium memory by the sanitiser's rules: one '?' for
# each character it would not keep as it is.
HOSTILE_SHOWN = "pw?]0;PWN-T0?x?31m?gnp?]52;c;cm0K?end"


def test_credentials__hostile_password_drawn_inert(vtui, vault_svc,
                                                   tmp_path):
    keygen(vtui)
    client, _ = assigned(vault_svc, "tech")
    # Not the credential the other tests reveal, and put back after.
    cred = admin(vault_svc).get(
        f"/clients/{client['id']}/credentials").data["results"][-1]
    before = vault(vault_svc, cred["id"])
    vault_svc.ctl("set-credential", "--id", cred["id"],
                  "--password", HOSTILE_PASSWORD)
    try:
        t = open_creds(vtui, "tech", width=200)
        raw = tmp_path / "pane.raw"
        raw.touch()
        t._tmux("pipe-pane", "-o", "-t", "t", f"cat >> {raw}")
        choose(t, client)
        reveal(t, cred["label"])
        screen = t.wait_text(f"pass {HOSTILE_SHOWN} ", timeout=20)
        assert before["username"] in screen
        quits_untouched(t, raw)
        # Where it does not fit, an ellipsis says there is more.
        t = open_creds(vtui, "tech", width=100)
        choose(t, client)
        reveal(t, cred["label"])
        cut = re.compile(r"pass (\S+)\u2026")
        screen = t.wait_for(lambda s: cut.search(s), timeout=20,
                            what="the password cut with an ellipsis")
        shown = cut.search(screen)
        assert len(shown[1]) >= 8, screen
        assert HOSTILE_SHOWN.startswith(shown[1])
    finally:
        vault_svc.ctl("set-credential", "--id", cred["id"],
                      "--password", before["password"])


def test_credentials__not_assigned_is_a_locked_state(vtui, vault_svc):
    """Enter on a credential the row already marks as not revealable asks
    nothing (no purpose, no passphrase) and says why at once."""
    keygen(vtui)
    client, cred = assigned(vault_svc, "tech", mine=False)
    t = open_creds(vtui, "tech", width=160)
    choose(t, client)
    screen = t.wait_text("not assigned: cannot reveal")
    t.send("Enter")
    screen = t.wait_text(f"{cred['label']} cannot be revealed: you are "
                         f"not assigned to {client['name']}'s tasks")
    assert "ask a manager to assign you" in screen
    assert "purpose of revealing" not in screen
    assert "Unlock your staff key" not in screen


def test_credentials__wrong_passphrase_says_so(vtui, vault_svc):
    keygen(vtui)
    client, cred = assigned(vault_svc, "tech")
    t = open_creds(vtui, "tech")
    choose(t, client)
    reveal(t, cred["label"], passphrase="not it at all")
    # Argon2id runs off the loop thread: the box is drawn while it works
    # (a blocked loop could never show this line).
    t.wait_text("checking the passphrase...", timeout=5)
    t.wait_text("wrong passphrase", timeout=20)
    t.send("C-u")
    t.type(PASSPHRASE)
    t.send("Enter")
    t.wait_text(vault(vault_svc, cred["id"])["password"], timeout=20)


def test_credentials__no_key_then_keygen_in_the_interface(vtui, vault_svc):
    client, cred = assigned(vault_svc, "admin")
    t = open_creds(vtui, "admin")
    choose(t, client)
    t.wait_text("No public key registered")  # from GET /me at sign-in
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
    # Registering asks the account password, in the same kind of box.
    t.wait_text("Register your staff key", timeout=30)
    t.type("not the password")
    t.send("Enter")
    t.wait_text("the account password was wrong or missing", timeout=20)
    assert "not the password" not in t.screen()
    t.send("C-u")
    t.type(PASSWORD)
    t.send("Enter")
    t.wait_text("staff key made and registered", timeout=30)
    t.wait_gone("No public key registered")
    pk = staff(vault_svc, "admin").get("/me").data["public_key"]
    key = vtui.home / "data" / "sitecare" / "staff.key"
    assert key.exists() and pk and len(base64.b64decode(pk)) == 32
    reveal(t, cred["label"], passphrase=None)  # unlocked already
    t.wait_text(vault(vault_svc, cred["id"])["password"], timeout=20)


def tmux_buffers(t):
    """{name: contents} of every paste buffer in the test's tmux server."""
    names = t._tmux("list-buffers", "-F", "#{buffer_name}").stdout.split()
    return {n: t._tmux("show-buffer", "-b", n).stdout for n in names}


# The copy tests' clipboard-seconds (the default, 30, is what the other
# copy tests' messages say), and the rounding of the loop's millisecond
# timers against the test's clock.
CLIP_SECONDS = 5
CLOCK_SLACK = 0.1


def revealed_in_tmux(vtui, vault_svc, tmp_path, width=170, **tmux_opts):
    """A tech's password revealed in a pane whose tmux has tmux_opts set
    (set-clipboard, allow-passthrough), with the pane's raw output
    piped to a file; (terminal, password, raw file)."""
    keygen(vtui)
    client, cred = assigned(vault_svc, "tech")
    plain = vault(vault_svc, cred["id"])
    vtui.env["DISPLAY"] = ""
    vtui.env["WAYLAND_DISPLAY"] = ""
    t = open_creds(vtui, "tech", width=width)
    for name, value in tmux_opts.items():
        t._tmux("set", "-g", name.replace("_", "-"), value)
    raw = tmp_path / "pane.raw"
    raw.touch()
    t._tmux("pipe-pane", "-o", "-t", "t", f"cat >> {raw}")
    choose(t, client)
    reveal(t, cred["label"])
    t.wait_text(plain["password"], timeout=20)
    return t, plain["password"], raw


def test_credentials__copy_refused_when_tmux_would_drop_it(vtui, vault_svc,
                                                           tmp_path):
    """tmux with set-clipboard external drops an application's OSC 52:
    `y` says so and how to fix it, and sends nothing. Each `y` asks tmux
    again, so the fix works at once: passthrough, then set-clipboard on,
    each said as what it is."""
    # Wide enough for the whole refusal in the status line.
    t, password, raw = revealed_in_tmux(
        vtui, vault_svc, tmp_path, width=220, set_clipboard="external",
        allow_passthrough="off")
    b64 = base64.b64encode(password.encode())
    t.send("y")
    screen = t.wait_text("not copied: tmux's set-clipboard is external: "
                         "the copy would not reach your terminal")
    assert "run `tmux set -g set-clipboard on` or copy by hand" in screen
    assert b"52;c;" not in raw.read_bytes()
    assert password not in tmux_buffers(t).values()
    # allow-passthrough on: the copy goes through it, and says so.
    t._tmux("set", "-g", "allow-passthrough", "on")
    t.send("y")
    t.wait_text("password copied to the terminal's clipboard by OSC 52 "
                "through tmux's passthrough: it will be overwritten in 30 s")
    wait_bytes(raw, b"\x1bPtmux;\x1b\x1b]52;c;" + b64)
    assert password not in tmux_buffers(t).values()
    # set-clipboard on: tmux keeps it in a paste buffer, and that is said.
    t._tmux("set", "-g", "set-clipboard", "on")
    t.send("y")
    t.wait_text("password copied into tmux's paste buffer (set-clipboard "
                "on), which tmux passes to the terminal: in 30 s it is "
                "overwritten and the buffer deleted")
    t.wait_for(lambda s: password in tmux_buffers(t).values(),
               what="tmux's paste buffer of the password")


def test_credentials__copy_into_tmux_buffer_then_buffer_deleted(
        vtui, vault_svc, tmp_path):
    """set-clipboard on: tmux keeps the password as buffer0;
    clipboard-seconds later (5 here, 30 by default) the placeholder
    overwrites the clipboard and the client deletes that buffer, and says
    so (not "cleared")."""
    write_config(vtui, f"clipboard-seconds = {CLIP_SECONDS}\n")
    t, password, raw = revealed_in_tmux(vtui, vault_svc, tmp_path,
                                        set_clipboard="on")
    t._tmux("set-buffer", "-b", "mine", "kept by hand")
    started = time.monotonic()
    t.send("y")
    t.wait_text("password copied into tmux's paste buffer (set-clipboard "
                f"on), which tmux passes to the terminal: in {CLIP_SECONDS} "
                "s it is overwritten and the buffer deleted")
    t.wait_for(lambda s: password in tmux_buffers(t).values(),
               what="tmux's paste buffer of the password")
    screen = t.wait_text("clipboard overwritten: tmux's paste buffer of the "
                         "password deleted", timeout=CLIP_SECONDS + 10)
    assert time.monotonic() - started >= CLIP_SECONDS - CLOCK_SLACK
    assert "cleared" not in screen
    buffers = tmux_buffers(t)
    assert password not in buffers.values()
    assert buffers.get("mine") == "kept by hand"  # not the client's


def test_credentials__copy_by_osc52_then_overwritten(vtui, vault_svc,
                                                     tmp_path):
    """Not inside tmux (as over SSH, whatever tmux runs outside): OSC 52
    to the terminal, overwritten with a placeholder after
    clipboard-seconds (5 here, 30 by default), and the messages say
    copied and overwritten, never cleared."""
    write_config(vtui, f"clipboard-seconds = {CLIP_SECONDS}\n")
    vtui.env["TMUX"] = ""
    t, password, raw = revealed_in_tmux(vtui, vault_svc, tmp_path,
                                        set_clipboard="on")
    started = time.monotonic()
    t.send("y")
    t.wait_text("password copied to the terminal's clipboard by OSC 52: it "
                f"will be overwritten in {CLIP_SECONDS} s")
    b64 = base64.b64encode(password.encode())
    wait_bytes(raw, b"]52;c;" + b64)
    # clipboard-seconds later a placeholder (a space) overwrites it.
    wait_bytes(raw, b"]52;c;" + base64.b64encode(b" "),
               timeout=CLIP_SECONDS + 10)
    assert time.monotonic() - started >= CLIP_SECONDS - CLOCK_SLACK
    screen = t.wait_text("clipboard overwritten: a terminal's clipboard "
                         "cannot be read back to check")
    assert "cleared" not in screen


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


@pytest.mark.slow
def test_credentials__idle_key_locks_itself(vtui, vault_svc):
    write_config(vtui, "key-idle-minutes = 1\n")
    keygen(vtui)
    client, cred = assigned(vault_svc, "tech")
    t = open_creds(vtui, "tech")
    choose(t, client)
    reveal(t, cred["label"])
    t.wait_text("[key unlocked]", timeout=20)
    started = time.monotonic()
    # No key pressed from here: a minute, checked every 15 s.
    t.wait_text("staff key locked after being idle", timeout=100)
    assert time.monotonic() - started >= 55
    assert "[key unlocked]" not in t.screen()
    assert vault(vault_svc, cred["id"])["password"] not in t.screen()
    reveal(t, cred["label"])  # the passphrase box comes again
    t.wait_text(vault(vault_svc, cred["id"])["password"], timeout=20)


def test_credentials__weak_passphrase_refused_in_the_interface(vtui,
                                                               vault_svc):
    t = open_creds(vtui, "tech")
    t.send(":")
    t.type("keygen")
    t.send("Enter")
    t.wait_text("New staff key: choose a passphrase")
    t.type("password")
    t.send("Enter")
    t.wait_text("too weak: it fails the dictionary check")
    t.send("C-u")
    t.type("12345678")
    t.send("Enter")
    t.wait_text("the dictionary check - it is too simpl")
    t.send("Escape")
    t.wait_gone("New staff key")
    assert not (vtui.home / "data" / "sitecare" / "staff.key").exists()


def slow_waits(tui, tmp_path, seconds):
    """Runs tui's binary under strace, every wait4() delayed by seconds:
    a wait for a child on the loop thread would freeze the interface
    that long. (LeakSanitizer needs ptrace at exit: off here.)"""
    wrapper = tmp_path / "slow-waits"
    wrapper.write_text(
        "#!/bin/sh\n"
        "ASAN_OPTIONS=\"$ASAN_OPTIONS:detect_leaks=0\" exec strace -f -qq "
        f"-o /dev/null -e trace=wait4 -e inject=wait4:delay_enter="
        f"{seconds}s {shlex.quote(tui.bin)} \"$@\"\n")
    wrapper.chmod(0o755)
    tui.bin = str(wrapper)


def test_credentials__strength_check_runs_off_the_loop(vtui, vault_svc,
                                                       tmp_path):
    # pwquality runs in a child (see tui/pass_strength.h), waited for on
    # the worker thread: with the wait slowed to 3 s, the box still says
    # it is checking at once (a blocked loop could never draw it), and
    # the verdict comes after.
    slow_waits(vtui, tmp_path, 3)
    t = open_creds(vtui, "tech")
    t.send(":")
    t.type("keygen")
    t.send("Enter")
    t.wait_text("New staff key: choose a passphrase")
    t.type(PASSPHRASE)
    t.send("Enter")
    t.wait_text("checking the passphrase...", timeout=2)
    t.wait_text("the same passphrase again", timeout=15)
    t.send("Escape")
    t.wait_gone("New staff key")
    assert not (vtui.home / "data" / "sitecare" / "staff.key").exists()


REPLACED = "the key registered for you was replaced on "
ADMIN_NOW = "not from this machine: if that was not you, tell an admin now"


def replace_key(svc, role="tech"):
    """Registers a key of someone else's for role, from outside (as whoever
    holds the password would)."""
    other = base64.b64encode(os.urandom(32)).decode()
    svc.ctl("set-public-key", f"{role}@example.com", other)
    return other


def audit_count(svc, cred):
    return len(admin(svc).get(f"/credentials/{cred['id']}/audit")
               .data["results"])


def status_line(t):
    return t.screen().splitlines()[-1]


def test_credentials__key_replaced_from_outside_warns_and_refuses(
        vtui, vault_svc):
    keygen(vtui)
    client, cred = assigned(vault_svc, "tech")
    t = open_creds(vtui, "tech", width=200)
    choose(t, client)
    t.wait_text(cred["label"])
    assert REPLACED not in t.screen()
    replace_key(vault_svc)
    # staff.key_changed arrives: the pane and the status line say so.
    screen = t.wait_text(REPLACED, timeout=20)
    lines = screen.splitlines()
    assert REPLACED in lines[-1] and ADMIN_NOW in lines[-1], screen
    assert any(REPLACED in l and ADMIN_NOW in l for l in lines[1:-1]), screen
    assert ":register-key" in screen
    # The date is the registration's, in local time, minutes only.
    assert re.search(re.escape(REPLACED) + r"\d{4}-\d\d-\d\d \d\d:\d\d,",
                     screen), screen
    # Enter on a credential refuses: no purpose asked, no reveal sent.
    audited = audit_count(vault_svc, cred)
    t.send("Enter")
    screen = settled(t)  # Enter handled and drawn
    assert "purpose of revealing" not in screen
    assert "Unlock your staff key" not in screen
    assert audit_count(vault_svc, cred) == audited
    # Seen from another pane too, once the notice has gone.
    t.send("1")
    t.wait_for(lambda s: REPLACED in s.splitlines()[-1], timeout=15,
               what="the warning in the status line of the Tasks pane")
    # Re-registering this machine's key with the password clears it.
    t.send("3")
    t.send(":")
    t.type("register-key")
    t.send("Enter")
    t.wait_text("Register your staff key")
    t.type("wrong password")
    t.send("Enter")
    t.wait_text("the account password was wrong or missing", timeout=20)
    t.send("C-u")
    t.type(PASSWORD)
    t.send("Enter")
    t.wait_text("staff key registered again", timeout=20)
    t.wait_gone(REPLACED, timeout=10)
    reveal(t, cred["label"], purpose="after re-registering")
    t.wait_text(vault(vault_svc, cred["id"])["password"], timeout=20)
    assert audit_count(vault_svc, cred) == audited + 1


def test_credentials__key_replaced_before_start_warns_at_once(vtui,
                                                              vault_svc):
    keygen(vtui)
    replace_key(vault_svc)
    t = vtui.open(width=200, height=30, signed_in="tech")
    # From GET /me at start, in the first pane's status line.
    t.wait_for(lambda s: REPLACED in s.splitlines()[-1], timeout=20,
               what="the warning at start")
    t.send("3")
    screen = t.wait_for(lambda s: sum(REPLACED in l for l in s.splitlines())
                        == 2, timeout=10, what="the warning in the pane")
    assert ":register-key" in screen


def test_credentials__own_registration_raises_no_warning(vtui, vault_svc):
    keygen(vtui)
    t = open_creds(vtui, "tech", width=200)
    # The same key registered again from this machine (the event comes
    # with it): nothing to warn of.
    r = subprocess.run([vtui.bin, *vtui.flags(), "keygen",
                        "--register-only", "--password-stdin"],
                       input=PASSWORD + "\n", capture_output=True, text=True,
                       env={**vtui.env, "PATH": "/usr/bin:/bin"}, timeout=60)
    assert r.returncode == 0, r.stderr
    t.send(":")
    t.type("register-key")
    t.send("Enter")
    t.wait_text("Register your staff key")
    t.type(PASSWORD)
    t.send("Enter")
    t.wait_text("staff key registered again", timeout=20)
    # The registrations' events are in the stream before a client's
    # message sent now: once it is counted, they have been handled.
    unread = int(re.search(r"unread (\d+)", t.screen()).group(1))
    vault_svc.ctl("client-message", "--client-id", "1",
                  "--body", "after the key " + uuid.uuid4().hex[:6])
    screen = t.wait_text(f"unread {unread + 1}", timeout=20)
    assert "was replaced" not in screen
