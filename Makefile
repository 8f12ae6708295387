# 工匠学堂 — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi
TRANSLATED := lms courses

.PHONY: run test test-fast lint format translations messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

## Compile the translation catalogues (.po → .mo).
translations: $(VENV)/.installed
	@for pkg in $(TRANSLATED); do \
	  if [ -d $$pkg/translations ]; then $(BIN)/pybabel -q compile -f -d $$pkg/translations; fi; \
	done

## Extract user-visible strings and update every package's English catalogue.
## Besides Babel's defaults (_, gettext, ngettext, N_ …) the lazy forms used in forms, labels
## and errors; tests/core/test_i18n.py reads this line, so the two always extract the same.
BABEL_KEYWORDS := _l lazy_gettext lazy_ngettext:1,2 lazy_pgettext:1c,2 lazy_npgettext:1c,2,3
messages: $(VENV)/.installed
	@for pkg in $(TRANSLATED); do \
	  $(BIN)/pybabel -q extract -F babel.cfg $(addprefix -k ,$(BABEL_KEYWORDS)) --sort-by-file \
	    -o $$pkg/messages.pot $$pkg; \
	  if [ -f $$pkg/translations/en/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel -q update -N --no-fuzzy-matching -i $$pkg/messages.pot -d $$pkg/translations -l en; \
	  else $(BIN)/pybabel -q init -i $$pkg/messages.pot -d $$pkg/translations -l en; fi; \
	  rm -f $$pkg/messages.pot; \
	done

## Migrate, load demo data if empty, then serve web + Celery worker + beat on http://127.0.0.1:$(PORT).
run: $(VENV)/.installed translations
	$(BIN)/flask db upgrade
	$(BIN)/flask lms seed-demo --if-empty
	$(BIN)/flask lms prepare-broker
	@echo "工匠学堂: http://127.0.0.1:$(PORT)  (demo accounts in README.md; Ctrl-C stops everything)"
	$(BIN)/honcho start -f Procfile -p $(PORT)

## The whole suite: fast tier on SQLite, services tier on PostgreSQL + Redis + a real worker,
## browser tier in headless Chromium. Tiers whose servers are missing are skipped and listed
## (with CI=true they fail instead).
## The fast tier and the slow tiers run side by side (each pytest session has its own database
## and Redis prefix); each tier's report is printed whole when both have ended.
test: $(VENV)/.installed translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@mkdir -p instance; \
	$(BIN)/pytest -p no:cacheprovider -m "not services and not browser" $(PYTEST_ARGS) > instance/test-fast.log 2>&1 & fast=$$!; \
	$(BIN)/pytest -p no:cacheprovider -m "services or browser" $(PYTEST_ARGS) > instance/test-slow.log 2>&1 & slow=$$!; \
	wait $$fast; fast_rc=$$?; wait $$slow; slow_rc=$$?; \
	echo "== fast tier (SQLite)"; cat instance/test-fast.log; \
	echo "== services and browser tiers"; cat instance/test-slow.log; \
	test $$fast_rc -eq 0 -a $$slow_rc -eq 0

## Only the fast tier (SQLite, eager tasks).
test-fast: $(VENV)/.installed translations
	$(BIN)/pytest -p no:cacheprovider -m "not services and not browser" $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Capacity benchmark: a city's peak on PostgreSQL + Redis + gunicorn + Celery (bench/peak.py).
bench: $(VENV)/.installed translations
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m bench.peak $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
