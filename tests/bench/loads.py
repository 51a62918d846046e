"""The peers' loads for `bench.py --peers`: the same number of items as the
bench's tasks, in the shape tig and neomutt read.

- a git repository of n commits on `main`, written by one `git
  fast-import` stream (no working tree files: every commit has the empty
  tree, so the load is the history alone, as tig's main view shows it);
- a Maildir of n messages (From, To, Subject, Date, Message-ID), all in
  cur/ and seen, so neomutt opens on the newest one;
- a muttrc for `neomutt -n -F`: no user or system configuration, sorted
  by date, header cache off (every start parses every file, as a first
  start would), nothing written outside the temporary folder.

Subjects are the reference service's task titles (its seed.py) with a
number, so every item is told apart; the newest message ends with
LAST_MARK so a run can see when neomutt has drawn its index.
"""

import ast
import email.utils
import os
import subprocess
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "service" / "sitecare_service" \
    / "seed.py"


def seed_lists(*names):
    """The named list constants of the service's seed.py, read from its
    source: importing it would need Django set up."""
    found = {}
    for node in ast.parse(SEED.read_text()).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                getattr(node.targets[0], "id", None) in names:
            found[node.targets[0].id] = ast.literal_eval(node.value)
    return [found[name] for name in names]


FIRST, LAST, TASK_TITLES = seed_lists("FIRST", "LAST", "TASK_TITLES")

# The first item's date; each next one is a minute later.
EPOCH = 1_700_000_000
LAST_MARK = "(the newest)"


def subject(i, n):
    """The subject of item i of n: a task title and its number."""
    text = f"{TASK_TITLES[i % len(TASK_TITLES)]} ({i + 1})"
    return f"{text} {LAST_MARK}" if i == n - 1 else text


def person(i):
    """(name, address) of item i's author."""
    first, last = FIRST[i % len(FIRST)], LAST[i // len(FIRST) % len(LAST)]
    return f"{first} {last}", f"{first}.{last}@example.com".lower()


def fast_import_stream(n):
    """The fast-import stream of n commits, each the parent of the next."""
    parts = []
    for i in range(n):
        name, addr = person(i)
        msg = (subject(i, n) + "\n").encode()
        parts.append(b"commit refs/heads/main\nmark :%d\n" % (i + 1))
        parts.append(f"author {name} <{addr}> {EPOCH + 60 * i} +0000\n"
                     f"committer {name} <{addr}> {EPOCH + 60 * i} +0000\n"
                     .encode())
        parts.append(b"data %d\n%s" % (len(msg), msg))
        if i:
            parts.append(b"from :%d\n" % i)
        parts.append(b"\n")
    return b"".join(parts)


def git_env(home):
    """git without the machine's or the user's configuration."""
    return {"HOME": str(home), "PATH": "/usr/bin:/bin",
            "GIT_CONFIG_NOSYSTEM": "1", "LANG": "C.UTF-8"}


def make_git_repo(path, n, home):
    """A repository at path whose main branch holds n commits."""
    path.mkdir(parents=True)
    env = git_env(home)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)],
                   check=True, env=env)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, check=True,
                   env=env, input=fast_import_stream(n))
    return path


def message(i, n):
    """Message i of n as the bytes of its file."""
    name, addr = person(i)
    date = email.utils.formatdate(EPOCH + 60 * i, usegmt=True)
    return (f"From: {name} <{addr}>\nTo: support@example.com\n"
            f"Subject: {subject(i, n)}\nDate: {date}\n"
            f"Message-ID: <{i + 1}@bench.example.com>\n\n"
            f"{TASK_TITLES[i % len(TASK_TITLES)]}.\n").encode()


def make_maildir(path, n):
    """A Maildir at path with n seen messages in cur/."""
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True)
    cur = path / "cur"
    for i in range(n):
        name = f"{EPOCH + 60 * i}.{i + 1}.bench:2,S"
        fd = os.open(cur / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, message(i, n))
        finally:
            os.close(fd)
    return path


def make_muttrc(path, maildir, tmp):
    """A muttrc at path: the Maildir as the only mailbox, by date, no
    header cache, nothing kept in the user's home."""
    path.write_text(
        "# Written by tests/bench/loads.py for neomutt -n -F.\n"
        f'set folder = "{maildir.parent}"\n'
        f'set spoolfile = "{maildir}"\n'
        'set mbox_type = Maildir\n'
        'set sort = date\n'
        'set header_cache = ""\n'
        'set message_cachedir = ""\n'
        f'set tmpdir = "{tmp}"\n'
        'set record = ""\n'
        'set mail_check_stats = no\n'
        'set sleep_time = 0\n'
        'set beep = no\n'
        'set charset = "utf-8"\n')
    return path
