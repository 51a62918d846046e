"""Notifications from the real binary: desktop through D-Bus, terminal
through tmux.

The :checkhealth page's `n` key sends a test notification through the
notify module by the route the config's `notifications` chose. Desktop
tests give the pane a private session bus (notify_bus.py: dbus-run-session
and python3-dbusmock's notification daemon) and read back the Notify
calls; terminal tests read the pane's raw output with `pipe-pane`.
"""

import re
import time

from e2e.notify_bus import NotifyBus, notify_bus  # noqa: F401

ROW = re.compile(r"^ ?([*+])?\s+(urgent|high|normal|low)\s+(\d+)\s")
NOTE = "sitecare checkhealth test notification"
# What the terminal route writes inside tmux: each OSC in a DCS
# passthrough (ESC doubled), then a plain bell.
OSC777 = b"\x1bPtmux;\x1b\x1b]777;notify;sitecare;" + NOTE.encode() + \
    b"\x07\x1b\\"
OSC9 = b"\x1bPtmux;\x1b\x1b]9;sitecare: " + NOTE.encode() + b"\x07\x1b\\"


def configure(tui, mode, bus_address):
    """Writes `notifications = mode` and gives the pane bus_address
    ("" for no bus: the pane must not inherit one)."""
    cfg = tui.home / "cfg" / "sitecare" / "config"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(f"notifications = {mode}\n")
    tui.env["DBUS_SESSION_BUS_ADDRESS"] = bus_address


def open_checkhealth(tui, tmp_path):
    """Opens sitecare signed in, starts recording the pane's raw output,
    opens :checkhealth; returns the terminal and the output file."""
    t = tui.open(width=140, height=70, signed_in="admin")
    t.wait_for(lambda s: sum(bool(ROW.match(x)) for x in s.splitlines()) > 3,
               timeout=20, what="task rows")
    raw = tmp_path / "pane.raw"
    raw.touch()
    t._tmux("pipe-pane", "-o", "-t", "t", f"cat >> {raw}")
    t.send(":")
    t.type("checkhealth")
    t.send("Enter")
    t.wait_for(lambda s: "Escape or q closes" in s and "n: send a test" in s,
               timeout=15, what="the checkhealth page")
    return t, raw


def wait_bytes(raw, *needles, count=1, timeout=10.0):
    """Waits until the pane's raw output holds every needle count times."""
    deadline = time.monotonic() + timeout
    data = b""
    while time.monotonic() < deadline:
        data = raw.read_bytes()
        if all(data.count(n) >= count for n in needles):
            return data
        time.sleep(0.05)
    raise AssertionError(f"pane output lacks {needles!r}; it ends with "
                         f"{data[-400:]!r}")


def test_notify__desktop__mock_daemon_receives_summary_and_body(
        tui, tmp_path, notify_bus):  # noqa: F811
    configure(tui, "desktop", notify_bus.address)
    t, raw = open_checkhealth(tui, tmp_path)
    t.wait_text("n: send a test notification (desktop (libnotify))")
    t.send("n")
    t.wait_text("sent a test notification by desktop (libnotify)")
    [n] = notify_bus.wait_for(lambda ns: len(ns) >= 1)
    assert n.app_name == "sitecare"
    assert n.summary == "sitecare"
    assert n.body == NOTE
    assert n.urgency == 1
    assert n.timeout == 5000
    t.send("n")
    ns = notify_bus.wait_for(lambda ns: len(ns) >= 2)
    assert [(x.summary, x.body) for x in ns] == [("sitecare", NOTE)] * 2
    time.sleep(0.3)
    assert b"]777;" not in raw.read_bytes()  # desktop only, no OSC
    # Closing releases libnotify cleanly (the sanitised build checks).
    t.send("Escape")
    t.wait_gone("Checkhealth")
    t.send("q")
    assert t.wait_exit() == 0


def test_notify__terminal__osc_reaches_tmux_without_bus(tui, tmp_path):
    configure(tui, "terminal", "")
    t, raw = open_checkhealth(tui, tmp_path)
    t.wait_text("notification (terminal (OSC 777/9, tmux passthrough))")
    t.send("n")
    t.wait_text("sent a test notification by terminal (OSC 777/9, tmux "
                "passthrough)")
    data = wait_bytes(raw, OSC777, OSC9)
    assert data.index(OSC777) < data.index(OSC9)
    assert b"\x07" in data[data.index(OSC9) + len(OSC9):]  # the bell
    assert t.exit_status() is None


def test_notify__desktop__stale_bus_falls_back_to_terminal(tui, tmp_path):
    configure(tui, "desktop", f"unix:path={tmp_path}/no-such-bus")
    t, raw = open_checkhealth(tui, tmp_path)
    t.wait_text("n: send a test notification (desktop (libnotify))")
    t.send("n")
    screen = t.wait_text("sent a test notification by terminal (desktop "
                         "failed:")
    assert "desktop failed: no notification service" in screen
    wait_bytes(raw, OSC777, OSC9)
    # libnotify's warnings must not reach the screen.
    assert "WARNING" not in t.screen()
    t.send("n")
    wait_bytes(raw, OSC777, OSC9, count=2)
    assert t.exit_status() is None


def test_notify__desktop__bus_without_daemon_falls_back(tui, tmp_path):
    with NotifyBus(start_daemon=False) as bus:
        configure(tui, "desktop", bus.address)
        t, raw = open_checkhealth(tui, tmp_path)
        t.send("n")
        t.wait_text("sent a test notification by terminal (desktop "
                    "failed:")
        wait_bytes(raw, OSC777, OSC9)
        assert t.exit_status() is None
