# Two commands for a newcomer: `make run` and `make test`. Everything else is a step of those.
VENV := .venv
PY := $(VENV)/bin/python
STAMP_PY := $(VENV)/.installed
STAMP_NPM := node_modules/.installed
BUILT_CSS := build/static/css/app.css

.PHONY: run test setup lint format check-deploy bench clean

setup: $(STAMP_PY) $(BUILT_CSS)

$(STAMP_PY): pyproject.toml
	test -x $(PY) || "$$(bin/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

$(STAMP_NPM): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(BUILT_CSS): $(STAMP_NPM) frontend/app.scss frontend/build.mjs
	npm run --silent build

## Start embedded PostgreSQL and Redis (unless DATABASE_URL/REDIS_URL are set), migrate, load demo data,
## and run the web server, a Celery worker and Celery beat. Ctrl-C stops everything.
run: setup
	$(PY) -m config.stack run

## Lint, check and run the whole test suite (embedded servers unless DATABASE_URL/REDIS_URL are set),
## the browser tests included (Debian's chromium is installed with apt where missing).
## `make test BROWSER=no` skips the browser tests; PYTEST_ARGS go to pytest.
BROWSER ?= yes
test: setup
ifeq ($(BROWSER),no)
	$(PY) -m config.stack test -m "not browser" $(PYTEST_ARGS)
else
	bin/ensure-chromium
	$(PY) -m config.stack test $(PYTEST_ARGS)
endif

## Benchmarks: a large fictional authority (BENCH_PUPILS, default 1,000,000) in its own database.
bench: setup
	$(PY) -m config.stack bench

lint:
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules build staticfiles var
