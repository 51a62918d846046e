"""The bench's pieces that need no service and no timing: the README's
table rewritten between its markers (tests/bench/readme.py), the peers'
loads (tests/bench/loads.py: a git repository made by `git fast-import`,
a Maildir, a muttrc) built at a small size and read back by git and by
Python's mailbox module, and the side-by-side table's ratios
(tests/bench/peers.py)."""

import mailbox
import subprocess
import sys

import pytest

from helpers import ROOT

sys.path.insert(0, str(ROOT / "tests" / "bench"))

import bench  # noqa: E402
import loads  # noqa: E402
import peers  # noqa: E402
import readme  # noqa: E402

N = 100
OLD = "intro\n\n" + readme.BEGIN + "\nold table\n" + readme.END + "\nrest\n"


def test_readme__replace_block__only_between_the_markers():
    new = readme.replace_block(OLD, "| new | table |\n")
    assert new == ("intro\n\n" + readme.BEGIN + "\n| new | table |\n" +
                   readme.END + "\nrest\n")


def test_readme__rewrite__writes_the_file(tmp_path):
    path = tmp_path / "README.md"
    path.write_text(OLD)
    readme.rewrite(path, "Taken on today.\n\n| a |")
    text = path.read_text()
    assert "old table" not in text and "Taken on today." in text
    assert text.startswith("intro\n\n") and text.endswith("\nrest\n")


@pytest.mark.parametrize("text", [
    "no markers at all\n",
    readme.BEGIN + "\nonly the first\n",
    "only the last\n" + readme.END + "\n",
    readme.END + "\nout of order\n" + readme.BEGIN + "\n",
    OLD + OLD,
])
def test_readme__rewrite__refuses_without_both_markers(tmp_path, text):
    path = tmp_path / "README.md"
    path.write_text(text)
    with pytest.raises(readme.MarkersMissing):
        readme.rewrite(path, "| new |")
    assert path.read_text() == text


def test_readme__the_project_readme_has_the_markers_once():
    text = (ROOT / "README.md").read_text()
    assert text.count(readme.BEGIN) == 1 and text.count(readme.END) == 1
    assert text.index(readme.BEGIN) < text.index(readme.END)
    measured = text.index("### Measured")
    assert measured < text.index(readme.BEGIN)


def git(repo, home, *argv):
    return subprocess.run(["git", *argv], cwd=repo, env=loads.git_env(home),
                          capture_output=True, text=True, check=True).stdout


def test_loads__git_fast_import__n_commits_on_main(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    repo = loads.make_git_repo(tmp_path / "repo", N, home)
    log = git(repo, home, "log", "--oneline", "main").splitlines()
    assert len(log) == N
    assert git(repo, home, "symbolic-ref", "HEAD").strip() == \
        "refs/heads/main"
    # Newest first, as tig shows them; each subject told apart.
    assert log[0].split(" ", 1)[1] == loads.subject(N - 1, N)
    assert log[0].endswith(loads.LAST_MARK)
    assert log[-1].split(" ", 1)[1] == loads.subject(0, N)
    assert len({line.split(" ", 1)[1] for line in log}) == N
    git(repo, home, "fsck", "--no-progress")


def test_loads__maildir__n_messages_with_their_headers(tmp_path):
    path = loads.make_maildir(tmp_path / "mail" / "inbox", N)
    assert len(list((path / "cur").iterdir())) == N
    box = mailbox.Maildir(str(path), create=False)
    msgs = list(box)
    assert len(msgs) == N
    subjects = {m["Subject"] for m in msgs}
    assert len(subjects) == N and loads.subject(N - 1, N) in subjects
    assert all(m["From"] and m["Date"] and m["Message-ID"] for m in msgs)
    assert all(m.get_flags() == "S" for m in msgs)


def test_loads__muttrc__no_header_cache_sorted_by_date(tmp_path):
    maildir = tmp_path / "mail" / "inbox"
    rc = loads.make_muttrc(tmp_path / "muttrc", maildir, tmp_path).read_text()
    assert 'set header_cache = ""' in rc and "set sort = date" in rc
    assert f'set spoolfile = "{maildir}"' in rc


def test_peers__ratio__against_the_better_peer():
    assert peers.ratio_cell(0.3, [0.6, 0.5], 1.0) == ("0.60", "met")
    assert peers.ratio_cell(0.6, [0.5, None], 1.0) == ("1.20", "MISSED")
    assert peers.ratio_cell(400, [300, 2000], 1.3) == ("1.33", "MISSED")
    assert peers.ratio_cell(2.0, [1.0, 4.0], None) == ("2.00", "-")
    assert peers.ratio_cell(None, [1.0], 1.0) == ("-", "-")


def test_peers__table__a_row_per_figure_and_dashes_for_the_unmeasured():
    figs = {"rss": 25.0, "j": (0.2, 300), "pgdn": (0.4, 3000),
            "k": (0.01, 0), "whole": 5.0}
    lines = peers.table(figs, {"tig": figs, "neomutt": {}}, 1000)
    assert len(lines) == 2 + len(peers.ROWS)
    assert "1,000 items" in lines[0] and "neomutt" in lines[0]
    assert "| 25.0 MB " in lines[2] and "| 1.00 " in lines[2]
    assert all(line.count("|") == lines[0].count("|") for line in lines)


def test_bench__expand_rep__writes_out_ncurses_repeats():
    assert bench.expand_rep(b"#1\x1b[4b5") == b"#111115"
    assert bench.expand_rep(b"10\x1b[3b \x1b[1;2H") == b"10000 \x1b[1;2H"
