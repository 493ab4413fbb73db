# dlref: every target sets up .venv first (created if missing, reinstalled when
# pyproject.toml or constraints.txt change), so each one works on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.dlref-installed
HOST ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test bench chromium clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "dlref needs Python >= 3.11 ($(PYTHON) is older)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first and pinned, so nothing can pull the multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet -c constraints.txt "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[docs,test]'
	@touch $@

# --dirty: after the first build, an edit re-renders only the page it touches (hooks/exec_cache.py
# re-renders every page after an edit in src/dlref).
serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr $(HOST) --livereload

build: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

# Debian's Chromium for tests/test_browser.py (no browser download: that fails offline).
chromium:
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The lint and type gate first (seconds), then every test, doctest, docs build and browser check.
test: $(STAMP) chromium
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_activations.py
	$(BIN)/python benchmarks/bench_losses.py
	$(BIN)/python benchmarks/bench_conv.py
	$(BIN)/python benchmarks/bench_init.py
	$(BIN)/python benchmarks/bench_layers.py
	$(BIN)/python benchmarks/bench_norm.py
	$(BIN)/python benchmarks/bench_optim.py

# The execution cache lives in .cache/exec; removing it makes the next build run every block.
clean:
	rm -rf site .cache .pytest_cache .hypothesis .mypy_cache .ruff_cache
