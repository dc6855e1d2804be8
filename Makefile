# coalition — `make run` serves the site with the Paris fixtures; `make test` runs the whole suite.
# Needs only Python 3.11+ on the machine: everything else is installed into .venv.

PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8000
HOST   ?= 127.0.0.1
BIN     = $(VENV)/bin
MANAGE  = $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help run test lint check serve benchmark loadtest clean

help:
	@echo "make run   — set up (virtualenv, database, fixtures, admin account) and serve on http://$(HOST):$(PORT)/"
	@echo "make test  — install the test dependencies and run the whole suite (DATABASE_URL picks the database)"
	@echo "make benchmark — time every page on the database DATABASE_URL names (ONLY=text to pick pages)"
	@echo "make loadtest  — load every public page of the server at http://$(HOST):$(PORT)/ (make serve), 10 s each"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "coalition needs Python 3.11 or newer; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[test]"
	@touch $@

run: export DJANGO_DEBUG ?= 1
run: $(VENV)/.installed
	$(MANAGE) migrate --noinput
	$(MANAGE) load_seed_data
	$(MANAGE) ensure_admin
	@echo "coalition is at http://$(HOST):$(PORT)/ — the editing interface at http://$(HOST):$(PORT)/admin/"
	$(MANAGE) runserver $(HOST):$(PORT)

# Two workers (pytest-xdist): the suite is CPU-bound and the machines it runs on have two cores. `--dist load`
# (the default) keeps pytest-django's order on each worker, so transactional tests still come after the others.
TEST_WORKERS ?= 2

test: $(VENV)/.installed
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .

# Production-style serving: gunicorn, static files through whitenoise. Needs DJANGO_SECRET_KEY
# and DJANGO_ALLOWED_HOSTS in the environment.
serve: $(VENV)/.installed
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput -v0
	$(BIN)/gunicorn coalition.wsgi --bind $(HOST):$(PORT) --workers 2

# Figures, not assertions: see "Benchmarks and load" in the README.
benchmark: $(VENV)/.installed
	$(MANAGE) benchmark_pages --runs 3 $(if $(ONLY),--only "$(ONLY)")

loadtest: $(VENV)/.installed
	$(MANAGE) loadtest --url http://$(HOST):$(PORT) --duration 10 --connections 20 $(if $(ONLY),--only "$(ONLY)")

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache build *.egg-info
