"""Make the repository importable as ansible_collections.aiohub.claude_desktop for plain pytest."""

from __future__ import annotations

import os
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(REPO, "build", "collections")
LINK = os.path.join(COLLECTIONS, "ansible_collections", "aiohub", "claude_desktop")

if not os.path.exists(LINK):
    os.makedirs(os.path.dirname(LINK), exist_ok=True)
    try:
        os.symlink(REPO, LINK)
    except FileExistsError:
        pass
if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)
# tests/unit: the cross-cutting suites at its top level (conformance, properties, playbook runs) whose
# helpers the per-file tests under plugins/ import (test_properties.valid_configs, test_playbooks.run)
UNIT = os.path.dirname(os.path.abspath(__file__))
if UNIT not in sys.path:
    sys.path.insert(0, UNIT)
TESTS = os.path.join(REPO, "tests")  # tests/support: helpers shared by several test trees
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)


def pytest_configure(config):
    config.addinivalue_line("markers", "realtools: drives real tools (plistutil, Wine, openssl); never skipped")


@pytest.fixture
def fake_key():
    return "sk-test-0123456789abcdef"
