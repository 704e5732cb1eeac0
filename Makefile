# Everything runs from the project venv (.venv), built on first use from pinned versions.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TOOLKIT := $(BIN)/toolkit
# The default model: mirrors DEFAULT_REPO in toolkit/model/store.py (tests/test_model.py checks
# they agree). MODEL_REPO=Helsinki-NLP/opus-mt-ar-en picks the small one (its folder follows):
# about 3x faster and half the memory, for small machines (docs/choosing-a-model.md).
DEFAULT_REPO := Helsinki-NLP/opus-mt-tc-big-ar-en
MODEL_REPO ?= $(DEFAULT_REPO)
MODEL ?= models/$(notdir $(MODEL_REPO))
DEMO_MODEL ?= models/synthetic-opus-mt-ar-en
INBOX ?= inbox
OUTPUTS ?= outputs
DATE ?= $(shell date +%F)
# The outlets to collect from before translating; nothing is collected while it is absent
# (start from sources.example.toml).
SOURCES ?= sources.toml
# E-mailing the briefing: RECIPIENTS=file (one address a line); SMTP=host:port (else
# $TOOLKIT_SMTP, else localhost:25); SEND_OPTS for the rest ("--starttls --user NAME
# --from ADDR"); the password only ever comes from $TOOLKIT_SMTP_PASSWORD.
# READERS=readers.toml instead: each reader their own briefing, their alerts first (docs/alerts.md).
RECIPIENTS ?=
READERS ?=
SMTP ?=
SEND_OPTS ?=
# PUBLIC_URL=https://host/outputs/ (else $TOOLKIT_PUBLIC_URL): where outputs/ is served; the
# e-mail's links to the article pages are absolute under it (without it, it has none).
PUBLIC_URL ?=
SEND = $(if $(PUBLIC_URL),TOOLKIT_PUBLIC_URL="$(PUBLIC_URL)") $(TOOLKIT) send $(OUTPUTS)/$(DATE) $(if $(READERS),--readers "$(READERS)",--to "$(RECIPIENTS)") $(if $(SMTP),--smtp "$(SMTP)") $(SEND_OPTS)
# Scale out: WORKERS=N local Dask worker processes, or SCHEDULER=tcp://host:8786 (an existing cluster)
WORKERS ?=
SCHEDULER ?=
SCALE := $(if $(WORKERS),--workers $(WORKERS)) $(if $(SCHEDULER),--scheduler $(SCHEDULER))
STAMP := $(VENV)/.installed

.PHONY: help setup browser test lint docs model demo-model nightly demo translate send archive browse bench eval lock clean

help:
	@echo "make nightly           collect (if sources.toml), translate inbox/ into outputs/<date>/;"
	@echo "                       RECIPIENTS=file: e-mail the briefing too; READERS=readers.toml: each"
	@echo "                       reader their own briefing, their alerts first;"
	@echo "                       WORKERS=N: N local Dask worker processes; SCHEDULER=ADDR: a Dask cluster"
	@echo "make send DATE=d RECIPIENTS=f [SMTP=host:port] [PUBLIC_URL=url]  e-mail outputs/<date>/"
	@echo "                       (once per recipient; PUBLIC_URL: where outputs/ is served, for links)"
	@echo "make test              lint + the whole test suite (offline; builds its own tiny model)"
	@echo "make docs              regenerate docs/cli.md (every --help) and docs/limits.md's settings"
	@echo "make demo              offline run on a synthetic model (meaningless English, marked synthetic)"
	@echo "make translate FILE=f  translate one file to stdout"
	@echo "make model             download + convert $(MODEL_REPO) into $(MODEL) (needs the hub);"
	@echo "                       MODEL_REPO=Helsinki-NLP/opus-mt-ar-en: the small one, for small machines"
	@echo "make bench [SHAPE=s]   CTranslate2 int8/fp32 vs transformers on a synthetic model of that"
	@echo "                       shape (opus-mt-ar-en, the default, or opus-mt-tc-big-ar-en)"
	@echo "make eval              every model under models/ side by side on the development set:"
	@echo "                       BLEU, chrF, term accuracy, flag rate, tokens/s, peak RSS"
	@echo "make browse            the archive (outputs/archive.sqlite) in Datasette on 127.0.0.1:PORT (8001)"

# Re-run only when the pinned dependencies change; it reports on stderr, so that stdout stays
# the command's own (`make translate FILE=x > out.txt` on a fresh clone).
$(STAMP): pyproject.toml requirements/constraints.txt
	@echo "building the project venv in $(VENV) from pinned versions" >&2
	@$(PYTHON) -m venv $(VENV) >&2
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c requirements/constraints.txt -e '.[convert,dev]' >&2
	@touch $@

setup: $(STAMP)

lint: setup
	$(BIN)/ruff check toolkit tests
	$(BIN)/ruff format --check toolkit tests

# The HTML test drives Debian's chromium, the document tests print Arabic PDFs with it (a
# Naskh font) and OCR a scan with tesseract; install them when we can (root + apt), else
# those tests skip.
browser:
	@{ command -v chromium && command -v tesseract && fc-list :lang=ar | grep -q .; } \
		>/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Debian's chromium, an Arabic font and tesseract for the tests"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends chromium fonts-noto-core tesseract-ocr \
				tesseract-ocr-ara) >/dev/null 2>&1 \
			|| echo "chromium could not be installed: the browser test will skip"; \
		else echo "chromium missing and no root apt: the browser test will skip"; fi; }

test: lint browser
	$(BIN)/python -m pytest

# docs/cli.md holds every command's --help, docs/limits.md the declared settings (toolkit/state/settings.py);
# `make test` fails when either is stale.
docs: setup
	$(BIN)/python -m toolkit.cli.docs

# Pin every installed package after a change to pyproject.toml.
lock: setup
	$(BIN)/python -m pip freeze --exclude-editable | sed 's/+cpu$$//' \
		| { echo '# Exact versions of every package in the project venv (direct and transitive).'; \
		    echo '# Regenerate with `make lock` after changing pyproject.toml.'; cat; } \
		> requirements/constraints.txt

model: setup
	@if [ -f $(MODEL)/model.bin ]; then echo "model present: $(MODEL)"; \
	else $(TOOLKIT) model fetch --repo $(MODEL_REPO) -o $(MODEL); fi

demo-model: setup
	@if [ -f $(DEMO_MODEL)/model.bin ]; then echo "model present: $(DEMO_MODEL)"; \
	else $(TOOLKIT) model synth --shape opus-mt-ar-en -o $(DEMO_MODEL); fi

# The main job (cron): collect from $(SOURCES) when it exists, then what is new in inbox/ → outputs/<date>/ with digest, feed, manifest,
# then outputs/index.html and the rolling outputs/feed.xml; e-mailed when RECIPIENTS is set
# (also after a run where some inputs failed: the digest holds the rest). The exit code is
# the worse of the two.
nightly: model
	@rc=0; $(if $(READERS),TOOLKIT_READERS="$(READERS)") $(TOOLKIT) nightly --inbox $(INBOX) --outputs $(OUTPUTS) --date $(DATE) \
		--model $(MODEL) $(SCALE) $(if $(wildcard $(SOURCES)),--sources $(SOURCES)) || rc=$$?; \
	if [ -z "$(RECIPIENTS)$(READERS)" ]; then echo "RECIPIENTS or READERS not set: the briefing is not e-mailed"; \
	elif [ $$rc -le 1 ]; then $(SEND) || { s=$$?; [ $$s -gt $$rc ] && rc=$$s; }; \
	fi; exit $$rc

# E-mail one day's briefing; a recipient already sent to is skipped (SEND_OPTS=--resend).
send: setup
	@test -n "$(RECIPIENTS)$(READERS)" || { echo "usage: make send DATE=YYYY-MM-DD RECIPIENTS=file|READERS=readers.toml [SMTP=host:port] [PUBLIC_URL=url]" >&2; exit 2; }
	$(SEND)

# Rebuild outputs/index.html and the rolling outputs/feed.xml (nightly does it after each run).
archive: setup
	$(TOOLKIT) archive $(OUTPUTS)

# The archive database in Datasette (full-text search, facets by outlet, entity and day),
# brought up to date with the day folders first; local only (127.0.0.1).
PORT ?= 8001
browse: setup
	$(TOOLKIT) archive $(OUTPUTS)
	$(BIN)/datasette $(OUTPUTS)/archive.sqlite --metadata toolkit/data/datasette.json \
		--host 127.0.0.1 --port $(PORT)

demo: demo-model
	@$(MAKE) --no-print-directory nightly MODEL=$(DEMO_MODEL) OUTPUTS=$(OUTPUTS)/demo RECIPIENTS= READERS=
	@echo "The demo archive is $(OUTPUTS)/demo (synthetic English). To look at it:"
	@echo "  browse:  open $(OUTPUTS)/demo/index.html (days, stories, digests, article pages)"
	@echo "  search:  $(TOOLKIT) search QUERY --outputs $(OUTPUTS)/demo"
	@echo "  query:   make browse OUTPUTS=$(OUTPUTS)/demo (Datasette on 127.0.0.1)"

# Only the translation on stdout (`make translate FILE=x > out.txt`): the command is not echoed.
translate: setup
	@test -n "$(FILE)" || { echo "usage: make translate FILE=path/to/article.txt" >&2; exit 2; }
	@$(TOOLKIT) translate "$(FILE)" --model $(MODEL)

# CTranslate2 int8/fp32 vs transformers fp32 (builds models/bench-<shape> if missing).
SHAPE ?=
bench: setup
	$(TOOLKIT) bench $(if $(SHAPE),--shape $(SHAPE))

# Every installed model side by side on our own development set (meaningful with real
# models only; the bench's synthetic models/bench-* are left out); EVAL_OPTS=--compare-strategies
# scores every glossary strategy too.
EVAL_OPTS ?=
EVAL_MODELS = $(filter-out models/bench-%,$(patsubst %/model.bin,%,$(sort $(wildcard models/*/model.bin $(MODEL)/model.bin))))
eval: model
	$(TOOLKIT) eval toolkit/data/ar-en-sample.tsv $(EVAL_OPTS) $(foreach m,$(EVAL_MODELS),--model $(m))

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
