"""Admin docs: the docsite's extra pages are current, listed, and the guides' links resolve."""

from __future__ import annotations

import os
import re
import shutil

import pytest
import yaml

from shipping_helpers import REPO, run, tool

DOCS = os.path.join(REPO, "docs")
GUIDES = ("quickstart.md", "mdm.md", "windows-gpo-intune.md", "local-config.md", "troubleshooting.md", "awx.md")


def test_docsite_pages_are_generated_from_the_markdown_and_listed():
    if not shutil.which("pandoc"):
        pytest.fail("pandoc is not installed: run scripts/ensure-system-deps.sh")
    proc = run([tool("python"), os.path.join(REPO, "scripts", "docsite_pages.py"), "--check"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with open(os.path.join(DOCS, "docsite", "extra-docs.yml"), encoding="utf-8") as f:
        extra = yaml.safe_load(f)
    listed = [page for section in extra["sections"] for page in section["toctree"]]
    on_disk = sorted(name[:-4] for name in os.listdir(os.path.join(DOCS, "docsite", "rst")) if name.endswith(".rst"))
    assert sorted(listed) == on_disk
    for page in on_disk:
        with open(os.path.join(DOCS, "docsite", "rst", page + ".rst"), encoding="utf-8") as f:
            assert f.readline().strip() == ".. _ansible_collections.aiohub.claude_desktop.docsite.%s:" % page


@pytest.mark.parametrize("guide", GUIDES)
def test_guide_links_point_at_existing_files(guide):
    with open(os.path.join(DOCS, guide), encoding="utf-8") as f:
        text = f.read()
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" in target:
            continue
        assert os.path.exists(os.path.normpath(os.path.join(DOCS, target))), "%s links to missing %s" % (guide, target)


def test_troubleshooting_covers_every_pitfall_of_the_spec():
    """Spec §8 lists 21 known pitfalls; each has a row (symptom, cause, fix) naming its subject."""
    with open(os.path.join(DOCS, "troubleshooting.md"), encoding="utf-8") as f:
        text = f.read()
    subjects = ["JSON string", "HKLM", "user** context", "configLibrary", "relaunch", "https", "inferenceCredentialKind",
                "inferenceModels", "coworkEgressAllowedHosts", "isDesktopExtensionEnabled", "inferenceTokenWindowHours",
                "deploymentOrganizationUuid", "inferenceCustomHeaders", "MSIX", "rewrites", "mcxrefresh",
                "trustBootstrapDelivery", "inferenceCredentialHelperSilentRefreshEnabled", "redirectPort",
                "toolSearchEnabled", "group/world-writable"]
    missing = [s for s in subjects if s.replace("**", "") not in text]
    assert not missing, missing
