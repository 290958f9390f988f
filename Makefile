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
	@# the .doc converter: installed where possible (root + apt), else the DOC tests skip
	@command -v antiword >/dev/null || ( (apt-get install -y -qq antiword || (apt-get update -qq && apt-get install -y -qq antiword)) >/dev/null 2>&1 || echo "antiword niet geïnstalleerd: .doc-tests worden overgeslagen" )
	@# OCR of scanned PDFs: tesseract with Dutch data, installed where possible, else the OCR tests skip
	@(command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx nld) || ( (apt-get install -y -qq tesseract-ocr tesseract-ocr-nld || (apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-nld)) >/dev/null 2>&1 || echo "tesseract met Nederlandse taaldata niet geïnstalleerd: OCR-tests worden overgeslagen" )
	@# the browser of the browser test: Debian's chromium where possible (never `playwright install`)
	@command -v chromium >/dev/null || ( (apt-get install -y -qq chromium || (apt-get update -qq && apt-get install -y -qq chromium)) >/dev/null 2>&1 || echo "chromium niet geïnstalleerd: de browsertest wordt overgeslagen" )
	@# PostgreSQL server binaries for the tests on both engines (a throwaway server per run)
	@(ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null) || ( (apt-get install -y -qq postgresql || (apt-get update -qq && apt-get install -y -qq postgresql)) >/dev/null 2>&1 || echo "PostgreSQL niet geïnstalleerd: de PostgreSQL-tests worden overgeslagen" )
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/all.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
