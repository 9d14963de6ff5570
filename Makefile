# community-sim — the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= results

.PHONY: demo test lint format bench figures gallery clean venv

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
# The ingredient decomposition is redrawn when both ingredient factorials are stored (never run here).
ING := $(OUT)/ingredients $(OUT)/ingredients_project_regime
gallery: $(VENV)/.installed
	@test -f $(OUT)/policy_comparison/runs.parquet || $(MAKE) demo
	$(BIN)/community-sim figures $(OUT)/policy_comparison --format png --dpi 150 --out docs/img
	@if [ -f $(OUT)/ingredients/paired_runs.parquet ] && \
	    [ -f $(OUT)/ingredients_project_regime/paired_runs.parquet ]; then \
	  $(BIN)/community-sim ingredients $(ING) --out $(OUT)/ingredients/analysis --format png \
	    --dpi 150 --outputs trial_error_cost_per_hire_weeks partnership_survival_5y \
	    enterprise_net_benefit_per_apprentice skill_match && \
	  cp $(OUT)/ingredients/analysis/ingredients.png docs/img/ingredients.png; \
	else echo "kept docs/img/ingredients.png: no stored ingredient factorials under $(OUT)/" \
	  "(community-sim run experiments/ingredients.toml, then ingredients_project_regime.toml)"; fi

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
