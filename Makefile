# Puente. `make run` serves a demo on http://127.0.0.1:8080; `make test` runs every test.
export GOFLAGS := -tags=sqlite_fts5 -buildvcs=false
export CGO_ENABLED := 1

BIN      := bin/puente
DATA     ?= data
ADDR     ?= 127.0.0.1:8080
GOBIN    := $(shell go env GOPATH)/bin
STATICCHECK_VERSION := v0.8.2

.PHONY: all build run test lint fmt tools clean

all: build

build:
	go build -o $(BIN) ./cmd/puente

run: build
	$(BIN) serve --demo --data $(DATA) --addr $(ADDR)

test:
	go test -count=1 -timeout 20m ./...

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

clean:
	rm -rf bin
