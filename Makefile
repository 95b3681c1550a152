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
	@echo "make run        start PostgreSQL (project-local unless DATABASE_URL is set), migrate, load demo data, serve http://localhost:8080"
	@echo "make cluster    as make run, but two instances behind nginx on http://localhost:8080 (see README, Deployment)"
	@echo "make organizer ARGS='--email ana@example.org --family-name Puig --given-name Ana'"
	@echo "                create an organizer in make run's database (expodesk organizer create --help lists ARGS)"
	@echo "make test       every test, against a throwaway PostgreSQL and headless Chromium"
	@echo "make test-faults  the fault tests alone: instances behind nginx killed, PostgreSQL restarted under load (not part of make test)"
	@echo "make db-stop    stop the project-local PostgreSQL cluster (make run starts it again, data kept)"
	@echo "make backup [FILE=path]   pg_dump of make run's database (default .local/backups/expodesk-<UTC time>.dump)"
	@echo "make restore FILE=path [CLEAN=1]   restore a backup into make run's database (empty unless CLEAN=1)"
	@echo "make bench      load test against 10,000 generated exhibitors, the booking burst, then make bench-import (see docs/benchmarks.md)"
	@echo "make bench-burst   the window-opening burst alone: 500 companies book 100 slots at once on two instances"
	@echo "make bench-nginx   the directory through nginx in front of two instances, with and without If-None-Match"
	@echo "make bench-import  preview and commit of a 10,000-row exhibitor spreadsheet"
	@echo "make bench-100k    search as you type on 100,000 generated exhibitors (its own section of docs/benchmarks.md)"
	@echo "make generate   regenerate templ components"
	@echo "make lint       go vet, staticcheck, govulncheck"
	@echo "make fuzz       run every fuzz target for FUZZTIME (default 20s each)"

.PHONY: build
build:
	@mkdir -p $(dir $(BIN))
	go build -o $(BIN) ./cmd/expodesk

# make run: with DATABASE_URL unset, a cluster under .local/pg (created on first
# use, reused after) serves the database "expodesk". Its URL names the
# cluster's password file rather than carrying the password, so it is printed
# for copying; make organizer uses the same.
LOCAL_DB = $(DEVENV) db start --dir $(PGDIR) --port $${PGPORT:-54329} --db expodesk --passfile

.PHONY: run
run: build
	@if [ -z "$${DATABASE_URL:-}" ]; then \
		DATABASE_URL="$$($(LOCAL_DB))"; \
		export DATABASE_URL; \
		echo "Using the project-local PostgreSQL in $(PGDIR) (make db-stop stops it):"; \
		echo "  DATABASE_URL='$$DATABASE_URL'"; \
	else \
		echo "Using the PostgreSQL server that DATABASE_URL names."; \
	fi; \
	echo "Create an organizer (in another terminal; the password is asked twice):"; \
	echo "  make organizer ARGS='--email ana@example.org --family-name Puig --given-name Ana'"; \
	echo "  # or: DATABASE_URL='$$DATABASE_URL' $(BIN) organizer create --email ana@example.org --family-name Puig --given-name Ana" \
		| sed -E 's#(://[^:/@]*):[^@]*@#\1:…@#'; \
	exec $(BIN) serve --demo

# make cluster: make run's database (the project-local cluster unless
# DATABASE_URL is set) and demo data, then two `expodesk serve` instances on
# 127.0.0.1:8081 and :8082 behind nginx on 127.0.0.1:8080 (PORT moves them
# all), installed by cmd/devenv if absent. Ctrl-C stops nginx, then the
# instances; the PostgreSQL cluster keeps running, as after make run. devenv
# is built and exec'd rather than `go run`, which exits 1 after a Ctrl-C even
# when its program stopped cleanly.
.PHONY: cluster
cluster: build
	@go build -o .local/bin/devenv ./cmd/devenv
	@if [ -z "$${DATABASE_URL:-}" ]; then \
		DATABASE_URL="$$($(LOCAL_DB))"; \
		export DATABASE_URL; \
		echo "Using the project-local PostgreSQL in $(PGDIR) (make db-stop stops it)."; \
	else \
		echo "Using the PostgreSQL server that DATABASE_URL names."; \
	fi; \
	exec .local/bin/devenv cluster --bin $(BIN) --port $${PORT:-8080} --dir .local/cluster

# make organizer: `expodesk organizer create $(ARGS)` against make run's
# database (the project-local cluster unless DATABASE_URL is set).
.PHONY: organizer
organizer: build
	@if [ -z "$${DATABASE_URL:-}" ]; then \
		DATABASE_URL="$$($(LOCAL_DB))"; \
		export DATABASE_URL; \
	fi; \
	exec $(BIN) organizer create $(ARGS)

# make backup / make restore: `expodesk backup` and `expodesk restore`
# (pg_dump's custom format) against make run's database, the project-local
# cluster unless DATABASE_URL is set. FILE names the dump; a backup's
# default is a new file under .local/backups named by the UTC time. A
# restore wants an empty database; CLEAN=1 replaces what the dump holds.
# pg_dump and pg_restore come with Debian's postgresql-client, installed
# when missing.
BACKUP_DIR := .local/backups

.PHONY: backup
backup: build
	@$(DEVENV) install postgresql-client:pg_dump
	@if [ -z "$${DATABASE_URL:-}" ]; then \
		DATABASE_URL="$$($(LOCAL_DB))"; \
		export DATABASE_URL; \
	fi; \
	file="$(FILE)"; \
	if [ -z "$$file" ]; then file="$(BACKUP_DIR)/expodesk-$$(date -u +%Y%m%dT%H%M%SZ).dump"; fi; \
	exec $(BIN) backup --out "$$file"

.PHONY: restore
restore: build
	@if [ -z "$(FILE)" ]; then \
		echo "make restore needs FILE=path/to/backup.dump (ls $(BACKUP_DIR) lists the backups made here)" >&2; exit 2; \
	fi
	@$(DEVENV) install postgresql-client:pg_restore
	@if [ -z "$${DATABASE_URL:-}" ]; then \
		DATABASE_URL="$$($(LOCAL_DB))"; \
		export DATABASE_URL; \
	fi; \
	exec $(BIN) restore --in "$(FILE)" $(if $(filter 1 true yes,$(CLEAN)),--force)

.PHONY: db-stop
db-stop:
	@if [ -d $(PGDIR) ]; then $(DEVENV) db stop --dir $(PGDIR); fi

# make test: a throwaway cluster unless TEST_DATABASE_URL names a server. The
# cluster is the mktemp folder itself: as root, a folder inside it (mode 0700)
# would be out of the postgres user's reach. The fault tests (internal/cluster,
# build tag faults) run after the others, on the same server: they start
# processes of their own and want the CPUs to themselves.
FAULTS := go test -race -count=1 -timeout 10m -tags faults ./internal/cluster/
TESTS := go test -race -count=1 -timeout 15m ./... && $(FAULTS)

.PHONY: test
test:
	@$(DEVENV) install chromium nginx
	@if [ -n "$${TEST_DATABASE_URL:-}" ]; then \
		$(TESTS); \
	else \
		dir="$$(mktemp -d)"; \
		trap '$(DEVENV) db stop --dir "$$dir" >/dev/null 2>&1 || true; rm -rf "$$dir"' EXIT; \
		TEST_DATABASE_URL="$$($(DEVENV) db start --dir "$$dir" --port 0 --fast --db postgres)"; \
		export TEST_DATABASE_URL; \
		$(TESTS); \
	fi

# make test-faults: the fault tests alone (internal/cluster, build tag
# faults): real expodesk processes behind nginx, an instance killed, SIGTERM
# under a slow request, a hanging webhook receiver, and PostgreSQL (a
# cluster of the test's own) stopped and started under load.
.PHONY: test-faults
test-faults:
	@$(DEVENV) install nginx
	@if [ -n "$${TEST_DATABASE_URL:-}" ]; then \
		$(FAULTS) -v; \
	else \
		dir="$$(mktemp -d)"; \
		trap '$(DEVENV) db stop --dir "$$dir" >/dev/null 2>&1 || true; rm -rf "$$dir"' EXIT; \
		TEST_DATABASE_URL="$$($(DEVENV) db start --dir "$$dir" --port 0 --fast --db postgres)"; \
		export TEST_DATABASE_URL; \
		$(FAULTS) -v; \
	fi

# make bench: a load benchmark, not a test; it writes docs/benchmarks.md.
# BENCH_DURATION, BENCH_CONNECTIONS… are read from the environment (see cmd/bench).
# The page loads come first, then the window-opening burst of bookings.
.PHONY: bench
bench:
	go run ./cmd/bench
	@$(MAKE) --no-print-directory bench-import

# make bench-burst: the window-opening burst alone (and pgbench beside it);
# it rewrites only the burst's section of docs/benchmarks.md.
.PHONY: bench-burst
bench-burst:
	BENCH_ONLY=burst go run ./cmd/bench

# make bench-nginx: the pavilion directory through nginx in front of two
# instances, with and without If-None-Match, beside hello-world direct and
# behind nginx; it rewrites only that section of docs/benchmarks.md.
.PHONY: bench-nginx
bench-nginx:
	@$(DEVENV) install nginx
	BENCH_ONLY=nginx go run ./cmd/bench

# make bench-100k: search as you type on 100,000 generated exhibitors; it
# rewrites only that size's section of docs/benchmarks.md. BENCH_ONLY=misses
# with BENCH_EXHIBITORS=100000 runs every line of the misses at that size.
.PHONY: bench-100k
bench-100k:
	BENCH_EXHIBITORS=100000 BENCH_ONLY=search go run ./cmd/bench

# make bench-import: the spreadsheet import's preview and commit of 10,000
# rows (BenchmarkImport10000), against TEST_DATABASE_URL or a throwaway
# cluster; the figures go by hand into docs/benchmarks.md.
.PHONY: bench-import
bench-import:
	go test -run '^$$' -bench BenchmarkImport10000 -benchtime 3x -count 1 ./internal/service/

.PHONY: generate
generate:
	go tool templ generate

.PHONY: lint
lint:
	@files="$$(gofmt -l cmd internal web)"; if [ -n "$$files" ]; then echo "not gofmt'd: $$files"; exit 1; fi
	@# The faults tag adds the fault tests' files to what the others check.
	go vet -tags faults ./...
	go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 -tags faults ./...
	@# govulncheck needs its database at vuln.go.dev; v1.9.0 depends on an x/telemetry
	@# version the module proxy refuses, so v1.8.0 it is.
	@if curl -fsS -o /dev/null --max-time 5 https://vuln.go.dev/index/db.json; then \
		go run golang.org/x/vuln/cmd/govulncheck@v1.8.0 ./...; \
	else \
		echo "govulncheck NOT RUN: its database (https://vuln.go.dev) is not reachable from this machine"; \
	fi

# make fuzz: every fuzz target (a func Fuzz… in a _test.go file), one after
# another, for FUZZTIME each (a duration, or a count of inputs like 2000x).
# CI runs it with FUZZTIME=2000x: a short search beyond the seeds (which go
# test runs anyway) at every release. A count, because Go 1.26's fuzzing
# coordinator can fail a target with a bare "context deadline exceeded" when
# a duration ends while a worker is mid-input (go.dev/issue/75804, fixed in
# Go 1.27); a count has no deadline to race.
FUZZTIME ?= 20s
.PHONY: fuzz
fuzz:
	@set -e; for file in $$(grep -rlE '^func Fuzz' --include='*_test.go' cmd internal web); do \
		for f in $$(sed -nE 's/^func (Fuzz[A-Za-z0-9_]*)\(.*/\1/p' "$$file"); do \
			echo "fuzz ./$$(dirname "$$file") $$f"; \
			go test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) "./$$(dirname "$$file")"; \
		done; \
	done
