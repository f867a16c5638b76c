# The two commands of the README: `make run` starts TiếpDân, `make test` runs every test.
# Both create .venv and install what is missing first, so they work on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench build clean

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

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

build: $(STAMP)
	$(BIN)/python -m pip install -q -e ".[build]"
	$(BIN)/pyinstaller --noconfirm --clean build.spec

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
