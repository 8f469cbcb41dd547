# Two commands do all the set-up on a fresh machine: `make book` and `make test`.
# Each creates or updates the local virtual environment (.venv) first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := manuscripts/the-lighthouse-keepers-daughter.md
SLUG := $(basename $(notdir $(SAMPLE)))

.PHONY: book test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# builds the sample book, then proofs its print PDF (dist/<slug>/proof/index.html); fails on a proof error
book: $(BIN)/.installed
	$(BIN)/booksmith build $(SAMPLE)
	$(BIN)/booksmith proof dist/$(SLUG)/$(SLUG)-print.pdf --manuscript $(SAMPLE)

test: $(BIN)/.installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest

# Timings and peak memory on the shared corpus (see README, "Benchmarks"); e.g.
# make bench BENCH_ARGS="--quick --json bench.json", or BENCH_ARGS=--profile.
bench: $(BIN)/.installed
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf dist
