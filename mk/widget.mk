# Website chat widget: build, demo server, browser tests.
# Included by the top-level Makefile (`include mk/widget.mk`), which defines PY.
#
#   make widget-build   npm ci + esbuild bundle -> widget/dist (only when sources
#                       or the lockfile changed)
#   make widget-serve   demo page + widget.js on http://localhost:$(WIDGET_PORT)/
#   make chromium       apt-get install chromium when /usr/bin/chromium is missing
#   make test-browser   Playwright + headless Chromium tests (tests/browser)
#   make widget-test    unit tests of the widget's JS helpers (node:test)

PY ?= .venv/bin/python
NPM ?= npm
WIDGET_DIR := widget
WIDGET_PORT ?= 8080
WIDGET_HOST ?= 127.0.0.1
WIDGET_RASA_URL ?= http://localhost:5005
WIDGET_ALLOWED_ORIGINS ?= http://localhost:8080,http://127.0.0.1:8080
CHROMIUM ?= /usr/bin/chromium
export WIDGET_PORT WIDGET_HOST WIDGET_RASA_URL WIDGET_ALLOWED_ORIGINS

WIDGET_NODE_STAMP := $(WIDGET_DIR)/node_modules/.package-lock.json
WIDGET_BUNDLE := $(WIDGET_DIR)/dist/widget.js
WIDGET_SOURCES := $(wildcard $(WIDGET_DIR)/src/*.js $(WIDGET_DIR)/src/*.css) \
	$(WIDGET_DIR)/build.mjs $(WIDGET_DIR)/demo/index.html $(WIDGET_DIR)/package.json

# Command the top-level `run` can start in the background next to Rasa.
WIDGET_SERVE_CMD = $(PY) $(WIDGET_DIR)/serve.py

.PHONY: widget-build widget-serve chromium test-browser widget-test widget-clean

widget-build: $(WIDGET_BUNDLE)

# npm ci rewrites node_modules/.package-lock.json: it is the install stamp.
# --ignore-scripts: no dependency needs an install script (esbuild's binary
# comes from its platform package), so none is run.
$(WIDGET_NODE_STAMP): $(WIDGET_DIR)/package-lock.json $(WIDGET_DIR)/package.json
	@command -v $(NPM) >/dev/null || { echo "npm not found: install Node.js 20 (apt-get install nodejs npm)"; exit 1; }
	cd $(WIDGET_DIR) && $(NPM) ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

$(WIDGET_BUNDLE): $(WIDGET_NODE_STAMP) $(WIDGET_SOURCES)
	cd $(WIDGET_DIR) && $(NPM) run --silent build

widget-serve: $(WIDGET_BUNDLE)
	$(WIDGET_SERVE_CMD)

chromium:
	@if [ -x "$(CHROMIUM)" ]; then echo "chromium: $(CHROMIUM)"; else \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    chromium fonts-dejavu-core fonts-noto-color-emoji >/dev/null && \
	  echo "installed: $$($(CHROMIUM) --version 2>/dev/null)"; fi

test-browser: $(WIDGET_BUNDLE) chromium
	$(PY) -m pytest tests/browser -q

widget-test: $(WIDGET_NODE_STAMP)
	cd $(WIDGET_DIR) && $(NPM) test --silent

widget-clean:
	rm -rf $(WIDGET_DIR)/dist $(WIDGET_DIR)/node_modules
