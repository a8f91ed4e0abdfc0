# Two entry points: `make demo` and `make test`. Everything else is a helper they call.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test install bench messages clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "luoshi needs Python >= 3.11"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	@$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP)

# The .env makes the README's `luoshi …` commands find the demo from any folder (kept if present).
demo: $(STAMP)
	@mkdir -p var
	@test -f .env || printf '# Written by make demo: a local demo with DEBUG on. Delete it for production.\nDEBUG=1\n' > .env
	DEBUG=1 $(BIN)/luoshi demo

# The import contract first (pyproject.toml, [tool.importlinter]): a broken layer fails the run.
# One test worker more than the machine has cores: the browser tests, the office conversions and the
# command-line tests wait on other processes, which left a core idle a quarter of the run.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

# Refresh the English catalogues after adding strings (needs gettext's xgettext/msgfmt).
messages: $(STAMP)
	$(BIN)/python -m luoshi.core.messages

clean:
	rm -rf $(VENV) var staticfiles .env
