"""The man page documents every action and every default key binding."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def rendered_man():
    out = subprocess.run(["man", "-l", str(ROOT / "share/man/sitecare.1")],
                         capture_output=True, text=True,
                         env={"MANWIDTH": "200", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    # man may hyphenate with U+2010; compare on plain hyphens.
    return out.stdout.replace("\u2010", "-").replace("\u2212", "-")


def test_docs__man_page__lists_every_action_as_a_command():
    names = re.findall(r'X\(ACTION_\w+, "([^"]+)"',
                       (ROOT / "keymaps/action.h").read_text())
    assert len(names) > 20
    man = rendered_man()
    missing = [n for n in names if f":{n}" not in man]
    assert missing == []


def test_docs__man_page__lists_every_default_binding():
    man = rendered_man()
    missing = []
    for line in (ROOT / "keymaps/default.keys").read_text().splitlines():
        words = line.split()
        if not words or words[0] != "bind":
            continue
        if words[1] == "-c":
            words = words[2:]
        key, action = words[1], words[2]
        if not re.search(rf"^\s+{re.escape(key)}\s+.*\({re.escape(action)}\)",
                         man, re.M):
            missing.append((key, action))
    assert missing == []
