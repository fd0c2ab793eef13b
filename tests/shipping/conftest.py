"""The built collection as users get it: tarball, galaxy-importer, installed copy, EE tooling."""

from __future__ import annotations

import pathlib
import tarfile

import pytest

from shipping_helpers import build_tarball, install_tarball


@pytest.fixture(scope="session")
def tarball(tmp_path_factory):
    """`ansible-galaxy collection build` of the checkout, as a release is built."""
    return pathlib.Path(build_tarball(tmp_path_factory.mktemp("dist")))


@pytest.fixture(scope="session")
def tarball_members(tarball):
    with tarfile.open(tarball) as tar:
        return {m.name: m for m in tar.getmembers()}


@pytest.fixture(scope="session")
def installed(tarball, tmp_path_factory):
    """The tarball installed into a fresh collections path (returns that path)."""
    root = tmp_path_factory.mktemp("installed")
    install_tarball(tarball, root)
    return root
