# The project's verbs. `make run` and `make test` work on a fresh machine with Python 3.12+.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The first Python of 3.12 or newer on PATH; PYTHON=... overrides.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then command -v $$p; break; fi; done)

.PHONY: run test conformance editor reviewer lint format migrations-check check clean bench

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "This project needs Python 3.12 or newer, and none was found on PATH." >&2; \
		echo "Install one (for example with pyenv: 'pyenv install 3.12'), or point to it: make run PYTHON=/path/to/python3.12" >&2; \
		exit 1; fi
	@echo "Creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
		echo "$(VENV) was made with $$($(BIN)/python --version); this project needs 3.12+. Remove $(VENV) and run again." >&2; exit 1; }
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.runtime-installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

run: $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_seed --if-empty
	$(BIN)/python manage.py collectstatic --no-input -v0
	@echo
	@echo "Editors: create your account with 'make editor', then log in at http://127.0.0.1:$(PORT)/admin/"
	@echo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# make editor NAME=alice: the password from DJANGO_EDITOR_PASSWORD, or from standard input with
# PASSWORD_STDIN=1 (printf '%s\n' "$$pw" | make editor NAME=alice PASSWORD_STDIN=1), or asked for.
ADD_EDITOR = $(BIN)/python manage.py add_editor $(if $(NAME),'$(NAME)') $(if $(PASSWORD_STDIN),--password-stdin)

editor: $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --no-input
	$(ADD_EDITOR)

reviewer: $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --no-input
	$(ADD_EDITOR) --reviewer

# axe-core for the browser tests' accessibility audits (Chromium itself: apt-get install chromium).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "npm is missing, so the accessibility tests will skip (in CI they fail): apt-get install npm" >&2; \
		[ "$$CI" != true ]; \
	else \
		npm ci --no-audit --no-fund && touch $@; \
	fi

test: $(VENV)/.dev-installed node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Standards' schemas and peers' test cases kept beside the clone (CONFORMANCE_DIR, by default
# ../shared/conformance); a user's clone has none, so this is not part of `make test`.
conformance: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -n 0 conformance

# Every public page at 100,000 and 1,000,000 synthetic quotes, on SQLite and PostgreSQL, served by
# gunicorn and driven by wrk (bench/pages.py); then the quote checker on a 5,000-word text at
# the same sizes (bench/checking.py). BENCH_ARGS='--quick' for a smoke run of both.
bench: $(VENV)/.runtime-installed
	$(BIN)/python -m bench.pages $(BENCH_ARGS)
	$(BIN)/python -m bench.checking $(BENCH_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(VENV)/.runtime-installed
	$(BIN)/python manage.py makemigrations --check --dry-run

check: $(VENV)/.runtime-installed
	$(BIN)/python manage.py check

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
