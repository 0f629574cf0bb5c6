# The two commands of the README: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
DEMO_PORT ?= 8000

.PHONY: demo test services services-stop bench lint messages venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $@

## Build a demo of two unions on SQLite and serve it on http://127.0.0.1:$(DEMO_PORT)/
demo: venv
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py migrate --noinput -v0
	@if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py compilemessages -v0 --ignore=.venv; fi
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py seed_demo --port $(DEMO_PORT)
	@# The test OpenID provider (Node): strong sign-in with test identities; without Node the
	@# demo keeps password sign-in only. It stops with the server (and at the next start).
	@bin/services stop var/demo-oidc >/dev/null 2>&1 || true
	@bin/install-system-deps --oidc-only && bin/services start-oidc var/demo-oidc \
		|| echo "Strong identification is unavailable (no Node.js 20): password sign-in only."
	@echo "Serving on http://127.0.0.1:$(DEMO_PORT)/ (union sites on http://<slug>.localhost:$(DEMO_PORT)/). Ctrl-C stops."
	@trap 'bin/services stop var/demo-oidc >/dev/null 2>&1 || true' EXIT; \
		if [ -s var/demo-oidc/env ]; then source var/demo-oidc/env; fi; \
		export DJANGO_SETTINGS_MODULE=portal.settings.dev; \
		$(PY) manage.py connect_demo_identity --port $(DEMO_PORT) \
		&& $(PY) manage.py runserver 127.0.0.1:$(DEMO_PORT)

## Install everything, start throwaway PostgreSQL and Elasticsearch, run the whole suite, stop them
test: venv
	bin/install-system-deps
	bin/run-tests

## Start the same services for development; prints the environment to use them
services:
	bin/install-system-deps
	bin/services start var/services
	@echo "Use them with:  source var/services/env   (stop with: make services-stop)"

services-stop:
	bin/services stop var/services

lint: venv
	$(VENV)/bin/ruff check .

messages: venv
	$(PY) manage.py makemessages -l fi -l sv -l en --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages -v0 --ignore=.venv

## Benchmarks (never part of `make test`); figures go to docs/benchmarks.md
bench: venv
	bin/install-system-deps --bench
	bin/run-bench
