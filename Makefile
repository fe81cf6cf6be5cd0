# cxresearch — two commands: `make report` and `make test`. `make help` lists all.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
export PATH := $(BIN):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export DVC_NO_ANALYTICS := 1

.DEFAULT_GOAL := help
.PHONY: help setup bytecode report test lab clean lock strip bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install the pinned dependencies (requirements.lock)

# Our package's bytecode, compiled ahead (a no-op when up to date). Where PYTHONDONTWRITEBYTECODE is set,
# Python never caches it, and every stage's process and kernel compiles the modules it imports from source
# again (the whole package takes 0.2 s to compile, training banks aside). __pycache__ is in .gitignore and
# .dvcignore.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q cxresearch

report: $(STAMP) bytecode ## run the whole pipeline on params.yaml's data (dvc repro) and print the report path
	@test -d .git || git init -q
	$(BIN)/dvc repro
	@echo "Report: $(CURDIR)/reports/index.html"

# Browser tests drive Debian's Chromium through Playwright (its own browser download is not used).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

test: $(STAMP) bytecode $(CHROMIUM) ## run the test suite (unit, end-to-end pipeline, headless-browser checks of the reports)
	$(BIN)/python -m pytest -q

bench: $(STAMP) bytecode ## benchmarks (not tests): the whole pipeline per stage on the example, 100k and 1M responses (reports/bench.json)
	$(BIN)/python benchmarks/pipeline.py example 100k 1m
	$(BIN)/python benchmarks/model_stage.py 1000000 300

lab: $(STAMP) ## open JupyterLab on the notebooks (jupytext .py notebooks open as notebooks)
	CXRESEARCH_ROOT=$(CURDIR) $(BIN)/jupyter lab --notebook-dir=$(CURDIR)/notebooks

strip: $(STAMP) ## strip outputs from any .ipynb under notebooks/
	@find notebooks -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -print0 | xargs -0 -r $(BIN)/nbstripout

lock: ## re-resolve dependencies into requirements.lock and environment.yml
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet "setuptools>=68" wheel
	.lockenv/bin/python -m pip install --quiet --no-build-isolation ".[dev]"
	.lockenv/bin/python -m pip freeze --all --exclude cxresearch --exclude pip | LC_ALL=C sort -f > requirements.lock
	.lockenv/bin/python .ci/lock.py requirements.lock environment.yml
	rm -rf .lockenv

clean: ## remove generated data, reports and caches (keeps .venv and data/example)
	rm -rf data/interim data/processed reports .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
