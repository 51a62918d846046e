"""A private D-Bus session bus with a mock notification daemon.

`NotifyBus` starts `dbus-run-session` around python3-dbusmock's
`notification_daemon` template, so org.freedesktop.Notifications is owned
by a mock that records every call. Point a program at it with
`bus.env()` (DBUS_SESSION_BUS_ADDRESS), then read what it was sent:

    with NotifyBus() as bus:
        subprocess.run(["notify-send", "hi", "there"], env=bus.env())
        [n] = bus.wait_for(lambda ns: ns)
        assert (n.summary, n.body) == ("hi", "there")

`NotifyBus(capabilities=["body"])` makes the daemon advertise only those
capabilities (GetCapabilities; the template's default list has
"body-markup").

`bus.stall()` stops the mock daemon (SIGSTOP: every call to it waits,
as with a hung desktop) and `bus.resume()` lets it go on (SIGCONT); the
calls that waited are then answered, in order.

`run(argv)` does the whole round trip for a one-shot command, and the
`notify_bus` fixture gives a test a started bus (import it into the test
module: `from e2e.notify_bus import notify_bus  # noqa: F401`).

Needs Debian's dbus-bin (dbus-run-session, dbus-send), dbus-daemon and
python3-dbusmock (python3-dbus): `make deps` installs them.
"""

import json
import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PYTHON = "/usr/bin/python3"
NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"


class BusError(AssertionError):
    pass


@dataclass
class Notification:
    """One Notify call as the daemon received it."""
    app_name: str
    replaces_id: int
    icon: str
    summary: str
    body: str
    actions: list
    hints: dict = field(default_factory=dict)
    timeout: int = -1

    @property
    def urgency(self):
        """0 low, 1 normal, 2 critical; None when the hint is absent."""
        u = self.hints.get("urgency")
        return None if u is None else int(u)


def _plain(value):
    """dbus-python's typed values as plain Python ones."""
    import dbus

    if isinstance(value, (dbus.String, dbus.ObjectPath)):
        return str(value)
    if isinstance(value, (dbus.Byte, dbus.Int16, dbus.Int32, dbus.Int64,
                          dbus.UInt16, dbus.UInt32, dbus.UInt64)):
        return int(value)
    if isinstance(value, dbus.Boolean):
        return bool(value)
    if isinstance(value, dbus.Dictionary):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (dbus.Array, dbus.Struct, list, tuple)):
        return [_plain(v) for v in value]
    return value


class NotifyBus:
    """dbus-run-session + dbusmock's notification daemon, in their own
    process group (stopped as one)."""

    def __init__(self, start_daemon=True, timeout=15.0, capabilities=None):
        self.start_daemon, self.timeout = start_daemon, timeout
        self.capabilities = capabilities
        self.dir = Path(tempfile.mkdtemp(prefix="sitecare-bus-"))
        self.address = None
        self.proc = None

    def start(self):
        for tool in ("dbus-run-session", "dbus-send"):
            if shutil.which(tool) is None:
                raise BusError(f"{tool} is missing: run `make deps`")
        addr_file, log = self.dir / "address", self.dir / "daemon.log"
        # The shell's pid is the daemon's: it execs the mock.
        inner = "echo $$ >" + shlex.quote(str(self.dir / "daemon.pid")) + \
            " && echo \"$DBUS_SESSION_BUS_ADDRESS\" >" + \
            shlex.quote(str(addr_file) + ".tmp") + " && mv " + \
            shlex.quote(str(addr_file) + ".tmp") + " " + \
            shlex.quote(str(addr_file)) + " && "
        if self.start_daemon:
            argv = [PYTHON, "-m", "dbusmock", "--template",
                    "notification_daemon"]
            if self.capabilities is not None:
                argv += ["--parameters", json.dumps(
                    {"capabilities": " ".join(self.capabilities)})]
            inner += "exec " + shlex.join(argv)
        else:
            inner += "exec sleep 3600"  # a bus with no daemon on it
        self._log = open(log, "wb")
        self.proc = subprocess.Popen(
            ["dbus-run-session", "--", "sh", "-c", inner],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
            start_new_session=True)
        self.address = self._wait_address(addr_file)
        if self.start_daemon:
            self._wait_owner()
        return self

    def _wait_address(self, addr_file):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if addr_file.exists():
                text = addr_file.read_text().strip()
                if text:
                    return text
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)  # poll interval, the deadline above decides
        raise BusError(f"dbus-run-session gave no address:\n{self.output()}")

    def _wait_owner(self):
        """Waits until the mock owns org.freedesktop.Notifications."""
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            r = subprocess.run(
                ["dbus-send", "--session", "--print-reply",
                 "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                 "org.freedesktop.DBus.NameHasOwner", f"string:{NAME}"],
                env=self.env(os.environ), capture_output=True, text=True)
            if "boolean true" in r.stdout:
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)  # poll interval, the deadline above decides
        raise BusError(f"the mock notification daemon did not start:\n"
                       f"{self.output()}")

    def daemon_pid(self):
        """The mock notification daemon's process id."""
        return int((self.dir / "daemon.pid").read_text())

    def stall(self):
        """Stops the daemon: calls to it wait until resume()."""
        os.kill(self.daemon_pid(), signal.SIGSTOP)

    def resume(self):
        """Lets a stalled daemon answer again."""
        os.kill(self.daemon_pid(), signal.SIGCONT)

    def env(self, base=None):
        """base (or nothing) plus this bus's address."""
        return {**(base or {}), "DBUS_SESSION_BUS_ADDRESS": self.address}

    def output(self):
        """What dbus-run-session and the mock wrote (for failures)."""
        try:
            return (self.dir / "daemon.log").read_text(errors="replace")
        except OSError:
            return ""

    def notifications(self):
        """Every Notify call the mock received, oldest first."""
        import dbus

        bus = dbus.bus.BusConnection(self.address)
        try:
            mock = dbus.Interface(bus.get_object(NAME, PATH),
                                  "org.freedesktop.DBus.Mock")
            calls = mock.GetMethodCalls("Notify")
        finally:
            bus.close()
        return [Notification(*_plain(args)) for _, args in calls]

    def server_capabilities(self):
        """What the daemon answers to GetCapabilities."""
        import dbus

        bus = dbus.bus.BusConnection(self.address)
        try:
            daemon = dbus.Interface(bus.get_object(NAME, PATH), NAME)
            return [str(c) for c in daemon.GetCapabilities()]
        finally:
            bus.close()

    def wait_for(self, predicate, timeout=10.0):
        """Polls notifications() until predicate(list) is true."""
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            seen = self.notifications()
            if predicate(seen):
                return seen
            time.sleep(0.05)  # poll interval, the deadline above decides
        raise BusError(f"timed out after {timeout}s; the daemon "
                       f"received: {seen!r}")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None \
                and self.start_daemon:
            self.resume()  # a stopped daemon would not see SIGTERM
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.proc is not None:
            self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()


def run(argv, env=None, timeout=30, **kwargs):
    """Runs argv on a fresh bus with the mock daemon; returns
    (CompletedProcess, [Notification])."""
    with NotifyBus() as bus:
        r = subprocess.run(argv, env=bus.env(env or dict(os.environ)),
                           timeout=timeout, **kwargs)
        return r, bus.notifications()


@pytest.fixture
def notify_bus():
    """A started NotifyBus, stopped after the test."""
    with NotifyBus() as bus:
        yield bus
