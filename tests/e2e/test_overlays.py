"""The `?` help and `:checkhealth` overlays in a real terminal.

Runs the real binary in tmux against the session's reference service,
signed in as admin from the command line first.
"""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ROW = re.compile(r"^ ?([*+])?\s+(urgent|high|normal|low)\s+(\d+)\s")
# The overlay footer when its last line shows: "lines 95-120 of 120; ...".
LAST_PAGE = re.compile(r"lines \d+-(\d+) of \1; Escape or q closes")


def task_rows(screen):
    return [line for line in screen.splitlines() if ROW.match(line)]


def open_queue(tui, width=100, height=30):
    t = tui.open(width=width, height=height, signed_in="admin")
    t.wait_for(lambda s: len(task_rows(s)) > 3, timeout=20, what="task rows")
    return t


def command(t, text):
    t.send(":")
    t.type(text)
    t.send("Enter")


def wait_page(t, *texts, timeout=10.0):
    """Waits until the overlay is drawn whole (its last line shows) with
    every one of texts on it."""
    need = (*texts, "Escape or q closes")
    return t.wait_for(lambda s: all(x in s for x in need), timeout,
                      f"the overlay with {texts!r}")


def key_line(screen, key, action):
    """True when a help line binds key to action."""
    return any(line.split()[:2] == [key, action]
               for line in screen.splitlines() if line.strip())


def test_overlays__help__lists_user_binding_and_escape_closes(tui):
    keys = tui.home / "cfg" / "sitecare" / "keys"
    keys.parent.mkdir(parents=True, exist_ok=True)
    keys.write_text("bind -c list x down\n")
    t = open_queue(tui, height=50)
    t.send("?")
    screen = wait_page(t, "Help: Tasks (list)")
    assert "Keys in list:" in screen
    assert key_line(screen, "x", "down")
    assert key_line(screen, "j", "down")
    assert "Move down one row" in screen
    assert not task_rows(screen)
    t.send("Escape")
    screen = t.wait_gone("Help: Tasks")
    assert len(task_rows(screen)) > 3
    # The user's binding really is in force, as the help said.
    t.send("x")
    t.wait_for(lambda s: len(task_rows(s)) > 3, what="task rows")


def test_overlays__help__q_closes_help_not_program(tui):
    t = open_queue(tui)
    t.send("?")
    wait_page(t, "Help: Tasks (list)")
    t.send("q")
    screen = t.wait_gone("Help: Tasks")
    assert t.exit_status() is None
    assert "(admin)" in screen
    assert len(task_rows(screen)) > 3
    # ? toggles it too.
    t.send("?")
    wait_page(t, "Help: Tasks (list)")
    t.send("?")
    t.wait_gone("Help: Tasks")
    t.send("q")
    assert t.wait_exit() == 0


def test_overlays__help__command_shows_every_command_and_scrolls(tui):
    # Tall enough that the last page still reaches back to :checkhealth
    # now that the list has :register-key and :messages too, and the hint
    # bar takes a row (the page follows the height; the assertions are
    # the same).
    t = open_queue(tui, height=34)
    command(t, "help")
    screen = wait_page(t, "Help: Tasks (list)")
    assert ":checkhealth" not in screen
    t.send("G")
    # The footer, not the body, says the page changed: a capture can fall
    # between ncurses writing the first new body lines and the rest.
    screen = t.wait_for(lambda s: LAST_PAGE.search(s), 10, "the last page")
    assert ":checkhealth" in screen
    assert "Show what the client found" in screen
    # The end of the list: the last action of keymaps/action.h.
    last = re.findall(r'X\(ACTION_\w+, "([^"]+)"',
                      (ROOT / "keymaps/action.h").read_text())[-1]
    assert f":{last}" in screen
    t.send("g")
    screen = wait_page(t, "Keys in list:", "lines 1-")
    assert ":checkhealth" not in screen
    t.send("Escape")
    t.wait_gone("Help:")


def test_overlays__checkhealth__reports_every_section(tui):
    tui.env["NO_COLOR"] = "1"
    t = open_queue(tui, width=140, height=70)
    command(t, "checkhealth")
    screen = wait_page(t, "reachable, certificate", "allow-passthrough",
                       timeout=15)
    for section in ("Terminal", "tmux", "D-Bus", "Clipboard", "Service",
                    "Session", "Config", "Tests"):
        assert re.search(rf"^ {re.escape(section)}\s*$", screen, re.M), \
            section
    assert re.search(r"OK\s+NO_COLOR is set", screen)
    assert re.search(r"OK\s+inside tmux", screen)
    # The tests' tmux has the default set-clipboard (external).
    assert re.search(r"WARN\s+set-clipboard (external|off|on)", screen)
    assert re.search(r"(OK|WARN)\s+allow-passthrough \w+", screen)
    # The tests' tmux has focus-events off (the default) and nobody
    # switched away: no report came.
    assert re.search(r"WARN\s+focus-events off: the open conversation",
                     screen)
    assert re.search(r"OK\s+no focus report yet", screen)
    assert re.search(r"OK\s+reachable, certificate trusted, signed in as "
                     r".* <admin@example.com> \(admin\)", screen)
    assert re.search(r"OK\s+TERM is \S+", screen)
    assert re.search(r"OK\s+size 140x70", screen)
    assert "check your" in screen
    t.send("Escape")
    t.wait_gone("Checkhealth")
    assert t.exit_status() is None


def test_overlays__checkhealth__test_copy_reaches_tmux(tui):
    t = open_queue(tui, width=140, height=70)
    t._tmux("set", "-g", "set-clipboard", "on")
    command(t, "checkhealth")
    screen = wait_page(t, "reachable, certificate", "allow-passthrough",
                       timeout=15)
    assert re.search(r"WARN\s+set-clipboard on: .*paste buffer", screen)
    t.send("c")
    t.wait_text("sent an OSC 52 copy")
    buf = subprocess.run(["tmux", "-L", t.socket, "show-buffer"],
                         capture_output=True, text=True).stdout
    assert buf == "sitecare checkhealth"
    t.send("n")
    t.wait_text("sent a test notification")
