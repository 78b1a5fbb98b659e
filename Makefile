# Quick start: `make run` (the app on SQLite with demo data) and `make test` (the whole suite).
# The system's python3 when it is 3.11+ (built with PGO and LTO: the app runs 12-20 % faster on it than
# on an unoptimised build such as pyenv's), else the PATH's; see scripts/pick-python. PYTHON=... overrides.
PYTHON ?= $(shell scripts/pick-python)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run setup setup-dev system test lint pytest chromium bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

setup: system $(VENV)/.installed

setup-dev: system $(VENV)/.installed-dev

## system: the system libraries PDF files need (Pango, HarfBuzz's subsetter, DejaVu fonts), if missing
system:
	@scripts/ensure-system-packages

## run: set up, migrate, load the demo plan and serve it at http://$(HOST):$(PORT)/
run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "  Open http://$(HOST):$(PORT)/ and sign in with one of the logins above."
	@echo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: set up, lint, check migrations, and run every test (see README for PostgreSQL/Redis)
test: setup-dev chromium lint pytest

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

pytest: setup-dev
	$(BIN)/python -m pytest

chromium:
	@scripts/ensure-chromium

## bench: the figures in bench/ (not timed tests); installs the bench-only comparison packages
bench: setup-dev
	$(BIN)/python -m pip install -q -r requirements-bench.txt
	$(BIN)/python bench/list_pages.py
	$(BIN)/python bench/imports.py
	$(BIN)/python bench/extracts.py
	$(BIN)/python bench/kpis.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/load.py --seed

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
