"""What the client itself hands curses to draw, for the terminal tests.

ncurses draws a control character as a caret escape by itself (ESC as
^[, BEL as ^G), so the bytes on the terminal (tmux pipe-pane, or a Pty
as integration/test_draw_bytes.py reads them) hold no ESC from the
server whether or not the client's sanitiser ran: a check of those bytes
alone cannot fail when the sanitiser is bypassed. drawn_shim.c, preloaded
into the client, appends every byte the client passes to curses
(waddnstr, waddch, waddchnstr) to a file first; `assert_drawn_inert`
checks that file: valid UTF-8 with no ESC or other C0 control, no C1 and
no bidi control.

    shim = build_shim(sitecare_bin, tmp_dir)        # once per module
    env.update(preload_env(shim, sitecare_bin, log))
    ... run the client ...
    assert_drawn_inert(log.read_bytes(), "Task1")
"""

import re
import shutil
import subprocess
from pathlib import Path

from . import ROOT

SHIM_SRC = ROOT / "tests" / "helpers" / "drawn_shim.c"
# Server text must reach curses without these: C0 controls (newlines
# are the client's own line ends), DEL, C1, and bidi embeddings,
# overrides and isolates.
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f"
                       "\u202a-\u202e\u2066-\u2069]")


def build_shim(sitecare_bin, out_dir):
    """Compiles drawn_shim.c into out_dir as a shared library."""
    cc = shutil.which("cc") or shutil.which("gcc")
    out = Path(out_dir) / "drawn_shim.so"
    r = subprocess.run([cc, "-std=c11", "-shared", "-fPIC", "-O1",
                        "-Wall", "-Wextra", "-Werror", str(SHIM_SRC),
                        "-o", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out


def preload_env(shim, sitecare_bin, log):
    """The environment that preloads shim into the client, logging to
    log. A sanitised build (ASan) must have its runtime first in the
    list, so it is preloaded ahead of the shim."""
    libs = [str(shim)]
    ldd = subprocess.run(["ldd", str(sitecare_bin)], capture_output=True,
                         text=True).stdout
    asan = re.search(r"libasan\.so[.\d]* => (\S+)", ldd)
    if asan:
        libs.insert(0, asan[1])
    return {"LD_PRELOAD": " ".join(libs), "SITECARE_TEST_DRAWN": str(log)}


def assert_drawn_inert(data: bytes, seen: str):
    """Nothing the client gave curses (data, the shim's log) holds a
    terminal control or broken UTF-8; seen, text the test saw on the
    screen, is in it, so the log is the drawing's."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise AssertionError(f"broken UTF-8 handed to curses: {e}: "
                             f"{data[max(0, e.start - 60):e.end + 20]!r}")
    bad = FORBIDDEN.search(text)
    assert bad is None, ("a control handed to curses: "
                         f"{text[max(0, bad.start() - 60):bad.end() + 20]!r}")
    assert seen in text, f"{seen!r} not among {len(data)} bytes drawn"
