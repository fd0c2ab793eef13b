# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where files written on the controller (artifacts, reports) go. PRIVATE: ONLY FOR ACTION PLUGINS.

Never inside an inventory source: Ansible parses every file of an inventory directory as inventory,
so a rendered profile there becomes a host ``<?xml`` on the next run (issue 21 item 1). Never inside
the installed collection either (issue 13 item 2).

The default is beside the inventory: for ``-i inventory/`` (a directory) the directory that holds
it, for ``-i hosts.yml`` (a file) the directory of the file, for an inventory that is not a path
(``-i host1,host2,``) the current directory. From a source checkout (no MANIFEST.json: ``make
demo``), the checkout's ``build/``.
"""

from __future__ import annotations

import os

# plugins/plugin_utils/_output.py -> the collection's root
COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _real(path):
    return os.path.realpath(os.path.abspath(os.path.expanduser(path)))


def _within(path, directory):
    """True when path is directory or lies below it (both resolved)."""
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def inventory_sources(task_vars):
    """The inventory sources of the run that are paths on the controller (files and directories), resolved."""
    sources = task_vars.get("ansible_inventory_sources") or []
    if isinstance(sources, str):
        sources = [sources]
    out = []
    for source in sources:
        if not isinstance(source, str) or not source or ("," in source and not os.path.exists(source)):
            continue  # a host list such as "lab-pc," is no path
        if os.path.exists(source):
            out.append(_real(source))
    return out


def installed():
    """True for a collection installed from its tarball (ansible-galaxy writes MANIFEST.json)."""
    return os.path.isfile(os.path.join(COLLECTION_ROOT, "MANIFEST.json"))


def default_base(task_vars, cwd=None):
    """The directory that holds artifacts/ and reports/ when the user sets no output path."""
    if not installed():
        return os.path.join(_real(COLLECTION_ROOT), "build")
    sources = inventory_sources(task_vars)
    dirs = [s for s in sources if os.path.isdir(s)]
    if sources:
        first = sources[0]
        base = os.path.dirname(first) if os.path.isdir(first) or os.path.isfile(first) else first
    else:
        base = _real(cwd or os.environ.get("PWD") or os.getcwd())
    # beside (never inside) every directory source, e.g. -i inventory/hosts.yml -i inventory/
    moved = True
    while moved:
        moved = False
        for d in dirs:
            if _within(base, d) and os.path.dirname(d) != d:
                base, moved = os.path.dirname(d), True
    return base


def default_dir(task_vars, name):
    """<default base>/<name> (name: artifacts or reports)."""
    return os.path.join(default_base(task_vars), name)


def location_problem(path, task_vars, variable):
    """Why path may not receive controller output, or None. ``variable`` names the setting to change."""
    real = _real(path)
    for source in inventory_sources(task_vars):
        if _within(real, source) if os.path.isdir(source) else real == source:
            return ("%s (%s) is inside the inventory source %s: Ansible would read the files written there as inventory "
                    "on the next run (hosts named '<?xml', broken groups). Set %s to a directory outside every inventory "
                    "source, e.g. %s, or leave it unset for that default"
                    % (variable, path, source, variable, os.path.join(default_base(task_vars), os.path.basename(real) or "artifacts")))
    if installed() and _within(real, _real(COLLECTION_ROOT)):
        return ("%s (%s) is inside the installed collection %s, which an upgrade replaces; set %s to a directory of your "
                "project, or leave it unset (beside the inventory)" % (variable, path, COLLECTION_ROOT, variable))
    return None
