# Everything a developer or CI needs; see README.md.
SHELL := /bin/bash
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.9
PY := .venv/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The settings derive every development address from the port (docs/development.md).
export EGOV_PORT := $(PORT)

# The background workers wait out database outages themselves; a worker that exits all the same
# (a bug, a kill) is started again after 2 seconds, as the production units' Restart=always does.
KEEP_RUNNING := keep_running() { while true; do "$$@"; echo "$$* exited ($$?), starting it again in 2 s" >&2; sleep 2; done; };

# Stops at once, in one line, when a Debian package the README lists is missing.
preflight:
	@python3 scripts/preflight.py

.PHONY: preflight run setup venv messages test test-suite lint typecheck typecheck-baseline format openapi worker bench bench-city clean

$(UV):
	@python3 scripts/preflight.py
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

# Synced again only when the lock or the project changed. The packages are compiled to bytecode
# once, here: every process of `make run` would otherwise compile them again at start where
# PYTHONDONTWRITEBYTECODE is set (several seconds each).
venv: .venv/.synced
.venv/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --quiet --compile-bytecode
	@touch $@

# Each catalogue is compiled when its .po is newer than its .mo (as compilemessages does it).
MO_FILES := $(patsubst %.po,%.mo,$(shell find src -path '*/LC_MESSAGES/*.po'))
messages: $(MO_FILES)
%.mo: %.po
	msgfmt --check-format -o $@ $<

# Migrations, the demo city and the development PKI, each only when its inputs changed
# (manage.py prepare_demo; `$(MANAGE) prepare_demo --reload` loads the demo again).
setup: preflight venv messages
	@mkdir -p var
	@$(PY) -m compileall -q src
	$(MANAGE) prepare_demo

WEB := http://$(HOST):$(PORT)
# The web server asks the demo registries (published by prepare_demo) through the platform's gateway.
run: export EGOV_DEMO_REGISTRIES := $(CURDIR)/var/demo-registries.json
# The web server first; the workers and the local services start once it answers, so that they do
# not slow its start (each process loads the whole platform).
run: setup
	@trap 'kill 0' EXIT INT TERM; $(KEEP_RUNNING) \
	.venv/bin/gunicorn egov.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile - --no-control-socket & \
	$(PY) scripts/wait_ready.py $(WEB) $$! || exit 1; \
	keep_running $(MANAGE) db_worker --queue-name default & \
	keep_running $(MANAGE) deliver_notifications --loop & \
	keep_running $(MANAGE) check_deadlines --loop & \
	$(MANAGE) serve_dev_pki & \
	$(MANAGE) serve_exchange_axis --outside "000.00.10.H62=Sở Y tế tỉnh Vĩnh Long" & \
	keep_running $(MANAGE) exchange_worker --loop & \
	keep_running $(MANAGE) deliver_webhooks --loop & \
	keep_running $(MANAGE) stamp_message_log --loop & \
	$(MANAGE) serve_population_registry & \
	$(MANAGE) serve_civil_status_registry & \
	$(MANAGE) serve_business_registry & \
	$(MANAGE) serve_land_registry & \
	wait

worker: venv
	@trap 'kill 0' EXIT INT TERM; $(KEEP_RUNNING) \
	keep_running $(MANAGE) db_worker --queue-name default & \
	keep_running $(MANAGE) deliver_notifications --loop & \
	keep_running $(MANAGE) check_deadlines --loop & \
	keep_running $(MANAGE) exchange_worker --loop & \
	keep_running $(MANAGE) deliver_webhooks --loop & \
	keep_running $(MANAGE) stamp_message_log --loop & \
	wait

lint: venv
	.venv/bin/ruff check src tests scripts bench
	.venv/bin/ruff format --check src tests scripts bench
	PYTHONPATH=src .venv/bin/lint-imports --no-cache --no-logo

# Type check against mypy-baseline.txt (the errors of the code as it was when mypy came in): a new
# error fails, and so does a fixed one left in the file, so the baseline can only shrink.
typecheck: venv
	@mkdir -p var; .venv/bin/mypy src > var/mypy.out; status=$$?; \
	if [ $$status -gt 1 ]; then cat var/mypy.out; echo "mypy could not run ($$status)"; exit $$status; fi; \
	.venv/bin/mypy-baseline filter --no-colors --hide-stats < var/mypy.out

# After fixing typing errors: write the smaller baseline (review the diff; it must only shrink).
typecheck-baseline: venv
	.venv/bin/mypy src | .venv/bin/mypy-baseline sync --sort-baseline

format: venv
	.venv/bin/ruff check --fix src tests scripts bench
	.venv/bin/ruff format src tests scripts bench

openapi: venv
	$(PY) scripts/export_openapi.py > docs/api/openapi.json

test: venv messages lint typecheck
	$(MANAGE) makemigrations --check --dry-run -v0
	$(MAKE) --no-print-directory test-suite

# The test suite alone, without the checks above (they do not depend on the database, so CI runs
# them once and the suite twice: on SQLite and on PostgreSQL).
test-suite: venv messages
	.venv/bin/pytest -n auto --dist worksteal --durations=15 $(PYTEST_ARGS)

# Benchmarks (docs/performance.md): each prints a table and writes var/bench/*.json.
bench: venv messages
	$(PY) bench/search.py --database sqlite
	@if pg_isready -q -h 127.0.0.1 -p 5432; then $(PY) bench/search.py --database postgres \
	&& $(PY) bench/city.py --dossiers 100000 \
	&& $(PY) bench/report_scale.py \
	&& $(PY) bench/personnel.py --database postgres \
	&& $(PY) bench/feedback.py --reports 100000; \
	else echo "PostgreSQL is not running: PostgreSQL benchmarks skipped"; fi
	$(PY) bench/signatures.py
	$(PY) bench/notifications.py
	@if pg_isready -q -h 127.0.0.1 -p 5432; then $(PY) bench/documents.py --database postgres --documents 10000 \
	&& $(PY) bench/documents.py --search-only --rows 1000000; \
	else $(PY) bench/documents.py --documents 1000; fi

# The city-scale benchmark at a chosen size: make bench-city N=1000000 (up to 20000000; see
# docs/performance.md for the time and disk each size needs). ARGS passes more options.
N ?= 1000000
bench-city: venv messages
	$(PY) bench/city.py --dossiers $(N) --database egov_bench_city_$(N) $(ARGS)

clean:
	rm -rf var .venv $(TOOLS)
