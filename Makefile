# Every install step lives here so a clean clone needs only python3 and make.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SHARED ?= $(abspath ../shared)

.PHONY: install demo test lint format quality bench clean llm-install llm-server test-llm-real

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,train]'
	touch $(STAMP)

install: $(STAMP)

demo: install  ## triage the bundled sample article with the offline extractor
	FACTDESK_DATABASE_URL=$${FACTDESK_DATABASE_URL:-sqlite:///$(CURDIR)/demo.db} $(VENV)/bin/factdesk triage --extractor offline examples/grain-corridor.txt

test: install  ## lint, then the whole suite (PostgreSQL tests run when FACTDESK_TEST_POSTGRES_URL is set)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

quality: install  ## extraction quality on real data: one table
	$(PY) -m bench.quality

bench: install  ## speed benchmarks
	$(PY) -m bench.extract

LLM_CACHE ?= $(HOME)/.cache/factdesk-llm
LLM_PORT ?= 8090

llm-install: install  ## xllamacpp (pinned) and the small local model (pinned sha256) into LLM_CACHE
	$(PY) -m pip install -q -e '.[dev,train,local-llm]'
	FACTDESK_LLM_CACHE=$(LLM_CACHE) $(PY) -m bot.extract.llm.local_server fetch

llm-server: llm-install  ## a local OpenAI-compatible server on 127.0.0.1:$(LLM_PORT), for copy that must not leave
	FACTDESK_LLM_CACHE=$(LLM_CACHE) $(PY) -m bot.extract.llm.local_server serve --port $(LLM_PORT)

test-llm-real: llm-install  ## the seed article through a real local model (slow; not part of make test)
	FACTDESK_LLM_CACHE=$(LLM_CACHE) $(VENV)/bin/pytest -q -s -m llm_real --timeout=1800 tests/test_llm_real.py

clean:
	rm -rf $(VENV) demo.db .pytest_cache
