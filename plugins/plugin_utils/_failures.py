# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a host's failure is, and its real fix (issue 21 item 8). PRIVATE, controller-only.

Ansible reports a refused login (SSH or WinRM) as "unreachable", like a machine that is off; the
fix is not the same. ``classify`` reads the message Ansible or a module gave and returns a kind and
the fix: a login refused, sudo refused, a collection or Python library missing on the controller,
no Python on the host, or a host that could not be reached (the only case where a rerun helps).
"""

from __future__ import annotations

import re

UNREACHABLE = "unreachable"
_RULES = (
    ("login refused", re.compile(
        r"Permission denied \((publickey|password|keyboard-interactive|gssapi)|Authentication failed|Too many authentication failures|"
        r"credentials were rejected|invalid credentials|HTTP 401|\b401\b.*Unauthori[sz]ed|Unauthori[sz]ed|"
        r"Server not found in Kerberos database|kerberos: .*(authGSSClient|No Kerberos credentials)", re.I),
     "the host answered but refused the login: check ansible_user and its password or key for this host "
     "(ansible_password or ansible_ssh_private_key_file, kept in Vault), and for WinRM ansible_winrm_transport "
     "(ntlm, kerberos, credssp, certificate); a rerun will not help"),
    ("certificate not trusted", re.compile(r"CERTIFICATE_VERIFY_FAILED|certificate verify failed", re.I),
     "the host's TLS certificate is not trusted by the controller: give its CA in ansible_winrm_ca_trust_path "
     "(or fix the certificate); a rerun will not help"),
    ("sudo refused", re.compile(
        r"Missing sudo password|sudo: a password is required|Incorrect sudo password|is not in the sudoers file|"
        r"sudo: no tty present|Timeout \(\d+s\) waiting for privilege escalation prompt", re.I),
     "become (sudo) failed: give ansible_become_password (Vault, or --ask-become-pass) or allow ansible_user "
     "passwordless sudo"),
    ("collection missing", re.compile(r"couldn't resolve module/action '(?P<fqcn>[A-Za-z0-9_]+\.[A-Za-z0-9_]+)\.", re.I),
     "the collection {collection} is not installed on the controller: ansible-galaxy collection install {collection} "
     "(offline: pip install ansible, which bundles it, or install its tarball with ansible-galaxy collection install ./FILE.tar.gz)"),
    ("library missing", re.compile(r"winrm or requests is not installed|No module named '?(winrm|requests_ntlm|spnego)|"
                                   r"pypsrp is not installed|No module named '?pypsrp", re.I),
     "a Python library of the connection is missing on the controller: pip install pywinrm (psrp: pip install pypsrp), "
     "in the environment ansible-playbook runs from"),
    ("library missing", re.compile(r"requests_credssp|kerberos.*not installed|No module named '?(kerberos|krb5|gssapi)", re.I),
     "a Python library of the WinRM transport is missing on the controller: pip install 'pywinrm[kerberos]' "
     "(or 'pywinrm[credssp]')"),
    ("no python on the host", re.compile(r"python3?: (command )?not found|No such file or directory.*python|"
                                         r"interpreter discovery.*failed|/bin/sh: .*python", re.I),
     "the host has no Python 3 where Ansible looks: install it, or set ansible_python_interpreter"),
)
_UNREACHABLE_FIX = "the host could not be reached (off, asleep, no route, wrong address or port): rerun with --limit {host} once it is back"


def classify(msg, host="HOST"):
    """(kind, fix) for a failure message; kind is UNREACHABLE when nothing more specific matches."""
    text = " ".join(str(msg or "").split())
    for kind, pattern, fix in _RULES:
        match = pattern.search(text)
        if match:
            collection = (match.groupdict().get("fqcn") or "") if match.groupdict() else ""
            return kind, fix.format(collection=collection, host=host)
    return UNREACHABLE, _UNREACHABLE_FIX.format(host=host)


# What the controller needs to reach and configure a host, by how the host is reached. Only
# ansible.windows is used by the playbooks (the Windows roles); ansible.posix and community.general
# are declared in galaxy.yml but no playbook task uses them, so they are not required here.
CONNECTION_VARS = ("ansible_connection", "ansible_shell_type")
WINDOWS_COLLECTIONS = (("ansible.windows", "ansible.windows.win_copy"),)
CONNECTION_LIBRARIES = {"winrm": ("winrm", "pywinrm"), "psrp": ("pypsrp", "pypsrp")}


def is_windows(values):
    """The deploy playbooks' rule (playbooks/vars/claude_desktop.yml claude_desktop_is_windows)."""
    return (values.get("claude_desktop_os") == "windows" or values.get("ansible_connection") in ("winrm", "psrp") or
            values.get("ansible_shell_type") == "powershell")


def _collection_installed(probe):
    """The collection of ``probe`` (a module's FQCN) is importable through Ansible's collection loader."""
    import importlib.util

    namespace, name = probe.split(".")[:2]
    try:
        return importlib.util.find_spec("ansible_collections.%s.%s.plugins.modules" % (namespace, name)) is not None
    except (ImportError, ValueError):
        return False


def _library_installed(name):
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def controller_needs(entries):
    """[(message, hosts)] for what this controller lacks to deploy to the hosts: a collection the
    hosts' OS mix needs (ansible.windows for Windows hosts), a connection's Python library (pywinrm
    for WinRM). ``entries``: [(host, values)] with claude_desktop_os and CONNECTION_VARS."""
    out = []
    windows = [host for host, values in entries if is_windows(values)]
    for collection, probe in WINDOWS_COLLECTIONS:
        if windows and not _collection_installed(probe):
            out.append(("the collection %s is not installed on this controller, and deploy needs it for Windows hosts (its modules "
                        "write the registry and files there). Install it: ansible-galaxy collection install %s (offline: pip install "
                        "ansible, which bundles it, or ansible-galaxy collection install ./%s-X.Y.Z.tar.gz)"
                        % (collection, collection, collection.replace(".", "-")), windows))
    for connection, (module, package) in sorted(CONNECTION_LIBRARIES.items()):
        hosts = [host for host, values in entries if values.get("ansible_connection") == connection]
        if hosts and not _library_installed(module):
            out.append(("ansible_connection %s needs the Python package %s on this controller, which is not installed. Install it "
                        "where ansible-playbook runs: pip install %s" % (connection, package, package), hosts))
    return out
