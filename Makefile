# steppe: the two commands of the README, and what they need.
#   make demo  - set up, load ../shared/data (or download), serve the portal on http://127.0.0.1:8000
#   make test  - set up, run the whole test suite
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= $(firstword $(wildcard ../shared/data))
HOST ?= 127.0.0.1
PORT ?= 8000
APT_PACKAGES := $(strip \
  $(if $(shell command -v java),,default-jdk-headless) \
  $(if $(shell command -v chromium),,chromium) \
  $(if $(shell ldconfig -p 2>/dev/null | grep -q libpango-1.0 && echo y),,libpango-1.0-0 libpangoft2-1.0-0) \
  $(if $(shell fc-list 2>/dev/null | grep -qi dejavu && echo y),,fonts-dejavu-core))

.PHONY: demo test venv system-deps clean-venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,spark,pdf]'
	touch $(STAMP)

venv: $(STAMP)

# system packages: a JDK (Spark), Debian's Chromium (browser tests), pango (PDF)
system-deps:
	@if [ -n "$(APT_PACKAGES)" ]; then \
	  echo "installing system packages: $(APT_PACKAGES)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES); \
	fi

PERIODS_2020 := 1990-1995 1995-2000 2000-2005 2005-2010 2010-2015 2015-2020

demo: $(STAMP)
	$(BIN)/steppe ingest $(if $(DATA),--from $(DATA))
	-for period in $(PERIODS_2020); do $(BIN)/steppe flows estimate --period $$period --revision 2020; done
	-$(BIN)/steppe flows estimate --period 2015-2020 --revision 2024
	$(BIN)/steppe sources
	$(if $(DATA),STEPPE_DATA=$(abspath $(DATA))) $(BIN)/steppe serve --host $(HOST) --port $(PORT)

test: $(STAMP) system-deps
	STEPPE_DATA=$(abspath $(DATA)) $(BIN)/python -m pytest -n 2 --dist loadfile -q

clean-venv:
	rm -rf $(VENV)
