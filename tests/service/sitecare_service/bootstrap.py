"""Preparing a state directory: TLS files, keys, database.

Used by `serve` (everything) and `ctl` (only Django, on an existing dir).
All of it is idempotent: files that exist are kept, so a restart with the
same directory serves the same CA, keys and data.
"""

import os
import secrets
import subprocess
import tempfile
from pathlib import Path

SERVICE_DIR = Path(__file__).resolve().parent.parent


def _openssl(*args):
    subprocess.run(["openssl", *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)


def _ec_key_args(key_path):
    return ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-keyout", str(key_path)]


def make_ca(state):
    _openssl("req", "-x509", *_ec_key_args(state / "ca.key"),
             "-out", str(state / "ca.pem"), "-days", "3650",
             "-subj", "/CN=sitecare throwaway test CA",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign",
             "-addext", "subjectKeyIdentifier=hash")


def make_server_cert(state):
    """A certificate for 127.0.0.1 and localhost signed by the CA."""
    with tempfile.TemporaryDirectory() as tmp:
        csr, ext = Path(tmp) / "server.csr", Path(tmp) / "ext.cnf"
        ext.write_text(
            "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
            "basicConstraints=critical,CA:FALSE\n"
            "keyUsage=critical,digitalSignature,keyEncipherment\n"
            "extendedKeyUsage=serverAuth\n"
            "subjectKeyIdentifier=hash\n"
            "authorityKeyIdentifier=keyid\n")
        _openssl("req", "-new", *_ec_key_args(state / "server.key"),
                 "-out", str(csr), "-subj", "/CN=127.0.0.1")
        _openssl("x509", "-req", "-in", str(csr), "-CA",
                 str(state / "ca.pem"), "-CAkey", str(state / "ca.key"),
                 "-set_serial", str(secrets.randbits(63)), "-days", "825",
                 "-extfile", str(ext), "-out", str(state / "server.pem"))


def _write_secret(path, data):
    """Creates `path` with mode 0600 before any byte is written."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def prepare_files(state):
    state.mkdir(parents=True, exist_ok=True)
    if not (state / "ca.pem").exists() or not (state / "ca.key").exists():
        make_ca(state)
        (state / "server.pem").unlink(missing_ok=True)
    if not (state / "server.pem").exists() or \
            not (state / "server.key").exists():
        make_server_cert(state)
    if not (state / "vault.key").exists():
        _write_secret(state / "vault.key", secrets.token_bytes(32))
    if not (state / "secret_key").exists():
        _write_secret(state / "secret_key",
                      secrets.token_urlsafe(50).encode())


def setup_django(state):
    os.environ["SITECARE_STATE"] = str(state)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE",
                          "sitecare_service.settings")
    import django
    django.setup()


def migrate():
    """Brings the schema up to date; on SQLite, WAL lets streams read while
    others write (PostgreSQL always does)."""
    from django.core.management import call_command
    from django.db import connection
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA journal_mode=WAL")
    call_command("migrate", verbosity=0, interactive=False)


def reset_sequences():
    """After seeding: the seed hands out primary keys itself, which moves
    SQLite's AUTOINCREMENT along but not PostgreSQL's sequences, so the
    next row inserted there would collide with a seeded one."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection
    if connection.vendor != "postgresql":
        return
    sql = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cur:
        for statement in sql:
            cur.execute(statement)


def is_new_database():
    from .accounts.models import User
    return not User.objects.exists()
