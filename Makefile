# Regiomonitor: the README names two commands, `make demo` and `make test`; the rest are parts.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

## Measure page latency under concurrent users (not part of `make test`).
bench: setup
	scripts/services.sh start
	$(PY) scripts/bench.py

.PHONY: demo test bench backup restore setup system-deps system-deps-browser venv assets messages static services stop lint format check

## Back up the database and MEDIA_ROOT into backups/<timestamp>/ (pg_dump, tar, SHA-256 manifest).
backup:
	scripts/backup.sh

## Restore the newest backup (or BACKUP=backups/<timestamp>) into an empty database; FORCE=1 replaces.
restore:
	scripts/restore.sh $(BACKUP)

## Run the application with demo data (starts private PostgreSQL/Redis unless URLs are set).
demo: setup
	scripts/demo.sh

## Run the whole test suite on real PostgreSQL, Redis, Celery and Chromium.
test: system-deps-browser setup
	scripts/test.sh

setup: system-deps venv assets messages static

system-deps:
	scripts/install-system-deps.sh

system-deps-browser:
	scripts/install-system-deps.sh --browser

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

assets: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: venv
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

static: venv assets
	$(PY) manage.py collectstatic --noinput -v0

services:
	scripts/services.sh start

stop:
	scripts/services.sh stop

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: venv
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

check: venv
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
