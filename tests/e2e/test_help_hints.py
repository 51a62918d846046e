"""Learnable in place (#16): the hint bar and the `?` help by role.

Runs the real binary in tmux against the session's reference service.
The hint bar is the row above the status line; the help page is the
`?` overlay.
"""

import re

ROW = re.compile(r"^ ?([*+])?\s+(urgent|high|normal|low)\s+(\d+)\s")


def task_rows(screen):
    return [line for line in screen.splitlines() if ROW.match(line)]


def open_queue(tui, role="admin", width=100, height=30):
    t = tui.open(width=width, height=height, signed_in=role)
    t.wait_for(lambda s: len(task_rows(s)) > 3, timeout=20, what="task rows")
    return t


def hint_row(screen):
    """The row above the status line."""
    return screen.splitlines()[-2] if len(screen.splitlines()) > 1 else ""


def command(t, text):
    t.send(":")
    t.type(text)
    t.send("Enter")


def wait_hint(t, *words, timeout=10.0):
    return t.wait_for(lambda s: all(w in hint_row(s) for w in words),
                      timeout, f"a hint bar with {words!r}")


def test_help_hints__bar__follows_focus_and_bindings(tui):
    keys = tui.home / "cfg" / "sitecare" / "keys"
    keys.parent.mkdir(parents=True, exist_ok=True)
    keys.write_text("unbind -c list t\nbind -c list x assign-me\n")
    t = open_queue(tui)
    # The list: its keys, the user's key for taking a task.
    screen = wait_hint(t, "j/k move", "Enter open", "/ search", "f filter",
                       "x take", "? help")
    assert "t take" not in hint_row(screen)
    # An opened task: its own keys.
    t.send("Enter")
    wait_hint(t, "Escape back", "S status", "c note")
    t.send("Escape")
    wait_hint(t, "Enter open")
    # The text line of a search.
    t.send("/")
    wait_hint(t, "Enter send", "Escape cancel")
    t.send("Escape")
    wait_hint(t, "Enter open")
    # The help page.
    t.send("?")
    wait_hint(t, "C-f/C-b page", "/ search", "Escape close")
    t.send("q")
    wait_hint(t, "Enter open")
    # A picker: typing filters, its keys otherwise.
    t.send("P")
    wait_hint(t, "type to filter", "Enter choose", "Escape cancel")
    t.send("Escape")
    wait_hint(t, "Enter open")
    # The chat's list, then an open conversation.
    t.send("2")
    wait_hint(t, "Enter open", "m mute")
    t.send("Enter")
    wait_hint(t, "r reply", "Escape back", timeout=15)


def test_help_hints__bar__on_the_sign_in_form(tui):
    t = tui.open()
    t.wait_text("Sign in to SiteCarePlusPro")
    wait_hint(t, "Tab/BTab next/previous field", "Enter submit",
              "Escape quit")


def test_help_hints__bar__cut_whole_at_narrow_widths(tui):
    t = tui.open(width=44, height=20, signed_in="admin")
    screen = wait_hint(t, "j/k move", timeout=20)
    row = hint_row(screen).strip()
    # Every entry shown is whole: each is "KEYS WORD", two spaces apart.
    entries = row.split("  ")
    assert entries and all(len(e.split()) >= 2 for e in entries), row
    assert all(e.split()[-1] in ("move", "open", "search", "filter",
                                 "sort", "take", "mark", "status", "help")
               for e in entries), row
    assert "? help" not in row  # no room: dropped whole, not cut


def test_help_hints__bar__turned_off_by_key_command_and_config(tui):
    t = open_queue(tui, height=20)
    screen = wait_hint(t, "j/k move")
    rows_on = len(task_rows(screen))
    # Tab bar, header, footer, hint bar, status line; the rest are tasks.
    assert rows_on == 20 - 5
    t.send("F2")
    screen = t.wait_for(lambda s: "j/k move" not in s, 10, "no hint bar")
    # The row goes back to the pane.
    assert len(task_rows(screen)) == rows_on + 1
    command(t, "hints on")
    wait_hint(t, "j/k move")
    t.send("q")
    assert t.wait_exit() == 0
    config = tui.home / "cfg" / "sitecare" / "config"
    old = config.read_text() if config.exists() else ""
    config.write_text(old + "hints = off\n")
    t = open_queue(tui, height=20)
    screen = t.screen()
    assert "j/k move" not in screen
    assert len(task_rows(screen)) == rows_on + 1


def test_help_hints__bar__hidden_first_on_a_tiny_terminal(tui):
    t = tui.open(width=60, height=11, signed_in="admin")
    screen = t.wait_for(lambda s: "URG!" in s, 20, "task rows")
    assert "j/k move" not in screen
    assert "online" in screen.splitlines()[-1]


def test_help_hints__help__pages_with_c_f_and_c_b(tui):
    t = open_queue(tui, height=24)
    t.send("?")
    t.wait_text("lines 1-")
    t.send("C-f")
    screen = t.wait_for(lambda s: re.search(r"lines (\d+)-", s) and
                        re.search(r"lines (\d+)-", s).group(1) != "1",
                        10, "the next page")
    assert "Help: Tasks (list)" in screen
    t.send("C-b")
    t.wait_text("lines 1-")


def test_help_hints__help__slash_searches_n_next_escape_ends(tui):
    t = open_queue(tui, height=24)
    t.send("?")
    t.wait_text("lines 1-")
    t.send("/")
    t.type("refresh")
    t.send("Enter")
    screen = t.wait_text('"refresh" on line')
    first = re.search(r'"refresh" on line (\d+)', screen).group(1)
    # The match is the page's first line, highlighted.
    body = screen.splitlines()[2]
    assert "refresh" in body.lower()
    t.send("n")
    screen = t.wait_for(
        lambda s: (m := re.search(r'"refresh" on line (\d+)', s)) and
        m.group(1) != first, 10, "the next match")
    t.send("N")
    t.wait_text(f'"refresh" on line {first}')
    # Escape ends the search and keeps the page; a second one closes it.
    t.send("Escape")
    screen = t.wait_text("search ended")
    assert "Help: Tasks" in screen
    t.send("Escape")
    t.wait_gone("Help: Tasks")
    assert t.exit_status() is None


def help_text(t):
    """Every line of the help page, paged through with PgDn."""
    t.send("?")
    t.wait_text("lines 1-")
    seen = []
    for _ in range(30):
        screen = t.screen()
        seen.extend(screen.splitlines())
        m = re.search(r"lines \d+-(\d+) of (\d+)", screen)
        if m and m.group(1) == m.group(2):
            break
        before = m.group(0) if m else ""
        t.send("NPage")
        t.wait_for(lambda s: before not in s, 10, "the next page")
    t.send("Escape")
    t.wait_gone("Help:")
    return "\n".join(seen)


def test_help_hints__help__shows_only_what_the_role_can_do(tui):
    t = open_queue(tui, role="tech")
    text = help_text(t)
    assert ":assign-me" in text
    assert ":export" not in text
    assert ":toggle-view" not in text
    assert not re.search(r"^\s+v\s+toggle-view", text, re.M)
    t.send("q")
    t.wait_exit()
    t = open_queue(tui, role="manager")
    text = help_text(t)
    assert ":export" in text
    assert re.search(r"^\s+v\s+toggle-view", text, re.M)
