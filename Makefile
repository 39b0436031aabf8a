# Two commands on a fresh machine that has only python3:  make demo  and  make test.
# Both create .venv and install the project into it first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SAMPLES := data/samples
EXTRAS ?= dev,workshop,dask

.PHONY: install demo test lint format bench samples screenshot clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $(STAMP)

install: $(STAMP)

SAMPLE_INPUTS := --clients $(SAMPLES)/clients.csv --targets $(SAMPLES)/targets.csv \
	--peers $(SAMPLES)/peers.csv $(SAMPLES)/answers.csv $(SAMPLES)/answers_forms_export.csv

demo: $(STAMP)
	$(BIN)/maturity score $(SAMPLE_INPUTS)
	$(BIN)/maturity batch --out reports $(SAMPLE_INPUTS)
	@echo "Open the portfolio: $(CURDIR)/reports/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

screenshot: $(STAMP)
	$(BIN)/python docs/screenshot.py

bench: $(STAMP)
	$(BIN)/python benchmarks/scoring.py
	$(BIN)/python benchmarks/batch.py

samples: $(STAMP)
	$(BIN)/python $(SAMPLES)/generate.py

clean:
	rm -rf $(VENV) reports .pytest_cache .ruff_cache
