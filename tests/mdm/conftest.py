"""Fixtures for the MDM and per-team tests: the collection built and installed as users get it,
and a user's project directory (inventory with group_vars/ and host_vars/) outside the checkout."""

from __future__ import annotations

import os
import sys

import pytest

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TESTS)  # tests/, for support.* and shipping.*
sys.path.insert(0, os.path.join(os.path.dirname(TESTS), "build", "collections"))  # `make link`
from shipping.shipping_helpers import build_tarball, install_tarball  # noqa: E402


@pytest.fixture(scope="session")
def installed_collections(tmp_path_factory):
    """A collections path holding only the built tarball, installed with ansible-galaxy."""
    root = tmp_path_factory.mktemp("mdm-installed")
    install_tarball(build_tarball(tmp_path_factory.mktemp("mdm-dist")), root)
    return root
