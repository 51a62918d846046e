"""A private PostgreSQL for `serve --db postgres`.

Debian's PostgreSQL 15 server binaries run on a data directory in the
state directory (STATE/pg), listening only on a unix socket in that same
directory (no TCP). initdb refuses to run as root, so when serve runs as
root the server runs as the `postgres` user, which then owns STATE/pg
(and STATE, and any folder above it that was not, becomes searchable by
others, o+x, so that user can reach it). The server is
serve's child and gets SIGINT (PostgreSQL's fast shutdown) if serve dies.
It is a throwaway test database: fsync is off (a killed process loses
nothing committed; only a machine crash could).
"""

import ctypes
import os
import pwd
import signal
import subprocess
import time

BIN = "/usr/lib/postgresql/15/bin"
USER = "sitecare"  # the superuser initdb creates; trust auth on the socket
DATABASE = "sitecare"
READY_TIMEOUT = 30.0


class PostgresError(RuntimeError):
    pass


def _owner():
    """The account the server runs as: ourselves, or postgres for root."""
    return pwd.getpwnam("postgres") if os.geteuid() == 0 else None


def _as_owner(owner, death_signal=None):
    """A preexec_fn: drops to `owner` (if any), then asks for death_signal
    when serve dies (set last: a change of user clears it)."""
    def run():
        if owner is not None:
            os.setgroups([])
            os.setgid(owner.pw_gid)
            os.setuid(owner.pw_uid)
        if death_signal is not None:
            PR_SET_PDEATHSIG = 1
            ctypes.CDLL("libc.so.6").prctl(PR_SET_PDEATHSIG, death_signal)
    return run


def _let_through(folder):
    """Lets other users pass through `folder` and the folders above it (the
    search bit only, never read: they cannot list them), so the server's
    user reaches its data directory in a root-owned state directory."""
    for f in (folder, *folder.parents):
        mode = f.stat().st_mode
        if not mode & 0o001:
            os.chmod(f, (mode & 0o7777) | 0o001)


def _initdb(data, owner, log):
    data.mkdir(mode=0o700)
    if owner is not None:
        _let_through(data.parent)
        os.chown(data, owner.pw_uid, owner.pw_gid)
    subprocess.run([f"{BIN}/initdb", "-D", str(data), "-U", USER,
                    "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8",
                    "--no-sync"],
                   check=True, stdin=subprocess.DEVNULL, stdout=log,
                   stderr=log, preexec_fn=_as_owner(owner))


def start(state):
    """Starts the server on STATE/pg (made if missing) and makes sure the
    service's database exists; returns the server's Popen."""
    data = state / "pg"
    owner = _owner()
    with open(state / "pg.log", "ab") as log:
        if not (data / "PG_VERSION").exists():
            _initdb(data, owner, log)
        proc = subprocess.Popen(
            [f"{BIN}/postgres", "-D", str(data), "-k", str(data),
             "-c", "listen_addresses=", "-c", "fsync=off"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            preexec_fn=_as_owner(owner, signal.SIGINT))
    try:
        _create_database(_wait_ready(data, proc))
    except BaseException:
        stop(proc)
        raise
    return proc


def _wait_ready(data, proc):
    """A connection to the maintenance database once the server takes one."""
    import psycopg2
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise PostgresError(f"postgres exited ({proc.returncode})")
        try:
            return psycopg2.connect(host=str(data), user=USER,
                                    dbname="postgres")
        except psycopg2.OperationalError:
            time.sleep(0.05)
    raise PostgresError(f"postgres not ready within {READY_TIMEOUT:g} s")


def _create_database(conn):
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                    [DATABASE])
        if cur.fetchone() is None:
            cur.execute(f"CREATE DATABASE {DATABASE}")
    conn.close()


def stop(proc):
    """Fast shutdown: open sessions are ended, the data is kept."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
