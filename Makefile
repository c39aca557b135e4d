# Puente. `make run` serves a demo on http://127.0.0.1:8080; `make test` runs every test.
export GOFLAGS := -tags=sqlite_fts5 -buildvcs=false
export CGO_ENABLED := 1
# SQLite keeps one plan per prepared statement whatever values are bound
# (its query planner stability guarantee). Without it, every new LIMIT value
# makes SQLite parse and plan the statement again.
export CGO_CFLAGS := -g -O2 -DSQLITE_ENABLE_QPSG

BIN      := bin/puente
DATA     ?= data
ADDR     ?= 127.0.0.1:8080
GOBIN    := $(shell go env GOPATH)/bin
STATICCHECK_VERSION := v0.8.2
# Litestream replicates the database continuously (see the README's
# production section); make test runs a restore drill with this release.
LITESTREAM_VERSION := v0.5.18
LITESTREAM := $(CURDIR)/bin/tools/litestream-$(LITESTREAM_VERSION)
export PUENTE_LITESTREAM_BIN := $(LITESTREAM)

.PHONY: all build run test test-fast fuzz lint fmt tools deps assets clean bench bench-digest bench-search

all: build

EDITOR := static/vendor/editor/editor.js

build: assets
	go build -o $(BIN) ./cmd/puente

# assets fetches the pinned front-end packages through npm and bundles the
# rich-text editor (web/editor, with TipTap and ProseMirror) with esbuild
# into static/vendor, where the binary embeds it. Nothing there is
# committed.
assets: $(EDITOR)

$(EDITOR): package.json package-lock.json $(wildcard web/editor/*.js web/editor/*.mjs)
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor/trix
	mkdir -p static/vendor/editor
	node_modules/.bin/esbuild web/editor/editor.js --bundle --minify --format=iife --target=es2020 \
	  --log-level=warning --metafile=static/vendor/editor/meta.json --outfile=$(EDITOR)
	node web/editor/licenses.mjs static/vendor/editor/meta.json static/vendor/editor/LICENSES.txt

run: build
	$(BIN) serve --demo --data $(DATA) --addr $(ADDR)

# make test is the gate: deterministic, every test, nothing skipped under
# CI=true. Two go test runs go side by side:
#  - RACE_PKGS under the race detector: every package but the browser
#    tests and the commands. That is the server, its caches and commit
#    goroutine, the stores, search, sessions, mail and digest, and the
#    sanitiser's committed fuzz corpus (go test replays
#    testdata/fuzz/FuzzRich without exploring).
#  - the browser tests (internal/e2e/...: journeys, accessibility, hostile
#    content) and the commands (cmd/...: the SIGKILL crash test and the
#    load-benchmark smoke test, which run the server as a child process),
#    without it. Chromium is most of their time, and the detector would
#    only instrument the test's side of the protocol; the commands run the
#    same server code the race run already covers, at three times the cost.
#    At most two browser tests of a package run at once (-parallel 2), so
#    that no more than four Chromiums share the two cores. Screenshots of
#    every page kind at every width are kept in test-output/ for a person.
# About 3 to 4 minutes here with warm caches; the browser tests are the
# longest, the race run the heaviest.
E2E_PKGS  = ./internal/e2e/... ./cmd/...
RACE_PKGS = $(shell go list ./... | grep -v -e /internal/e2e/ -e /cmd/)

test: deps assets
	@go test -count=1 -timeout 12m -race $(RACE_PKGS) & race=$$!; \
	rm -rf test-output; mkdir -p test-output; go test -count=1 -timeout 12m -parallel 2 -artifacts -outputdir $(CURDIR)/test-output $(E2E_PKGS) & e2e=$$!; \
	rc=0; wait $$race || rc=1; wait $$e2e || rc=1; \
	if [ $$rc -ne 0 ]; then echo "make test: FAILED (see above)"; else echo "make test: every test passed"; fi; exit $$rc

# test-fast is the edit loop: every package but the browser tests, without
# the race detector (about 40 s here).
test-fast:
	go test -count=1 $$(go list ./... | grep -v /internal/e2e/)

# fuzz explores: it feeds the sanitiser new inputs for FUZZTIME (a count of
# inputs; about 5 minutes here at the default), checking that its output is
# safe and that sanitising it again changes nothing. A failing input is
# written to internal/sanitize/testdata/fuzz/FuzzRich/: commit it with the
# fix, and go test replays it from then on. The budget is a count, not a
# duration: a duration races Go 1.26's fuzz coordinator at its deadline
# and fails with "context deadline exceeded" and no failing input
# (go.dev/issue/75804).
FUZZTIME ?= 1000000x
fuzz:
	go test -run='^$$' -fuzz=FuzzRich -fuzztime=$(FUZZTIME) -fuzzminimizetime=30s ./internal/sanitize

# deps installs what the tests need: Debian's Chromium (as root, through
# apt-get) when no Chromium is on the PATH, pdftotext (poppler-utils) to read
# the compendium's PDF back, wrk for the load benchmark, and the pinned
# Litestream for the restore drill.
deps: $(LITESTREAM)
	@if command -v chromium >/dev/null 2>&1 || [ -n "$$PUENTE_CHROMIUM" ]; then \
	  echo "chromium: $$(command -v chromium || echo $$PUENTE_CHROMIUM)"; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && echo "chromium installed"; \
	else \
	  echo "chromium is missing and this is not root: run 'sudo apt-get install chromium' for the browser tests"; \
	fi
	@if command -v pdftotext >/dev/null 2>&1; then \
	  echo "pdftotext: $$(command -v pdftotext)"; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null && echo "poppler-utils installed"; \
	else \
	  echo "pdftotext is missing and this is not root: run 'sudo apt-get install poppler-utils' for the compendium's PDF test"; \
	fi
	@if command -v wrk >/dev/null 2>&1; then \
	  echo "wrk: $$(command -v wrk)"; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null && echo "wrk installed"; \
	else \
	  echo "wrk is missing and this is not root: run 'sudo apt-get install wrk' for the load benchmark"; \
	fi
	go mod download

# Litestream is built from source with Go, as its own module: none of the
# project's build settings apply to it.
$(LITESTREAM):
	mkdir -p $(@D)
	GOFLAGS= CGO_CFLAGS= GOBIN=$(@D)/.install go install github.com/benbjohnson/litestream/cmd/litestream@$(LITESTREAM_VERSION)
	mv $(@D)/.install/litestream $@ && rmdir $(@D)/.install

$(GOBIN)/staticcheck:
	go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

tools: $(GOBIN)/staticcheck

lint: tools
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	go vet ./...
	$(GOBIN)/staticcheck ./...
	@# Nothing generated is tracked: no executable, nothing over 1 MB.
	@bad=$$(git ls-files -z 2>/dev/null | xargs -0 -r sh -c 'for f; do [ -f "$$f" ] || continue; \
	  if [ $$(wc -c < "$$f") -gt 1048576 ] || [ "$$(head -c 4 "$$f" | od -An -c | tr -d " ")" = "177ELF" ]; then echo "$$f"; fi; done' sh); \
	  if [ -n "$$bad" ]; then echo "tracked files that are binaries or over 1 MB:"; echo "$$bad"; exit 1; fi

fmt:
	gofmt -w $$(git ls-files '*.go')

BENCH_DB ?= bench/scale.db

# bench-digest times the weekly digest of 10,000 accounts over 100,000
# practices and 1,000,000 comments, handed to a local SMTP server. The
# database is generated on first use (a few minutes) and reused.
bench-digest:
	go run ./cmd/puente-bench digest --db $(BENCH_DB)

# bench starts the server on the scale database, signs in as an official
# and drives each page with wrk (Debian's, installed by deps) at 1 and 32
# connections (comments at 8): 1 s of warm-up, then three runs of 5 s,
# the median reported, against two references: the app's own 23 KB
# stylesheet and a minimal Go handler serving the same bytes from memory.
# It then times the weekly digest of every account in a process of its
# own. The table goes to bench/results.md.
# ROWS="comment POST,search" runs only the rows whose names contain those parts.
ROWS ?=
bench: deps build
	go run ./cmd/puente-bench load --db $(BENCH_DB) --server $(BIN) --rows "$(ROWS)"

# bench-search times a two-word query of common words, one client, over the
# same database (the search index is built on first use).
bench-search:
	go run ./cmd/puente-bench search --db $(BENCH_DB)

clean:
	rm -rf bin node_modules static/vendor/trix static/vendor/editor
