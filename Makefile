# Builds and installs Capstan.
#
#   make                     swift build -c release (the first build compiles for many minutes)
#   make install             the release binary to $(PREFIX)/bin/capstan, and the shipped playbooks,
#                            roles and sample inventory to $(PREFIX)/share/capstan/, where the
#                            installed binary finds them (`capstan cluster up` from any directory)
#   make uninstall           removes both
#
# PREFIX defaults to /usr/local; DESTDIR stages the install for packaging. `make install-files`
# installs an already built BINARY (default: the release one) without building.

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
BINARY ?= .build/release/capstan
BINDIR = $(DESTDIR)$(PREFIX)/bin
SHAREDIR = $(DESTDIR)$(PREFIX)/share/capstan

.PHONY: all build install install-files uninstall

all: build

build:
	$(SWIFT) build -c release --product capstan

install: build
	$(MAKE) install-files BINARY=.build/release/capstan

install-files:
	install -d "$(BINDIR)" "$(SHAREDIR)"
	install -m 0755 "$(BINARY)" "$(BINDIR)/capstan"
	rm -rf "$(SHAREDIR)/playbooks" "$(SHAREDIR)/roles" "$(SHAREDIR)/inventory"
	cp -RP playbooks roles inventory "$(SHAREDIR)/"

uninstall:
	rm -f "$(BINDIR)/capstan"
	rm -rf "$(SHAREDIR)"
