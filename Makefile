# The two commands of the README: `make run` starts TiếpDân, `make test` runs every test.
# Both create .venv and install what is missing first, so they work on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-pg lint bench build bundle-smoke clean

# `make test` also runs the service tests on a throw-away PostgreSQL server when one can be had
# (server binaries present, or apt-get to install them) and ARGS does not narrow the run; PG=0
# skips that part, PG=1 requires it. PG_ARGS go to that pytest run (make test-pg PG_ARGS=-x).
PG       ?= auto
PG_ARGS  ?=
PG_STAMP := $(VENV)/.installed-pg

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Cần Python 3.11 trở lên ($(PYTHON)); đặt PYTHON=python3"; exit 1; }
	PYTHON=$(PYTHON) bash scripts/system-deps.sh test
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	bash scripts/system-deps.sh run
	bash scripts/run.sh $(ARGS)

test: $(STAMP)
	bash scripts/system-deps.sh test
	$(BIN)/ruff check .
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q $(ARGS)
	@if [ "$(PG)" = 0 ]; then echo "PostgreSQL tests skipped (PG=0)"; \
	elif [ "$(PG)" = auto ] && [ -n "$(strip $(ARGS))" ]; then echo "PostgreSQL tests skipped (ARGS given; see make test-pg)"; \
	elif [ "$(PG)" = 1 ] || bash scripts/pg_test_server.sh check; then $(MAKE) --no-print-directory test-pg; \
	else echo "PostgreSQL tests skipped: no server binaries and no way to install them (make test-pg)"; fi

$(PG_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e ".[test,postgres]"
	touch $(PG_STAMP)

# The service tests against a real PostgreSQL server started for the run and removed after it.
test-pg: $(PG_STAMP)
	bash scripts/pg_test_server.sh run env QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/services $(PG_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

build: $(STAMP)
	$(BIN)/python -m pip install -q -e ".[build]"
	$(BIN)/pyinstaller --noconfirm --clean build.spec

# The frozen bundle runs every headless job and opens its window (scripts/bundle_smoke.py): a data
# file PyInstaller missed shows here, not on an office's PC. CI runs it after the tests.
bundle-smoke: build
	$(BIN)/python scripts/bundle_smoke.py

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
