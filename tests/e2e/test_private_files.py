"""Files only we may have written, in a real terminal: an outbox item or a
draft whose file others may read is not trusted. The item is held, not
sent, and the status line says so; the draft is not offered (why is said
on the status line, which the open reply line covers). Files are found
under the state directory wherever the outbox and the drafts keep them.
"""

import os
import subprocess
import uuid

from e2e.test_chat import CARLA, leave_draft, messages, open_chat, open_conversation


def cli(tui, *args):
    """Runs a sitecare command with the interface's HOME and service."""
    return subprocess.run([tui.bin, *tui.flags(), *args], capture_output=True,
                          text=True, env={**tui.env, "PATH": "/usr/bin:/bin"},
                          timeout=60)


def state_file(tui, name):
    """The one file called name under the state directory."""
    [path] = list((tui.home / "state").rglob(name))
    return path


def test_private__outbox_item_open_to_others__held_and_said(tui, accounts):
    tui.login("support")
    body = "queued " + uuid.uuid4().hex[:8]
    # Conversation 999999 does not exist: the reply stays in the outbox.
    r = cli(tui, "reply", "999999", body)
    assert r.returncode == 1 and "kept in the outbox" in r.stderr, r
    [item] = [line.split("\t")[0] for line in
              cli(tui, "outbox", "list").stdout.splitlines()]
    os.chmod(state_file(tui, item + ".json"), 0o644)
    t = tui.open(width=110, height=30)
    t.wait_text("outbox: 1 item held, not sent: not private", timeout=20)
    assert state_file(tui, item + ".json").exists()
    listed = cli(tui, "outbox", "list")
    assert f"outbox item {item} is held, not sent" in listed.stderr, listed
    assert "readable by others (mode 0644)" in listed.stderr, listed


def test_private__draft_open_to_others__not_offered(tui, accounts):
    draft = leave_draft(tui)
    os.chmod(state_file(tui, "1.txt"), 0o644)
    t2 = open_chat(tui)
    open_conversation(t2)
    t2.send("r")
    assert draft not in t2.wait_text(f"reply to {CARLA}:")
    t2.send("Enter")
    t2.wait_text("reply cancelled: it was empty")
    assert draft not in [m["body"] for m in messages(accounts.staff("support"), 1)]
