# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install catalogs lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

install: $(STAMP) catalogs

catalogs: $(STAMP)
	$(BIN)/glossary translations compile

run: install
	$(BIN)/glossary init
	$(BIN)/glossary demo --if-empty
	$(BIN)/glossary serve

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

# Style (ruff, the whole tree) and types (mypy, the modules listed in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) instance
