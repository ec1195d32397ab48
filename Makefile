# Every target sets up what it needs: a virtualenv in .venv, the package, and (for tests and the
# offline audio engine) espeak-ng from Debian when it is missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
BENCH_STAMP := $(VENV)/.bench-stamp
ENGINE ?= gtts

VA := tests/virtual_alexa
VA_STAMP := $(VA)/node_modules/.installed-stamp
DL := tests/dynalite
DL_STAMP := $(DL)/node_modules/.installed-stamp
APL := tests/screen/apl
APL_STAMP := $(APL)/node_modules/.installed-stamp

.PHONY: run test audio bench bench-deps system-deps clean package lambda

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dynamodb,package]'
	touch $(STAMP)

# waitress: only bench/serving.py runs it, as a candidate the serving set-up was compared with.
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	touch $(BENCH_STAMP)

# Debian packages: espeak-ng, the offline speech engine (audio tests, `make audio ENGINE=espeak`,
# `backcoach try --speak`); node and npm for the virtual-alexa and APL tests; chromium and the DejaVu
# fonts for the screen screenshots. Installed when missing (as root).
system-deps:
	@missing=""; \
	command -v espeak-ng >/dev/null 2>&1 || missing="$$missing espeak-ng"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing:$$missing (sudo apt-get install$$missing)" >&2; exit 1; fi; \
	fi

# Bespoken's virtual-alexa (npm) drives the real server through the interaction model in the tests.
$(VA_STAMP): $(VA)/package-lock.json
	npm ci --prefix $(VA) --no-audit --no-fund --loglevel=error
	touch $(VA_STAMP)

# dynalite (npm): a real DynamoDB-compatible server process for the DynamoDB store tests.
$(DL_STAMP): $(DL)/package-lock.json
	npm ci --prefix $(DL) --no-audit --no-fund --loglevel=error
	touch $(DL_STAMP)

# Amazon's APL validator (apl-suggester) checks every document the skill can send.
$(APL_STAMP): $(APL)/package-lock.json
	npm ci --prefix $(APL) --no-audit --no-fund --loglevel=error
	touch $(APL_STAMP)

# With BACKCOACH_SKILL_IDS set, serve for real; without, dev mode on loopback.
run: $(STAMP)
	$(VENV)/bin/backcoach serve $(if $(BACKCOACH_SKILL_IDS),,--dev)

test: $(STAMP) system-deps $(VA_STAMP) $(DL_STAMP) $(APL_STAMP)
	$(PY) -m pytest

# skill-package/ and ask-resources.json for `ask deploy` (keeps the endpoint already in skill.json).
package: $(STAMP)
	$(VENV)/bin/backcoach package

# dist/lambda.zip: only what the Lambda handler imports (see skill/package/lambda_zip.py); prints its size.
lambda: $(STAMP)
	$(PY) -m skill.package.lambda_zip dist/lambda.zip

audio: $(STAMP) system-deps
	$(VENV)/bin/backcoach audio build --engine $(ENGINE)

# wrk (Debian) drives bench/wrk_turns.py; installed when missing (as root).
bench-deps:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
	  else echo "missing: wrk (sudo apt-get install wrk)" >&2; exit 1; fi; }

bench: $(STAMP) $(BENCH_STAMP) system-deps bench-deps $(VA_STAMP)
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis $(VA)/node_modules $(DL)/node_modules $(APL)/node_modules
