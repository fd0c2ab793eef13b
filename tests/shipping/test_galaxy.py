"""Galaxy and Automation Hub: what the tarball holds and galaxy-importer's verdict on it."""

from __future__ import annotations

import json
import os
import re
import tarfile

import pytest
import yaml

from shipping_helpers import galaxy_version, run, tool

IMPORTER_CONFIGS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "galaxy-importer")
# Development-only content that must never reach users.
FORBIDDEN = (
    re.compile(r"^tests/"),                       # test suite, ansible.windows test double, SSH fleet
    re.compile(r"^extensions/"),                  # Molecule scenarios against the test fleet
    re.compile(r"^scripts/"),                     # root-run system-package installer, dev scripts
    re.compile(r"(^|/)demo-vault-password"),      # the demo vault password
    re.compile(r"^ansible\.cfg$"),                # names the demo vault password
    re.compile(r"^(build|\.venv|\.git|\.ci|benchmarks|mk)(/|$)"),
    re.compile(r"^requirements[^/]*\.txt$"),      # dev pins
    re.compile(r"(^|/)__pycache__/|\.pyc$|\.tar\.gz$"),
)


def test_tarball_holds_what_users_run_and_nothing_else(tarball, tarball_members):
    names = set(tarball_members)
    leaked = sorted(n for n in names if any(p.search(n) for p in FORBIDDEN))
    assert not leaked, leaked
    for needed in ("LICENSE", "README.md", "meta/runtime.yml", "meta/execution-environment.yml",
                   "meta/ee-requirements.txt", "bindep.txt", "changelogs/changelog.yaml", "CHANGELOG.rst",
                   "playbooks/deploy.yml", "plugins/plugin_utils/_admx.py", "docs/keys.md"):
        assert needed in names, needed
    roles = {n.split("/")[1] for n in names if n.startswith("roles/") and n.count("/") >= 2}
    assert roles and all("roles/%s/README.md" % r in names for r in roles)
    assert all("roles/%s/meta/argument_specs.yml" % r in names for r in roles)
    with tarfile.open(tarball) as tar:
        manifest = json.load(tar.extractfile("MANIFEST.json"))
        licence = tar.extractfile("LICENSE").read().decode("utf-8")
    assert manifest["collection_info"]["version"] == galaxy_version()
    assert manifest["collection_info"]["license"] == ["GPL-3.0-or-later"]
    assert "GNU GENERAL PUBLIC LICENSE" in licence and "Version 3, 29 June 2007" in licence
    size = os.path.getsize(tarball)
    # 421 KB at 1.0.0 with issue 25's modules (the generated docs/conformance.md alone is 300 KB uncompressed):
    # a guard against tests/, build/ or a venv slipping in, which would add megabytes
    assert size < 512 * 1024, "tarball grew to %d bytes: check build_ignore" % size


def test_version_is_released_semver_at_least_1_0_0():
    major, minor, patch = (int(p) for p in galaxy_version().split("."))
    assert (major, minor, patch) >= (1, 0, 0)


@pytest.mark.parametrize("settings", ["galaxy", "automation-hub"])
def test_galaxy_importer_accepts_the_tarball(tarball, settings, tmp_path):
    """galaxy-importer with each server's settings: no error, no warning (ansible-lint findings and
    ansible-doc failures are logged as warnings/errors while the importer still exits 0)."""
    proc = run([tool("python"), "-m", "galaxy_importer.main", str(tarball)], cwd=str(tmp_path), timeout=900, without_ansible_env=True,
               env={"GALAXY_IMPORTER_CONFIG": os.path.join(IMPORTER_CONFIGS, settings + ".cfg"),
                    "GALAXY_IMPORTER_TMP_ROOT_DIR": str(tmp_path), "GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP": str(tmp_path / "ansible")})
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "Importer processing completed successfully" in output, output
    problems = [line for line in output.splitlines() if re.match(r"^\s*(ERROR|WARNING|CRITICAL)", line)]
    assert not problems, "\n".join(problems)
    for role in ("managed_settings", "user_config", "windows_policy"):
        assert "Loading role %s" % role in output


def test_released_changelog_lists_this_version(tarball):
    """antsibull-changelog release: CHANGELOG.rst and changelogs/changelog.yaml name the galaxy.yml version."""
    version = galaxy_version()
    with tarfile.open(tarball) as tar:
        changelog = tar.extractfile("CHANGELOG.rst").read().decode("utf-8")
        releases = yaml.safe_load(tar.extractfile("changelogs/changelog.yaml"))["releases"]
    assert "v%s" % version in changelog
    assert version in releases and releases[version].get("release_date")
