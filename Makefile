# Build, test, run and install the Go Postfix programs.
# See README.md; every target works on a fresh Debian machine as root.

PREFIX      ?= /usr
DESTDIR     ?=
COMMAND_DIR ?= $(PREFIX)/sbin
DAEMON_DIR  ?= $(PREFIX)/lib/postfix/sbin
GO          ?= go
BIN         := bin

# Programs an administrator runs (command_directory); the rest of cmd/ are
# daemons started by master (daemon_directory).
COMMANDS := postalias postcat postconf postdrop postfix postkick postlock \
            postlog postmap postmulti postqueue postsuper sendmail
SETGID   := postdrop postqueue postlog
# name=target pairs installed as hard links, as Postfix installs them.
LINKS    := mailq=sendmail newaliases=sendmail lmtp=smtp nqmgr=qmgr

.PHONY: all build deps test unit conformance run install bench clean

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

test: deps build unit conformance

unit:
	$(GO) vet ./...
	$(GO) test ./...

conformance: build
	$(GO) run ./tests/conformance -bin $(BIN) -cases tests/cases

run: deps build
	@./.ci/run-instance.sh

install: build
	@set -e; \
	install -d $(DESTDIR)$(COMMAND_DIR) $(DESTDIR)$(DAEMON_DIR); \
	getent group postdrop >/dev/null || groupadd --system postdrop; \
	for p in $(BIN)/*; do n=$$(basename $$p); \
	  case " $(COMMANDS) mailq newaliases " in \
	    *" $$n "*) dir=$(DESTDIR)$(COMMAND_DIR);; \
	    *) dir=$(DESTDIR)$(DAEMON_DIR);; esac; \
	  case " $(SETGID) " in \
	    *" $$n "*) install -m 2555 -g postdrop $$p $$dir/$$n;; \
	    *) install -m 0755 $$p $$dir/$$n;; esac; \
	done; \
	for l in $(LINKS); do n=$${l%=*}; t=$${l#*=}; \
	  case " $(COMMANDS) " in *" $$t "*) dir=$(DESTDIR)$(COMMAND_DIR);; *) dir=$(DESTDIR)$(DAEMON_DIR);; esac; \
	  if [ -e $$dir/$$t ]; then ln -f $$dir/$$t $$dir/$$n; fi; done

bench: deps build
	@./.ci/bench.sh

clean:
	rm -rf $(BIN) run
