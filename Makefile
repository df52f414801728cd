# The project's command menu. `make run` and `make test` are all a new developer needs.
# The newest supported Python found (python3.14 … python3.11 on the PATH, then python3); `make run PYTHON=...` chooses.
SUPPORTED_PYTHONS := 3.14 3.13 3.12 3.11
PYTHON ?= $(firstword $(foreach version,$(SUPPORTED_PYTHONS),$(shell python$(version) -c '' 2>/dev/null && command -v python$(version))) \
	$(shell python3 -c 'import sys; sys.exit(not (3, 11) <= sys.version_info < (3, 15))' 2>/dev/null && command -v python3))
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=
export DJANGO_SETTINGS_MODULE := nps.settings

.PHONY: run test test-browser lint fix assets setup clean bench

$(BIN)/nps: pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "No Python 3.11 to 3.14 found: install one (Debian and Ubuntu: sudo apt install python3 python3-venv), or name it: make run PYTHON=/path/to/python3.13"; exit 1; }
	@echo "== 1/3 Making the virtual environment $(VENV) with $$($(PYTHON) --version) ($(PYTHON))"
	$(PYTHON) -m venv $(VENV)
	@echo "== 2/3 Updating pip"
	$(BIN)/python -m pip install --progress-bar on --upgrade pip
	@echo "== 3/3 Installing NPS Toolkit and its pinned dependencies (a minute or two the first time)"
	$(BIN)/python -m pip install --progress-bar on -c constraints.txt -e '.[dev]'
	touch $@

setup: $(BIN)/nps
	@echo "== Making or updating the database"
	$(BIN)/nps migrate --no-input
	@echo "== Loading the councils and the strategy"
	$(BIN)/nps setup
	@echo "== Making the demonstration accounts and rounds"
	$(BIN)/nps demo

run: setup ## Install, load the strategy, the councils and the demonstration data, then serve
	@echo "Serving at http://127.0.0.1:$(PORT)  (sign in with a demonstration account above)"
	SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/nps runserver 127.0.0.1:$(PORT)

test: $(BIN)/nps ## Run every test (browser tests skip locally when Chromium is missing); PYTEST_ARGS narrows them
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/nps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy nps

fix: $(BIN)/nps
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(BIN)/nps ## Benchmark at 10,000 councils x 10 rounds on SQLite and PostgreSQL, with gunicorn and wrk (see bench/README.md)
	$(BIN)/python bench/run.py

assets: ## Rebuild the GOV.UK front-end assets (needs Node and npm)
	npm ci
	npm run build

clean:
	rm -rf $(VENV) var staticfiles
