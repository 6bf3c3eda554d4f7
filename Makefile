# Agora — two commands for a newcomer: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PG_URL ?= postgres://postgres@127.0.0.1:5432/agora_test
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist); browser tests run in one, against one live server.
WORKERS ?= 2

.PHONY: install messages migrate run test test-pg test-browser bench lint format clean

$(STAMP): pyproject.toml requirements.lock budget/counting/_mes.c
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"' \
		|| { echo "Agora needs Python 3.11 (Debian 12: apt-get install python3 python3-venv)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	$(PY) -m config.compile_messages

migrate: install
	$(PY) manage.py migrate --noinput

run: migrate
	$(PY) manage.py load_demo
	@echo "Agora : http://$(HOST):$(PORT)/  (Ctrl+C pour arrêter)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -m "not browser" -n $(WORKERS) -p no:cacheprovider

# The slow tests count large Pabulib files with the pure engine (budget/counting),
# which never touches the database: `make test` runs them, this run does not.
test-pg: install
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -m "not browser and not slow" -n $(WORKERS) -p no:cacheprovider

test-browser: install
	bash .ci/browser-deps
	$(PY) -m pytest -m browser -p no:cacheprovider

bench: install
	$(PY) benchmarks/counting.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .test-media .pytest_cache .ruff_cache
	find . -name '*.mo' -path '*/locale/*' -delete
