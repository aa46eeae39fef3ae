# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run    create .venv from requirements.lock, then run the pipeline on the bundled data
#   make test   create .venv from requirements.lock, then run the test suite
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
CORES  ?= 2
STAMP  := $(VENV)/.installed

.PHONY: run test setup lint lock benchmark synthetic clean screenshots

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/snakemake --cores $(CORES)

test: $(STAMP)
	$(BIN)/python -m pytest

benchmark: $(STAMP)
	$(BIN)/python scripts/benchmark.py

# Full-page PNGs of every report in results/ at 1280 px width, into screenshots/ (headless Chromium, the
# system's package: apt-get install chromium).
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py --results results --out screenshots

# Regenerate (and self-check) the bundled synthetic cohorts under data/raw/.
synthetic: $(STAMP)
	$(BIN)/python -m workforce_eval.synthetic --out data/raw

# The same checks run in the test suite (tests/unit/test_lint.py), so CI runs them too.
lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks workflow/scripts notebooks
	$(BIN)/ruff format --check src tests scripts benchmarks workflow/scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/snakemake --lint
	$(BIN)/snakefmt --check workflow

# Re-resolve requirements.in into requirements.lock in a throw-away environment.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -r requirements.in
	{ sed -n '1,3p' requirements.lock; .lock-venv/bin/python -m pip freeze --exclude-editable; } > requirements.lock.new
	mv requirements.lock.new requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf results .snakemake
