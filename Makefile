# The README's two commands: `make run` and `make test`. Everything else here supports them.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
YOUSE  := $(BIN)/youse
STAMP  := $(VENV)/.installed

.PHONY: run test test-sqlite test-postgres lint format messages clean install

run: install
	YOUSE_DEBUG=1 $(YOUSE) up

test: install lint test-sqlite test-postgres

install: $(STAMP) node_modules/.installed

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest

# Runs the same suite on PostgreSQL when TEST_DATABASE_URL names a server (CI always sets it).
test-postgres: install
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$TEST_DATABASE_URL"; \
		DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest; \
	else \
		echo "== TEST_DATABASE_URL not set: PostgreSQL run skipped"; \
	fi

# Regenerates the translation catalogue from the sources and compiles it.
messages: $(STAMP)
	cd src/youse && ../../$(YOUSE) makemessages -l zh_Hans -l en --no-obsolete --ignore 'node_modules/*'
	cd src/youse && ../../$(YOUSE) compilemessages

clean:
	rm -rf $(VENV) node_modules var/*.sqlite3* var/static
