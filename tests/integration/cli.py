"""Runs the sitecare binary as a user would, in a home of its own.

`Cli(binary, home, url, ca)` gives every run a private HOME and XDG
directories under `home` (nothing of the real user's is read or written)
and, unless told otherwise, `--url URL --ca-file CA` before the command.
`run()` returns a `Run` with `rc`, `out`, `err` (text) and `seconds`.

With SITECARE_VALGRIND=1 every run of the client goes through valgrind
memcheck (`MEMCHECK`, below), and every timeout here is multiplied by
SITECARE_TIMEOUT_SCALE (`scaled()`), since memcheck is 20-50x slower.
"""

import itertools
import os
import shutil
import stat
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from helpers import ROOT
from helpers.accounts import PASSWORD


def scaled(seconds):
    """A time limit, stretched by SITECARE_TIMEOUT_SCALE (default 1)."""
    return seconds * float(os.environ.get("SITECARE_TIMEOUT_SCALE") or 1)


class Memcheck:
    """Runs client processes under valgrind memcheck and reads its verdicts.

    Each process writes one XML report, LOG_DIR/NAME.SEQ.PID.xml (the log
    directory is $SITECARE_VALGRIND_LOGS, else a fresh temporary one).
    `new_errors()` returns, once each, the reports with errors that nobody
    has looked at yet: conftest.py asks after each phase of every test and
    fails the test with them. Leaks count only when definite, and
    tests/valgrind.supp hides third-party libraries' own noise.
    """

    OPTIONS = ("--tool=memcheck", "--error-exitcode=99", "--leak-check=full",
               "--errors-for-leak-kinds=definite", "--show-leak-kinds=definite",
               "--track-fds=no", "--num-callers=30", "-q",
               # A child that execs a tool (tmux, a clipboard tool) leaves
               # no report of its own, half-written.
               "--child-silent-after-fork=yes")

    def __init__(self):
        self.enabled = os.environ.get("SITECARE_VALGRIND") == "1"
        self._seq = itertools.count()
        self._seen = set()
        self._dir = None

    @property
    def log_dir(self):
        if self._dir is None:
            d = os.environ.get("SITECARE_VALGRIND_LOGS")
            self._dir = Path(d) if d else Path(tempfile.mkdtemp(prefix="sitecare-vg-"))
            self._dir.mkdir(parents=True, exist_ok=True)
        return self._dir

    def prefix(self, name):
        """The argv to put before one run of program `name`."""
        base = self.log_dir / f"{name}.{next(self._seq)}.%p"
        # valgrind's own text (such as its warning about a syscall it does
        # not know, pidfd_open in 3.19) goes to a file: written on the
        # terminal under test, it moves the cursor behind curses' back and
        # garbles the screen the test reads.
        return [shutil.which("valgrind") or "valgrind", *self.OPTIONS,
                f"--suppressions={ROOT / 'tests' / 'valgrind.supp'}",
                f"--log-file={base}.log", "--xml=yes", f"--xml-file={base}.xml"]

    def argv(self, argv):
        return [*self.prefix(Path(argv[0]).name), *argv] if self.enabled else argv

    def wrap_program(self, path):
        """Turns the program at path into a script that runs it under memcheck.

        For programs the tests start themselves (the C probes): the real
        binary moves to PATH.real and PATH execs valgrind on it.
        """
        path = Path(path)
        real = path.with_name(path.name + ".real")
        path.replace(real)
        opts = " ".join(f"'{o}'" for o in self.prefix(path.name)[:-3])
        base = f"{self.log_dir}/{path.name}.$(date +%s%N).%p"
        path.write_text(f'#!/bin/sh\nexec {opts} --log-file="{base}.log" '
                        f'--xml=yes --xml-file="{base}.xml" "{real}" "$@"\n')
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return path

    def reports(self):
        """Every finished report so far, as {path: [error text, ...]}."""
        out = {}
        for f in sorted(self.log_dir.glob("*.xml")):
            errors = read_memcheck_xml(f)
            if errors is not None:
                out[f] = errors
        return out

    def new_errors(self):
        """[(report path, [error text, ...])] with errors, each given once."""
        found = []
        for f, errors in self.reports().items():
            if f in self._seen:
                continue
            self._seen.add(f)
            if errors:
                found.append((f, errors))
        return found


def read_memcheck_xml(path):
    """The errors of one valgrind XML report as text; None while unfinished."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError):
        return None  # still being written (or killed mid-way)
    argv = " ".join(e.text or "" for e in root.iterfind("args/argv/*"))
    out = []
    for err in root.findall("error"):
        what = err.findtext("what") or err.findtext("xwhat/text") or ""
        lines = [f"{err.findtext('kind')}: {what}  [{argv}]"]
        for child in err:
            if child.tag == "auxwhat":
                lines.append(f"  {child.text}")
            elif child.tag == "stack":
                for fr in child.findall("frame"):
                    where = (f"{fr.findtext('file')}:{fr.findtext('line')}"
                             if fr.findtext("file") else fr.findtext("obj") or "?")
                    lines.append(f"    {fr.findtext('fn') or '???'} ({where})")
        out.append("\n".join(lines))
    return out


MEMCHECK = Memcheck()


@dataclass
class Run:
    args: list
    rc: int
    out: str
    err: str
    seconds: float
    maxrss_kib: int = 0

    def __repr__(self):
        return (f"Run({self.args!r}, rc={self.rc}, out={self.out[-1500:]!r}, "
                f"err={self.err[-1500:]!r}, {self.seconds:.2f}s)")


class Cli:
    def __init__(self, binary, home, url=None, ca=None):
        self.binary = str(binary)
        self.home = Path(home)
        self.url = url
        self.ca = ca
        for sub in ("", "config", "state", "data"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)

    @property
    def config_file(self):
        return self.home / "config" / "sitecare" / "config"

    @property
    def state_dir(self):
        return self.home / "state" / "sitecare"

    def jars(self):
        return sorted(self.state_dir.glob("cookies-*")) if self.state_dir.exists() else []

    def env(self, extra=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SITECARE_", "XDG_"))}
        env.update(HOME=str(self.home), XDG_CONFIG_HOME=str(self.home / "config"),
                   XDG_STATE_HOME=str(self.home / "state"),
                   XDG_DATA_HOME=str(self.home / "data"), LC_ALL="C.UTF-8")
        env.update(extra or {})
        return env

    def argv(self, args, flags=True, url=None, ca=None):
        """The command line of one run (under memcheck when that is on)."""
        return MEMCHECK.argv(self.bare_argv(args, flags, url, ca))

    def bare_argv(self, args, flags=True, url=None, ca=None):
        pre = []
        if flags:
            url = url or self.url
            ca = ca or self.ca
            if url:
                pre += ["--url", url]
            if ca:
                pre += ["--ca-file", str(ca)]
        return [self.binary, *pre, *map(str, args)]

    def run(self, *args, input=None, flags=True, url=None, ca=None, env=None,
            timeout=60, cwd=None):
        bare = self.bare_argv(args, flags, url, ca)
        argv = MEMCHECK.argv(bare)
        timeout = scaled(timeout)
        t0 = time.monotonic()
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=self.env(env),
                             cwd=cwd or self.home, start_new_session=True)
        try:
            out, err = p.communicate(input.encode() if input is not None else b"",
                                     timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            raise AssertionError(f"{bare} did not finish in {timeout}s: {err[-2000:]!r}")
        # The command as the test gave it: valgrind's options would crowd
        # the rest out of failure messages.
        return Run(bare, p.returncode, out.decode(errors="replace"),
                   err.decode(errors="replace"), time.monotonic() - t0)

    def run_measured(self, *args, timeout=60, **kw):
        """Like run, but also reports this one process's peak memory.

        Under memcheck the command runs twice: once under valgrind, for
        its checks, then bare, for the memory and the result returned
        (valgrind's own memory would swamp the client's).
        """
        if MEMCHECK.enabled:
            self.run(*args, timeout=timeout, **kw)
        flags, url, ca = kw.pop("flags", True), kw.pop("url", None), kw.pop("ca", None)
        argv = self.bare_argv(args, flags, url, ca)
        timeout = scaled(timeout)
        t0 = time.monotonic()
        with open(os.devnull, "wb") as null:
            err_path = self.home / "measured.stderr"
            out_path = self.home / "measured.stdout"
            with open(err_path, "wb") as ef, open(out_path, "wb") as of:
                p = subprocess.Popen(argv, stdin=null, stdout=of, stderr=ef,
                                     env=self.env(kw.pop("env", None)), cwd=self.home)
                deadline = time.monotonic() + timeout
                while True:
                    pid, status, ru = os.wait4(p.pid, os.WNOHANG)
                    if pid:
                        break
                    if time.monotonic() > deadline:
                        p.kill()
                        os.wait4(p.pid, 0)
                        raise AssertionError(f"{argv} did not finish in {timeout}s")
                    time.sleep(0.05)  # poll interval, the deadline decides
                p.returncode = os.waitstatus_to_exitcode(status)
        return Run(argv, p.returncode, out_path.read_text(errors="replace"),
                   err_path.read_text(errors="replace"), time.monotonic() - t0,
                   ru.ru_maxrss)

    def login(self, email, password=PASSWORD, **kw):
        return self.run("login", "--email", email, "--password-stdin",
                        input=password + "\n", **kw)
