"""The frame as a staff member meets it: sign in, resize, commands, quit."""

import os
import signal
import subprocess
import time

from e2e.tmux import PANE


def sign_in(t, email, password):
    t.wait_text("Sign in to SiteCarePlusPro")
    t.type(email)
    t.send("Tab")
    t.type(password)
    t.send("Enter")


def test_frame__login_form__wrong_password_shown_in_place(tui):
    t = tui.open()
    sign_in(t, "admin@example.com", "not-the-password")
    screen = t.wait_text("Wrong email or password")
    assert "Sign in to SiteCarePlusPro" in screen
    # The password is never echoed, not even masked character by character.
    assert "not-the-password" not in screen
    assert "****" not in screen


def test_frame__login_form__signs_in_and_shows_who(tui):
    t = tui.open()
    sign_in(t, "support@example.com", "sitecare-demo")
    screen = t.wait_for(lambda s: "(support)" in s and
                        "online" in s.splitlines()[-1],
                        what="signed in and online")
    assert "Sign in to" not in screen


def test_frame__login_form__saves_settings_like_the_command_line(tui):
    # Signed in through the form with --url and --ca-file: the next
    # command, with no flag at all, finds the service as after
    # `sitecare login`.
    t = tui.open()
    sign_in(t, "tech@example.com", "sitecare-demo")
    t.wait_text("(technician)")
    t.send("q")
    assert t.wait_exit() == 0
    r = subprocess.run([tui.bin, "whoami"], capture_output=True, text=True,
                       env={**tui.env, "PATH": "/usr/bin:/bin"}, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "tech@example.com" in r.stdout
    config = (tui.home / "cfg" / "sitecare" / "config").read_text()
    assert f"url = {tui.service.url}" in config.splitlines()
    assert (f"ca-file = {os.path.realpath(tui.service.ca)}"
            in config.splitlines())


def test_frame__session__reused_without_form(tui):
    t = tui.open(signed_in="manager")
    screen = t.wait_text("(manager)")
    assert "Sign in to" not in screen


def test_frame__resize__too_small_and_back(tui):
    t = tui.open(signed_in="admin")
    t.wait_text("(admin)")
    t.resize(30, 8)
    t.wait_text("too small")
    t.resize(80, 24)
    screen = t.wait_text("(admin)")
    assert "too small" not in screen
    assert len(screen.splitlines()[0]) <= 80


def test_frame__command_line__unknown_command_and_history(tui):
    t = tui.open(signed_in="admin")
    t.wait_text("(admin)")
    t.send(":")
    t.type("frobnicate now")
    t.send("Enter")
    t.wait_text("unknown command: frobnicate")
    t.send(":")
    t.send("Up")
    t.wait_text(":frobnicate now")
    t.send("Escape")
    t.wait_gone(":frobnicate now")


def test_frame__command_line__cursor_shown_where_typing_goes(tui):
    # Frames leave the hidden cursor where their last cell was (no move
    # to the status line each time); the : line shows it after the text.
    t = tui.open(signed_in="admin")
    t.wait_text("(admin)")

    def shown():
        return t._tmux("display-message", "-p", "-t", PANE,
                       "#{cursor_flag}").stdout.strip() == "1"

    assert not shown()
    t.send(":")
    t.type("abc")
    t.wait_for(lambda s: t.cursor() == (4, t.height - 1) and shown(),
               what="the cursor after ':abc' on the last row")
    # Left moves the cursor and changes no cell: no write leaves it there.
    t.send("Left", "Left")
    t.wait_for(lambda s: t.cursor() == (2, t.height - 1),
               what="the cursor on the b of ':abc'")
    t.send("Escape")
    t.wait_gone(":abc")
    t.wait_for(lambda s: not shown(), what="the cursor hidden again")


def test_frame__quit__exits_zero_and_restores_terminal(tui):
    t = tui.open(signed_in="admin")
    t.wait_text("(admin)")
    t.send("q")
    assert t.wait_exit() == 0
    # Back on the normal screen: none of the interface is left on it.
    assert "(admin)" not in t.screen()


def test_frame__suspend__stops_and_resumes(tui):
    t = tui.open(signed_in="admin")
    t.wait_text("(admin)")
    pid = t.pid()
    t.send("C-z")
    deadline = time.monotonic() + 5
    state = ""
    while time.monotonic() < deadline:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().split(") ")[1][0]
        if state == "T":
            break
        time.sleep(0.05)  # poll interval, the deadline above decides
    assert state == "T"
    os.kill(pid, signal.SIGCONT)
    t.wait_text("(admin)")
    t.send("q")
    assert t.wait_exit() == 0


def test_frame__readonly__status_line_says_so_and_flag_is_kept(tui):
    t = tui.open(signed_in="admin", extra=["--readonly"])
    screen = t.wait_text("(admin) read-only")
    assert "[read-only]" in screen.splitlines()[0]


def test_frame__crash__terminal_is_restored(tui):
    t = tui.open(signed_in="admin")
    t.wait_text("(admin)")
    t.expect_crash = True  # ASan reports the SEGV it was sent
    os.kill(t.pid(), signal.SIGSEGV)
    status = t.wait_exit()
    assert status != 0
    # The crash handler left the alternate screen: the interface is gone
    # and the shell's screen is back.
    assert "(admin)" not in t.screen()


def test_frame__digit_for_a_pane_not_shown__says_so(tui):
    t = tui.open(signed_in="support")
    t.wait_text("(support)")
    t.send("3")
    t.wait_text("not available")
    assert "Credentials" not in t.screen().splitlines()[0]


def test_frame__command_line__tab_completes_commands(tui):
    t = tui.open(signed_in="admin")
    t.wait_text("(admin)")
    t.send(":")
    t.type("checkh")
    t.send("Tab")
    t.wait_text(":checkhealth")
    t.send("Escape")


def test_frame__attention__steps_through_items(tui):
    t = tui.open(signed_in="admin")
    # The header shows before the rows: wait for urgent rows to be loaded.
    t.wait_for(lambda s: s.count(" urgent ") > 2, timeout=20,
               what="urgent rows")
    t.send("a")
    first = t.wait_text("attention:").splitlines()[-1]
    t.send("a")
    second = t.wait_for(lambda s: "attention:" in s.splitlines()[-1] and
                        s.splitlines()[-1] != first, 10,
                        "a second attention item")
    assert second.splitlines()[-1] != first
