# ct — the two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
PYTEST := $(VENV)/bin/pytest
VENDOR := ct/static/vendor
# Python packages are installed from uv.lock, exactly: uv itself is pinned here and lives in
# a small venv of its own, so `uv sync` never removes the tool that runs it.
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/ct_test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# The SQLite run runs beside the PostgreSQL one: a Redis database of its own.
TEST_SQLITE_REDIS_URL ?= redis://127.0.0.1:6379/12
# On PostgreSQL the owner (TEST_DATABASE_URL) migrates; the app connects as this role,
# which owns nothing and is held by row-level security (created by the migration).
TEST_APP_ROLE ?= ct_app

.PHONY: run test test-postgres test-sqlite setup check-install lock assets translations lint clean \
	bench soak bench-smoke soak-smoke profile

# make run serves on PORT (default 5000); the links in emails follow it unless BASE_URL is set.
PORT ?= 5000
RUN_BASE_URL = $(or $(BASE_URL),http://127.0.0.1:$(PORT))

## Set up everything, migrate the embedded SQLite database, seed the demo company, serve.
## Without REDIS_URL, jobs run inline and the serving process runs the clock (ct/core/clock.py).
run: setup
	@mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) ct seed-demo
	@echo
	@echo "  ct is running on $(RUN_BASE_URL)  (Ctrl+C to stop)"
	@echo
	BASE_URL=$(RUN_BASE_URL) $(FLASK) run --host 127.0.0.1 --port $(PORT)

## The linter, then the whole suite on PostgreSQL + Redis and, at the same time, on
## SQLite: each run spends most of its time waiting (workers, browser, database), so
## side by side they take little more than the longer one. The SQLite run's output
## follows the PostgreSQL one's.
test: setup
	$(MAKE) lint
	@mkdir -p instance
	@$(MAKE) --no-print-directory test-sqlite > instance/test-sqlite.log 2>&1 & sqlite=$$!; \
	$(MAKE) --no-print-directory test-postgres; postgres=$$?; \
	wait $$sqlite; lite=$$?; \
	echo "=== the same suite on SQLite (exit $$lite) ==="; cat instance/test-sqlite.log; \
	test $$postgres -eq 0 -a $$lite -eq 0

test-postgres:
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) TEST_APP_ROLE=$(TEST_APP_ROLE) \
		REDIS_URL=$(TEST_REDIS_URL) $(PYTEST) $(PYTEST_ARGS)

# The browser journeys run once, on PostgreSQL: what they check lives in the browser.
test-sqlite:
	TEST_DATABASE_URL=sqlite REDIS_URL=$(TEST_SQLITE_REDIS_URL) $(PYTEST) --ignore=tests/e2e $(PYTEST_ARGS)

## Load benchmark and soak test (BENCHMARKS.md): PostgreSQL and Redis on this machine.
BENCH_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/ct_bench
BENCH_SMOKE_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/ct_bench_smoke
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/2
BENCH_SCALE ?= 1.0
BENCH_SECONDS ?= 10
SOAK_SECONDS ?= 300
SOAK_CLIENTS ?= 32
SMOKE_SCALE := 0.002
BENCH_ENV = BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL)
SMOKE_ENV = BENCH_DATABASE_URL=$(BENCH_SMOKE_DATABASE_URL) BENCH_REDIS_URL=$(BENCH_REDIS_URL)

bench: setup
	$(BENCH_ENV) $(PY) -m bench.data --scale $(BENCH_SCALE)
	$(BENCH_ENV) $(PY) -m bench.run --seconds $(BENCH_SECONDS)

soak: setup
	$(BENCH_ENV) $(PY) -m bench.data --scale $(BENCH_SCALE)
	$(BENCH_ENV) $(PY) -m bench.soak --seconds $(SOAK_SECONDS) --clients $(SOAK_CLIENTS)

## Where the time of one page view goes (cProfile and its SQL), e.g. PAGE=/t/bench/tiers/
profile: setup
	$(BENCH_ENV) $(PY) -m bench.profile $(PAGE) $(PROFILE_ARGS)

# The same code paths on tiny data, in seconds (CI).
bench-smoke: setup
	$(SMOKE_ENV) $(PY) -m bench.data --scale $(SMOKE_SCALE)
	$(SMOKE_ENV) $(PY) -m bench.run --smoke --seconds 1 --concurrency 1 --export-runs 1

soak-smoke: setup
	$(SMOKE_ENV) $(PY) -m bench.data --scale $(SMOKE_SCALE)
	$(SMOKE_ENV) $(PY) -m bench.soak --seconds 10 --clients 8

setup: $(VENV)/.installed node_modules/.installed assets translations

$(UV):
	test -d $(TOOLS) || python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --locked: stop if uv.lock no longer matches pyproject.toml, instead of resolving anew.
# The sync is exact: a package the lock does not name is removed.
$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --quiet --locked --extra test --python python3
	touch $@

## Fail when the installed packages differ from uv.lock or do not fit together (CI).
check-install: $(VENV)/.installed
	$(UV) sync --locked --extra test --python python3 --check
	$(UV) pip check --python $(VENV)/bin/python

## Refresh uv.lock to the newest versions pyproject.toml allows; say what moved in the CHANGELOG.
lock: $(UV)
	$(UV) lock --upgrade --python python3

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end packages come from the npm registry and are served by the app itself.
assets: node_modules/.installed
	@mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/@picocss/pico/css/pico.min.css $(VENDOR)/pico.min.css

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile -d ct/translations

## Refresh the catalogs after changing visible strings.
extract: $(VENV)/.installed
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k N_ -o ct/translations/messages.pot .
	$(VENV)/bin/pybabel -q update -i ct/translations/messages.pot -d ct/translations --no-fuzzy-matching

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check ct tests bench

clean:
	rm -rf $(VENV) $(TOOLS) node_modules $(VENDOR) instance/ct.sqlite3
