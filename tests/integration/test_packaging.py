"""The package an admin installs (#17): the Makefile's flags, `make
install` / `make uninstall`, `make deb`, the bash completion and the manual
page.

The install tests reuse the binary under test (INSTALL_BIN), so nothing is
compiled. `make deb` compiles its own hardened build in build/deb/ (kept
between runs, so a rerun only relinks what changed) and writes the .deb
into a temporary folder, never into the tree; it runs once per module, in
the plain pass only (the sanitised and memcheck passes test other builds
of the same code).
"""

import os
import re
import shutil
import subprocess
import time

import pytest

from integration.cli import MEMCHECK

# What `make install PREFIX=/usr` puts in place (README "Building").
INSTALLED = {
    "usr/bin/sitecare",
    "usr/share/man/man1/sitecare.1",
    "usr/share/sitecare/config",
    "usr/share/sitecare/default.keys",
    "usr/share/bash-completion/completions/sitecare",
    "usr/share/doc/sitecare/copyright",
}
# The package: the same, the manual page compressed, and its changelog.
PACKAGED = (INSTALLED - {"usr/share/man/man1/sitecare.1"}) | {
    "usr/share/man/man1/sitecare.1.gz",
    "usr/share/doc/sitecare/changelog.Debian.gz",
}
MAKE_TIMEOUT = 600


# What the `make check` running these tests hands down to every make below
# it: its command line (`make check SANITIZE=1` puts SANITIZE=1 and
# WERROR=1 in MAKEFLAGS), which would turn a packager's plain make here
# into the sanitiser build.
MAKE_INHERITED = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES",
                  "SANITIZE", "VALGRIND", "COVERAGE", "WERROR")


def make(repo_root, *args, env=None, timeout=MAKE_TIMEOUT):
    """Runs make in the repository, niced (the machine's cores are shared),
    as a packager would: without what an enclosing make passed down."""
    env = {k: v for k, v in (os.environ if env is None else env).items()
           if k not in MAKE_INHERITED}
    return subprocess.run(
        ["nice", "-n", "19", "make", "--no-print-directory", *args],
        cwd=repo_root, env=env, capture_output=True, text=True, timeout=timeout)


def files_under(root):
    """Every file under root, as paths relative to it."""
    return {os.path.relpath(os.path.join(d, f), root)
            for d, _, fs in os.walk(root) for f in fs}


def runs_version(binary):
    """The binary's --version line, asserting it ran."""
    r = subprocess.run([str(binary), "--version"], capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_install_then_uninstall_leaves_no_file(repo_root, sitecare_bin, tmp_path):
    root = tmp_path / "root"
    args = [f"DESTDIR={root}", "PREFIX=/usr", f"INSTALL_BIN={os.path.abspath(sitecare_bin)}"]
    r = make(repo_root, "install", *args)
    assert r.returncode == 0, r.stdout + r.stderr
    assert files_under(root) == INSTALLED
    assert runs_version(root / "usr/bin/sitecare").startswith("sitecare ")
    r = make(repo_root, "uninstall", *args)
    assert r.returncode == 0, r.stdout + r.stderr
    assert files_under(root) == set()
    assert not (root / "usr/share/sitecare").exists()
    assert not (root / "usr/share/doc/sitecare").exists()


def test_missing_pkg_config_package_is_named(repo_root, tmp_path):
    # A pkg-config that knows every package but libnotify.
    fake = tmp_path / "pkg-config"
    fake.write_text('#!/bin/sh\nfor a; do [ "$a" = libnotify ] && exit 1; done\n'
                    'exec pkg-config "$@"\n')
    fake.chmod(0o755)
    r = make(repo_root, f"PKG_CONFIG={fake}", f"BUILD={tmp_path}/build",
             f"{tmp_path}/build/sitecare")
    assert r.returncode != 0
    assert (f"sitecare: {fake} cannot find libnotify (install libnotify-dev)"
            in r.stderr)
    assert not list((tmp_path / "build").rglob("*.o")), "compiled with empty flags"


def dry_run(repo_root, tmp_path, *args, env=None):
    """The commands make would run to build the binary in a scratch BUILD."""
    build = tmp_path / "build"
    r = make(repo_root, "-n", f"BUILD={build}", *args, f"{build}/sitecare", env=env)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_environment_flags_reach_every_object_and_the_link(repo_root, tmp_path):
    env = dict(os.environ, CPPFLAGS="-DSC_PKG_CPP", CFLAGS="-DSC_PKG_C",
               LDFLAGS="-Wl,-z,now")
    out = dry_run(repo_root, tmp_path, env=env)
    compiles = [ln for ln in out.splitlines() if " -c -o " in ln]
    links = [ln for ln in out.splitlines() if " -o " in ln and " -c " not in ln
             and ln.rstrip().endswith("-lm")]
    assert len(compiles) > 50
    for ln in compiles:
        assert "-DSC_PKG_CPP" in ln and "-DSC_PKG_C" in ln, ln
        assert "-std=c11" in ln and "-Wall" in ln, ln
    assert links and all("-Wl,-z,now" in ln for ln in links), links


def test_werror_only_when_asked_and_make_check_asks(repo_root, tmp_path):
    plain = [ln for ln in dry_run(repo_root, tmp_path).splitlines() if " -c -o " in ln]
    strict = [ln for ln in dry_run(repo_root, tmp_path, "WERROR=1").splitlines()
              if " -c -o " in ln]
    assert plain and not any(" -Werror " in ln for ln in plain)
    assert strict and all(" -Werror " in ln for ln in strict)
    # `make check`'s sub-make (the one that compiles) passes WERROR=1.
    makefile = (repo_root / "Makefile").read_text()
    recipe = makefile.split("\ncheck: deps\n", 1)[1].split("\n\n", 1)[0]
    assert re.search(r"\$\(MAKE\)[^\n]*WERROR=1[^\n]* all", recipe), recipe


def parser_flags(repo_root):
    """Every flag the parser compares an argument with, and every command."""
    flags, commands = set(), set()
    srcs = [repo_root / "tui/options.c", *sorted((repo_root / "tui/cmd").glob("*.c"))]
    for src in srcs:
        text = src.read_text()
        flags |= set(re.findall(r'(?:strcmp|is_flag|take_value)\([^;]*?"(-[-A-Za-z]+)"', text))
        # tui/options.c's table of global flags: name, then alias or NULL.
        for name, alias in re.findall(r'\{ "(--[-a-z]+)", (?:"(-[A-Za-z])"|NULL),', text):
            flags |= {name, alias} - {""}
    commands |= set(re.findall(r'\{ "([a-z]+)", cmd_[a-z]+,',
                               (repo_root / "tui/cmd/cmd.c").read_text()))
    return flags - {"-", "--"}, commands


def test_completion_offers_every_flag_and_command(repo_root):
    flags, commands = parser_flags(repo_root)
    assert {"--url", "--readonly", "--retry-safe", "--register-only"} <= flags
    assert {"login", "api", "keygen", "attachment"} <= commands
    words = set(re.findall(r"(?<![\w$-])(-{1,2}[A-Za-z][-A-Za-z]*|[a-z]+)",
                           (repo_root / "share/completion/sitecare").read_text()))
    assert flags - words == set()
    assert commands - words == set()
    assert complete(repo_root, "sitecare", "--re") == ["--readonly"]
    assert set(complete(repo_root, "sitecare", "")) == commands
    assert complete(repo_root, "sitecare", "--url", "u", "outbox", "") == [
        "list", "flush", "discard"]
    assert "--register-only" in complete(repo_root, "sitecare", "keygen", "--")


def complete(repo_root, *words):
    """What bash offers for words (the last one being typed), with only
    the completion file loaded."""
    script = ('source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); '
              '_sitecare; printf "%s\\n" "${COMPREPLY[@]}"')
    r = subprocess.run(["bash", "-c", script, str(repo_root / "share/completion/sitecare"),
                        *words], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    return r.stdout.split()


def test_manual_page_has_no_warnings(repo_root):
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80")
    r = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z",
                        str(repo_root / "share/man/sitecare.1")],
                       capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0
    assert r.stderr == ""


@pytest.fixture(scope="module")
def deb(repo_root, sitecare_bin, tmp_path_factory):
    """The .deb that `make deb` builds, and how long that took."""
    if MEMCHECK.enabled or not str(sitecare_bin).endswith("build/release/sitecare"):
        pytest.skip("the package is built and checked in the plain pass")
    for tool in ("dpkg-deb", "dpkg-shlibdeps", "lintian", "hardening-check"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    out = tmp_path_factory.mktemp("deb")
    start = time.monotonic()
    r = make(repo_root, "-j2", "deb", f"DEB_OUT={out}")
    took = time.monotonic() - start
    assert r.returncode == 0, r.stdout + r.stderr
    found = list(out.glob("sitecare_*.deb"))
    assert len(found) == 1, found
    print(f"make deb took {took:.1f} s")
    return found[0]


@pytest.mark.slow
def test_deb_holds_what_the_readme_says(deb, tmp_path):
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True,
                             text=True, timeout=60, check=True).stdout
    assert all(" root/root " in ln for ln in listing.splitlines())
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp_path)], check=True, timeout=60)
    assert files_under(tmp_path) == PACKAGED
    assert runs_version(tmp_path / "usr/bin/sitecare").startswith("sitecare ")
    control = subprocess.run(["dpkg-deb", "-f", str(deb), "Depends"],
                             capture_output=True, text=True, timeout=60, check=True).stdout
    for lib in ("libcurl4", "libncursesw6", "libsodium23", "libcjson1", "sensible-utils"):
        assert lib in control, control


@pytest.mark.slow
def test_deb_passes_lintian_and_hardening_check(deb, tmp_path):
    r = subprocess.run(["nice", "-n", "19", "lintian", "--tag-display-limit", "0", str(deb)],
                       capture_output=True, text=True, timeout=300)
    errors = [ln for ln in r.stdout.splitlines() if ln.startswith("E:")]
    assert errors == [], r.stdout
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp_path)], check=True, timeout=60)
    # Control-flow protection cannot be had: bookworm's start files lack it.
    r = subprocess.run(["hardening-check", "--nocfprotection",
                        str(tmp_path / "usr/bin/sitecare")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    for line in ("Position Independent Executable: yes", "Stack protected: yes",
                 "Fortify Source functions: yes", "Read-only relocations: yes",
                 "Immediate binding: yes"):
        assert line in r.stdout, r.stdout
