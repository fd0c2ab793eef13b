"""Execution environment: ansible-builder sees the runtime requirements, never the dev pins."""

from __future__ import annotations

import os
import re
import shutil

import yaml

from shipping_helpers import REPO, run, tool

DEV_ONLY = ("pytest", "hypothesis", "molecule", "ansible-lint", "yamllint", "antsibull", "galaxy-importer",
            "ansible-builder", "sphinx", "jsonschema")


def _requirement_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


def test_runtime_requirements_are_ranges_without_dev_tools():
    runtime = _requirement_lines(os.path.join(REPO, "meta", "ee-requirements.txt"))
    assert runtime
    for line in runtime:
        assert "==" not in line, "runtime requirements are ranges: %s" % line
        assert not line.lower().startswith(DEV_ONLY), line
    names = {re.split(r"[<>=!~ ;\[]", line)[0].lower() for line in runtime}
    assert {"pydantic", "cryptography", "pywinrm"} <= names
    # the pinned dev file still pins (make venv) and holds what the runtime file names
    dev = {re.split(r"==", line)[0].lower() for line in _requirement_lines(os.path.join(REPO, "requirements.txt"))}
    assert names <= dev


def test_introspect_of_the_installed_collection_gives_the_runtime_requirements(installed):
    """What ansible-builder runs inside the EE build to collect Python and system requirements."""
    proc = run([tool("ansible-builder"), "introspect", "--sanitize", str(installed)])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = yaml.safe_load(proc.stdout)
    python = [line.split("#")[0].strip() for line in data["python"]]
    assert python == _requirement_lines(os.path.join(REPO, "meta", "ee-requirements.txt"))
    system = [line.split("#")[0].strip() for line in data["system"]]
    assert system == _requirement_lines(os.path.join(REPO, "bindep.txt"))


def test_ansible_builder_create_makes_a_context_with_the_collection(tarball, tmp_path):
    """`ansible-builder create` on the documented EE definition (docs/ee/), with the collection from
    the built tarball instead of Galaxy (unreachable here)."""
    work = tmp_path / "ee"
    shutil.copytree(os.path.join(REPO, "docs", "ee"), work)
    shutil.copy(tarball, work / tarball.name)
    reqs = yaml.safe_load((work / "requirements.yml").read_text())
    for entry in reqs["collections"]:
        if entry["name"] == "aiohub.claude_desktop":
            entry.pop("version", None)
            entry.update(name="src/" + tarball.name, type="file")
    (work / "requirements.yml").write_text(yaml.safe_dump(reqs))
    definition = yaml.safe_load((work / "execution-environment.yml").read_text())
    definition["additional_build_files"] = [{"src": tarball.name, "dest": "src"}]
    (work / "execution-environment.yml").write_text(yaml.safe_dump(definition))
    context = tmp_path / "context"
    proc = run([tool("ansible-builder"), "create", "-f", str(work / "execution-environment.yml"),
                "--context", str(context), "--output-filename", "Containerfile"], cwd=str(work))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    containerfile = (context / "Containerfile").read_text()
    assert "ansible-galaxy collection install" in containerfile
    assert "introspect" in containerfile  # the runtime requirements are collected from meta/ at build time
    assert (context / "_build" / "src" / tarball.name).exists()
    built_reqs = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    assert any(c["name"] == "src/" + tarball.name for c in built_reqs["collections"])
    # no dev pins anywhere in the context
    for path in context.rglob("*"):
        if path.is_file() and path.suffix in (".txt", ".yml", ""):
            text = path.read_text(errors="replace")
            assert "pytest==" not in text and "molecule==" not in text, path
