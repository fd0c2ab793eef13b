# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fleet mode of the validate and render actions. PRIVATE, controller-only.

One task (``run_once``) handles every host of the play: each host's variables are read once
through ``hostvars`` (inventory, group/host vars, Vault, extra vars: templated in that host's
own context), its layers merged, and hosts grouped by what they would produce. Each distinct
config is validated (and rendered) once. Ansible's per-host task dispatch (about 10 ms a host on
two cores) is paid once instead of once per host.

The report is written for 10,000 hosts: one line per distinct finding with the hosts it
concerns (names for a few, a count for many), counts for the rest.
"""

from __future__ import annotations

import json
import re

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._layers import LAYER_VARS, LayerError, merge_layers

VALIDATION_VARS = LAYER_VARS + ("claude_desktop_min_app_version", "claude_desktop_allow_unknown_keys")
NAMES_SHOWN = 5
# A host name becomes one directory under the artifacts directory: one path segment, no
# leading dot (.by-config and temporary entries live there), nothing a shell or Windows trips on.
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9_@][A-Za-z0-9_.@:+=,-]{0,254}$")


class HostInputError(Exception):
    """A host's variables cannot be read or combined; the message names the variable."""


def read_host_vars(hostvars, host, names):
    """The named variables of one host as that host sees them (templated, Vault decrypted)."""
    view = hostvars[host]
    out = {}
    for name in names:
        if name not in view:
            continue
        try:
            out[name] = plain(view[name])
        except Exception as exc:  # an undefined variable in a template, a missing vault secret, ...
            # the exception text names the expression, never a resolved value
            raise HostInputError("%s cannot be templated: %s" % (name, _first_line(exc)))
    return out


def plain(value):
    """Templated data as plain Python types (no tags, no lazy containers): cheap to copy and compare."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return value if type(value) is str else str.__str__(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def _first_line(exc):
    text = str(getattr(exc, "message", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def effective_config(values):
    """Merge a host's three layers; a layer of the wrong type names its variable."""
    try:
        return merge_layers([values.get(name) for name in LAYER_VARS], names=list(LAYER_VARS))
    except LayerError as exc:
        raise HostInputError(str(exc))


def host_name_problem(host):
    """Why a host name cannot be a directory name under the artifacts directory (None if it can)."""
    if _SAFE_SEGMENT.match(host) and host not in (".", ".."):
        return None
    return ("inventory host name %r cannot be used as an artifact directory name (one path segment of letters, "
            "digits and . _ - @ : + = , not starting with a dot)" % host)


def canonical(value):
    """A stable text key for grouping equal configs (sorted keys; values of any JSON-able type)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


class Findings(object):
    """Errors and warnings, each with the set of hosts it concerns."""

    def __init__(self):
        self.errors = {}
        self.warnings = {}

    def add_error(self, text, hosts):
        self.errors.setdefault(text, []).extend(hosts)

    def add_warning(self, text, hosts):
        self.warnings.setdefault(text, []).extend(hosts)

    def failed_hosts(self):
        out = {}
        for text, hosts in self.errors.items():
            for host in hosts:
                out.setdefault(host, []).append(text)
        return out

    def warned_hosts(self):
        return set(h for hosts in self.warnings.values() for h in hosts)

    def lines(self):
        """One line per distinct finding, errors first, the most widespread first."""
        out = []
        for label, table in (("ERROR", self.errors), ("WARNING", self.warnings)):
            for text, hosts in sorted(table.items(), key=lambda item: (-len(item[1]), item[0])):
                out.append("%-7s %s: %s" % (label, host_list(hosts), text))
        return out


def host_list(hosts):
    hosts = sorted(set(hosts))
    if len(hosts) == 1:
        return hosts[0]
    shown = ", ".join(hosts[:NAMES_SHOWN])
    more = " +%d more" % (len(hosts) - NAMES_SHOWN) if len(hosts) > NAMES_SHOWN else ""
    return "%d hosts (%s%s)" % (len(hosts), shown, more)


def collect(hostvars, hosts, names, findings):
    """[(host, values, effective config)] for every host whose variables can be read and merged."""
    entries = []
    for host in hosts:
        try:
            values = read_host_vars(hostvars, host, names)
            entries.append((host, values, effective_config(values)))
        except HostInputError as exc:
            findings.add_error(str(exc), [host])
    return entries


class FleetValidation(object):
    """Each distinct (config, min_app_version, allow_unknown_keys) validated once."""

    def __init__(self):
        self.results = {}  # host -> ValidationResult of its config, for valid hosts
        self.distinct = 0
        self.seconds = 0.0


def validate_entries(entries, findings):
    import time

    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

    groups = {}
    for host, values, config in entries:
        allow = values.get("claude_desktop_allow_unknown_keys", False)
        minimum = values.get("claude_desktop_min_app_version")
        groups.setdefault(canonical([config, minimum, allow]), (config, minimum, allow, []))[3].append(host)
    out = FleetValidation()
    out.distinct = len(groups)
    start = time.perf_counter()
    for config, minimum, allow, hosts in groups.values():
        if not isinstance(allow, (bool, list)):
            findings.add_error("claude_desktop_allow_unknown_keys must be true, false or a list of key names, got %s"
                               % type(allow).__name__, hosts)
            continue
        result = validate_config(config, min_app_version=None if minimum is None else str(minimum), allow_unknown_keys=allow)
        for problem in result.problems:  # already scrubbed of this config's secrets
            findings.add_error(str(problem), hosts)
        for warning in result.warnings:
            findings.add_warning(warning, hosts)
        if result.ok:
            for host in hosts:
                out.results[host] = result
    out.seconds = time.perf_counter() - start
    return out


def validation_headline(count, validation, findings):
    invalid = findings.failed_hosts()
    warned = findings.warned_hosts() - set(invalid)
    per_config = validation.seconds * 1000.0 / validation.distinct if validation.distinct else 0.0
    return ("Validated %d hosts: %d distinct configs in %.3f s (%.3f ms each); %d valid (%d with warnings), %d invalid"
            % (count, validation.distinct, validation.seconds, per_config, count - len(invalid), len(warned), len(invalid)))
