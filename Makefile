# The README's two commands are `make run` and `make test`; the rest are helpers.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Where `make test` writes its JUnit report (read by `make catalogue`).
JUNIT ?= test-results/junit.xml

.DEFAULT_GOAL := help
.PHONY: help run serve test test-fast check lint format messages worker beat bench clean setup catalogue

help:
	@echo "make run    install, migrate, seed the demo and serve on http://$(HOST):$(PORT)"
	@echo "make test   install what the tests need and run the whole suite"
	@echo "make check  manage.py checks, migrations check and ruff"
	@echo "make catalogue  the security catalogue's rows covered by the last test runs"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

# The settings derive SITE_URL (links in certificates, QR codes, e-mails)
# from HOST and PORT, so the demo is seeded and served with the same ones.
SERVED := HOST=$(HOST) PORT=$(PORT)

run: setup
	$(SERVED) $(PY) manage.py migrate --noinput
	$(SERVED) $(PY) manage.py seed_demo
	$(SERVED) $(PY) manage.py runserver $(HOST):$(PORT)

serve: setup
	$(SERVED) $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest --junitxml=$(JUNIT) $(PYTEST_ARGS)

test-fast: setup
	$(PY) -m pytest -m "not browser and not services" -x -q $(PYTEST_ARGS)

check: setup
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

lint: check

catalogue: setup
	$(PY) security/catalogue.py $(CATALOGUE_ARGS)

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Rebuild the message catalogues after changing translatable strings (needs GNU gettext).
# Every language of the region (settings.ALL_LANGUAGES) has its catalogues.
LOCALES := ru uk sr sr_Latn ka sq hy ro az kk ky uz tg bs hr cnr mk tr
messages: setup
	$(PY) manage.py makemessages $(addprefix -l ,$(LOCALES)) --no-obsolete --ignore='.venv/*' --ignore='node_modules/*' --ignore='tests/*' --ignore='bench/*' --ignore='static_collected/*'
	$(PY) manage.py catalogues --serbian-latin
	$(PY) manage.py compilemessages --ignore='.venv/*' --ignore='node_modules/*' --ignore='bench/*'
	$(PY) manage.py catalogues

worker: setup
	$(VENV)/bin/celery -A training_platform worker --loglevel=INFO --concurrency=2

beat: setup
	$(VENV)/bin/celery -A training_platform beat --loglevel=INFO

# Load benchmark on loopback (not part of `make test`; see bench/README.md):
# `make bench`, `make bench BENCH_ARGS=--quick` (smoke) or `BENCH_ARGS=--large`.
bench: setup
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules db.sqlite3 media static_collected
