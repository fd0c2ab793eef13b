# aiohub.claude_desktop — the two set-up commands are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= $(CURDIR)/.venv
BIN := $(VENV)/bin
# The collection must sit at ansible_collections/aiohub/claude_desktop; a symlink in build/
# gives playbooks and Molecule that path without moving the repository.
COLLECTIONS_ROOT := $(CURDIR)/build/collections
COLLECTION_LINK := $(COLLECTIONS_ROOT)/ansible_collections/aiohub/claude_desktop
export PATH := $(BIN):$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS_ROOT)
# This checkout's own test fleet (tests/fleet/fleet.sh id): subnet 10.231.<FLEET_ID>.0/24.
export FLEET_ID ?= $(shell bash tests/fleet/fleet.sh id)

.PHONY: help venv runtime link system-deps demo test unit pytest-all docs demo-validate demo-render
# mk/*.mk fragments append their targets to DEMO_TARGETS and TEST_TARGETS (static gates,
# Molecule); `make test` then runs every pytest suite in one run, so its closing line counts all.
DEMO_TARGETS :=
TEST_TARGETS :=
help:
	@echo "make demo   validate and render the embedded example fleet (no root, no network beyond PyPI)"
	@echo "make test   the whole suite (unit, property, sanity, lint, real-tool and fleet tests)"

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

venv: $(BIN)/.installed

# The demo needs only the runtime set: ansible-core and meta/ee-requirements.txt's packages at
# requirements.txt's pins (scripts/runtime_requirements.py), not the ~120 packages of the dev and
# test tools. A venv that already has everything (make venv) serves as is. For speed the venv gets
# no pip of its own (this Python's pip installs into it with --python; `make venv` adds pip later)
# and no byte-code compilation at install time (Python writes it on first import).
$(BIN)/.runtime: requirements.txt meta/ee-requirements.txt scripts/runtime_requirements.py
	[ -x $(BIN)/python ] || $(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) scripts/runtime_requirements.py > $(VENV)/runtime-requirements.txt
	if $(PYTHON) -m pip --python $(BIN)/python --version >/dev/null 2>&1; then \
	  $(PYTHON) -m pip --python $(BIN)/python install --no-compile --quiet --disable-pip-version-check -r $(VENV)/runtime-requirements.txt; \
	else \
	  $(BIN)/python -m ensurepip --upgrade >/dev/null && \
	  $(BIN)/python -m pip install --no-compile --quiet --disable-pip-version-check -r $(VENV)/runtime-requirements.txt; \
	fi
	touch $@

runtime: $(if $(wildcard $(BIN)/.installed),$(BIN)/.installed,$(BIN)/.runtime)

$(COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR) $@

link: $(COLLECTION_LINK)

# Real tools the tests drive (plistutil, Wine, sshd, ...): installed when missing, as root.
system-deps:
	bash scripts/ensure-system-deps.sh

unit: venv link
	$(BIN)/python -m pytest tests/unit -q -m "not realtools"

# The demo: validate and render the embedded example fleet (no root, no connection to any host).
demo-validate: runtime link
	$(BIN)/ansible-playbook playbooks/validate.yml

demo-render: runtime link
	$(BIN)/ansible-playbook playbooks/render.yml -e claude_desktop_render_all_formats=true

docs: venv link
	$(BIN)/python scripts/generate-docs.py
	$(BIN)/python scripts/docsite_pages.py

DEMO_TARGETS += demo-validate demo-render

include $(sort $(wildcard mk/*.mk))

demo: runtime link $(DEMO_TARGETS)
	@echo "demo: done. Artifacts per host are under build/artifacts/<host>/"

# All pytest suites at once: unit + property, real tools (plistutil, Wine, openssl), the SSH fleet
# rollouts (root), the Windows role against the ansible.windows double and Wine.
pytest-all: venv link system-deps
	$(BIN)/python -m pytest tests -q -p no:cacheprovider

test: venv link system-deps $(TEST_TARGETS) pytest-all
	@echo "test: all suites passed"
