"""The built collection as users get it: tarball, galaxy-importer, installed copy, EE tooling."""

from __future__ import annotations

import tarfile

import pytest

from shipping_helpers import REPO, galaxy_version, run, tool


@pytest.fixture(scope="session")
def tarball(tmp_path_factory):
    """`ansible-galaxy collection build` of the checkout, as a release is built."""
    out = tmp_path_factory.mktemp("dist")
    proc = run([tool("ansible-galaxy"), "collection", "build", "--output-path", str(out), REPO], cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    path = out / ("aiohub-claude_desktop-%s.tar.gz" % galaxy_version())
    assert path.exists(), proc.stdout
    return path


@pytest.fixture(scope="session")
def tarball_members(tarball):
    with tarfile.open(tarball) as tar:
        return {m.name: m for m in tar.getmembers()}


@pytest.fixture(scope="session")
def installed(tarball, tmp_path_factory):
    """The tarball installed with `ansible-galaxy collection install` into a fresh collections path.

    Dependencies (ansible.windows, ...) come from the `ansible` package here (Galaxy is unreachable),
    hence --no-deps; users get them from Galaxy.
    """
    root = tmp_path_factory.mktemp("installed")
    proc = run([tool("ansible-galaxy"), "collection", "install", "--no-deps", "-p", str(root), str(tarball)],
               cwd=str(root))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    path = root / "ansible_collections" / "aiohub" / "claude_desktop"
    assert (path / "MANIFEST.json").exists()
    return root
