"""Mouse support is opt-in: a click selects a row, a second click opens it."""


def click(t, col, row):
    """An SGR (1006) left press and release at 1-based col/row."""
    t.type(f"\x1b[<0;{col};{row}M\x1b[<0;{col};{row}m")


def row_text(screen, row):
    return screen.splitlines()[row - 1]


def test_mouse__off_by_default__click_does_nothing(tui):
    t = tui.open(signed_in="admin")
    screen = t.wait_text("PRIO")
    click(t, 20, 6)
    click(t, 20, 6)
    # Still the list: a click without `:mouse on` opens nothing.
    assert "PRIO" in t.wait_text("PRIO")


def test_mouse__click_selects_then_opens_the_row(tui):
    t = tui.open(signed_in="admin")
    screen = t.wait_text("PRIO")
    t.send(":")
    t.type("mouse on")
    t.send("Enter")
    # Screen row 6 is the pane's 5th line: the 4th task under the header.
    task_id = row_text(screen, 6).split()[1]
    assert task_id.isdigit()
    click(t, 20, 6)
    click(t, 20, 6)
    detail = t.wait_gone("PRIO")
    assert f"#{task_id}" in detail or task_id in detail.splitlines()[1]
    t.send("Escape")
    t.wait_text("PRIO")


def test_mouse__click_on_tab_keeps_working(tui):
    t = tui.open(signed_in="admin")
    t.wait_text("PRIO")
    t.send(":")
    t.type("mouse on")
    t.send("Enter")
    click(t, 3, 1)
    screen = t.wait_text("PRIO")
    assert "Tasks" in screen.splitlines()[0]
