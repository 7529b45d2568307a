# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/accountability
# Both cores; files stay whole on one worker so class-level test data is built once.
PYTEST_ARGS ?= -q -n auto --dist loadfile -p no:warnings

.PHONY: run test test-postgres lint install system-deps services demo bench clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

# Front-end libraries from npm (package-lock.json), copied into static/vendor/build.
static/vendor/build/.built: package.json package-lock.json scripts/build-static.mjs
	npm ci --no-audit --no-fund
	npm run --silent build
	touch $@

install: $(BIN)/.installed static/vendor/build/.built

# Debian packages the documents and the browser tests need (Chromium, LibreOffice,
# CJK fonts, poppler, gettext). Installs only what is missing.
system-deps:
	bash scripts/system-deps.sh

# The demo's documents queue their PDFs (one job): Redis must be up to take it.
demo: install system-deps services
	mkdir -p var
	$(BIN)/accountability compilemessages --ignore=.venv -v 0
	$(BIN)/accountability migrate --noinput -v 0
	$(BIN)/accountability seed_demo

services:
	bash scripts/services.sh redis

# The development server and the job worker beside it, supervised together; Ctrl-C stops both.
run: demo services
	$(BIN)/accountability serve --dev $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo --no-cache

test: install system-deps services lint
	mkdir -p var
	$(BIN)/accountability compilemessages --ignore=.venv -v 0
	$(BIN)/accountability rulebook check
	$(BIN)/accountability makemigrations --check --dry-run -v 0
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install system-deps services
	bash scripts/services.sh postgres
	$(BIN)/accountability compilemessages --ignore=.venv -v 0
	DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_ARGS) -m "not browser"

bench: install
	$(BIN)/python bench/assess.py

# Removes the embedded database, uploaded and issued files (var/); keeps the virtualenv.
clean:
	rm -rf var
