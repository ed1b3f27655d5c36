# make run  — start the clerk window (embedded PostgreSQL + Valkey unless BOXOFFICE_DATABASE_URL / _REDIS_URL are set)
# make test — run the test suite (same rule for the servers); PYTEST_ARGS="-m unit" runs the unit tests alone
# make lint — ruff over the code and the tests (the rules are in pyproject.toml)
# make smoke — start the window under Xvfb with Qt's xcb platform and check that it maps (tools/xcb_smoke.sh)
# make translations — refresh resources/translations/*.ts from the sources (pyside6-lupdate) and compile the .qm the
#   app loads (pyside6-lrelease); translators edit the .ts with `$(BIN)/pyside6-linguist`. The tests check both.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

TS      = $(wildcard resources/translations/*.ts)
QM      = $(TS:.ts=.qm)

.PHONY: run test lint smoke bench demo clean translations

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP) $(QM)
	$(BIN)/python main.py

%.qm: %.ts $(STAMP)
	$(BIN)/python tools/translations.py compile

translations: $(STAMP)
	$(BIN)/python tools/translations.py update
	$(BIN)/python tools/translations.py compile

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check boxoffice ui tests tools main.py

smoke: $(STAMP)
	XCB_SMOKE_THEN='^Box office .*sign in$$|^Empty database$$' XCB_SMOKE_TIMEOUT=120 tools/xcb_smoke.sh $(BIN)/python

bench: $(STAMP)
	$(BIN)/boxoffice bench rush

demo: $(STAMP)
	$(BIN)/boxoffice demo

clean:
	rm -rf $(VENV) .pytest_cache
