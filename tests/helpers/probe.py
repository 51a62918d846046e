"""Compiling a C probe against the library under test.

A probe calls the client's own code directly (net/client/api.h, net/base/secret.h,
...). It is linked with the libsitecare.a next to the binary under test,
so that under build/san it carries the sanitizers too.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import ROOT


def build_probe(src, sitecare_bin, out_dir):
    """Compiles src into out_dir; skips the test when no library is built."""
    lib = Path(sitecare_bin).parent / "libsitecare.a"
    if not lib.exists():
        lib = ROOT / "build" / "release" / "libsitecare.a"
    if not lib.exists():
        pytest.skip("no build/*/libsitecare.a: run make first")
    cc = shutil.which("cc") or shutil.which("gcc")
    pkgs = subprocess.run(["pkg-config", "--cflags", "--libs", "libcurl", "libcjson",
                           "libsodium"], capture_output=True, text=True, check=True)
    san = ["-fsanitize=address,undefined"] if "san" in lib.parts else []
    # make coverage's library is instrumented: the probe links gcov's
    # runtime (and counts what it runs).
    if "cov" in lib.parts:
        san.append("--coverage")
    out = Path(out_dir) / Path(src).stem
    cmd = [cc, "-std=c11", "-g", "-D_POSIX_C_SOURCE=200809L", "-D_DEFAULT_SOURCE",
           *san, "-I", str(ROOT), str(src), str(lib), "-o", str(out),
           *pkgs.stdout.split(), "-lm"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out
