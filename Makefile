# kamerwatch — two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: demo test lint typecheck bench clean install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/kamerwatch demo

test: $(STAMP)
	@# system tools of the tests, installed where possible (root + apt; never `playwright install`):
	@# antiword (.doc), tesseract with Dutch data (OCR), Debian's chromium (browser test),
	@# PostgreSQL server binaries (both engines), axe-core (npm, into .venv/axe: accessibility
	@# check of the browser test). Missing ones are skipped with their name,
	@# except with KAMERWATCH_REQUIRE_TOOLS=1 (CI, .ci/run): then a missing tool fails the run.
	@$(PYTHON) scripts/test_tools.py
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	@# the tests start ~1,000 kamerwatch processes: compiled once here, each start costs
	@# 0.4 s less CPU where PYTHONDONTWRITEBYTECODE is set (CI) and nothing is cached
	$(BIN)/python -m compileall -q src tests >/dev/null
	$(BIN)/python -m pytest -n auto --dist loadgroup -q --durations=25

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/all.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
