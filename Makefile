# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SYSDEPS := libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 \
           libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0 \
           libxcb-xinerama0 libfontconfig1 \
           libdbus-1-3 libglib2.0-0 xvfb xauth poppler-utils postgresql

.PHONY: run test lint sysdeps venv screenshots bench catalog clean dist dist-check bench-frozen

# Debian/Ubuntu packages Qt needs for a real (or virtual) window and pdftoppm for looking at PDFs.
# Installed only when missing, and only when we may (root, or passwordless sudo).
sysdeps:
	@missing=""; for p in $(SYSDEPS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi; \
	    echo "Installing system packages:$$missing"; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null \
	      || echo "warning: could not install$$missing (install them by hand, see README)"; \
	  else echo "warning: missing system packages:$$missing (see README)"; fi; \
	fi

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,hub]'
	touch $(STAMP)

venv: $(STAMP)

# keyrings.alt (a plaintext keyring Debian ships) for the test that proves the key never goes
# there: installed beside the venv, never in it, so only that test's subprocesses can load it.
ALT_KEYRINGS := $(VENV)/test-keyrings
$(ALT_KEYRINGS)/.installed: $(STAMP)
	$(PY) -m pip install -q --no-deps --target $(ALT_KEYRINGS) "keyrings.alt>=5,<6" "pycryptodomex>=3.20,<4"
	touch $@

# The gettext catalogues (.po -> .mo) and our Vietnamese for Qt's own texts (.ts -> .qm, with the
# pyside6-lrelease of the PySide6 wheel); without them the program reads the .po and .ts as they are.
catalog: $(STAMP)
	$(PY) -m resources.i18n compile

run: sysdeps venv catalog
	$(PY) main.py --demo

# mypy's cache outside the checkout: a fresh clone on the same machine (CI) checks in seconds
# what has not changed (mypy compares each module's hash; a new machine just starts cold).
MYPY_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/enrollment-station/mypy

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy --cache-dir "$(MYPY_CACHE)" capture db printing resources gui main.py

# The hub's tests need a real PostgreSQL (DESIGN §12): one throwaway server for the whole run,
# shared by the pytest-xdist workers (tests/pgcluster.py), stopped however pytest ends.
test: sysdeps venv catalog lint $(ALT_KEYRINGS)/.installed
	@dir=$$(mktemp -d "$${TMPDIR:-/tmp}/es-pg-XXXXXX"); \
	trap '$(PY) tests/pgcluster.py stop "$$dir"' EXIT; \
	url=$$($(PY) tests/pgcluster.py start "$$dir") \
	  || { echo "warning: the test PostgreSQL did not start: hub tests skipped"; url=""; }; \
	ES_TEST_PG_URL="$$url" QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n 2 -q

screenshots: sysdeps venv catalog
	xvfb-run -a -s "-screen 0 1366x768x24" $(PY) bench/screenshots.py --out screenshots --lang vi
	xvfb-run -a -s "-screen 0 1366x768x24" $(PY) bench/screenshots.py --out screenshots --lang en

bench: venv catalog
	$(PY) bench/lookup.py --rows 100000
	$(PY) bench/import.py --rows 100000

# The frozen build (README "Bản đóng gói / Frozen build"): one folder, dist/enrollment-station/,
# made by PyInstaller from packaging/enrollment-station.spec (the same spec on Windows).
# PyInstaller's cache stays in build/pyinstaller, so a second build only redoes what changed.
DIST_STAMP := $(VENV)/.installed-dist
$(DIST_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[dist]'
	touch $@

dist: sysdeps venv catalog $(DIST_STAMP)
	$(PY) -m PyInstaller --noconfirm --log-level WARN \
	  --distpath dist --workpath build/pyinstaller packaging/enrollment-station.spec

# The frozen program itself, headless: the GUI on a fresh demo station, then the CLI
# (packaging/smoke.py says what it runs and what broke).
dist-check: dist
	QT_QPA_PLATFORM=offscreen $(PY) packaging/smoke.py dist/enrollment-station

# Size of the folder and start to the main window, frozen and from source (bench/frozen.py).
bench-frozen: dist
	$(PY) bench/frozen.py --runs 5

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist
