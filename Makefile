# community-sim — the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= results

.PHONY: demo test check docs lint format bench figures gallery discovery discovery-figures clean venv mutants

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

# Tests run in two worker processes (pytest-xdist, a module's tests on one worker so its
# fixtures are built once), except the browser test, which drives a live dashboard and runs
# first, alone, so that the other tests' load cannot time its page out.
XDIST := -n 2 --dist loadfile

test: lint
	$(BIN)/python -m pytest -q -m browser
	$(BIN)/python -m pytest -q $(XDIST) -m "not browser"

# The fast loop while working: lint and every test not marked slow (the full suite is `make test`).
# Test by test across the two processes: its tests are short, so shared fixtures cost less here
# than the uneven split of whole modules (61 s by module, 43 s by test, measured).
check: lint
	$(BIN)/python -m pytest -q -n 2 -m "not slow"

# The documentation site (mkdocs.yml, pages in docs/) into site/; `make test` builds it too.
docs: $(VENV)/.installed-dev
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

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

# The gallery (docs/figures.md): docs/img/*.png from the demo's results (runs the demo if they are missing),
# and the scenario-discovery figures when that study's results exist (`make discovery` runs it).
# The ingredient decomposition is redrawn when both ingredient factorials are stored (never run here).
ING := $(OUT)/ingredients $(OUT)/ingredients_project_regime
gallery: $(VENV)/.installed
	@test -f $(OUT)/policy_comparison/runs.parquet || $(MAKE) demo
	$(BIN)/community-sim figures $(OUT)/policy_comparison --format png --dpi 150 --out docs/img
	@if [ -f $(OUT)/$(STUDY)/runs.parquet ]; then $(MAKE) discovery-figures; \
	else echo "no $(OUT)/$(STUDY)/runs.parquet: discovery figures in docs/img left as they are (make discovery)"; fi
	@if [ -f $(OUT)/ingredients/paired_runs.parquet ] && \
	    [ -f $(OUT)/ingredients_project_regime/paired_runs.parquet ]; then \
	  $(BIN)/community-sim ingredients $(ING) --out $(OUT)/ingredients/analysis --format png \
	    --dpi 150 --outputs trial_error_cost_per_hire_weeks_partner partnership_survival_5y \
	    firm_return_per_tie_year skill_match && \
	  cp $(OUT)/ingredients/analysis/ingredients.png docs/img/ingredients.png; \
	else echo "kept docs/img/ingredients.png: no stored ingredient factorials under $(OUT)/" \
	  "(community-sim run experiments/ingredients.toml, then ingredients_project_regime.toml)"; fi

# Scenario discovery study: where does integrated beat project cooperation? Runs (or resumes)
# the study, finds the boxes for cost per hire and for survival, copies the figures to docs/img.
# After a change to the model (same spec, so `run` would find every run done): RUN_FLAGS=--force.
STUDY := where_integration_wins
WORKERS ?= 1
RUN_FLAGS ?=
DISCOVER := $(BIN)/community-sim discover $(OUT)/$(STUDY) --threshold-prob 0.75 --max-boxes 2 --force --dpi 150

$(VENV)/.installed-discovery: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[discovery]"
	touch $@ $(VENV)/.installed

discovery: $(VENV)/.installed-discovery
	$(BIN)/community-sim run experiments/$(STUDY).toml --out $(OUT)/$(STUDY) --workers $(WORKERS) --no-progress $(RUN_FLAGS)
	$(MAKE) discovery-figures

discovery-figures: $(VENV)/.installed-discovery
	$(DISCOVER) --target "diff:trial_error_cost_per_hire_weeks_partner < 0" --out-name cost
	$(DISCOVER) --target "diff:partnership_survival_5y > 0" --out-name survival
	@# a discovery that finds no box draws no limits figure: its old copy is removed, not kept
	for f in cost/tradeoff cost/limits cost/pairs survival/pairs; do \
	  src=$(OUT)/$(STUDY)/discovery/$${f%/*}/figures/$${f#*/}.png; \
	  dst=docs/img/discovery_$${f%/*}_$${f#*/}.png; \
	  if [ -f $$src ]; then cp $$src $$dst || exit $$?; else rm -f $$dst; fi; done

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
