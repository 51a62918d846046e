"""The binary's basic promises, checked in a real terminal."""

import os
import subprocess

from e2e.tmux import Terminal

BIN = os.environ.get("SITECARE_BIN",
                     os.path.join(os.path.dirname(__file__), "..", "..",
                                  "sitecare"))


def test_cli__version__prints_version():
    out = subprocess.run([BIN, "--version"], capture_output=True, text=True)
    assert out.returncode == 0
    assert out.stdout.startswith("sitecare ")
    assert out.stdout.split()[1][0].isdigit()


def test_cli__help__lists_flags_in_a_terminal():
    with Terminal([BIN, "--help"], width=80, height=40) as t:
        status = t.wait_exit()
        screen = t.screen()
    assert status == 0
    for flag in ("--url", "--ca-file", "--readonly", "--version"):
        assert flag in screen


def test_cli__unknown_flag__fails_with_usage_hint():
    out = subprocess.run([BIN, "--frobnicate"], capture_output=True,
                         text=True)
    assert out.returncode == 2
    assert "--frobnicate" in out.stderr
    assert "--help" in out.stderr
