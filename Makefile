# Summit dossiers: `make run` serves the demo dossier, `make test` runs the tests.

PYTHON ?= python3.13
UV = $(PYTHON) -m uv
VENV = .venv
BIN = $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PYTHON_DOWNLOADS = never

.PHONY: run test install-dev browser fonts java wrk lint format migrations-check compose-check clean bench soak

## run: set up the SQLite default, load the demo dossier, create an editor, serve on :8000
run: export DJANGO_DEBUG ?= true
run:
	@$(MAKE) --no-print-directory install-dev
	@$(MAKE) --no-print-directory fonts || echo "(share images will have no text until then)" >&2
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py create_editor
	@echo "Serving http://$(HOST):$(PORT)/  (back office: http://$(HOST):$(PORT)/admin/)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## install-dev: the virtual environment, with the test tools, from uv.lock
install-dev:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --python $(PYTHON)

## browser: Debian's Chromium for the browser tests (installed when missing)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

## fonts: DejaVu, which the share images draw their text with (installed when missing)
DEJAVU = /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
fonts:
	@test -f $(DEJAVU) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq fonts-dejavu-core >/dev/null; \
	  else echo "Share images need DejaVu fonts: sudo apt-get install fonts-dejavu-core" >&2; exit 1; fi; }

## java: a Java runtime for the HTML validity test (the Nu HTML Checker; installed when missing)
java:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null; \
	  else echo "The HTML validity test needs Java: sudo apt-get install default-jre-headless" >&2; exit 1; fi; }

## wrk: the load generator of `make bench`, whose addresses a test checks (installed when missing)
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
	  else echo "The benchmark's test needs wrk: sudo apt-get install wrk" >&2; exit 1; fi; }

## test: install what the tests need and run them (PostgreSQL if DATABASE_URL is set, else SQLite),
##   spread over one worker per core (PYTEST_WORKERS=0 runs them in one process)
PYTEST_WORKERS ?= auto
test: install-dev browser fonts java wrk
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## bench: gunicorn on 127.0.0.1 against PostgreSQL, loaded by wrk; writes docs/benchmarks.md
##   needs wrk (apt-get install -y wrk), Redis, and an archive from `manage.py generate_dataset`
##   in BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/summit_bench)
bench: install-dev
	@command -v wrk >/dev/null 2>&1 || { echo "make bench needs wrk: apt-get install -y wrk" >&2; exit 1; }
	$(BIN)/python scripts/bench.py

## soak: a minute of 50 reader connections while two editors save every second, against
##   gunicorn, PostgreSQL and Redis on 127.0.0.1; fails on any error, lost edit or memory growth,
##   writes the results into docs/security.md (needs wrk; database SOAK_DATABASE_URL)
soak: install-dev
	@command -v wrk >/dev/null 2>&1 || { echo "make soak needs wrk: apt-get install -y wrk" >&2; exit 1; }
	$(BIN)/python scripts/soak.py

## lint: ruff, then mypy (settings in pyproject.toml: strict on the page layer)
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install-dev
	$(BIN)/python manage.py makemigrations --check --dry-run

compose-check:
	DJANGO_SECRET_KEY=check docker-compose -f docker-compose.yml config --quiet

clean:
	rm -rf $(VENV) var
