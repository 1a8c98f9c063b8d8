# The two commands: `make run` (app with demo data on http://127.0.0.1:8000) and `make test`.
# The lock files are compiled for Python 3.11 (as is the Docker image): python3.11 when there is one.
PYTHON ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# One stamp per lock file: `make run` installs only the app's pins, `make test` adds the dev extras on top.
APP_STAMP := $(VENV)/.installed-requirements.txt
DEV_STAMP := $(VENV)/.installed-requirements-dev.txt
# Only pinned, hash-checked files from the lock; no `pip install --upgrade pip`, no version check, nothing else.
PIP_INSTALL := $(BIN)/python -m pip install --disable-pip-version-check --require-hashes
# `make lock`'s own tools, pinned too. pip older than 23.3 drops the dependencies of extras spelled with "_"
# (justext's lxml[html_clean] would lose lxml_html_clean), so the lock is compiled with this pip, not the venv's.
PIP_TOOLS_VERSION ?= 7.6.2
LOCK_PIP_VERSION ?= 26.3

.PHONY: run test install lock worker beat lint lint-imports bench clean

$(BIN)/python:
	@echo "==> Creating $(VENV) with $$($(PYTHON) --version 2>&1) ($(PYTHON); the lock files are for Python 3.11)"
	$(PYTHON) -m venv $(VENV)

# Not editable and no `pip install .`: the code runs from this folder, nothing is packaged.
$(APP_STAMP): requirements.txt | $(BIN)/python
	@echo "==> Installing the app's locked dependencies (requirements.txt) into $(VENV)"
	$(PIP_INSTALL) -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements-dev.txt | $(BIN)/python
	@echo "==> Installing the app's and the dev tools' locked dependencies (requirements-dev.txt) into $(VENV)"
	$(PIP_INSTALL) -r requirements-dev.txt
	@touch $@

install: $(DEV_STAMP)

# DEBUG is off so a newcomer sees the app's own error pages; `DEBUG=true make run` for Django's debug pages.
run: export DEBUG ?= false
run: $(APP_STAMP)
	@echo "==> Migrating the database (db.sqlite3 unless DATABASE_URL is set)"
	$(BIN)/python manage.py migrate --noinput
	@echo "==> Loading the demo data"
	$(BIN)/python manage.py demo
	@echo "==> Serving http://$(HOST):$(PORT)/ with DEBUG=$(DEBUG) (Ctrl-C stops)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(DEV_STAMP) lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=factcheck.settings.test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The architecture's contracts (.importlinter): apps depend one way, pure modules stay pure.
lint-imports: $(DEV_STAMP)
	$(BIN)/lint-imports --no-cache

worker: $(APP_STAMP)
	$(BIN)/celery -A factcheck worker -l info

beat: $(APP_STAMP)
	$(BIN)/celery -A factcheck beat -l info

lint: $(DEV_STAMP)
	$(BIN)/ruff check .

bench: $(DEV_STAMP)
	for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Regenerates requirements.txt ([project].dependencies) and requirements-dev.txt (plus the dev extra, at the same
# versions) from pyproject.toml, with pip-tools from a throwaway venv: pip-tools is never an app dependency.
# Existing pins are kept; `make lock PIP_COMPILE_ARGS=--upgrade` (or `--upgrade-package NAME`) moves them forward.
lock:
	@set -e; \
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
	  || { echo "make lock needs Python 3.11, the version the lock files are for: PYTHON=/path/to/python3.11 make lock"; exit 1; }; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	echo "==> Installing pip $(LOCK_PIP_VERSION) and pip-tools $(PIP_TOOLS_VERSION) into a throwaway venv"; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --disable-pip-version-check --quiet \
	  "pip==$(LOCK_PIP_VERSION)" "pip-tools==$(PIP_TOOLS_VERSION)"; \
	compile="$$tmp/venv/bin/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links $(PIP_COMPILE_ARGS)"; \
	echo "==> Compiling requirements.txt from pyproject.toml (a few minutes: every pinned file's hash is fetched)"; \
	CUSTOM_COMPILE_COMMAND="make lock" $$compile --output-file requirements.txt pyproject.toml; \
	echo "==> Compiling requirements-dev.txt (the dev extra too, the app's packages at the versions just pinned)"; \
	CUSTOM_COMPILE_COMMAND="make lock" $$compile --extra dev --constraint requirements.txt \
	  --output-file requirements-dev.txt pyproject.toml; \
	echo "==> Done: review \`git diff requirements.txt requirements-dev.txt\`, then commit them with pyproject.toml"

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
