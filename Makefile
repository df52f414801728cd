# The project's command menu. `make run` and `make test` are all a new developer needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=
export DJANGO_SETTINGS_MODULE := nps.settings

.PHONY: run test test-browser lint fix assets setup clean bench

$(BIN)/nps: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

setup: $(BIN)/nps
	$(BIN)/nps migrate --no-input
	$(BIN)/nps setup
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
