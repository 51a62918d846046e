"""Runs the sitecare binary as a user would, in a home of its own.

`Cli(binary, home, url, ca)` gives every run a private HOME and XDG
directories under `home` (nothing of the real user's is read or written)
and, unless told otherwise, `--url URL --ca-file CA` before the command.
`run()` returns a `Run` with `rc`, `out`, `err` (text) and `seconds`.
"""

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from helpers.accounts import PASSWORD


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
        argv = self.argv(args, flags, url, ca)
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
            raise AssertionError(f"{argv} did not finish in {timeout}s: {err[-2000:]!r}")
        return Run(argv, p.returncode, out.decode(errors="replace"),
                   err.decode(errors="replace"), time.monotonic() - t0)

    def run_measured(self, *args, timeout=60, **kw):
        """Like run, but also reports this one process's peak memory."""
        argv = self.argv(args, kw.pop("flags", True), kw.pop("url", None), kw.pop("ca", None))
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
                    time.sleep(0.05)
                p.returncode = os.waitstatus_to_exitcode(status)
        return Run(argv, p.returncode, out_path.read_text(errors="replace"),
                   err_path.read_text(errors="replace"), time.monotonic() - t0,
                   ru.ru_maxrss)

    def login(self, email, password=PASSWORD, **kw):
        return self.run("login", "--email", email, "--password-stdin",
                        input=password + "\n", **kw)
