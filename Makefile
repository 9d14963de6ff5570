# community-sim — the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= results

.PHONY: demo test lint format bench figures gallery clean venv mutants

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-install when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

venv: $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/community-sim run experiments/policy_comparison.toml --out $(OUT)/policy_comparison
	$(BIN)/community-sim figures $(OUT)/policy_comparison

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: $(VENV)/.installed-dev
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

test: lint
	$(BIN)/python -m pytest -q

# Plant known bugs in a copy of src/ and check that the tests catch each (tests/mutants.py).
mutants: $(VENV)/.installed-dev
	$(BIN)/python tests/mutants.py

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev,bench]"
	touch $@ $(VENV)/.installed $(VENV)/.installed-dev

bench: $(VENV)/.installed-bench
	$(BIN)/python -m benchmarks

# Every figure of every study whose results exist under $(OUT)/ (never re-runs a model).
figures: $(VENV)/.installed
	@found=0; for d in $(OUT)/*/; do \
	  if [ -f "$$d/runs.parquet" ]; then found=1; \
	    $(BIN)/community-sim figures "$$d" --format pdf,png || exit $$?; fi; \
	done; \
	if [ $$found = 0 ]; then \
	  echo "no results under $(OUT)/: run 'make demo' or 'community-sim run experiments/<study>.toml'"; \
	  exit 2; fi

# The README gallery: docs/img/*.png from the demo's results (runs the demo if they are missing).
gallery: $(VENV)/.installed
	@test -f $(OUT)/policy_comparison/runs.parquet || $(MAKE) demo
	$(BIN)/community-sim figures $(OUT)/policy_comparison --format png --dpi 150 --out docs/img

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
