"""`make mutate`'s list (tests/mutations.txt) as tests/mutate.py reads it:
an entry is used only when its text occurs exactly once in its file, so a
mutation is never ambiguous nor silently a no-op after the code moved."""

import pytest

import mutate as m  # tests/mutate.py: tests/ is on pytest's path
from helpers import ROOT


def entry(frm, to="y = 2;", file="a.c", tests="tests/unit/t/test_a"):
    return (f"# a comment\nfile: {file}\nfrom: {frm}\nto: {to}\n"
            f"why: a bug\ntests: {tests}\n")


@pytest.fixture
def tree(tmp_path):
    """A tree of one source file and one unit test."""
    (tmp_path / "a.c").write_text("int x = 1;\nint z = 1;\n\tx = 1;\n")
    (tmp_path / "tests/unit/t").mkdir(parents=True)
    (tmp_path / "tests/unit/t/test_a.c").write_text("")
    return tmp_path


def test_mutate__parse__text_found_once_is_taken(tree):
    [mut] = m.parse(entry("int z = 1;", "int z = 2;"), tree)
    assert (mut.file, mut.orig, mut.repl, mut.why) == \
        ("a.c", "int z = 1;", "int z = 2;", "a bug")
    assert mut.units == ["tests/unit/t/test_a"] and mut.pytests == []


def test_mutate__parse__leading_tab_is_part_of_the_text(tree):
    [mut] = m.parse(entry("\tx = 1;"), tree)
    assert mut.orig == "\tx = 1;"


@pytest.mark.parametrize("frm, count", [("int y = 1;", 0), ("= 1;", 3)])
def test_mutate__parse__text_not_found_exactly_once_is_refused(tree, frm,
                                                               count):
    with pytest.raises(m.ListError, match=f"occurs {count} times in a.c"):
        m.parse(entry(frm), tree)


@pytest.mark.parametrize("text, says", [
    (entry("int z = 1;", file="b.c"), "no file b.c"),
    (entry("int z = 1;", to="int z = 1;"), "the same"),
    (entry("int z = 1;", tests="tests/unit/t/test_b"), "no unit test"),
    (entry("int z = 1;", tests="tests/e2e/test_b.py::x"), "no test file"),
    ("file: a.c\nfrom: int z = 1;\nto: int z = 2;\n", "missing why, tests"),
    ("file: a.c\nwhat: x\n", "line 2: expected one of"),
])
def test_mutate__parse__an_unusable_entry_is_refused(tree, text, says):
    with pytest.raises(m.ListError, match=says):
        m.parse(text, tree)


def test_mutate__the_list__every_entry_usable_spread_over_the_client():
    muts = m.parse((ROOT / "tests" / "mutations.txt").read_text())
    assert len(muts) >= 30
    tops = {mut.file.split("/")[0] for mut in muts}
    assert {"net", "tui", "views", "keymaps"} <= tops
