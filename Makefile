# make run  — start the clerk window (embedded PostgreSQL + Valkey unless BOXOFFICE_DATABASE_URL / _REDIS_URL are set)
# make test — run the test suite (same rule for the servers)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: run test bench demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python main.py

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/boxoffice bench rush

demo: $(STAMP)
	$(BIN)/boxoffice demo

clean:
	rm -rf $(VENV) .pytest_cache
