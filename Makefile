# UM Portal — `make run` (demo site) and `make test` (whole suite) are all a new user needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-test run test lint format worker beat bench messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

# The pages' translations (locale/*/LC_MESSAGES/*.po), compiled by gettext's msgfmt.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

%.mo: %.po
	@command -v msgfmt >/dev/null || { echo "Compiling the Spanish pages needs gettext: apt-get install -y gettext"; exit 1; }
	msgfmt --check-format -o $@ $<

messages: $(MO_FILES)

install: $(VENV)/.installed messages

install-test: $(VENV)/.installed-test messages

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --print-logins
	@echo
	@echo "UM Portal is starting at http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-test
	$(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: install
	$(BIN)/celery -A um_portal worker --loglevel=INFO

beat: install
	$(BIN)/celery -A um_portal beat --loglevel=INFO --schedule var/celerybeat-schedule

bench: install-test
	$(BIN)/python -m bench
