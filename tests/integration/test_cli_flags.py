"""Global flags after the subcommand, and a CA file that cannot be read."""

import socket

import pytest

from helpers.accounts import PASSWORD, STAFF_EMAIL


def dead_url():
    """An https URL where nothing listens."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    url = f"https://127.0.0.1:{s.getsockname()[1]}"
    s.close()
    return url


@pytest.fixture
def listener():
    """A socket that counts as a service: the test checks nobody called."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    s.setblocking(False)
    yield s, f"https://127.0.0.1:{s.getsockname()[1]}"
    s.close()


def test_cli_flags__after_the_subcommand__login_then_whoami(cli, service):
    # As gh and kubectl accept them: the global flags after the verb,
    # mixed with the verb's own.
    r = cli.run("login", "--url", service.url, "--email", STAFF_EMAIL["admin"],
                "--ca-file", service.ca, "--password-stdin",
                input=PASSWORD + "\n", flags=False)
    assert r.rc == 0, r
    assert "(admin)" in r.out, r
    w = cli.run("whoami", f"--url={service.url}", f"--ca-file={service.ca}",
                flags=False)
    assert w.rc == 0, w
    assert STAFF_EMAIL["admin"] in w.out


def test_cli_flags__given_twice__the_later_wins(cli, service):
    assert cli.login(STAFF_EMAIL["technician"]).rc == 0
    dead = dead_url()
    r = cli.run("--url", dead, "whoami", "--url", service.url, flags=False)
    assert r.rc == 0, r
    r = cli.run("--url", service.url, "whoami", "--url", dead, flags=False)
    assert r.rc == 1, r
    assert "network" in r.err and "connect" in r.err, r


def test_cli_flags__unknown_after_the_subcommand__usage_error(cli):
    r = cli.run("whoami", "--url", cli.url, "--bogus")
    assert r.rc == 2, r
    assert "--bogus" in r.err, r
    r = cli.run("login", "--ca-file", flags=False)
    assert r.rc == 2 and "--ca-file needs a value" in r.err, r


@pytest.mark.parametrize("where", ["before", "after"])
def test_cli_ca_file__missing__settings_error_before_any_request(
        cli, listener, tmp_path, where):
    sock, url = listener
    missing = tmp_path / "no-such-ca.pem"
    for cmd in (["whoami"], ["api", "GET", "/me"], ["logout"],
                ["login", "--email", STAFF_EMAIL["admin"], "--password-stdin"]):
        flags = ["--url", url, "--ca-file", str(missing)]
        args = [*flags, *cmd] if where == "before" else [*cmd, *flags]
        r = cli.run(*args, input=PASSWORD + "\n", flags=False)
        assert r.rc == 2, r
        assert f"--ca-file {missing}: No such file or directory" in r.err, r
    with pytest.raises(BlockingIOError):
        sock.accept()  # nobody ever connected


def test_cli_ca_file__a_directory__settings_error(cli, tmp_path):
    r = cli.run("whoami", ca=tmp_path)
    assert r.rc == 2, r
    assert f"--ca-file {tmp_path}: Is a directory" in r.err, r


def test_cli_ca_file__missing_in_config__names_the_file(cli, listener, tmp_path):
    sock, url = listener
    missing = tmp_path / "gone.pem"
    cli.config_file.parent.mkdir(parents=True, exist_ok=True)
    cli.config_file.write_text(f"url = {url}\nca-file = {missing}\n")
    for cmd in (["whoami"], []):  # [] is the interface, before the terminal
        r = cli.run(*cmd, flags=False)
        assert r.rc == 2, r
        assert (f"ca-file {missing} (set in {cli.config_file}): "
                "No such file or directory") in r.err, r
    with pytest.raises(BlockingIOError):
        sock.accept()
