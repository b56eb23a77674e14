# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.db
DEMO_PEOPLE ?= 2000
PORT ?= 8765

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The app with its meaning model (for `make run`), and with the test tools too (for `make test`):
# the test extra brings Playwright, schemathesis and Radicale, the CardDAV/CalDAV server the sync tests start.
$(BIN)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[meaning]'
	touch $@

$(BIN)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,meaning]'
	touch $@ $(BIN)/.installed

# Set up, fill a demo network (once), show today's list, and start the web UI (`make run PORT=9000`).
run: $(BIN)/.installed
	@test -f $(DEMO_DB) || $(BIN)/knowwho demo --people $(DEMO_PEOPLE) --db $(DEMO_DB)
	$(BIN)/knowwho today --db $(DEMO_DB)
	@echo "The command line: $(BIN)/knowwho --db $(DEMO_DB) today (or: source $(BIN)/activate; knowwho --db $(DEMO_DB) today)"
	$(BIN)/knowwho serve --db $(DEMO_DB) --port $(PORT)

lint: $(BIN)/.installed-test
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy

# axe-core, the accessibility engine the browser tests run on every page: from npm, into a folder git ignores.
AXE := artifacts/npm/node_modules/axe-core/axe.min.js
$(AXE):
	@if command -v npm >/dev/null; then npm install --no-save --no-package-lock --no-audit --no-fund --prefix artifacts/npm axe-core; \
	else echo "npm is missing: the accessibility tests will be skipped"; fi

# Set up and run everything: lint, types, unit, CLI, API and browser tests (with axe-core when npm is there).
test: lint $(AXE)
	@$(BIN)/python -c 'import radicale' 2>/dev/null || { echo "Radicale is missing from $(VENV): run 'rm -r $(VENV) && make test'"; exit 1; }
	$(BIN)/python -m pytest

bench: $(BIN)/.installed-test
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm artifacts bench/data
