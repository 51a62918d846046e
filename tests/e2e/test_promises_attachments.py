"""Saving an attachment from the terminal, the README's promises (#19):
`w` on a task with several attachments offers a picker of them, and a
file that exists is never replaced silently: overwrite, keep both
(`name (1).ext`) or cancel.
"""

import re

from e2e.test_task_queue import command, cursor_to, rows
from e2e.test_triage import hostile_task, row_of


def open_task(tui, d, downloads):
    """The admin's sitecare showing task d opened, saving to downloads."""
    tui.env["XDG_DOWNLOAD_DIR"] = str(downloads)
    t = tui.open(width=160, height=30, signed_in="admin")
    t.wait_for(lambda s: len(rows(s)) > 0, timeout=20, what="task rows")
    command(t, "filter status=new,in_progress,waiting_on_client,done,"
               f"cancelled client={d['client']['id']}")
    t.wait_for(lambda s: row_of(s, d["id"]) is not None, timeout=20,
               what="the task's row")
    cursor_to(t, d["id"])
    t.send("Enter")
    t.wait_text("Attachments (")
    return t


def wait_saved(t, path):
    """The notice `saved PATH` for exactly path (not `PATH (1)`)."""
    said = re.compile(re.escape(f"saved {path}") + r"(?! \()")
    t.wait_for(lambda s: said.search(s), what=f"saved {path}")


def save_by_picker(t, typed_path):
    """w, the picker filtered to passwd, then typed_path on the line."""
    t.send("w")
    screen = t.wait_text("Save which attachment of #")
    assert "passwd" in screen and "pwned" in screen, screen
    t.type("passwd")
    t.send("Enter")
    t.wait_text("save to: ")
    t.send("C-u")
    t.type(str(typed_path))
    t.send("Enter")


def test_promises__attachment__picker_then_keep_both_or_overwrite(
        tui, accounts, tmp_path):
    d, a = hostile_task(accounts)
    assert len(d["attachments"]) > 1
    served = accounts.staff("admin").get(
        f"/tasks/{d['id']}/attachments/{a['id']}").body
    downloads = tmp_path / "dl"
    downloads.mkdir()
    saved = downloads / "passwd"
    t = open_task(tui, d, downloads)
    save_by_picker(t, saved)
    wait_saved(t, saved)
    assert saved.read_bytes() == served
    # Saved again over it: asked; `k` keeps both under a new name.
    save_by_picker(t, saved)
    t.wait_text("already exists")
    t.send("k")
    wait_saved(t, downloads / "passwd (1)")
    assert (downloads / "passwd (1)").read_bytes() == served
    # Once more: `o` overwrites (a changed file comes back as served).
    saved.write_bytes(b"changed here")
    save_by_picker(t, saved)
    t.wait_text("already exists")
    t.send("o")
    t.wait_gone("already exists")
    wait_saved(t, saved)
    assert saved.read_bytes() == served
    assert sorted(p.name for p in downloads.iterdir()) == [
        "passwd", "passwd (1)"]
