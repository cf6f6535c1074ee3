# iPVB: the two commands of the quick start are `make run` and `make test`.
# The interpreter of the virtualenv: the distribution's own CPython when it has one of a
# supported version, built with profile-guided and link-time optimisation as the official
# python:3.11 image of the Dockerfile is; a self-compiled one (pyenv's default build) runs this
# application 12-15 % slower (docs/performance.md, "Load test, fifth round"). Else python3.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.13 /usr/bin/python3.12 /usr/bin/python3.11) python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
# Two test processes (pytest-xdist); tests that share costly set-up run in one (tests/conftest.py).
PYTEST_ARGS ?= -n 2 --dist loadgroup
TYPED := ipvb clients costing catalog conversations reporting family

.PHONY: run test install migrate demo serve lint typecheck schema messages compilemessages benchmark loadtest clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# With DATABASE_OWNER_URL (PostgreSQL, two roles): creates the app role and its grants, then
# migrates as the owner (docs/security.md). With one database URL or SQLite: just migrates.
migrate: install compilemessages
	$(PY) manage.py setup_db_roles
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# Sets up, migrates, loads the demo data and serves the app with its background work.
run: demo
	HOST=$(HOST) PORT=$(PORT) PY=$(PY) bash scripts/serve.sh

# The full suite against PostgreSQL and Redis, with two roles: the owner (DATABASE_OWNER_URL,
# default postgres@127.0.0.1) creates and migrates the test database, the tests connect as the
# app role (DATABASE_URL, default ipvb_app, created by tests/conftest.py) under row-level security.
# The gates come first and fail fast: migrations in step with the models, ruff (lint and
# format), mypy at zero errors; then the suite.
test: install
	$(PY) manage.py makemigrations --check --dry-run --settings=ipvb.settings.test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy $(TYPED)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: install
	$(PY) -m mypy $(TYPED)

schema: install
	$(PY) manage.py spectacular --file docs/openapi.yaml --validate --settings=ipvb.settings.test

# The standard gettext workflow: collect the Dutch source strings into the English .po, translate
# there (new and changed entries arrive empty or fuzzy; a test fails on either), then compile.
messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=staticfiles --ignore=tests --no-obsolete
	$(MAKE) compilemessages

# Compiles locale/*/LC_MESSAGES/django.po into .mo (gettext's msgfmt). The .mo is committed too,
# so a machine without gettext still serves English; a test checks the two agree.
compilemessages: install
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages --ignore=.venv --ignore=staticfiles; \
	else echo "gettext (msgfmt) is not installed: using the committed .mo"; fi

# The hot paths, ending with the performance budget of issue 16 (one table, PASS/FAIL per
# target, at 1 and 8 connections against gunicorn; exit status 1 on a FAIL). PostgreSQL:
# DATABASE_URL=postgres://postgres@127.0.0.1:5432/ipvb_bench make benchmark (docs/performance.md).
# The monthly batch of transparency reports (scripts/benchmark_batch.py) is part of it:
# BENCH_BATCH=0 leaves it out.
# Three interleaved rounds of the batch (baseline, 1 worker, 2 workers), medians: one round's
# ratios moved by a quarter between runs on this shared machine.
BENCH_BATCH ?= 1
BENCH_BATCH_ARGS ?= --repeat 3
benchmark: install
	IPVB_BENCH_BATCH=$(BENCH_BATCH) IPVB_BENCH_BATCH_ARGS="$(BENCH_BATCH_ARGS)" $(PY) scripts/benchmark.py

# 150 requests/s of a realistic mix for 5 minutes against gunicorn on loopback, on a database
# with generated organisations (DATABASE_URL: its owner). LOADTEST_ARGS="--short" for 20 s.
LOADTEST_ARGS ?=
loadtest: install
	$(PY) scripts/loadtest.py $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) demo.sqlite3 staticfiles
