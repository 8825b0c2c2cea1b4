# Corridor — two commands from a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/pip --disable-pip-version-check
PORT ?= 8000

.PHONY: run test setup lint typecheck check clean messages

$(STAMP): requirements.txt pyproject.toml constraints-build.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q "pip==26.3"
	$(PIP) install -q --build-constraint constraints-build.txt -r requirements.txt
	$(PIP) install -q --build-constraint constraints-build.txt --no-deps -e .
	touch $(STAMP)

# `make run` is the development server (DEBUG=1: plain http on 127.0.0.1, a per-installation key under var/);
# production sets DEBUG=0 and SECRET_KEY itself (docs/security.md).
setup: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/corridor setup

run: setup
	DEBUG=$${DEBUG:-1} PORT=$(PORT) $(BIN)/corridor serve

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy corridor

check: lint typecheck
	$(BIN)/corridor check
	$(BIN)/corridor makemigrations --check --dry-run

messages: $(STAMP)
	$(BIN)/corridor compile_translations

clean:
	rm -rf $(VENV) var staticfiles
