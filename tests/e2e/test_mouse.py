"""Mouse support is opt-in: a click selects a row, a second click opens it.

tmux cannot inject mouse events portably, so a click is typed as the SGR
(1006) report a terminal would send: press `ESC [ < 0 ; col ; row M` and
release `... m`, 1-based. Whether the program asked for mouse reports at
all is read from tmux's own view of the pane (`#{mouse_sgr_flag}`), which
is what decides if a real terminal would send them.
"""

from e2e.test_task_queue import rows, selected_id
from e2e.waits import settled


def click(t, col, row, button=0):
    """An SGR (1006) press and release at 1-based col/row."""
    t.type(f"\x1b[<{button};{col};{row}M\x1b[<{button};{col};{row}m")


def wheel_down(t, col, row):
    """An SGR wheel-down notch (button 65: no release)."""
    t.type(f"\x1b[<65;{col};{row}M")


def mouse_flags(t):
    """(sgr, standard): the mouse modes the program turned on in tmux."""
    out = t._tmux("display-message", "-p", "-t", "t",
                  "#{mouse_sgr_flag} #{mouse_standard_flag}").stdout.split()
    return int(out[0]), int(out[1])


def command(t, text):
    t.send(":")
    t.type(text)
    t.send("Enter")


def open_queue(tui):
    t = tui.open(width=100, height=30, signed_in="admin")
    t.wait_for(lambda s: len(rows(s)) > 5, timeout=20, what="task rows")
    return t


def mouse_on(t):
    command(t, "mouse on")
    t.wait_for(lambda s: mouse_flags(t) == (1, 1), what="mouse reporting")


def screen_row_of(screen, task_id):
    """The 1-based screen row on which task_id is drawn."""
    for n, line in enumerate(screen.splitlines(), 1):
        if any(i == task_id for _, i, _ in rows(line)):
            return n
    raise AssertionError(f"task {task_id} not on screen:\n{screen}")


def tab_col(screen, title):
    """A 1-based column inside the tab labelled title on the tab bar."""
    col = screen.splitlines()[0].find(title)
    assert col >= 0, screen
    return col + 2


def test_mouse__off_by_default__no_reports_and_click_does_nothing(tui):
    t = open_queue(tui)
    # Until `:mouse on` the terminal keeps text selection: no reports asked.
    assert mouse_flags(t) == (0, 0)
    first = rows(t.screen())[0][1]
    assert selected_id(t) == first
    mouse_on(t)
    command(t, "mouse off")
    t.wait_for(lambda s: mouse_flags(t) == (0, 0), what="mouse released")
    click(t, 20, 6)
    click(t, 20, 6)
    screen = settled(t)  # both clicks handled and drawn
    assert "PRIO" in screen  # still the list, no detail opened
    assert selected_id(t) == first


def test_mouse__click_selects_then_opens_the_row(tui):
    t = open_queue(tui)
    mouse_on(t)
    shown = rows(t.screen())
    # Screen row 6 is the pane's 5th line: the 4th task under the header.
    task_id = shown[3][1]
    assert screen_row_of(t.screen(), task_id) == 6
    click(t, 20, 6)
    t.wait_for(lambda s: selected_id(t) == task_id, what="4th row selected")
    settled(t)  # the release handled and drawn too
    # One click (press and release) only selects; the detail stays shut.
    assert "PRIO" in t.screen() and selected_id(t) == task_id
    # A click on another row moves the cursor there, still not opening.
    click(t, 40, 3)
    t.wait_for(lambda s: selected_id(t) == shown[0][1], what="1st row")
    click(t, 20, 6)
    t.wait_for(lambda s: selected_id(t) == task_id, what="4th row again")
    # A click on the selected row opens it.
    click(t, 20, 6)
    detail = t.wait_text(f"#{task_id}  ")
    assert "PRIO" not in detail
    # Clicks in the detail do nothing; Escape is back on the same row.
    click(t, 20, 10)
    t.send("Escape")
    t.wait_text("PRIO")
    t.wait_for(lambda s: selected_id(t) == task_id, what="same row")


def test_mouse__header_footer_and_status_clicks_do_nothing(tui):
    t = open_queue(tui)
    mouse_on(t)
    chosen = rows(t.screen())[1][1]
    click(t, 20, 4)  # screen row 4: the 2nd task under the header
    t.wait_for(lambda s: selected_id(t) == chosen, what="2nd row")
    click(t, 20, 2)    # the column header
    click(t, 20, 29)   # the footer
    click(t, 20, 30)   # the status line
    click(t, 20, 2)
    click(t, 20, 29)
    click(t, 20, 30)
    settled(t)  # every click handled and drawn
    assert "PRIO" in t.screen()
    assert selected_id(t) == chosen


def test_mouse__wheel_scrolls(tui):
    t = open_queue(tui)
    mouse_on(t)
    ids = [i for _, i, _ in rows(t.screen())]
    wheel_down(t, 20, 10)
    wheel_down(t, 20, 10)
    t.wait_for(lambda s: selected_id(t) == ids[2], what="wheel moved 2")


def test_mouse__click_on_a_tab_is_not_a_row_click(tui):
    t = open_queue(tui)
    mouse_on(t)
    first = selected_id(t)
    screen = t.screen()
    # The Tasks tab, then the empty tab bar right of it: neither reaches
    # the list (a tab-bar click taken as pane row -1 would).
    click(t, tab_col(screen, "Tasks"), 1)
    click(t, 90, 1)
    settled(t)  # both clicks handled and drawn
    assert "PRIO" in t.screen() and selected_id(t) == first
    # Other panes' tabs, where shown, switch to them and back.
    for title in ("Chat", "Credentials", "Billing"):
        if title in t.screen().splitlines()[0]:
            click(t, tab_col(t.screen(), title), 1)
            t.wait_gone("PRIO")
            click(t, tab_col(t.screen(), "Tasks"), 1)
            t.wait_text("PRIO")
