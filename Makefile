# The two commands: `make run` (app with demo data on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install worker beat lint bench clean

# Installs the dependencies (not editable: the code runs from this folder, nothing is packaged).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=factcheck.settings.test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

worker: $(STAMP)
	$(BIN)/celery -A factcheck worker -l info

beat: $(STAMP)
	$(BIN)/celery -A factcheck beat -l info

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
