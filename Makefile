# sitecare: the staff terminal client for SiteCarePlusPro.
#
# `make` builds ./sitecare; `make check` installs what is missing, builds and
# runs every test; `make demo` does the same set-up and opens the demo.
# SANITIZE=1 builds everything with ASan + UBSan into build/san/;
# `make check VALGRIND=1` runs the integration tests again with the client
# and the C probes under valgrind memcheck (the release build).
# `make coverage` builds with gcov into build/cov/ and prints line coverage
# per folder, from the unit tests alone and then from all tests.
# CPPFLAGS, CFLAGS and LDFLAGS from the environment (dpkg-buildflags) reach
# every object and the link. -Werror is on with WERROR=1, which `make
# check`, SANITIZE=1 and COVERAGE=1 set; a packager's plain `make` builds
# without it, as a newer compiler's new warning must not stop a package.
# `make deb` builds a Debian package (build/deb/, share/debian/).

VERSION := 0.1.0
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  := $(PREFIX)/bin
MANDIR  := $(PREFIX)/share/man/man1
DATADIR := $(PREFIX)/share/sitecare
DOCDIR  := $(PREFIX)/share/doc/sitecare
COMPDIR := $(PREFIX)/share/bash-completion/completions

# Debian's interpreter: the one first on PATH may not see Debian's packages.
PYTHON  := /usr/bin/python3
PORT    ?= 8443
STATE   ?= .state/service
ROLE    ?= admin

PKGS := ncursesw libcurl libcjson libsodium readline libnotify pwquality
PKG_CONFIG ?= pkg-config
# The Debian package that brings each pkg-config name, for the message a
# missing one gives.
DEV_ncursesw  := libncurses-dev
DEV_libcurl   := libcurl4-openssl-dev
DEV_libcjson  := libcjson-dev
DEV_libsodium := libsodium-dev
DEV_readline  := libreadline-dev
DEV_libnotify := libnotify-dev
DEV_pwquality := libpwquality-dev

# Debian packages: building, then testing and serving the reference service.
DEBS_BUILD := gcc make pkg-config libncurses-dev libcurl4-openssl-dev \
	libcjson-dev libsodium-dev libreadline-dev libnotify-dev libcmocka-dev \
	libpwquality-dev
# libpwquality's dictionary check needs cracklib's dictionary, which only a
# recommended package brings (deps installs --no-install-recommends).
DEBS_RUN := cracklib-runtime
DEBS_TEST := tmux openssl ca-certificates clang-format python3 python3-pytest \
	python3-django python3-djangorestframework gunicorn python3-nacl \
	python3-dbusmock dbus dbus-bin valgrind postgresql python3-psycopg2 \
	python3-pytest-timeout
# The reference service's TLS and HTTP/2 front (tests/service/front.py).
DEBS_TEST += nginx-light
# tests/integration/test_bench_readme.py builds the bench's git load.
DEBS_TEST += git
# tests/integration/test_draw_bytes.py counts the client's write()s.
DEBS_TEST += strace
DEBS_FUZZ := clang libclang-rt-14-dev
# Only `make coverage` needs it.
DEBS_COVERAGE := gcovr
# `make deb` and its test: dpkg-buildflags, dpkg-shlibdeps, lintian,
# hardening-check (devscripts), man --warnings.
DEBS_PACKAGE := dpkg-dev lintian devscripts man-db
DEBS := $(DEBS_BUILD) $(DEBS_RUN) $(DEBS_TEST) $(DEBS_FUZZ) $(DEBS_COVERAGE) \
	$(DEBS_PACKAGE)

ifeq ($(SANITIZE)$(VALGRIND),11)
$(error SANITIZE=1 and VALGRIND=1 do not mix: valgrind cannot run ASan code)
endif

ifeq ($(SANITIZE)$(COVERAGE),11)
$(error SANITIZE=1 and COVERAGE=1 do not mix)
endif

ifeq ($(COVERAGE),1)
BUILD    := build/cov
WERROR   := 1
SANFLAGS := --coverage
OPT      := -O0 -g
else ifeq ($(SANITIZE),1)
BUILD    := build/san
WERROR   := 1
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
OPT      := -O1 -g
else ifeq ($(DEB),1)
# The package's build, with dpkg-buildflags' hardening (see `deb`).
BUILD    := build/deb
SANFLAGS :=
OPT      :=
else
BUILD    := build/release
SANFLAGS :=
OPT      := -O2 -g
endif

comma := ,
rparen := )

# V=1 shows every command.
Q := $(if $(filter 1,$(V)),,@)

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
# libnotify: headers only, the library is dlopen'd when first used
# (tui/notify_libnotify.c), so a session that never notifies the desktop
# does not map GLib.
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(filter-out libnotify,$(PKGS)) \
	2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

CC      ?= cc
WERROR  ?= 0
CFLAGS  += -std=c11 -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) \
	-Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter $(OPT) $(SANFLAGS) \
	-D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D_XOPEN_SOURCE_EXTENDED \
	-pthread -DSITECARE_VERSION='"$(VERSION)"' -I. $(PKG_CFLAGS) \
	$(CPPFLAGS)
LDFLAGS += $(SANFLAGS) -pthread
LDLIBS  += $(PKG_LIBS) -lm

# Objects are rebuilt when the flags change (WERROR, dpkg-buildflags): the
# flags last used are kept in $(BUILD)/flags, rewritten only when they
# differ. Two strings are the same when each contains the other.
FLAGS_NOW = $(CC) $(CFLAGS) | $(LDFLAGS) $(LDLIBS)
same = $(and $(findstring $(1),$(2)),$(findstring $(2),$(1)))

MAIN_SRC := tui/main.c
SRC      := $(shell find net tui views keymaps -name '*.c' | sort)
LIB_SRC  := $(filter-out $(MAIN_SRC),$(SRC))
GEN_SRC  := $(BUILD)/gen/default_keys.c
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(GEN_SRC:%.c=%.o)
MAIN_OBJ := $(MAIN_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libsitecare.a

UNIT_SRC := $(shell find tests/unit -name 'test_*.c' 2>/dev/null | sort)
UNIT_BIN := $(UNIT_SRC:%.c=$(BUILD)/%)

.PHONY: all deps check unit service demo install uninstall clean format \
	sitecare fuzz fuzz-build bench coverage deb pkg-check mutate FORCE

all: sitecare

# ./sitecare is always the flavour just built (plain or sanitised). It is
# replaced, not rewritten in place: a run still going (valgrind maps the
# file rather than executing it) keeps the old one.
sitecare: $(BUILD)/sitecare
	@cp -f $< $@.new && mv -f $@.new $@

$(BUILD)/sitecare: $(MAIN_OBJ) $(LIB) $(BUILD)/flags
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/flags: FORCE
	$(if $(call same,$(FLAGS_NOW),$(file <$@)),@:,@echo "  FLAGS   $@" \
		$(shell mkdir -p $(@D))$(file >$@,$(FLAGS_NOW)))

# A pkg-config package that is missing stops the build with its name,
# rather than compiling with empty flags.
pkg-check:
	@for p in $(PKGS); do $(PKG_CONFIG) --exists $$p && continue; \
		case $$p in $(foreach p,$(PKGS),$(p)$(rparen) \
			dev=$(DEV_$(p));;) esac; \
		echo "sitecare: $(PKG_CONFIG) cannot find $$p (install $$dev)" >&2; \
		exit 1; done

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	@echo "  AR      $@"
	$(Q)$(AR) rcs $@ $^

# The default key bindings ship inside the binary as one C string.
$(BUILD)/gen/default_keys.c: keymaps/default.keys
	@mkdir -p $(@D)
	@echo "  GEN     $@"
	$(Q){ echo '/* Generated from keymaps/default.keys; do not edit. */'; \
	  echo 'const char keymaps_default_text[] ='; \
	  sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$$/\\n"/' $<; \
	  echo ';'; } >$@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c $(BUILD)/flags | pkg-check
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -Wno-missing-variable-declarations -c -o $@ $<

$(BUILD)/%.o: %.c $(BUILD)/flags | pkg-check
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB)
	@mkdir -p $(@D)
	@echo "  CCLD    $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(CMOCKA_LIBS) $(LDLIBS)

# The pane tests (tests/unit/views/) are also linked with the pane harness
# (tests/unit/views/harness.h), which stands in for the transport and the
# clock through the linker's --wrap: no request leaves the process.
HARNESS_OBJ  := $(BUILD)/tests/unit/views/harness.o
HARNESS_WRAP := http_request_new http_request_body http_request_body_take \
	http_request_send http_cancel loop_now_ms
HARNESS_LDFLAGS := $(addprefix -Wl$(comma)--wrap=,$(HARNESS_WRAP))

# Named as a target, so that the rule below is the one make picks.
$(HARNESS_OBJ): tests/unit/views/harness.c

$(BUILD)/tests/unit/views/%: tests/unit/views/%.c $(HARNESS_OBJ) $(LIB)
	@mkdir -p $(@D)
	@echo "  CCLD    $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(HARNESS_OBJ) $(LIB) $(LDFLAGS) \
		$(HARNESS_LDFLAGS) $(CMOCKA_LIBS) $(LDLIBS)

unit: $(UNIT_BIN)

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(HARNESS_OBJ:.o=.d)

# libFuzzer harnesses: tests/fuzz/fuzz_NAME.c against net/ (which needs no
# curses) plus the sources in FUZZ_EXTRA_NAME, each run for FUZZ_SECONDS
# over its seed corpus tests/fuzz/NAME/. None of the extras needs curses.
# Every harness also links the checks they share (FUZZ_COMMON).
FUZZ_SECONDS ?= 30
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
NET_PKGS := libcurl libcjson libsodium
FUZZ_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-D_XOPEN_SOURCE=600 -DSITECARE_VERSION='"$(VERSION)"' -I. \
	$(shell pkg-config --cflags $(NET_PKGS) 2>/dev/null)
FUZZ_COMMON := tests/fuzz/check_utf8.c
FUZZ_EXTRA_sanitize := tui/sanitize.c
FUZZ_EXTRA_config   := tui/config.c
FUZZ_EXTRA_keys     := keymaps/action.c keymaps/bindings.c keymaps/key.c \
	$(GEN_SRC)

# The extras (and their headers) come in by secondary expansion on the stem.
.SECONDEXPANSION:
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(shell find net -name '*.[ch]') \
		$(FUZZ_COMMON) $(FUZZ_COMMON:.c=.h) $$(FUZZ_EXTRA_$$*) \
		$$(wildcard $$(addsuffix .h,$$(basename $$(FUZZ_EXTRA_$$*))))
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -o $@ $< $(shell find net -name '*.c') $(FUZZ_COMMON) \
		$(FUZZ_EXTRA_$*) $(shell pkg-config --libs $(NET_PKGS) 2>/dev/null)

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
		name=$${f#build/fuzz/fuzz_}; mkdir -p build/fuzz/corpus/$$name; \
		echo "fuzz: $$name for $(FUZZ_SECONDS)s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -timeout=5 -rss_limit_mb=2048 \
			-artifact_prefix=build/fuzz/ build/fuzz/corpus/$$name \
			tests/fuzz/$$name 2>build/fuzz/$$name.log || \
			{ tail -40 build/fuzz/$$name.log; exit 1; }; \
		tail -1 build/fuzz/$$name.log; \
	done

# Installs missing Debian packages when root; otherwise says what to run.
deps:
	@missing=""; \
	for p in $(DEBS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
			grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all present"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "deps: installing$$missing"; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $$missing; \
	else \
		echo "deps: missing:$$missing"; \
		echo "deps: run: sudo apt-get install -y$$missing"; \
		exit 1; \
	fi

# Sub-makes re-read the Makefile so pkg-config sees packages deps installed.
# On CI every fuzz harness also runs for a bounded short time. The binary
# under test is $(BUILD)'s, so the C probes link the same library flavour.
# SANITIZE=1 leaves out the reference service's contract tests (Python
# against Python: no client code runs in them; the plain pass runs them).
# VALGRIND=1 runs only the integration tests, under memcheck, with the
# reports in build/valgrind/ (and its own closing line).
CHECK_FUZZ_SECONDS := $(if $(filter true,$(CI)),15,0)
# Every pass deals pytest out to CHECK_JOBS processes side by side, by
# whole files of about equal time (tests/durations.txt): in one, the plain
# and SANITIZE passes took 21 min each and memcheck's 19 min on CI's 2
# cores, and .ci/run came within a minute of its hour. CHECK_JOBS=1 runs
# each in one (VALGRIND_JOBS, its old name, still sets the memcheck pass).
CHECK_JOBS ?= 2
VALGRIND_JOBS ?= $(CHECK_JOBS)
CHECK_ARGS := $(if $(filter 1,$(VALGRIND)),--valgrind build/valgrind \
	--jobs $(VALGRIND_JOBS),--jobs $(CHECK_JOBS) \
	--fuzz-seconds $(CHECK_FUZZ_SECONDS) $(if $(filter 1,$(SANITIZE)),--client-only))

check: deps
	@$(MAKE) --no-print-directory WERROR=1 all $(if $(filter 1,$(VALGRIND)),,unit)
	@if [ $(CHECK_FUZZ_SECONDS) -gt 0 ] && [ "$(VALGRIND)" != 1 ]; then \
		$(MAKE) --no-print-directory fuzz-build; fi
	@$(PYTHON) tests/run.py --build $(BUILD) --binary $(BUILD)/sitecare \
		$(CHECK_ARGS)

# Line and branch coverage (gcc's gcov, read by Debian's gcovr) per folder: first of
# the unit tests alone, then of all tests as `make check` runs them (the
# coverage build's binary under pytest too; COVERAGE_ARGS are passed to
# tests/run.py, e.g. COVERAGE_ARGS=tests/e2e/test_credentials.py for a
# part). A failing test is reported by run.py; the figures still print.
COV_GCOVR = gcovr -r . --object-directory build/cov \
	--filter '(net|tui|views|keymaps)/' build/cov --csv

coverage: deps
	@$(MAKE) --no-print-directory COVERAGE=1 build/cov/sitecare unit
	@find build/cov -name '*.gcda' -delete
	-@$(PYTHON) tests/run.py --build build/cov --binary build/cov/sitecare \
		--no-pytest
	@echo "coverage from the unit tests alone:"
	@$(COV_GCOVR) | awk -F, '$(COV_AWK)' | sort
	-@$(PYTHON) tests/run.py --build build/cov --binary build/cov/sitecare \
		$(COVERAGE_ARGS)
	@echo "coverage from all tests:"
	@$(COV_GCOVR) | awk -F, '$(COV_AWK)' | sort

# Sums gcovr's CSV (file, lines, lines covered, line %, branches,
# branches covered, ...) per folder: net/base, net/client, net/store, tui,
# tui/cmd, keymaps, each views/<pane>, and views/ as a whole; one line
# each, sorted, lines then branches (#19's goal: 95% and 85% in all).
COV_AWK := NR > 1 && $$2 > 0 { \
	split($$1, p, "/"); k = p[1]; \
	if (p[1] == "net" || p[1] == "views" || (p[1] == "tui" && p[2] == "cmd")) \
		k = p[1] "/" p[2]; \
	add(k); if (p[1] == "views") add("views/"); add("(all)") } \
	function add(k) { n[k] += $$2; c[k] += $$3; bn[k] += $$5; bc[k] += $$6 } \
	END { for (k in n) printf "  %-18s %5.1f%% of %6d lines  %5.1f%% of %6d branches\n", \
		k, 100 * c[k] / n[k], n[k], bn[k] ? 100 * bc[k] / bn[k] : 100, bn[k] }

# Mutation testing (tests/mutate.py): each one-line bug of
# tests/mutations.txt planted alone in a scratch copy, built and run
# against the tests meant to catch it; prints the survivors and the kill
# rate, fails unless every one was caught. Not part of `check`.
mutate: deps
	@$(MAKE) --no-print-directory all unit
	@$(PYTHON) tests/mutate.py

format:
	@clang-format -i $(shell find tui net views keymaps tests/unit tests/fuzz -name "*.[ch]" 2>/dev/null)

service: deps
	tests/service/serve --port $(PORT) --state $(STATE) --seed demo

demo: deps
	@$(MAKE) --no-print-directory all
	tests/demo.sh $(ROLE)

# The benchmark (tests/bench/bench.py): the real binary in a pty against a
# service seeded at scale; BENCH_ARGS="--tasks 5000 --runs 2" for a quick
# look. Its --peers runs tig and neomutt beside it: deps installs them for
# bench alone (a target's variable reaches its prerequisites).
DEBS_BENCH := tig neomutt git
bench: DEBS += $(DEBS_BENCH)
bench: deps
	@$(MAKE) --no-print-directory all
	/usr/bin/python3 tests/bench/bench.py $(BENCH_ARGS)

# The binary of $(BUILD), not ./sitecare: `make deb` installs its own build.
# INSTALL_BIN=PATH installs a binary built already, as it is.
INSTALL_BIN ?= $(BUILD)/sitecare

install: $(INSTALL_BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(DATADIR) \
		$(DESTDIR)$(DOCDIR) $(DESTDIR)$(COMPDIR)
	install -m 0755 $(INSTALL_BIN) $(DESTDIR)$(BINDIR)/sitecare
	install -m 0644 share/man/sitecare.1 $(DESTDIR)$(MANDIR)/sitecare.1
	install -m 0644 share/config/config $(DESTDIR)$(DATADIR)/config
	for f in $(wildcard keymaps/*.keys); do \
		install -m 0644 $$f $(DESTDIR)$(DATADIR)/; done
	install -m 0644 share/completion/sitecare $(DESTDIR)$(COMPDIR)/sitecare
	install -m 0644 share/debian/copyright $(DESTDIR)$(DOCDIR)/copyright

# Removes what install put there and sitecare's own folders; shared ones
# (bin, man1, completions) stay, as automake's uninstall leaves them.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sitecare $(DESTDIR)$(MANDIR)/sitecare.1 \
		$(DESTDIR)$(COMPDIR)/sitecare
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)

# A Debian package, from `make install` into build/deb/root: built with
# dpkg-buildflags' hardening into build/deb/ (DEB=1), stripped, the manual
# page and changelog compressed, Depends computed by dpkg-shlibdeps (which
# wants a debian/control: a two-line one in build/deb/shlibs). The .deb
# goes to DEB_OUT. Bookworm's dpkg-buildflags leaves out stack clash
# protection, which newer ones add. Control-flow protection (CET) is not
# asked for: bookworm's own start files lack it, so the binary could not
# claim it anyway (hardening-check --nocfprotection).
DEB_OUT     ?= build
DEB_ROOT    := build/deb/root
DEB_VERSION  = $(shell dpkg-parsechangelog -l share/debian/changelog -S Version)
DEB_ARCH     = $(shell dpkg --print-architecture)
DEB_FILE     = $(DEB_OUT)/sitecare_$(DEB_VERSION)_$(DEB_ARCH).deb
DEB_CFLAGS   = -fstack-clash-protection

deb:
	@rm -rf $(DEB_ROOT) build/deb/shlibs
	@eval "$$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags \
		--export=sh)" && CFLAGS="$$CFLAGS $(DEB_CFLAGS)" && \
		$(MAKE) --no-print-directory DEB=1 PREFIX=/usr \
		DESTDIR=$(abspath $(DEB_ROOT)) install >/dev/null
	strip --remove-section=.comment --remove-section=.note \
		--strip-unneeded $(DEB_ROOT)/usr/bin/sitecare
	gzip -9n $(DEB_ROOT)/usr/share/man/man1/sitecare.1
	gzip -9nc share/debian/changelog \
		>$(DEB_ROOT)/usr/share/doc/sitecare/changelog.Debian.gz
	@mkdir -p build/deb/shlibs/debian $(DEB_ROOT)/DEBIAN
	@printf 'Source: sitecare\n\nPackage: sitecare\nArchitecture: any\n' \
		>build/deb/shlibs/debian/control
	@deps=$$(cd build/deb/shlibs && dpkg-shlibdeps -O \
		$(abspath $(DEB_ROOT))/usr/bin/sitecare | sed 's/^shlibs:Depends=//') \
		&& size=$$(du -sk --exclude=DEBIAN $(DEB_ROOT) | cut -f1) && \
		sed -e 's/@VERSION@/$(DEB_VERSION)/' -e 's/@ARCH@/$(DEB_ARCH)/' \
		-e "s/@SIZE@/$$size/" -e "s/@DEPENDS@/$$deps/" \
		share/debian/control >$(DEB_ROOT)/DEBIAN/control
	@cd $(DEB_ROOT) && find usr -type f | sort | xargs md5sum >DEBIAN/md5sums
	@mkdir -p $(DEB_OUT)
	dpkg-deb --build --root-owner-group $(DEB_ROOT) $(DEB_FILE)

clean:
	rm -rf build sitecare
