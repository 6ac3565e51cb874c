# Two commands for a newcomer: `make demo` and `make test`. Only python3 (3.11+) is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: setup demo test lint test-sqlite test-postgres bench clean messages

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

# For translators: refresh the catalogs from the code (needs GNU gettext), then compile them.
# The compiled .mo files are committed, so a fresh machine needs no gettext.
messages: setup
	cd src/emporos && DJANGO_SETTINGS_MODULE=emporos.config.settings ../../$(BIN)/django-admin makemessages \
		--locale el --locale pl --locale he --no-obsolete --no-location --ignore "demo/*"
	$(BIN)/python -m emporos.locale.compile

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
