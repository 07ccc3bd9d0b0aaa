# Build, test, run and install the Go Postfix programs.
# See README.md; every target works on a fresh Debian machine as root.

PREFIX      ?= /usr
DESTDIR     ?=
COMMAND_DIR ?= $(PREFIX)/sbin
DAEMON_DIR  ?= $(PREFIX)/lib/postfix/sbin
MANDIR      ?= $(PREFIX)/share/man
# Where Postfix puts sendmail and its two other names (postconf -d
# sendmail_path mailq_path newaliases_path on Debian).
SENDMAIL_PATH   ?= $(COMMAND_DIR)/sendmail
MAILQ_PATH      ?= $(PREFIX)/bin/mailq
NEWALIASES_PATH ?= $(PREFIX)/bin/newaliases
SETGID_GROUP    ?= postdrop
GO          ?= go
BIN         := bin

# Programs an administrator runs (command_directory); the rest of cmd/ are
# daemons started by master (daemon_directory).
COMMANDS := postalias postcat postconf postdrop postfix postkick postlock \
            postlog postmap postmulti postqueue postsuper sendmail
SETGID   := postdrop postqueue postlog
# name=target pairs: other names of a program. make build links them in
# bin; make install makes the daemons' ones hard links in daemon_directory
# and the sendmail ones symbolic links at MAILQ_PATH and NEWALIASES_PATH,
# as Postfix's postfix-files has them.
LINKS    := mailq=sendmail newaliases=sendmail lmtp=smtp nqmgr=qmgr
HARDLINKS := lmtp=smtp nqmgr=qmgr
# Every program in the source tree.
PROGRAMS := $(patsubst cmd/%/main.go,%,$(wildcard cmd/*/main.go))

.PHONY: all build deps test unit conformance run man install bench clean

all: build

build:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/ ./cmd/...
	@for l in $(LINKS); do n=$${l%=*}; t=$${l#*=}; \
	  if [ -e $(BIN)/$$t ]; then ln -f $(BIN)/$$t $(BIN)/$$n; fi; done

# deps installs the C libraries used through cgo and the real Postfix, the
# reference of the differential tests.
deps:
	@./.ci/deps.sh

# test runs the unit tests and the differential cases; both always run, and
# either failing fails the target.
test: deps build
	@status=0; $(MAKE) --no-print-directory unit || status=1; \
	$(MAKE) --no-print-directory conformance || status=1; exit $$status

unit:
	$(GO) vet ./...
	$(GO) test ./...

conformance: build
	$(GO) run ./tests/conformance -bin $(BIN) -cases tests/cases

run: deps build
	@./.ci/run-instance.sh

# man regenerates the manual pages in man/ from the programs' doc comments
# and the parameter table (man/gen; a test checks that they are current).
man:
	$(GO) run ./man/gen -root . -out man

# install puts each program under its Postfix name and mode: commands in
# COMMAND_DIR, daemons in DAEMON_DIR, postdrop, postqueue and postlog
# set-gid SETGID_GROUP (2755, separate files), and the pages of man/ in
# MANDIR/man{1,5,8}.
install: build
	@set -e; \
	install -d $(DESTDIR)$(COMMAND_DIR) $(DESTDIR)$(DAEMON_DIR); \
	getent group $(SETGID_GROUP) >/dev/null || groupadd --system $(SETGID_GROUP); \
	for n in $(PROGRAMS); do \
	  case " $(COMMANDS) " in \
	    *" $$n "*) dir=$(DESTDIR)$(COMMAND_DIR);; \
	    *) dir=$(DESTDIR)$(DAEMON_DIR);; esac; \
	  case " $(SETGID) " in \
	    *" $$n "*) install -m 2755 -g $(SETGID_GROUP) $(BIN)/$$n $$dir/$$n;; \
	    *) install -m 0755 $(BIN)/$$n $$dir/$$n;; esac; \
	done; \
	for l in $(HARDLINKS); do n=$${l%=*}; t=$${l#*=}; \
	  if [ -e $(DESTDIR)$(DAEMON_DIR)/$$t ]; then ln -f $(DESTDIR)$(DAEMON_DIR)/$$t $(DESTDIR)$(DAEMON_DIR)/$$n; fi; done; \
	if [ -e $(DESTDIR)$(SENDMAIL_PATH) ]; then \
	  for p in $(MAILQ_PATH) $(NEWALIASES_PATH); do \
	    install -d $$(dirname $(DESTDIR)$$p); ln -sfr $(DESTDIR)$(SENDMAIL_PATH) $(DESTDIR)$$p; done; fi; \
	for s in 1 5 8; do install -d $(DESTDIR)$(MANDIR)/man$$s; \
	  for f in man/*.$$s; do install -m 0644 $$f $(DESTDIR)$(MANDIR)/man$$s/; done; done

bench: deps build
	@./.ci/bench.sh

clean:
	rm -rf $(BIN) run
