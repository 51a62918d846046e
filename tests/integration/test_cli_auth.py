"""`sitecare login`, `logout`, `whoami` against the reference service."""

import os
import pty
import select
import socket
import stat
import subprocess
import termios
import time

import pytest

from helpers.accounts import CLIENT_EMAIL, PASSWORD, PERMISSIONS, STAFF_EMAIL
from integration.cli import scaled


@pytest.fixture
def no_lockout(service):
    """Failed sign-ins lock out 127.0.0.1: forget them afterwards."""
    yield
    service.ctl("reset-rate-limits")


def config_lines(cli):
    return [l for l in cli.config_file.read_text().splitlines()
            if l.strip() and not l.startswith("#")]


def test_cli_login__password_stdin__then_whoami(cli, accounts):
    me = accounts.me("admin")
    r = cli.login(STAFF_EMAIL["admin"])
    assert r.rc == 0, r
    assert r.out == f"signed in as {me['name']} <{me['email']}> (admin)\n"
    w = cli.run("whoami")
    assert w.rc == 0, w
    lines = w.out.splitlines()
    assert lines[0] == f"{me['name']} <{me['email']}>"
    assert "role: admin" in lines
    perms = next(l for l in lines if l.startswith("permissions:"))
    shown = {p.strip() for p in perms.split(":", 1)[1].split(",")}
    assert shown == PERMISSIONS["admin"]


@pytest.mark.parametrize("role", ["support", "technician", "manager"])
def test_cli_whoami__each_role_and_its_permissions(cli, role):
    assert cli.login(STAFF_EMAIL[role]).rc == 0
    w = cli.run("whoami")
    assert w.rc == 0, w
    assert f"role: {role}" in w.out.splitlines()
    perms = next(l for l in w.out.splitlines() if l.startswith("permissions:"))
    assert {p.strip() for p in perms.split(":", 1)[1].split(",")} == PERMISSIONS[role]


def test_cli_login__wrong_password__fails_with_invalid(cli, no_lockout):
    r = cli.login(STAFF_EMAIL["technician"], password="not-the-password")
    assert r.rc == 1, r
    assert "invalid" in r.err.lower()
    assert "signed in" not in r.out
    assert not cli.config_file.exists()
    for jar in cli.jars():
        assert "sessionid" not in jar.read_text()
    w = cli.run("whoami")
    assert w.rc == 1 and "not signed in" in w.err, w


def test_cli_login__client_account__staff_only(cli, no_lockout):
    r = cli.login(CLIENT_EMAIL)
    assert r.rc == 1, r
    assert "staff" in r.err.lower(), r
    assert "signed in" not in r.out


def test_cli_login__password_never_shown_or_stored(cli):
    r = cli.login(STAFF_EMAIL["manager"])
    assert r.rc == 0, r
    assert PASSWORD not in r.out + r.err
    for f in [cli.config_file, *cli.jars()]:
        assert PASSWORD not in f.read_text()


def test_cli_login__terminal_password_without_echo(cli, accounts):
    """No --password-stdin: the password comes from /dev/tty, not echoed."""
    argv = cli.argv(["login", "--email", STAFF_EMAIL["support"]])
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal
        os.chdir(cli.home)
        os.execve(argv[0], argv, cli.env())
    seen = b""

    def read_until(token, timeout=scaled(20)):
        nonlocal seen
        deadline = time.monotonic() + timeout
        while token not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
        return token in seen

    try:
        assert read_until(b"Password: "), seen
        # The client turns the echo off right after the prompt: typed
        # before that, the terminal itself would echo the password.
        deadline = time.monotonic() + scaled(10)
        while termios.tcgetattr(fd)[3] & termios.ECHO:
            assert time.monotonic() < deadline, "the echo stayed on"
            time.sleep(0.01)  # poll interval, the deadline above decides
        os.write(fd, PASSWORD.encode() + b"\n")
        assert read_until(b"(support)"), seen
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, seen
    assert PASSWORD.encode() not in seen
    assert f"signed in as {accounts.me('support')['name']}".encode() in seen


def test_cli_login__remembers_url_ca_file_and_email(cli, service, tmp_path):
    ca_rel = os.path.relpath(service.ca, cli.home)  # runs in cli.home
    r = cli.run("login", "--email", STAFF_EMAIL["admin"], "--password-stdin",
                input=PASSWORD + "\n", url=service.url + "/", ca=ca_rel)
    assert r.rc == 0, r
    lines = config_lines(cli)
    assert f"url = {service.url}" in lines
    assert f"ca-file = {os.path.realpath(service.ca)}" in lines
    assert f"email = {STAFF_EMAIL['admin']}" in lines
    assert stat.S_IMODE(cli.config_file.stat().st_mode) == 0o600
    jars = cli.jars()
    assert len(jars) == 1
    assert stat.S_IMODE(jars[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(cli.state_dir.stat().st_mode) == 0o700
    text = jars[0].read_text()
    assert "\tsessionid\t" in text and "\tcsrftoken\t" in text
    # Now no flag at all: everything comes from the config file.
    w = cli.run("whoami", flags=False)
    assert w.rc == 0, w
    assert STAFF_EMAIL["admin"] in w.out


def test_cli_login__email_defaults_to_remembered(cli):
    assert cli.login(STAFF_EMAIL["technician"]).rc == 0
    # No --email and no terminal: the remembered email is used.
    r = cli.run("login", "--password-stdin", input=PASSWORD + "\n", flags=False)
    assert r.rc == 0, r
    assert "(technician)" in r.out


def test_cli_url__flag_beats_env_beats_config(cli, service):
    assert cli.login(STAFF_EMAIL["admin"]).rc == 0
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))
    dead_url = f"https://127.0.0.1:{dead.getsockname()[1]}"
    dead.close()
    # SITECARE_URL beats the config file: it points at nothing.
    r = cli.run("whoami", flags=False, env={"SITECARE_URL": dead_url}, timeout=60)
    assert r.rc == 1, r
    assert "network" in r.err and "connect" in r.err, r
    # --url beats SITECARE_URL.
    r = cli.run("--url", service.url, "whoami", flags=False,
                env={"SITECARE_URL": dead_url})
    assert r.rc == 0, r


def test_cli_whoami__no_url__says_how_to_set_it(cli):
    r = cli.run("whoami", flags=False)
    assert r.rc == 2, r
    for hint in ("--url", "SITECARE_URL", "url = "):
        assert hint in r.err, r


def test_cli_http_url__refused_before_any_request(cli):
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(1)
    lsock.setblocking(False)
    url = f"http://127.0.0.1:{lsock.getsockname()[1]}"
    try:
        for cmd in (["whoami"], ["api", "GET", "/me"], ["logout"]):
            r = cli.run(*cmd, url=url)
            assert r.rc == 2, r
            assert "HTTPS only" in r.err and "https://" in r.err, r
        with pytest.raises(BlockingIOError):
            lsock.accept()  # nobody ever connected
        r = cli.run("login", "--email", STAFF_EMAIL["admin"], "--password-stdin",
                    input=PASSWORD + "\n", url=url)
        assert r.rc == 2 and "HTTPS only" in r.err, r
    finally:
        lsock.close()


def make_other_ca(tmp_path):
    key, pem = tmp_path / "other-ca.key", tmp_path / "other-ca.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec",
                    "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(pem), "-days", "2",
                    "-subj", "/CN=Not The Service CA"],
                   check=True, capture_output=True)
    return pem


def test_cli_wrong_ca__refused_with_tls_message(cli, tmp_path):
    other = make_other_ca(tmp_path)
    r = cli.login(STAFF_EMAIL["admin"], ca=other)
    assert r.rc == 1, r
    assert "certificate is not trusted" in r.err and "--ca-file" in r.err, r
    r = cli.run("whoami", ca=other)
    assert r.rc == 1 and "certificate is not trusted" in r.err, r


def test_cli_system_cas__do_not_trust_the_service(cli, service):
    r = cli.run("api", "GET", "/me", flags=False,
                env={"SITECARE_URL": service.url})
    assert r.rc == 1 and "tls" in r.err, r


def service_pin(service):
    der = subprocess.run(
        "openssl x509 -in server.pem -pubkey -noout | "
        "openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64",
        shell=True, cwd=service.state, check=True, capture_output=True, text=True)
    return "sha256//" + der.stdout.strip()


def test_cli_pin__wrong_refused_right_accepted(cli, service):
    wrong = "sha256//" + "A" * 43 + "="
    r = cli.run("--pin", wrong, "login", "--email", STAFF_EMAIL["admin"],
                "--password-stdin", input=PASSWORD + "\n")
    assert r.rc == 1, r
    assert "--pin" in r.err and "public key" in r.err, r
    r = cli.run("--pin", service_pin(service), "login", "--email",
                STAFF_EMAIL["admin"], "--password-stdin", input=PASSWORD + "\n")
    assert r.rc == 0, r


def test_cli_logout__then_whoami_not_signed_in(cli):
    assert cli.login(STAFF_EMAIL["support"]).rc == 0
    r = cli.run("logout")
    assert r.rc == 0, r
    assert "signed out" in r.out
    for jar in cli.jars():
        assert "sessionid" not in jar.read_text()
    w = cli.run("whoami")
    assert w.rc == 1, w
    assert w.err.strip() == "sitecare: not signed in: run sitecare login"
    again = cli.run("logout")
    assert again.rc == 0 and "not signed in" in again.out, again


def test_cli_logout__ends_the_session_on_the_server(cli, cli_for, service):
    assert cli.login(STAFF_EMAIL["support"]).rc == 0
    jar = cli.jars()[0]
    saved = jar.read_bytes()
    assert cli.run("logout").rc == 0
    # The old cookies, put back, no longer open a session.
    other = cli_for(service.url, service.ca)
    other.state_dir.mkdir(parents=True, exist_ok=True)
    put_back = other.state_dir / jar.name
    put_back.write_bytes(saved)
    put_back.chmod(0o600)  # a jar others may read is ignored, not tried
    w = other.run("whoami")
    assert w.rc == 1 and "session expired" in w.err, w


@pytest.mark.fresh_service
def test_cli_whoami__expired_session(cli_for, own_service):
    c = cli_for(own_service.url, own_service.ca)
    assert c.login(STAFF_EMAIL["technician"]).rc == 0
    assert c.run("whoami").rc == 0
    own_service.ctl("expire-sessions")
    w = c.run("whoami")
    assert w.rc == 1, w
    assert w.err.strip() == "sitecare: session expired: run sitecare login"
    a = c.run("api", "GET", "/me")
    assert a.rc == 1 and "run sitecare login" in a.err, a
    assert c.login(STAFF_EMAIL["technician"]).rc == 0
    assert c.run("whoami").rc == 0


@pytest.mark.fresh_service
def test_cli_login__rate_limited_after_failures(cli_for, fresh_service):
    svc = fresh_service(seed="none")
    c = cli_for(svc.url, svc.ca)
    results = [c.login(STAFF_EMAIL["support"], password=f"wrong{i}") for i in range(6)]
    assert all(r.rc == 1 for r in results), results
    assert "invalid" in results[0].err.lower()
    last = results[-1]
    assert "rate limited" in last.err, last
    # Even the right password is refused while locked out.
    r = c.login(STAFF_EMAIL["support"])
    assert r.rc == 1 and "rate limited" in r.err, r
