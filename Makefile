# Quick start: `make demo` runs the demo, `make test` runs the whole suite.
# Both create .venv and install Varna with pinned dependencies on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The generator of the API client that tests/web/test_generated_client.py drives: in a venv of its
# own, since it pins an older Typer than Varna's CLI.
OPENAPI_CLIENT_VERSION := 0.29.1
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml Makefile | sha1sum | cut -c1-12)

.PHONY: demo test lint bench docs install
install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	bash scripts/install-system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(PYTHON) -m venv $(VENV)/tools/openapi-client
	$(VENV)/tools/openapi-client/bin/pip install --quiet --disable-pip-version-check \
		openapi-python-client==$(OPENAPI_CLIENT_VERSION)
	rm -f $(VENV)/.installed-*
	touch $@

demo: $(STAMP)
	$(BIN)/varna demo --dir demo
	cd demo && ../$(BIN)/varna register check
	cd demo && ../$(BIN)/varna serve --demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	bash scripts/check-services
	$(BIN)/pytest -n 2 --dist loadgroup

# Every benchmark in benchmarks/ at small sizes (each prints its table); see benchmarks/run.py.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Regenerate what is generated from code: the reference pages in docs/ and the CLI help index.
docs: $(STAMP)
	$(BIN)/python -m varna.docs docs
	$(BIN)/python -m varna.cli.lazy
	$(BIN)/ruff format --quiet src/varna/cli/help_index.py
