# Two commands on a fresh machine that has only python3:  make demo  and  make test.
# Both create .venv and install the project into it first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SAMPLES := data/samples
EXTRAS ?= dev,workshop,dask

.PHONY: install demo test lint format bench samples screenshot clean wheel-check

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
	# The questionnaires that collect such answers (issue 14), next to the reports; after the
	# batch, which writes only into a folder that is new or its own.
	$(BIN)/maturity questionnaire --clients $(SAMPLES)/clients.csv --lang en --lang ar \
		--format xlsx --format xlsform --out reports/questionnaires
	@echo "Open the portfolio: $(CURDIR)/reports/index.html"
	@echo "Questionnaires (XLSX, XLSForm; en, ar): $(CURDIR)/reports/questionnaires/"

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The wheel carries the notebooks and the sample portfolio: build it, install it in a new venv
# outside the repository, and render the packaged samples from an empty folder.
wheel-check: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist . >/dev/null
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PYTHON) -m venv "$$tmp/venv" && \
	"$$tmp/venv/bin/python" -m pip install --quiet dist/*.whl && \
	mkdir "$$tmp/empty" && cd "$$tmp/empty" && \
	"$$tmp/venv/bin/maturity" batch --samples --out reports -q && \
	test "$$(ls reports/*/report.html | wc -l)" -eq 12 && test -f reports/index.html && \
	echo "wheel-check: the installed wheel rendered every sample report from an empty folder"

screenshot: $(STAMP)
	$(BIN)/python docs/screenshot.py

bench: $(STAMP)
	$(BIN)/python benchmarks/scoring.py
	$(BIN)/python benchmarks/batch.py

samples: $(STAMP)
	$(BIN)/python $(SAMPLES)/generate.py

clean:
	rm -rf $(VENV) reports .pytest_cache .ruff_cache
