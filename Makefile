# Puente. `make run` serves a demo on http://127.0.0.1:8080; `make test` runs every test.
export GOFLAGS := -tags=sqlite_fts5 -buildvcs=false
export CGO_ENABLED := 1

BIN      := bin/puente
DATA     ?= data
ADDR     ?= 127.0.0.1:8080
GOBIN    := $(shell go env GOPATH)/bin
STATICCHECK_VERSION := v0.8.2

.PHONY: all build run test lint fmt tools deps assets clean bench bench-digest bench-search

all: build

TRIX := static/vendor/trix/trix.js

build: assets
	go build -o $(BIN) ./cmd/puente

# assets fetches the pinned front-end packages through npm and copies the
# files pages load into static/vendor, where the binary embeds them.
assets: $(TRIX)

$(TRIX): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor/trix
	cp node_modules/trix/dist/trix.umd.min.js static/vendor/trix/trix.js
	cp node_modules/trix/dist/trix.css static/vendor/trix/trix.css
	cp node_modules/trix/LICENSE static/vendor/trix/LICENSE

run: build
	$(BIN) serve --demo --data $(DATA) --addr $(ADDR)

# The fuzz budget is a count of inputs (about 20 s here), not a duration:
# a duration races Go 1.26's fuzz coordinator at its deadline and fails
# with "context deadline exceeded" and no failing input (go.dev/issue/75804).
FUZZTIME ?= 100000x

test: deps assets
	go test -count=1 -timeout 20m ./...
	go test -run='^$$' -fuzz=FuzzRich -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./internal/sanitize

# deps installs what the browser tests need: Debian's Chromium (as root,
# through apt-get) when no Chromium is on the PATH.
deps:
	@if command -v chromium >/dev/null 2>&1 || [ -n "$$PUENTE_CHROMIUM" ]; then \
	  echo "chromium: $$(command -v chromium || echo $$PUENTE_CHROMIUM)"; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && echo "chromium installed"; \
	else \
	  echo "chromium is missing and this is not root: run 'sudo apt-get install chromium' for the browser tests"; \
	fi
	go mod download

$(GOBIN)/staticcheck:
	go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

tools: $(GOBIN)/staticcheck

lint: tools
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	go vet ./...
	$(GOBIN)/staticcheck ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

BENCH_DB ?= bench/scale.db

# bench-digest times the weekly digest of 10,000 accounts over 100,000
# practices and 1,000,000 comments, handed to a local SMTP server. The
# database is generated on first use (a few minutes) and reused.
bench-digest:
	go run ./cmd/puente-bench digest --db $(BENCH_DB)

# bench starts the server on the scale database, signs in as an official
# and drives each page with vegeta at 1 and 32 connections (comments at 8),
# 2 s of warm-up and 10 s of measurement each, against the ceiling of a
# static 20 KB file; the table goes to bench/results.md.
# ROWS="comment POST,search" runs only the rows whose names contain those parts.
ROWS ?=
bench: build
	go run ./cmd/puente-bench load --db $(BENCH_DB) --server $(BIN) --rows "$(ROWS)"

# bench-search times a two-word query of common words, one client, over the
# same database (the search index is built on first use).
bench-search:
	go run ./cmd/puente-bench search --db $(BENCH_DB)

clean:
	rm -rf bin node_modules static/vendor/trix
