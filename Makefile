# Two commands do everything on a fresh machine with Python >= 3.11 and make:
#   make demo   set up .venv and convert the bundled sample report to JSON
#   make test   set up .venv with test extras and run pytest, ruff and mypy
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := fixtures/pdf/seed_fy2020.pdf

.PHONY: demo test setup setup-test golden bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The editable install leaves src/ uncompiled; compile it once, so that start-up does not
# compile every module on each run where PYTHONDONTWRITEBYTECODE is set.
setup: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q src

setup-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q src

demo: setup
	$(BIN)/reportparse extract $(SAMPLE)

test: setup-test
	$(BIN)/python -m pytest
	$(BIN)/ruff check src tests tools benchmarks
	$(BIN)/ruff format --check src tests tools benchmarks
	$(BIN)/mypy src

golden: setup-test
	$(BIN)/python -m pytest tests/test_golden.py --update-golden

bench: setup-test
	$(BIN)/python -m pip install --quiet -e '.[test,fixtures]'
	$(BIN)/python benchmarks/bench_speed.py
	$(BIN)/python benchmarks/bench_startup.py
	$(BIN)/python benchmarks/bench_text.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
