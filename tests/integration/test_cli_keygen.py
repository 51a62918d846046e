"""`sitecare keygen` end to end, and sealed credentials opened by the client.

The staff key is made and registered through the real binary; what the
reference service (or PyNaCl, exactly as the service does it) seals is
opened by the client's own code in unseal_probe.c, compiled against the
library next to the binary under test. The probe prints the length and
SHA-256 of the revealed password, never the password; the test computes
the same from the service's own vault (its vault.key and database).
"""

import base64
import hashlib
import json
import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest
from nacl.public import PrivateKey, SealedBox
from nacl.secret import SecretBox

from helpers.probe import build_probe
from helpers.accounts import PASSWORD, STAFF_EMAIL

PROBE_SRC = Path(__file__).with_name("unseal_probe.c")
PASSPHRASE = "tech passphrase 1"
# With --passphrase-stdin --password-stdin: the passphrase, then the
# account password that registering the key needs.
BOTH = PASSPHRASE + "\n" + PASSWORD + "\n"


@pytest.fixture(scope="session")
def probe(sitecare_bin, tmp_path_factory):
    return build_probe(PROBE_SRC, sitecare_bin, tmp_path_factory.mktemp("unseal"))


def run_probe(probe, *args, input=None):
    r = subprocess.run([str(probe), *map(str, args)], input=input,
                       capture_output=True, text=True, timeout=120)
    assert "runtime error" not in r.stderr and "AddressSanitizer" not in r.stderr, r.stderr
    return r.returncode, r.stdout.strip()


def digest(text):
    raw = text.encode()
    return f"ok len={len(raw)} sha256={hashlib.sha256(raw).hexdigest()}"


def keygen_out(run):
    """The key file's path and the public key that keygen printed."""
    lines = dict(l.split(": ", 1) for l in run.out.splitlines() if ": " in l)
    return Path(lines["key file"]), lines["public key"]


def api_json(cli, method, path, data=None):
    args = ["api", method, path] + (["--data", json.dumps(data)] if data else [])
    r = cli.run(*args)
    assert r.rc == 0, r
    return json.loads(r.out)


def revealable(cli):
    """The id of a credential the signed-in staff member may reveal."""
    for client in api_json(cli, "GET", "/clients?limit=100")["results"]:
        creds = api_json(cli, "GET", f"/clients/{client['id']}/credentials")
        for c in creds["results"]:
            if c["can_reveal"]:
                return c["id"]
    pytest.fail("no credential the technician may reveal")


def vault_password(svc, credential_id):
    """The stored password, decrypted the way the service does it."""
    box = SecretBox((Path(svc.state) / "vault.key").read_bytes())
    db = sqlite3.connect(Path(svc.state) / "db.sqlite3")
    try:
        (secret,) = db.execute("SELECT secret FROM vault_credential WHERE id = ?",
                               (credential_id,)).fetchone()
    finally:
        db.close()
    return json.loads(box.decrypt(bytes(secret)))["password"]


@pytest.fixture
def svc(fresh_service):
    return fresh_service()


@pytest.mark.fresh_service
def test_cli_keygen__register_then_reveal_opens(probe, svc, cli_for, tmp_path):
    cli = cli_for(svc.url, svc.ca)
    assert cli.login(STAFF_EMAIL["technician"]).rc == 0
    r = cli.run("keygen", "--passphrase-stdin", "--password-stdin",
                input=BOTH)
    assert r.rc == 0, r
    path, pk = keygen_out(r)
    assert path == cli.home / "data" / "sitecare" / "staff.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.stat().st_size == 144
    assert len(base64.b64decode(pk)) == 32
    assert "registered for" in r.out, r
    assert api_json(cli, "GET", "/me")["public_key"] == pk

    cid = revealable(cli)
    answer = api_json(cli, "POST", f"/credentials/{cid}/reveal",
                      {"purpose": "integration test of keygen"})
    assert answer["credential_id"] == cid
    sealed = tmp_path / "sealed.b64"
    sealed.write_text(answer["sealed"])
    rc, out = run_probe(probe, "keyfile", path, sealed, "password",
                        input=PASSPHRASE + "\n")
    assert rc == 0, out
    assert out == digest(vault_password(svc, cid))

    rc, out = run_probe(probe, "keyfile", path, sealed, "password",
                        input="not the passphrase\n")
    assert rc == 1
    assert out == f"error invalid_credentials: wrong passphrase for {path} " \
                  "(or the file was altered)"

    # An existing key stays unless --force; --force replaces and registers.
    before = path.read_bytes()
    r = cli.run("keygen", "--passphrase-stdin", input=PASSPHRASE + "\n")
    assert r.rc == 1 and "already exists" in r.err, r
    assert path.read_bytes() == before
    r = cli.run("keygen", "--force", "--passphrase-stdin", "--password-stdin",
                input="another one 2\n" + PASSWORD + "\n")
    assert r.rc == 0, r
    _, pk2 = keygen_out(r)
    assert pk2 != pk and api_json(cli, "GET", "/me")["public_key"] == pk2
    # what was sealed to the old key does not open with the new one
    rc, out = run_probe(probe, "keyfile", path, sealed, "password",
                        input="another one 2\n")
    assert rc == 1 and "failed authentication" in out, out


@pytest.mark.fresh_service
def test_cli_keygen__not_signed_in_then_register_only(svc, cli_for):
    cli = cli_for(svc.url, svc.ca)
    r = cli.run("keygen", "--passphrase-stdin", input=PASSPHRASE + "\n")
    assert r.rc == 1, r
    assert "not registered" in r.err and "keygen --register-only" in r.err, r
    path, pk = keygen_out(r)
    assert path.exists()
    assert cli.login(STAFF_EMAIL["technician"]).rc == 0
    r = cli.run("keygen", "--register-only", "--password-stdin",
                input=PASSWORD + "\n")
    assert r.rc == 0, r
    assert keygen_out(r) == (path, pk)
    assert api_json(cli, "GET", "/me")["public_key"] == pk


@pytest.mark.fresh_service
def test_cli_keygen__wrong_password_registers_nothing_then_retry(svc, cli_for):
    cli = cli_for(svc.url, svc.ca)
    assert cli.login(STAFF_EMAIL["technician"]).rc == 0
    before = api_json(cli, "GET", "/me")
    r = cli.run("keygen", "--passphrase-stdin", "--password-stdin",
                input=PASSPHRASE + "\nnot the password\n")
    assert r.rc == 1, r
    assert "the account password was wrong or missing" in r.err, r
    assert "not registered" in r.err and "--register-only" in r.err, r
    path, pk = keygen_out(r)
    assert path.exists()  # kept, for --register-only
    after = api_json(cli, "GET", "/me")
    assert after["public_key"] == before["public_key"] != pk
    assert after["public_key_registered_at"] == \
        before["public_key_registered_at"]
    # The same key, registered with the right password.
    r = cli.run("keygen", "--register-only", "--password-stdin",
                input="wrong again\n")
    assert r.rc == 1 and "password was wrong" in r.err, r
    r = cli.run("keygen", "--register-only", "--password-stdin",
                input=PASSWORD + "\n")
    assert r.rc == 0, r
    assert keygen_out(r) == (path, pk)
    me = api_json(cli, "GET", "/me")
    assert me["public_key"] == pk and me["public_key_registered_at"]
    history = api_json(cli, "GET", "/me/key-history")["results"]
    assert history[0]["public_key"] == pk


@pytest.mark.fresh_service
def test_cli_keygen__password_needed_when_signed_in(svc, cli_for):
    cli = cli_for(svc.url, svc.ca)
    assert cli.login(STAFF_EMAIL["technician"]).rc == 0
    before = api_json(cli, "GET", "/me")["public_key"]
    # No terminal and no --password-stdin: nothing is made or sent.
    r = cli.run("keygen", "--passphrase-stdin", input=PASSPHRASE + "\n")
    assert r.rc == 2 and "password" in r.err, r
    assert not (cli.home / "data" / "sitecare" / "staff.key").exists()
    assert api_json(cli, "GET", "/me")["public_key"] == before
    r = cli.run("keygen", "--register-only", "--passphrase-stdin")
    assert r.rc == 2 and "only --password-stdin" in r.err, r


@pytest.mark.parametrize("weak, why", [
    ("password", "dictionary"),
    ("12345678", "simplistic"),
    ("sunflower", "dictionary"),
])
def test_cli_keygen__weak_passphrase_refused(cli, weak, why):
    r = cli.run("keygen", "--passphrase-stdin", "--password-stdin",
                input=weak + "\n" + PASSWORD + "\n")
    assert r.rc == 2, r
    assert "the passphrase is too weak" in r.err and why in r.err, r
    assert weak not in r.err.replace("passphrase", "")
    assert not (cli.home / "data" / "sitecare" / "staff.key").exists()


def test_cli_keygen__readonly_refuses(cli):
    r = cli.run("--readonly", "keygen", "--passphrase-stdin", input=PASSPHRASE + "\n")
    assert r.rc == 2, r
    assert "read-only" in r.err
    assert not (cli.home / "data" / "sitecare" / "staff.key").exists()


def test_cli_keygen__short_passphrase_and_bad_flags(cli):
    r = cli.run("keygen", "--passphrase-stdin", input="short\n")
    assert r.rc == 2 and "at least 8 characters" in r.err, r
    r = cli.run("keygen", "--passphrase-stdin", input="")
    assert r.rc == 2 and "no passphrase" in r.err, r
    r = cli.run("keygen", "--bogus")
    assert r.rc == 2 and "unexpected --bogus" in r.err, r
    r = cli.run("keygen", "--register-only", "--force")
    assert r.rc == 2, r
    assert not (cli.home / "data" / "sitecare" / "staff.key").exists()


def test_cli_keygen__key_file_mode_refused(cli):
    data = cli.home / "data" / "sitecare"
    data.mkdir(parents=True, mode=0o700)
    key = data / "staff.key"
    key.write_bytes(b"SCKEY\x01" + bytes(138))
    os.chmod(key, 0o644)
    r = cli.run("keygen", "--register-only")
    assert r.rc == 1, r
    assert f"{key} is readable by others (mode 0644): chmod 600 {key}" in r.err


# Interop without the service: sealed with PyNaCl exactly as
# sitecare_service/vault/crypto.py does, opened by the client's code.
PLAINTEXTS = [
    {"username": "admin", "password": "s3cr3t!#%", "notes": "WordPress"},
    {"username": "wébmaster", "password": "pä\"ss\\wörd\t😀/", "notes": None},
    {"notes": "first", "password": "", "username": "x"},
]


@pytest.mark.parametrize("plain", PLAINTEXTS)
def test_cli_keygen__pynacl_sealed_box_opens(probe, tmp_path, plain):
    sk = PrivateKey.generate()
    (tmp_path / "sk").write_bytes(bytes(sk))
    (tmp_path / "pk").write_bytes(bytes(sk.public_key))
    text = json.dumps(plain).encode()
    sealed = SealedBox(sk.public_key).encrypt(text)
    (tmp_path / "sealed").write_text(base64.b64encode(sealed).decode())
    for key in ("password", "username"):
        rc, out = run_probe(probe, "raw", tmp_path / "sk", tmp_path / "pk",
                            tmp_path / "sealed", key)
        assert (rc, out) == (0, digest(plain[key]))
    rc, out = run_probe(probe, "raw", tmp_path / "sk", tmp_path / "pk",
                        tmp_path / "sealed", "notes")
    if plain["notes"] is None:
        assert rc == 1 and "is null" in out, out
    else:
        assert (rc, out) == (0, digest(plain["notes"]))
    tampered = bytearray(sealed)
    tampered[-1] ^= 1
    (tmp_path / "sealed").write_text(base64.b64encode(bytes(tampered)).decode())
    rc, out = run_probe(probe, "raw", tmp_path / "sk", tmp_path / "pk",
                        tmp_path / "sealed", "password")
    assert rc == 1 and "failed authentication" in out, out
