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

setup: $(STAMP)
	$(BIN)/corridor setup

run: setup
	PORT=$(PORT) $(BIN)/corridor serve

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
