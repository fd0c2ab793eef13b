"""Issue 25 step 3: "which OS" is decided once, by placement.resolve_os.

Issue 22's rule: claude_desktop_os decides when it is set; otherwise what the host reports (uname on the
host, or gathered facts); otherwise a PowerShell connection is Windows; otherwise nobody knows yet (the host
decides at run time). The guards below fail when a second OS recognition appears: a plugin that reads the
OS variables or facts, compares a system name, asks the connection's shell, or a playbook or role that
recognises Windows in Jinja.
"""

from __future__ import annotations

import ast
import os

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import apply_engine
from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement as p
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _failures

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
PLACEMENT = os.path.join("plugins", "module_utils", "placement.py")


@pytest.mark.parametrize("variables, kwargs, want", [
    ({}, {}, None),
    ({"claude_desktop_os": "macos"}, {}, "macos"),
    # issue 22: the inventory decides, over the connection and over facts
    ({"claude_desktop_os": "linux", "ansible_connection": "winrm"}, {}, "linux"),
    ({"claude_desktop_os": "macos", "ansible_system": "Linux"}, {"system": "Linux"}, "macos"),
    ({"claude_desktop_os": "solaris"}, {}, "solaris"),  # returned as given: the caller names the wrong value
    ({"claude_desktop_os": ""}, {"system": "Darwin"}, "macos"),
    ({}, {"system": "Linux"}, "linux"),
    ({}, {"system": "FreeBSD"}, None),
    ({"ansible_system": "Win32NT"}, {}, "windows"),
    ({"ansible_facts": {"system": "Darwin"}}, {}, "macos"),
    ({"ansible_os_family": "Windows"}, {}, "windows"),
    ({"ansible_os_family": "Debian"}, {}, None),  # a distribution name alone is not a system
    ({"ansible_system": "Linux", "ansible_connection": "winrm"}, {}, "linux"),  # the facts, gathered on the host
    ({"ansible_connection": "winrm"}, {}, "windows"),
    ({"ansible_connection": "psrp"}, {}, "windows"),
    ({"ansible_shell_type": "powershell"}, {}, "windows"),
    ({}, {"shell_family": "powershell"}, "windows"),
    ({"ansible_connection": "ssh"}, {"shell_family": "sh"}, None),
    ({"ansible_connection": "winrm"}, {"connection": False}, None),  # fleet validation reads no connection
])
def test_resolve_os(variables, kwargs, want):
    assert p.resolve_os(variables, **kwargs) == want


def test_every_caller_follows_it():
    """The target (apply_engine), the playbooks' controller check (_failures) and the validator agree with it."""
    variants = {"macos": {}, "linux": {}}
    assert apply_engine.decide_os(None, variants, system="Darwin") == "macos"
    assert apply_engine.decide_os("linux", variants, system="Darwin") == "linux"
    with pytest.raises(ValueError):
        apply_engine.decide_os(None, variants, system="Win32NT")
    assert _failures.is_windows({"ansible_connection": "winrm"})
    assert not _failures.is_windows({"ansible_connection": "winrm", "claude_desktop_os": "linux"})
    assert _failures.CONNECTION_VARS == p.CONNECTION_VARS


# --------------------------------------------------------------------------------------- guards
# Names only placement.py may use as values: the OS variable, the facts, system names, the PowerShell shell.
GUARDED = {"claude_desktop_os", "ansible_shell_type", "ansible_system", "ansible_os_family", "Darwin", "Win32NT", "win32nt", "powershell"}
# _failures.py: which Python library a connection needs on the controller (pywinrm for winrm), not which OS.
ALLOWED = {(os.path.join("plugins", "plugin_utils", "_failures.py"), name) for name in ("winrm", "psrp", "ansible_connection")}
CONNECTION_NAMES = {"ansible_connection", "winrm", "psrp"}


def _python_files():
    for root, _dirs, names in os.walk(os.path.join(REPO, "plugins")):
        for name in names:
            if name.endswith(".py"):
                path = os.path.join(root, name)
                yield os.path.relpath(path, REPO), ast.parse(open(path).read(), path)


def _is_system_call(node):
    """platform.system(), os.uname(), sys.platform: what the host running the code is."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
        return (node.func.value.id, node.func.attr) in (("platform", "system"), ("os", "uname"), ("platform", "uname"))
    if isinstance(node, ast.Subscript):
        return _is_system_call(node.value)
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and (node.value.id, node.attr) == ("sys", "platform")


def test_only_resolve_os_recognises_an_os():
    found = []
    for rel, tree in _python_files():
        calls_resolver = any(isinstance(n, ast.Call) and getattr(n.func, "attr", getattr(n.func, "id", None)) == "resolve_os"
                             for n in ast.walk(tree))
        for node in ast.walk(tree):
            if rel == PLACEMENT:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value in GUARDED or (node.value in CONNECTION_NAMES and (rel, node.value) not in ALLOWED):
                    found.append("%s:%d uses %r" % (rel, node.lineno, node.value))
            elif isinstance(node, ast.Attribute) and node.attr == "SHELL_FAMILY" and rel != os.path.join("plugins", "plugin_utils", "_action.py"):
                found.append("%s:%d asks the connection's shell" % (rel, node.lineno))
            elif isinstance(node, ast.Compare) and any(_is_system_call(n) for n in [node.left] + node.comparators):
                found.append("%s:%d compares what the host reports itself" % (rel, node.lineno))
            elif _is_system_call(node) and not calls_resolver:
                found.append("%s:%d reads the system without placement.resolve_os" % (rel, node.lineno))
    assert not found, "a second OS recognition (use placement.resolve_os): " + "; ".join(found)


def test_playbooks_and_roles_recognise_no_os_in_jinja():
    words = ("claude_desktop_os", "ansible_connection", "ansible_shell_type", "ansible_system", "ansible_os_family", "winrm", "psrp",
             "powershell")
    found = []
    for top in ("playbooks", "roles"):
        for root, _dirs, names in os.walk(os.path.join(REPO, top)):
            if os.path.basename(root) == "meta":  # argument specs: documentation
                continue
            for name in names:
                if name.endswith((".yml", ".yaml", ".j2")):
                    with open(os.path.join(root, name)) as handle:
                        for number, line in enumerate(handle, 1):
                            code = line.split("#", 1)[0]
                            found.extend("%s:%d %s" % (os.path.relpath(os.path.join(root, name), REPO), number, w) for w in words if w in code)
    assert not found, "decide the OS with lookup('aiohub.claude_desktop.resolve', 'os'): " + "; ".join(found)


def test_the_guard_sees_a_second_recognition(tmp_path):
    """The guard is not blind: the old playbook rule and the old apply check are what it reports."""
    old = ast.parse('x = values.get("claude_desktop_os") == "windows" or getattr(shell, "SHELL_FAMILY", "") == "powershell"\n'
                    'y = platform.system() == "Darwin"\n')
    hits = [n for n in ast.walk(old) if (isinstance(n, ast.Constant) and n.value in GUARDED)
            or (isinstance(n, ast.Compare) and any(_is_system_call(c) for c in [n.left] + n.comparators))]
    assert len(hits) >= 4
