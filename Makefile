# The README's commands. Everything runs inside .venv, which `make` creates on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two installs: what serving needs (run, migrate, seed) and that plus the development tools
# (test, lint, format, openapi, install; CI's .ci/run calls `make install`).
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run install test test-postgres openapi lint format migrate seed check clean loadtest

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

# The dev install includes the runtime one: it marks both done.
$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP) $(DEV_STAMP)

install: $(DEV_STAMP)

## Create the environment, migrate, load Plan 209 and the agencies, serve on $(HOST):$(PORT)
## (HOST=… PORT=… make run; NQ57_ADMIN_API_KEY and the other NQ57_ settings pass through
## the environment).
run: $(STAMP)
	$(BIN)/nq57 db upgrade
	$(BIN)/nq57 seed
	$(BIN)/nq57 serve --host $(HOST) --port $(PORT)

migrate: $(STAMP)
	$(BIN)/nq57 db upgrade

seed: $(STAMP)
	$(BIN)/nq57 seed

## The whole test suite (SQLite unless NQ57_TEST_DATABASE_URL names another database).
test: $(DEV_STAMP)
	$(BIN)/python -m pytest -q

test-postgres: $(DEV_STAMP)
	NQ57_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -q

## 60 s of 80% status reads and 20% batch pushes, 50 clients, on loopback (PostgreSQL).
LOAD_DB_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/nq57_load
loadtest: $(DEV_STAMP)
	$(BIN)/python -m bench.loadtest --database-url $(LOAD_DB_URL)

## Regenerate the committed contract from the app.
openapi: $(DEV_STAMP)
	$(BIN)/nq57 openapi --output openapi/openapi.json

lint: $(DEV_STAMP)
	$(BIN)/ruff check app tests migrations
	$(BIN)/ruff format --check app tests migrations
	$(BIN)/hadolint Dockerfile
	$(BIN)/mypy app

format: $(DEV_STAMP)
	$(BIN)/ruff format app tests migrations
	$(BIN)/ruff check --fix app tests migrations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
