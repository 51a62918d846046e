"""Drive the real sitecare binary in a detached tmux, as a person would.

Each Terminal gets its own tmux server (-L socket) so tests never touch a
user's tmux or each other. Keys go in with send-keys; the screen comes out
with capture-pane. Waits poll the screen until a condition holds or a
deadline passes, and a failed wait shows the screen it last saw.
"""

import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time
import uuid


# The program's pane: window 0 of session t, even while another window
# is in front (Terminal.away).
PANE = "t:0"


class ScreenTimeout(AssertionError):
    pass


# libcurl's account of a TLS handshake: in the trace file, not in a
# failure's message, where it would push the requests out of sight.
TLS_NOISE = re.compile(r" curl \S+ +(TLSv|ALPN|CAfile|CApath|SSL |Server "
                       r"certificate|subject|start date|expire date|"
                       r"issuer|old SSL)")


class Terminal:
    def __init__(self, argv, env=None, width=80, height=24, cwd=None):
        self.socket = f"sitecare-test-{uuid.uuid4().hex[:12]}"
        self.width, self.height = width, height
        # A sanitised build (make check SANITIZE=1) writes its reports
        # here instead of to the pane, where nobody would read them;
        # close() fails the test on any. A release build ignores these.
        self.sanitizer_dir = tempfile.mkdtemp(prefix="sitecare-san-")
        self.expect_crash = False  # a test that kills it on purpose
        # Set by whoever knows the service: a function of the paths in
        # flight returning what its logs say of them, appended to a
        # timed-out wait's requests in flight.
        self.service_says = None
        # Every client keeps a trace (net/base/trace.h), with each
        # request's start and libcurl's account of it, beside the
        # sanitiser's reports: a wait that times out shows its tail, so a
        # request that never came back says where it stopped. A test
        # that reads a trace of its own keeps it where it put it.
        env = dict(env or {})
        if "SITECARE_TRACE" not in env:
            env["SITECARE_TRACE"] = os.path.join(self.sanitizer_dir, "trace")
            env["SITECARE_TRACE_DETAIL"] = "1"
        self.trace = env["SITECARE_TRACE"]
        env = {**env,
               "ASAN_OPTIONS": f"log_path={self.sanitizer_dir}/asan",
               "UBSAN_OPTIONS": f"log_path={self.sanitizer_dir}/ubsan:"
                                "print_stacktrace=1"}
        full_env = dict(os.environ)
        full_env.update(env or {})
        full_env.setdefault("TERM", "xterm-256color")
        full_env.setdefault("LANG", "C.UTF-8")
        # tmux passes only its own environment to the pane: export
        # through `env` so the program sees exactly what the test set.
        cmd = "env " + " ".join(shlex.quote(f"{k}={v}")
                                for k, v in sorted(full_env.items())
                                if k in (env or {}) or k in
                                ("TERM", "LANG", "HOME", "PATH"))
        # tmux 3.3 does not always record the status of a program that
        # exits at once, so a shell writes it to a file instead.
        self._status = tempfile.NamedTemporaryFile(delete=False).name
        os.unlink(self._status)
        cmd += " sh -c " + shlex.quote(
            '"$@"; echo $? >' + shlex.quote(self._status)) + " sh"
        cmd += " " + " ".join(shlex.quote(a) for a in argv)
        # Keep the pane after the program exits so its last screen and
        # exit status can be read; set in the server's config so it holds
        # before the program can exit.
        self._conf = tempfile.NamedTemporaryFile("w", suffix=".conf",
                                                 delete=False)
        self._conf.write("set -g remain-on-exit on\nset -g status off\n"
                         "set -g escape-time 10\n")
        self._conf.close()
        self._tmux("-f", self._conf.name, "new-session", "-d", "-s", "t",
                   "-x", str(width), "-y", str(height), cmd, cwd=cwd)

    def _tmux(self, *args, cwd=None, check=True):
        return subprocess.run(["tmux", "-L", self.socket, *args], cwd=cwd,
                              capture_output=True, text=True, check=check)

    def send(self, *keys):
        """Sends tmux key names (Enter, C-c, Up) or literal text."""
        self._tmux("send-keys", "-t", PANE, *keys)

    def type(self, text):
        """Types text literally (no key-name interpretation)."""
        self._tmux("send-keys", "-t", PANE, "-l", text)

    def screen(self):
        return self._tmux("capture-pane", "-p", "-t", PANE).stdout

    def cursor(self):
        out = self._tmux("display-message", "-p", "-t", PANE,
                         "#{cursor_x} #{cursor_y}").stdout.split()
        return int(out[0]), int(out[1])

    def resize(self, width, height):
        self.width, self.height = width, height
        self._tmux("resize-window", "-t", "t", "-x", str(width),
                   "-y", str(height))

    def pid(self):
        """The program's process id: the child of the pane's shell (the
        pane runs `env ... sh -c '"$@"; echo $? >FILE' sh PROGRAM`)."""
        shell = self._tmux("display-message", "-p", "-t", PANE,
                           "#{pane_pid}").stdout.strip()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            kids = subprocess.run(["pgrep", "-P", shell],
                                  capture_output=True, text=True).stdout.split()
            if kids:
                return int(kids[0])
            time.sleep(0.05)  # poll interval under a deadline
        raise AssertionError(f"no program under the pane's shell {shell}")

    def exit_status(self):
        """The program's exit status, or None while it runs."""
        try:
            with open(self._status) as f:
                text = f.read().strip()
        except FileNotFoundError:
            return None
        return int(text) if text.lstrip("-").isdigit() else None

    def wait_for(self, predicate, timeout=10.0, what="condition"):
        """Polls the screen until predicate(screen) is true, then takes one
        more capture so that the screen returned is a whole one.

        One capture can fall in the middle of a redraw (ncurses writes a
        page in more than one write, tmux parses what has come): the
        predicate's line is new while lines further down are still old,
        and a test that goes on to read them fails for nothing. So a true
        screen is returned once a capture 30 ms later is the same. A screen
        that keeps changing while true (a ticking countdown) is returned
        after a few tries; one whose predicate turns false at once (a
        transient state that was waited for) is returned as it was seen."""
        deadline = time.monotonic() + timeout
        screen, seen_true, changes = "", None, 0
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                if screen == seen_true or changes >= 5:
                    return screen
                seen_true, changes = screen, changes + 1
                time.sleep(0.03)  # the 30 ms between two captures compared
                continue
            if seen_true is not None:
                return seen_true
            time.sleep(0.05)  # poll interval under a deadline
        if seen_true is not None:
            return seen_true
        # What was still in flight goes first: a report that is cut
        # short (CI shows the head of a failure) still says where it hung.
        raise ScreenTimeout(f"timed out after {timeout}s waiting for "
                            f"{what}; {self.in_flight()}\n"
                            f"screen was:\n{screen}\n"
                            f"{self.trace_tail()}")

    def _trace_lines(self):
        with open(self.trace, errors="replace") as f:
            return f.read().splitlines()

    def in_flight(self):
        """The requests the trace shows started and not ended, each with
        how long ago it started, and what the service said of them."""
        try:
            lines = self._trace_lines()
        except OSError as e:
            return f"no trace: {e}"
        started = {}
        for line in lines:
            f = line.split()
            if len(f) >= 5 and f[1] == "http.start":
                started[f[2]] = (float(f[0]), f"{f[3]} {f[4]}")
            elif len(f) >= 3 and f[1] in ("http.end", "http.cancel"):
                started.pop(f[2], None)
        if not started:
            return "no request in flight"
        # The trace's clock is CLOCK_MONOTONIC, as time.monotonic() is.
        now = time.monotonic()
        said = "; ".join(f"{what} (started {now - at:.1f}s ago)"
                         for at, what in started.values())
        paths = [what.split()[1] for _, what in started.values()]
        service = self.service_says(paths) if self.service_says else ""
        return f"in flight: {said}{service}"

    def trace_tail(self, lines=80):
        """Whether the program still runs, and the end of its trace, for
        a failure's message (less libcurl's TLS handshake lines)."""
        status = self.exit_status()
        ran = ("the program is still running" if status is None else
               f"the program had exited with status {status}")
        try:
            tail = [l for l in self._trace_lines()
                    if not TLS_NOISE.search(l)][-lines:]
        except OSError as e:
            return f"{ran}; no trace: {e}"
        return (f"{ran}\n--- the client's trace, last {len(tail)} lines "
                f"({self.trace}) ---\n" + "\n".join(tail))

    def wait_text(self, text, timeout=10.0):
        return self.wait_for(lambda s: text in s, timeout, repr(text))

    def wait_gone(self, text, timeout=10.0):
        return self.wait_for(lambda s: text not in s, timeout,
                             f"{text!r} to disappear")

    def wait_exit(self, timeout=10.0):
        """Waits for the program to exit and returns its status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.exit_status()
            if status is not None:
                return status
            time.sleep(0.05)  # poll interval under a deadline
        raise ScreenTimeout(f"program still running after {timeout}s; "
                            f"{self.in_flight()}\n"
                            f"screen was:\n{self.screen()}\n"
                            f"{self.trace_tail()}")

    def _program_pids(self):
        shell = self._tmux("display-message", "-p", "-t", PANE,
                           "#{pane_pid}", check=False).stdout.strip()
        if not shell.isdigit():
            return []
        return [int(p) for p in subprocess.run(
            ["pgrep", "-P", shell], capture_output=True,
            text=True).stdout.split()]

    def sanitizer_reports(self):
        """What a sanitised build reported (leaks at exit, errors)."""
        out = []
        for name in sorted(os.listdir(self.sanitizer_dir)):
            if not name.startswith(("asan", "ubsan")):
                continue  # the trace
            with open(os.path.join(self.sanitizer_dir, name),
                      errors="replace") as f:
                out.append(f"{name}:\n{f.read()}")
        return out

    def attach(self):
        """Attaches a client in a pseudo-terminal of its own, as a person
        at a terminal: tmux then tracks focus and, with focus-events on,
        tells a program that asked (DECSET 1004) when its pane gains or
        loses it (ESC [I, ESC [O). The client's terminal has the test's
        size, so the window keeps it (tmux 3.3a's window-size manual
        crashes the server on new-window)."""
        self._tmux("set", "-g", "focus-events", "on")
        attach = (f"stty rows {self.height} cols {self.width}; "
                  f"exec tmux -L {self.socket} attach -t t")
        self._client = subprocess.Popen(
            ["sh", "-c", f"sleep 3600 | script -qfc {shlex.quote(attach)} "
             "/dev/null"], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 10
        while "focused" not in self._tmux("list-clients").stdout:
            if time.monotonic() > deadline:
                raise ScreenTimeout("no tmux client attached")
            time.sleep(0.05)  # poll interval under a deadline

    def away(self):
        """The person switches to another tmux window."""
        self._tmux("new-window", "-a", "-t", PANE)

    def back(self):
        """... and comes back to the program's."""
        self._tmux("select-window", "-t", PANE)

    def close(self):
        """Ends the program (tmux hangs up on it), waits for it to exit,
        and fails if a sanitised build reported anything."""
        pids = self._program_pids()
        sock = self._tmux("display-message", "-p", "#{socket_path}",
                          check=False).stdout.strip()
        self._tmux("kill-server", check=False)
        if sock:
            # tmux 3.3 leaves the socket file behind a killed server.
            try:
                os.unlink(sock)
            except FileNotFoundError:
                pass
        if getattr(self, "_client", None) is not None:
            os.killpg(self._client.pid, 9)
            self._client.wait()
        deadline = time.monotonic() + 15
        while pids and time.monotonic() < deadline:
            pids = [p for p in pids if os.path.exists(f"/proc/{p}")]
            time.sleep(0.05)  # poll interval under a deadline
        os.unlink(self._conf.name)
        if os.path.exists(self._status):
            os.unlink(self._status)
        reports = self.sanitizer_reports()
        shutil.rmtree(self.sanitizer_dir, ignore_errors=True)
        if reports and not self.expect_crash:
            raise AssertionError("the sanitiser reported:\n" +
                                 "\n".join(reports)[-6000:])

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
