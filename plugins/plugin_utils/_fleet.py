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

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._layers import LAYER_VARS, LayerError, layered_config, locate_failure

VALIDATION_VARS = LAYER_VARS + (
    "claude_desktop_min_app_version", "claude_desktop_allow_unknown_keys", placement.OS_VARIABLE, "claude_desktop_strict")
STRICT_NOTE = " (a warning; claude_desktop_strict makes it fail this host)"
TARGET_OSES = ("macos", "windows", "linux")
NAMES_SHOWN = 5
# A host name becomes one directory under the artifacts directory: one path segment (no / or \,
# not . or ..), no leading dot (.by-config and temporary entries live there), no spaces or control
# characters. ':' stays allowed for IPv6 addresses as inventory names.
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9_@][A-Za-z0-9_.@:+=,-]{0,254}$")


class HostInputError(Exception):
    """A host's variables cannot be read or combined; the message names the variable."""


class HostVarReader(object):
    """Reads the named variables of many hosts as each host sees them (templated, Vault decrypted).

    Templating in a host's context is most of Ansible's per-host cost (a Jinja compile per template
    string and host). Hosts whose raw (untemplated) values are equal, and whose templates refer
    only to variables that are also equal, get equal results: those are templated once. A
    template that refers to anything else (a lookup, now(), groups, an undefined name) is
    templated for each host, as Ansible would.
    """

    UNCACHEABLE_NAMES = frozenset(("groups", "hostvars", "vars", "omit"))

    def __init__(self, hostvars, names):
        self.hostvars = hostvars
        self.names = tuple(names)
        self.cache = {}
        self.refs = {}
        self.templated = 0

    def read(self, host):
        raw = self.hostvars.raw_get(host)
        present = [name for name in self.names if name in raw]
        key = self._signature(raw, present)
        if key is not None and key in self.cache:
            cached = self.cache[key]
            if isinstance(cached, HostInputError):
                raise cached
            return cached
        view = _view(self.hostvars, host, raw)
        out = {}
        self.templated += 1
        for name in present:
            try:
                out[name] = plain(view[name])
            except Exception as exc:  # an undefined variable in a template, a missing vault secret, ...
                # the exception text names the expression, never a resolved value
                error = HostInputError(_scrubbed("%s cannot be templated: %s" % (locate_failure(raw.get(name), name, exc), _first_line(exc)),
                                                 raw.get(name)))
                if key is not None:
                    self.cache[key] = error
                raise error
        if key is not None:
            self.cache[key] = out
        return out

    def _signature(self, raw, names):
        """A text key of everything the named values depend on, or None when that is not knowable."""
        seen, todo, parts = set(), list(names), []
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in self.UNCACHEABLE_NAMES or name not in raw:
                return None
            value = raw[name]
            refs = self._references(value)
            if refs is None:
                return None
            todo.extend(refs)
            parts.append((name, value))
        try:
            return json.dumps(sorted(parts, key=lambda p: p[0]), sort_keys=True, separators=(",", ":"), default=_raw_default)
        except (TypeError, ValueError):
            return None

    def _references(self, value):
        """Variable names the templates inside value refer to (None when not determinable)."""
        found = set()
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            elif isinstance(item, (list, tuple)):
                stack.extend(item)
            elif isinstance(item, str) and ("{{" in item or "{%" in item or "{#" in item):
                refs = self.refs.get(item, False)
                if refs is False:
                    refs = self.refs[item] = _template_names(item)
                if refs is None:
                    return None
                found.update(refs)
        return found


def _view(hostvars, host, raw):
    """hostvars[host] without computing the host's variables a second time."""
    loader = getattr(hostvars, "_loader", None)
    if loader is None:
        return hostvars[host]
    from ansible.vars.hostvars import HostVarsVars
    return HostVarsVars(raw, loader=loader, host=host)


def _template_names(text):
    try:
        import jinja2
        from jinja2 import meta
        return frozenset(meta.find_undeclared_variables(jinja2.Environment().parse(text)))
    except Exception:
        return None


def _raw_default(value):
    """JSON stand-in for raw values: a Vault value by its ciphertext (never decrypted here)."""
    ciphertext = getattr(value, "_ciphertext", None)
    if ciphertext is not None:
        return "vault:" + ciphertext
    raise TypeError("not serializable")


def plain(value):
    """Templated data as plain Python types (no tags, no lazy containers): cheap to copy and compare."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str.__str__(value)  # a plain str (no data tags)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def _scrubbed(text, raw_layer):
    """A template error may quote the template text: mask the layer's literal secrets in it."""
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import scrub, secret_values

    try:
        secrets = secret_values(plain(raw_layer)) if isinstance(raw_layer, dict) else []
    except Exception:
        secrets = []
    return scrub(text, secrets)


def _first_line(exc):
    text = str(getattr(exc, "message", None) or exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


def effective_config(values):
    """Merge a host's three layers; a layer of the wrong type names its variable."""
    try:
        return layered_config(values)
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
        self.read_seconds = 0.0
        self.templated = 0

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
    import time

    entries = []
    reader = HostVarReader(hostvars, names)
    start = time.perf_counter()
    for host in hosts:
        try:
            values = reader.read(host)
            entries.append((host, values, effective_config(values)))
        except HostInputError as exc:
            findings.add_error(str(exc), [host])
    findings.read_seconds = time.perf_counter() - start
    findings.templated = reader.templated
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
        # the OS as declared (or gathered); validation reads no connection: a host reached over WinRM without
        # claude_desktop_os gets every OS's rules, as before (issue 22)
        target = placement.resolve_os(values, connection=False)
        strict = values.get("claude_desktop_strict", False)
        groups.setdefault(canonical([config, minimum, allow, target, strict]), (config, minimum, allow, target, strict, []))[5].append(host)
    out = FleetValidation()
    out.distinct = len(groups)
    start = time.perf_counter()
    for config, minimum, allow, target, strict, hosts in groups.values():
        strict = strict_flag(strict)
        if strict is None:
            findings.add_error("claude_desktop_strict must be true or false", hosts)
            continue
        if not isinstance(allow, (bool, list)):
            findings.add_error("claude_desktop_allow_unknown_keys must be true, false or a list of key names, got %s"
                               % type(allow).__name__, hosts)
            continue
        if target is not None and target not in TARGET_OSES:
            findings.add_error("claude_desktop_os must be macos, windows or linux, got %r" % (target,), hosts)
            continue
        result = validate_config(config, min_app_version=None if minimum is None else str(minimum), allow_unknown_keys=allow,
                                 target_os=target)
        for problem in result.problems:  # already scrubbed of this config's secrets
            findings.add_error(str(problem), hosts)
        for warning in result.warnings:
            if strict:
                findings.add_error(warning + STRICT_NOTE, hosts)
            else:
                findings.add_warning(warning, hosts)
        if result.ok and not (strict and result.warnings):
            for host in hosts:
                out.results[host] = result
    out.seconds = time.perf_counter() - start
    return out


def strict_flag(value):
    """claude_desktop_strict as a bool (Ansible's booleans: true/false, yes/no, 1/0), None when it is not one."""
    from ansible.module_utils.parsing.convert_bool import boolean

    try:
        return boolean(value, strict=True)
    except TypeError:
        return None


def validation_headline(count, validation, findings):
    invalid = findings.failed_hosts()
    warned = findings.warned_hosts() - set(invalid)
    per_config = validation.seconds * 1000.0 / validation.distinct if validation.distinct else 0.0
    return ("Validated %d hosts: %d distinct configs in %.3f s (%.3f ms each); %d valid (%d with warnings), %d invalid; "
            "host variables read in %.1f s (%d templated)"
            % (count, validation.distinct, validation.seconds, per_config, count - len(invalid), len(warned), len(invalid),
               findings.read_seconds, findings.templated))
