# expodesk — the two commands are `make run` and `make test`; see README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

BIN      := .local/bin/expodesk
PGDIR    := .local/pg
DEVENV   := go run ./cmd/devenv
GOFLAGS  ?=
export GOFLAGS

.PHONY: help
help:
	@echo "make run        start PostgreSQL (project-local unless DATABASE_URL is set), migrate, load demo data, serve :8080"
	@echo "make test       every test, against a throwaway PostgreSQL and headless Chromium"
	@echo "make db-stop    stop the project-local PostgreSQL cluster (make run starts it again, data kept)"
	@echo "make bench      load test against 10,000 generated exhibitors (see docs/benchmarks.md)"
	@echo "make generate   regenerate templ components"
	@echo "make lint       go vet, staticcheck, govulncheck"
	@echo "make fuzz       run every fuzz target for FUZZTIME (default 20s each)"

.PHONY: build
build:
	@mkdir -p $(dir $(BIN))
	go build -o $(BIN) ./cmd/expodesk

# make run: with DATABASE_URL unset, a cluster under .local/pg (created on first
# use, reused after) serves the database "expodesk".
.PHONY: run
run: build
	@if [ -z "$${DATABASE_URL:-}" ]; then \
		DATABASE_URL="$$($(DEVENV) db start --dir $(PGDIR) --port $${PGPORT:-54329} --db expodesk)"; \
		export DATABASE_URL; \
		echo "Using the project-local PostgreSQL in $(PGDIR) (make db-stop stops it)."; \
	fi; \
	exec $(BIN) serve --demo

.PHONY: db-stop
db-stop:
	@if [ -d $(PGDIR) ]; then $(DEVENV) db stop --dir $(PGDIR); fi

# make test: a throwaway cluster unless TEST_DATABASE_URL names a server.
.PHONY: test
test:
	@$(DEVENV) install chromium
	@if [ -n "$${TEST_DATABASE_URL:-}" ]; then \
		go test -race -count=1 -timeout 15m ./...; \
	else \
		dir="$$(mktemp -d)"; \
		trap '$(DEVENV) db stop --dir "$$dir/pg" >/dev/null 2>&1 || true; rm -rf "$$dir"' EXIT; \
		TEST_DATABASE_URL="$$($(DEVENV) db start --dir "$$dir/pg" --port 0 --fast --db postgres)"; \
		export TEST_DATABASE_URL; \
		go test -race -count=1 -timeout 15m ./...; \
	fi

# make bench: a load benchmark, not a test; it writes docs/benchmarks.md.
# BENCH_DURATION, BENCH_CONNECTIONS… are read from the environment (see cmd/bench).
.PHONY: bench
bench:
	go run ./cmd/bench

.PHONY: generate
generate:
	go tool templ generate

.PHONY: lint
lint:
	go vet ./...
	go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
	@# govulncheck needs its database at vuln.go.dev; v1.9.0 depends on an x/telemetry
	@# version the module proxy refuses, so v1.8.0 it is.
	@if curl -fsS -o /dev/null --max-time 5 https://vuln.go.dev/index/db.json; then \
		go run golang.org/x/vuln/cmd/govulncheck@v1.8.0 ./...; \
	else \
		echo "govulncheck NOT RUN: its database (https://vuln.go.dev) is not reachable from this machine"; \
	fi

FUZZTIME ?= 20s
.PHONY: fuzz
fuzz:
	@for pkg in $$(go list ./...); do \
		for f in $$(go test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$f"; go test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done
