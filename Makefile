# Vägar in: the Makefile is the interface. Every target bootstraps .venv from requirements.txt.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ORGS ?= 1500
PORT ?= 8000
HOST ?= 127.0.0.1
export NO_MKDOCS_2_WARNING := 1
# ROOT=path checks (or builds) another content tree than this checkout
ROOT ?=
ROOT_OPTION = $(if $(ROOT),--root "$(ROOT)")
# validate and build end with the handbook's own summary line: a failure stops make through
# scripts/stop-make, so make adds no "make: *** [...] Error 1" line (the exit status is still not 0)

.PHONY: serve build test validate bench clean browser new pdf offline publish

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

## serve: serve the site at http://127.0.0.1:8000 with live reload (another port: make serve PORT=8001;
##        HOST=0.0.0.0 shows it to the network); a content problem shows in the browser until it is fixed
serve: $(VENV)/.installed
	@$(PY) -m handbook $(ROOT_OPTION) serve --host "$(HOST)" --port "$(PORT)" || scripts/stop-make $$PPID

## build: check the content and build the static site into site/ (kept as it was if anything fails)
build: $(VENV)/.installed
	@$(PY) -m handbook $(ROOT_OPTION) build || scripts/stop-make $$PPID

## pdf: PDFs of the built site (make build first, if there is no site/): every method card and handout,
##      each section and the whole handbook, in both languages, into site/pdf/ and site/en/pdf/, two
##      at a time, a line for each; then the pages offer them for download with their sizes
pdf: $(VENV)/.installed browser
	@test -f site/index.html || $(MAKE) --no-print-directory build
	@$(PY) -m handbook.pdf --site site || scripts/stop-make $$PPID

## offline: the whole site (both editions) as site/offline/vagar-in.zip to read from files, linked with its size
##          from the start and open-data pages (builds the site first if there is none)
offline: $(VENV)/.installed
	@test -f site/index.html || $(MAKE) --no-print-directory build
	@$(PY) -m handbook offline || scripts/stop-make $$PPID

## publish: everything a release needs: build, then the PDFs, then the offline copy (which holds the PDFs)
publish: $(VENV)/.installed
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory pdf
	@$(MAKE) --no-print-directory offline

## validate: check every file in data/ and methods/ and print all problems at once
validate: $(VENV)/.installed
	@$(PY) -m handbook $(ROOT_OPTION) validate || scripts/stop-make $$PPID

## test: run every test (the browser tests need Debian's chromium: installed here if missing)
test: $(VENV)/.installed browser
	$(PY) -m pytest

## new: a starting file for a new record, such as: make new KIND=organisation NAME="Kyrkans second hand Östersund" (ID=... to choose the id)
# KIND, NAME and ID reach the command through the environment, so quotes and $ in a name stay as written.
new: $(VENV)/.installed
	@$(PY) -m handbook new "$$KIND" "$$NAME" $${ID:+--id "$$ID"}

## bench: build the whole site at scale on synthetic data (ORGS=1500; SPREAD=even spreads them evenly;
##        SPREAD=population POPULATION=file.csv by the inhabitants in Statistics Sweden's table of the municipalities)
bench: $(VENV)/.installed
	$(PY) scripts/bench.py --orgs $(ORGS) $(if $(SPREAD),--spread $(SPREAD)) $(if $(POPULATION),--population "$(POPULATION)")

browser:
	@bash scripts/ensure-chromium

clean:
	rm -rf site .site-building-* .site-old-* .site-offline-* .pytest_cache
