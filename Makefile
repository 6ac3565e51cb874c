# Two commands for a newcomer: `make demo` and `make test`. Only python3 (3.11+) is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: setup demo test lint test-sqlite test-postgres bench clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv

$(VENV)/.synced: pyproject.toml uv.lock | $(BIN)/uv
	$(BIN)/uv sync --frozen --quiet
	@touch $@

setup: $(VENV)/.synced

demo: setup
	$(BIN)/emporos demo

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	EMPOROS_DATABASE_URL= $(BIN)/python manage.py makemigrations --check --dry-run

# SQLite always; PostgreSQL too when EMPOROS_TEST_DATABASE_URL is set (then the tests that need
# PostgreSQL run only in that pass).
test: lint test-sqlite test-postgres

test-sqlite: setup
	EMPOROS_DATABASE_URL= $(BIN)/pytest $(if $(EMPOROS_TEST_DATABASE_URL),-m "not postgres") $(PYTEST_ARGS)

test-postgres: setup
	@if [ -n "$(EMPOROS_TEST_DATABASE_URL)" ]; then \
		echo "== the whole suite again on PostgreSQL =="; \
		EMPOROS_DATABASE_URL="$(EMPOROS_TEST_DATABASE_URL)" $(BIN)/pytest $(PYTEST_ARGS); \
	else \
		echo "EMPOROS_TEST_DATABASE_URL is not set: the PostgreSQL pass is skipped (see README)."; \
	fi

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
