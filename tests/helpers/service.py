"""Starts, restarts and stops the reference service for tests.

`Service(state)` runs `tests/service/serve --port P --state DIR` (P is 0, a
free port, on first start; the same port again on a restart), waits for its
`ready https://127.0.0.1:PORT` line, and keeps the URL, the CA (`ca.pem`) and
the state directory. `kill()` SIGKILLs the lot, as a crash would; `start()`
then comes back on the same port. `ctl(...)` runs `tests/service/ctl --state
DIR ...` and returns its parsed JSON output. Only the processes started here
are ever signalled, by their id.

Seeding (migrations, then hundreds of rows) is about half of what serve
does before gunicorn starts, and it is deterministic (a fixed random seed,
times relative to now). So the first service of a session
seeded with given arguments leaves a copy of its database as it was when
it became ready (`SeededCopies`), and a later *new* service with the same
arguments starts from that copy: serve then finds a database and skips
seeding, everything else (CA, certificates, secret key) is its own. A copy
older than `SeededCopies.MAX_AGE` is made again, so "now" in the data stays
recent. SITECARE_FRESH_SEED=1 seeds every service from scratch.
"""

import hashlib
import json
import os
import queue
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from . import ROOT
from .api import ApiSession

SERVE = ROOT / "tests" / "service" / "serve"
CTL = ROOT / "tests" / "service" / "ctl"
READY = re.compile(r"^ready (https://127\.0\.0\.1:(\d+))/?\s*$")


def service_key(url):
    """The 16 hex digits that name a service's cookie jar, outbox folder and
    drafts folder in the client's state directory: BLAKE2b-64 of its base
    URL (https://host:port, no trailing slash)."""
    return hashlib.blake2b(url.rstrip("/").encode(), digest_size=8).hexdigest()


class SeededCopies:
    """Databases as serve seeded them, one per seeding argument list."""

    MAX_AGE = 600.0  # seconds
    # What a seeded database needs besides itself: the vault key the demo
    # credentials are sealed with.
    FILES = ("vault.key",)

    def __init__(self):
        self.enabled = os.environ.get("SITECARE_FRESH_SEED") != "1"
        self._dir = None
        self._made = {}  # key -> (monotonic time, folder)

    def _folder(self, key):
        if self._dir is None:
            self._dir = Path(tempfile.mkdtemp(prefix="sitecare-seeded-"))
        return self._dir / hashlib.sha256(repr(key).encode()).hexdigest()[:16]

    def usable(self, key):
        made = self._made.get(key)
        return made is not None and time.monotonic() - made[0] < self.MAX_AGE

    def restore(self, key, state):
        """Puts the copy for key into a new state directory; False if none."""
        if not self.enabled or not self.usable(key):
            return False
        src = self._made[key][1]
        for name in ("db.sqlite3", *self.FILES):
            shutil.copy2(src / name, state / name)
        return True

    def save(self, key, state):
        """Copies a just-seeded, running service's database (sqlite's backup
        API: a consistent copy even while the service has it open)."""
        if not self.enabled:
            return
        dst = self._folder(key)
        shutil.rmtree(dst, ignore_errors=True)
        dst.mkdir(parents=True)
        src_db = sqlite3.connect(state / "db.sqlite3")
        dst_db = sqlite3.connect(dst / "db.sqlite3")
        try:
            src_db.backup(dst_db)
        finally:
            src_db.close()
            dst_db.close()
        for name in self.FILES:
            shutil.copy2(state / name, dst / name)
        self._made[key] = (time.monotonic(), dst)

    def cleanup(self):
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None
        self._made.clear()


SEEDED = SeededCopies()


class ServiceError(RuntimeError):
    pass


def tail(path, lines=60):
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return f"({path}: missing)"
    return "\n".join(text.splitlines()[-lines:])


class Service:
    """One reference service with its own state directory."""

    def __init__(self, state, seed=None, extra_args=(), env=None,
                 ready_timeout=120.0, ping_seconds="1"):
        self.state = Path(state)
        self.state.mkdir(parents=True, exist_ok=True)
        self.seed = seed
        self.extra_args = list(extra_args)
        self.env = dict(os.environ)
        self.env["SITECARE_PING_SECONDS"] = str(ping_seconds)
        self.env.update(env or {})
        self.ready_timeout = ready_timeout
        self.port = 0
        self.url = None
        self.proc = None
        self.generation = 0  # increases on every successful start
        self.stdout_lines = []

    @property
    def ca(self):
        return str(self.state / "ca.pem")

    @property
    def log(self):
        return self.state / "service.log"

    def logs(self, lines=60):
        return (f"--- {self.log} ---\n{tail(self.log, lines)}\n"
                f"--- serve stderr ---\n{tail(self.state / 'serve.stderr', lines)}\n"
                f"--- nginx error.log ---\n"
                f"{tail(self.state / 'front' / 'error.log', lines)}\n"
                f"--- serve stdout ---\n" + "\n".join(self.stdout_lines[-lines:]))

    # -- lifecycle ---------------------------------------------------------

    def said_of(self, paths, lines=2000):
        """What the service's log says of each path, for a timed-out
        wait: how often gunicorn began it (the `pre_request` hook) and
        answered it (the access log). Begun more often than answered:
        stuck in the service; neither: it never got past the front."""
        log = tail(self.log, lines).splitlines()
        out = []
        for path in paths:
            begun = sum(1 for l in log if " begins " in l and
                        f" {path} " in l)
            answered = re.compile(rf'"[A-Z]+ {re.escape(path)}[? ]')
            done = sum(1 for l in log if answered.search(l))
            out.append(f"{path}: begun {begun}, answered {done}")
        return "; service log: " + "; ".join(out) if out else ""

    def start(self):
        if self.proc is not None and self.proc.poll() is None:
            raise ServiceError("already running")
        if not SERVE.exists():
            raise ServiceError(f"{SERVE} does not exist")
        seed_key = (self.seed or "demo", tuple(self.extra_args))
        # A PostgreSQL service (--db postgres) seeds its own, no copies.
        new_db = "postgres" not in self.extra_args and \
            not (self.state / "db.sqlite3").exists()
        copied = new_db and SEEDED.restore(seed_key, self.state)
        cmd = [str(SERVE), "--port", str(self.port), "--state", str(self.state)]
        if self.seed:
            cmd += ["--seed", self.seed]
        cmd += self.extra_args
        err = open(self.state / "serve.stderr", "ab")
        try:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.PIPE, stderr=err,
                                         start_new_session=True)
        finally:
            err.close()
        lines = queue.Queue()

        def pump(stream):
            for raw in iter(stream.readline, b""):
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.stdout_lines.append(line)
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, args=(self.proc.stdout,), daemon=True).start()
        deadline = time.monotonic() + self.ready_timeout
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = ""
            if line is None or self.proc.poll() is not None and line == "":
                rc = self.proc.wait(timeout=10)
                raise ServiceError(f"serve exited ({rc}) before it was ready\n" + self.logs())
            m = READY.match(line or "")
            if m:
                self.url = m.group(1)
                self.port = int(m.group(2))
                break
            if time.monotonic() > deadline:
                self.stop()
                raise ServiceError(f"serve not ready within {self.ready_timeout}s\n" + self.logs())
        if new_db and not copied:
            SEEDED.save(seed_key, self.state)
        self.generation += 1
        return self

    def stop(self, timeout=30.0):
        p = self.proc
        if p is None:
            return None
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=10)
        # Whatever serve started in its own session (gunicorn workers) must
        # be gone too; the group id is the id of the process started above.
        self._reap_group(p.pid)
        self.proc = None
        return p.returncode

    def _reap_group(self, pgid):
        for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(pgid, 0)
            except (ProcessLookupError, PermissionError):
                return
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                time.sleep(0.1)
                try:
                    os.killpg(pgid, 0)
                except (ProcessLookupError, PermissionError):
                    return
            try:
                os.killpg(pgid, sig)
            except (ProcessLookupError, PermissionError):
                return

    def kill(self):
        """SIGKILLs serve, nginx, gunicorn and its worker at once, as a
        crash or the OOM killer would: nothing is shut down cleanly, open
        connections just drop. `start()` brings it back on the same port
        with the same state. Returns serve's status (-9)."""
        p = self.proc
        if p is None:
            return None
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait(timeout=10)
        self._reap_group(p.pid)
        self.proc = None
        return p.returncode

    def restart(self):
        self.stop()
        return self.start()

    @property
    def running(self):
        return self.proc is not None and self.proc.poll() is None

    # -- tools -------------------------------------------------------------

    def ctl(self, *args, check=True, timeout=120.0):
        """Runs `ctl --state DIR ARGS...`; returns its parsed JSON output."""
        cmd = [str(CTL), "--state", str(self.state), *map(str, args)]
        r = subprocess.run(cmd, cwd=ROOT, env=self.env, capture_output=True,
                           text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise ServiceError(f"{' '.join(cmd)} exited {r.returncode}\n"
                               f"stdout: {r.stdout[-2000:]}\nstderr: {r.stderr[-2000:]}")
        out = r.stdout.strip()
        try:
            return json.loads(out) if out else None
        except ValueError:
            # Some tools print log lines first; the JSON is the last line.
            for line in reversed(out.splitlines()):
                try:
                    return json.loads(line)
                except ValueError:
                    continue
            raise ServiceError(f"ctl printed no JSON: {out[-2000:]!r}")

    def session(self, **kw):
        """A new, anonymous `ApiSession` against this service."""
        return ApiSession(self.url, self.ca, **kw)
