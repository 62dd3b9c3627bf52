# One place for the commands README.md promises. Each target installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run demo test lint screenshots bench clean package-check crash-heavy

$(BIN)/carebinder: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/carebinder            ## start CareBinder on your own binder
	$(BIN)/carebinder

demo: $(BIN)/carebinder           ## start CareBinder on a throwaway binder with a fictional person
	$(BIN)/carebinder --demo

test: $(BIN)/carebinder           ## lint, type-check and run every test (real keyring included)
	$(BIN)/ruff check app tests
	$(BIN)/ruff format --check app tests
	$(BIN)/mypy
	tests/with-keyring $(BIN)/python -m pytest

screenshots: $(BIN)/carebinder    ## a PNG of every page and dialog, normal and large text, in screenshots/
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m app.ui.screenshots screenshots/100
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m app.ui.screenshots screenshots/150 --text-size 150

bench: $(BIN)/carebinder          ## the benchmarks (not part of `make test`)
	tests/with-keyring $(BIN)/python -m pytest tests/bench -s -p no:cacheprovider

clean:
	rm -rf $(VENV) build dist *.egg-info

package-check: $(BIN)/carebinder  ## build the Linux app folder and run its self-test
	packaging/build-linux.sh
	QT_QPA_PLATFORM=offscreen dist/carebinder/carebinder --self-test

crash-heavy: $(BIN)/carebinder    ## the crash-safety suite with 500 kills instead of 20 (about 10 minutes)
	CAREBINDER_KILLS=500 tests/with-keyring $(BIN)/python -m pytest tests/backup/test_crash_safety.py -q
