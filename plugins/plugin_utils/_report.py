# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet report of playbooks/verify.yml: one JSON file for machines, one self-contained HTML page
for people. PRIVATE: ONLY FOR ACTION PLUGINS.

The page reads top-down at any fleet size: the summary (in line / drifted / needs restart /
unreachable / gateway failing), then one table per team (gateway status and latency), then only the
hosts with findings, each finding with its fix. All hosts are listed at the end in a collapsed table.
No value of a secret key ever reaches these files (the audit compares secrets by HMAC).
"""

from __future__ import annotations

import datetime
import html
import json
import os
import tempfile

STATES = ("in_line", "drifted", "needs_restart", "unreachable")
LABELS = {"in_line": "in line", "drifted": "drifted", "needs_restart": "needs restart", "unreachable": "unreachable",
          "gateway_failing": "gateway failing", "not_checked": "not checked"}
COLOURS = {"in_line": "#1a7f37", "drifted": "#cf222e", "needs_restart": "#bf8700", "unreachable": "#6e7781",
           "gateway_failing": "#8250df", "not_checked": "#6e7781"}
ZERO = "#8c959f"
# What makes verify.yml fail the run after writing the report (claude_desktop_verify_fail_on), so a scheduled job alerts.
FAIL_ON_STATES = ("drifted", "gateway_failing", "unreachable", "needs_restart", "not_checked")
FAIL_ON_DEFAULT = ("drifted", "gateway_failing", "unreachable")


def _median(values):
    values = sorted(v for v in values if isinstance(v, (int, float)))
    return values[len(values) // 2] if values else None


def _p95(values):
    values = sorted(v for v in values if isinstance(v, (int, float)))
    return values[min(len(values) - 1, int(len(values) * 0.95))] if values else None


def host_entry(name, team, os_name, gateway, audit):
    """One host's line in the report from its registered gateway_check and config_facts results."""
    entry = {"host": name, "team": team or "(no team)", "os": os_name, "findings": []}
    unreachable = any(isinstance(r, dict) and r.get("unreachable") for r in (gateway, audit))
    if unreachable:
        entry["state"] = "unreachable"
        msg = next((r.get("msg") for r in (audit, gateway) if isinstance(r, dict) and r.get("unreachable")), "")
        entry["findings"].append({"class": "unreachable", "severity": "error", "source": name,
                                  "message": "the host did not answer: %s" % (msg or "unreachable")[:300],
                                  "fix": "Check the machine is on and reachable (SSH/WinRM), then rerun verify.yml for it."})
    elif not isinstance(audit, dict) or audit.get("skipped") or "state" not in audit:
        entry["state"] = "drifted" if isinstance(audit, dict) and audit.get("failed") else "not_checked"
        if isinstance(audit, dict) and audit.get("failed"):
            entry["findings"].append({"class": "audit_failed", "severity": "error", "source": name,
                                      "message": str(audit.get("msg"))[:500], "fix": "Fix the error above and rerun verify.yml."})
    else:
        entry["state"] = audit["state"]
        entry["findings"].extend(audit.get("findings") or [])
        restart = audit.get("restart") or {}
        if restart.get("needs_restart"):
            pids = ", ".join("%s (pid %s, %s)" % (p.get("name"), p.get("pid"), p.get("user", "?")) for p in restart.get("stale") or [])
            entry["findings"].append({"class": "needs_restart", "severity": "warning", "source": name,
                                      "message": "Claude Desktop started before the configuration last changed: %s" % pids,
                                      "fix": restart.get("instruction")})
        entry["restart"] = {"needs_restart": bool(restart.get("needs_restart")), "config_changed": restart.get("config_changed"),
                            "stale": restart.get("stale") or [], "unknown": restart.get("unknown")}
        _app_entry(entry, audit)
    if isinstance(gateway, dict) and not gateway.get("unreachable") and not gateway.get("skipped") and "ok" in gateway:
        entry["gateway"] = {"ok": bool(gateway.get("ok")), "latency_ms": gateway.get("latency_ms"),
                            "classes": sorted(set(f.get("class") for f in gateway.get("failures") or [])),
                            "models_listed": len(gateway.get("models_listed") or []), "skipped_checks": gateway.get("skipped_checks") or [],
                            "provider": gateway.get("provider")}
        for failure in gateway.get("failures") or []:
            entry["findings"].append({"class": "gateway_" + str(failure.get("class")), "severity": "error", "source": "gateway",
                                      "message": failure.get("message"), "fix": failure.get("fix")})
    elif isinstance(gateway, dict) and gateway.get("failed"):
        entry["gateway"] = {"ok": False, "latency_ms": None, "classes": ["check_failed"]}
        entry["findings"].append({"class": "gateway_check_failed", "severity": "error", "source": "gateway",
                                  "message": str(gateway.get("msg"))[:500], "fix": "Fix the error above and rerun verify.yml."})
    return entry


def build(hosts, generated=None):
    """The report data: summary, per-team rows, hosts (sorted: with findings first)."""
    generated = generated or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    summary = {s: 0 for s in STATES}
    summary.update(gateway_failing=0, not_checked=0, hosts=len(hosts))
    teams = {}
    for h in hosts:
        gw = h.get("gateway")
        # "in line" means ready to use: a machine that holds the right config but whose gateway refuses
        # its key (or fails otherwise) is counted under gateway failing only, never in the green card
        counted = h["state"] != "in_line" or not (gw and not gw["ok"])
        if counted:
            summary[h["state"]] = summary.get(h["state"], 0) + 1
        if gw and not gw["ok"]:
            summary["gateway_failing"] += 1
        t = teams.setdefault(h["team"], {"team": h["team"], "hosts": 0, "latencies": [], "gateway_ok": 0, "gateway_failing": 0,
                                         "gateway_classes": {}, **{s: 0 for s in STATES}, "not_checked": 0})
        t["hosts"] += 1
        if counted:
            t[h["state"]] = t.get(h["state"], 0) + 1
        if gw:
            if gw["ok"]:
                t["gateway_ok"] += 1
                t["latencies"].append(gw.get("latency_ms"))
            else:
                t["gateway_failing"] += 1
                for cls in gw.get("classes") or []:
                    t["gateway_classes"][cls] = t["gateway_classes"].get(cls, 0) + 1
    team_rows = []
    for name in sorted(teams):
        t = teams[name]
        lat = t.pop("latencies")
        t["latency_median_ms"] = _median(lat)
        t["latency_p95_ms"] = _p95(lat)
        team_rows.append(t)
    ordered = sorted(hosts, key=lambda h: (not h["findings"], STATES.index(h["state"]) if h["state"] in STATES else 9, h["team"], h["host"]))
    return {"format": "aiohub.claude_desktop.verify_report", "version": 1, "generated": generated, "summary": summary,
            "teams": team_rows, "hosts": ordered, "app_versions": app_rows(hosts), "firewall": firewall_sets(hosts)}


def _app_entry(entry, audit):
    """The installed app (config_facts app / app_findings) on the host's line (issue 24)."""
    if "app" not in audit:
        return
    entry["app"] = dict(audit.get("app") or {"installed": None}, min_app_version=audit.get("min_app_version"))
    entry["findings"].extend(audit.get("app_findings") or [])
    entry["firewall_hosts"] = audit.get("firewall_hosts") or []


def app_rows(hosts):
    """Per team: the oldest build actually installed against claude_desktop_min_app_version; an older build is an error."""
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._audit import version_key

    teams = {}
    for h in hosts:
        app = h.get("app")
        if app is None:
            continue
        t = teams.setdefault(h["team"], {"team": h["team"], "hosts": 0, "installed": 0, "not_installed": [], "unknown": [],
                                         "oldest": None, "oldest_hosts": [], "min_app_version": None, "older_hosts": []})
        t["hosts"] += 1
        minimum = app.get("min_app_version")
        if minimum and (t["min_app_version"] is None or (version_key(minimum) or ()) > (version_key(t["min_app_version"]) or ())):
            t["min_app_version"] = minimum  # the highest minimum any host of the team declares
        if app.get("installed") is False:
            t["not_installed"].append(h["host"])
            continue
        key = version_key(app.get("version")) if app.get("installed") else None
        if key is None:
            t["unknown"].append(h["host"])
            continue
        t["installed"] += 1
        if any(f.get("class") == "app_outdated" for f in h["findings"]):
            t["older_hosts"].append(h["host"])
        if t["oldest"] is None or key < version_key(t["oldest"]):
            t["oldest"], t["oldest_hosts"] = app.get("version"), [h["host"]]
        elif key == version_key(t["oldest"]):
            t["oldest_hosts"].append(h["host"])
    rows = []
    for name in sorted(teams):
        t = teams[name]
        behind = t["oldest"] is not None and t["min_app_version"] and version_key(t["oldest"]) < (version_key(t["min_app_version"]) or ())
        t["status"] = "error" if behind or t["older_hosts"] else ("warning" if t["not_installed"] or t["unknown"] else "ok")
        rows.append(t)
    return rows


def firewall_sets(hosts):
    """Each distinct perimeter host list (spec §6) with the hosts whose config needs it."""
    sets = {}
    for h in hosts:
        entries = h.pop("firewall_hosts", None)  # kept once per distinct list, not on every host's line
        if not entries:
            continue
        key = json.dumps(entries, sort_keys=True)
        sets.setdefault(key, {"entries": entries, "hosts": []})["hosts"].append(h["host"])
    return sorted(sets.values(), key=lambda s: (-len(s["hosts"]), s["hosts"][0]))


def _app_html(report):
    rows = report.get("app_versions") or []
    if not rows:
        return ""
    out = ["<h2>Claude Desktop installed</h2><table id=\"app-versions\"><tr><th>Team</th><th>Hosts</th><th>Oldest build present</th>"
           "<th>claude_desktop_min_app_version</th><th>Not installed</th><th>Status</th></tr>"]
    for t in rows:
        older = ", ".join(t["older_hosts"]) or ", ".join(t["oldest_hosts"])
        status = {"error": "<span class=\"sev-error\">older than the inventory says: %s</span>" % _e(older),
                  "warning": "<span class=\"sev-warning\">%s</span>" % _e("not installed or unreadable on some hosts"),
                  "ok": "ok"}[t["status"]]
        oldest_hosts = " (%s)" % _e(", ".join(t["oldest_hosts"][:5])) if t["oldest_hosts"] else ""
        out.append("<tr class=\"app-team\" data-status=\"%s\"><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>"
                   % (_e(t["status"]), _e(t["team"]), t["hosts"], _e(t["oldest"] or "\u2013") + oldest_hosts,
                      _e(t["min_app_version"] or "not set"), _e(", ".join(t["not_installed"][:10]) or "\u2013"), status))
    out.append("</table>")
    return "".join(out)


def _firewall_html(report):
    sets = report.get("firewall") or []
    if not sets:
        return ""
    out = ["<h2>Perimeter firewall hosts</h2><p class=\"muted\">HTTPS (443) hosts to allow by SNI, per distinct configuration "
           "(spec &sect;6; the app's Egress section is authoritative).</p>"]
    for i, fw in enumerate(sets):
        out.append("<details class=\"firewall\" id=\"firewall-%d\"><summary>%d host%s: %s &mdash; %d entries</summary><table>"
                   "<tr><th>Host</th><th>Label</th><th>Reason</th><th>Spec</th></tr>"
                   % (i, len(fw["hosts"]), "" if len(fw["hosts"]) == 1 else "s", _e(", ".join(fw["hosts"][:5])), len(fw["entries"])))
        for e in fw["entries"]:
            out.append("<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td></tr>"
                       % (_e(e["host"]), _e(e["label"]), _e(e["reason"]), _e(e["cite"])))
        out.append("</table></details>")
    return "".join(out)


def _hosts_in(report, state):
    if state == "gateway_failing":
        return [h["host"] for h in report["hosts"] if h.get("gateway") and not h["gateway"]["ok"]]
    return [h["host"] for h in report["hosts"] if h["state"] == state]


def failing(report, fail_on):
    """One phrase per state of ``fail_on`` that some host is in, e.g. '2 drifted (linux1, mac1)'."""
    out = []
    for state in fail_on:
        hosts = sorted(_hosts_in(report, state))
        if hosts:
            shown = ", ".join(hosts[:5]) + (" +%d more" % (len(hosts) - 5) if len(hosts) > 5 else "")
            out.append("%d %s (%s)" % (len(hosts), LABELS[state], shown))
    return out


def _row_state(host):
    """The badge of a host row: a machine in line whose gateway fails is not shown green."""
    gw = host.get("gateway")
    return "gateway_failing" if host["state"] == "in_line" and gw and not gw["ok"] else host["state"]


SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def worst_first(findings):
    """Findings ordered worst first: errors, then warnings, then the rest; the audit's order kept within each."""
    return sorted(findings, key=lambda f: SEVERITY_RANK.get(f.get("severity"), 3))


def _e(value):
    return html.escape("" if value is None else str(value), quote=True)


def _badge(state):
    colour = COLOURS.get(state, "#6e7781")
    return '<span class="badge" style="background:%s" data-state="%s">%s</span>' % (colour, _e(state), _e(LABELS.get(state, state)))


CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.muted{color:#656d76}.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{border-radius:8px;padding:12px 18px;min-width:130px;color:#fff}.card b{display:block;font-size:30px;line-height:1.1}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}tr.host td:first-child{font-weight:600;white-space:nowrap}
.badge{color:#fff;border-radius:10px;padding:1px 8px;font-size:12px;white-space:nowrap}
.sev-error{color:#cf222e;font-weight:600}.sev-warning{color:#9a6700;font-weight:600}
details{margin:6px 0}summary{cursor:pointer}code{background:#f6f8fa;padding:0 3px;border-radius:3px}
"""


def render_html(report, max_detail=2000):
    s = report["summary"]
    out = ["<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Claude Desktop fleet verification</title>",
           "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><style>%s</style></head><body>" % CSS,
           "<h1>Claude Desktop fleet verification</h1>",
           "<div class=\"muted\">%d hosts &middot; generated %s by aiohub.claude_desktop verify.yml</div>" % (s["hosts"], _e(report["generated"]))]
    out.append("<div class=\"cards\" id=\"summary\">")
    for key in ("in_line", "drifted", "needs_restart", "unreachable", "gateway_failing"):
        # a zero count stays grey, so colour on the page always means hosts in that state
        colour = COLOURS[key] if s.get(key, 0) else ZERO
        out.append("<div class=\"card\" id=\"count-%s\" style=\"background:%s\"><b>%d</b>%s</div>" % (key, colour, s.get(key, 0), _e(LABELS[key])))
    if s.get("not_checked"):
        out.append("<div class=\"card\" style=\"background:%s\"><b>%d</b>not checked</div>" % (COLOURS["not_checked"], s["not_checked"]))
    out.append("</div>")

    out.append("<h2>Teams</h2><table id=\"teams\"><tr><th>Team</th><th>Hosts</th><th>In line</th><th>Drifted</th><th>Needs restart</th>"
               "<th>Unreachable</th><th>Gateway</th><th>Latency median / p95</th></tr>")
    for t in report["teams"]:
        classes = ", ".join("%s &times;%d" % (_e(c), n) for c, n in sorted(t["gateway_classes"].items()))
        gateway = "%d ok" % t["gateway_ok"]
        if t["gateway_failing"]:
            gateway += ", <span class=\"sev-error\">%d failing</span> (%s)" % (t["gateway_failing"], classes)
        latency = "%s / %s ms" % (t["latency_median_ms"], t["latency_p95_ms"]) if t["latency_median_ms"] is not None else "&ndash;"
        out.append("<tr class=\"team\"><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td><td>%s</td></tr>"
                   % (_e(t["team"]), t["hosts"], t["in_line"], t["drifted"], t["needs_restart"], t["unreachable"], gateway, latency))
    out.append("</table>")
    out.append(_app_html(report))

    flagged = [h for h in report["hosts"] if h["findings"]]
    out.append("<h2>Hosts with findings (%d)</h2>" % len(flagged))
    if not flagged:
        out.append("<p id=\"no-findings\">Every host is in line and its gateway answered.</p>")
    else:
        out.append("<table id=\"attention\"><tr><th>Host</th><th>Team</th><th>OS</th><th>State</th><th>Gateway</th><th>Findings</th></tr>")
        for h in flagged[:max_detail]:
            gw = h.get("gateway")
            if not gw:
                gws = "&ndash;"
            elif gw["ok"]:
                gws = "ok, %s ms" % gw.get("latency_ms")
            else:
                gws = "<span class=\"sev-error\">%s</span>" % _e(", ".join(gw["classes"]))
            out.append("<tr class=\"host\" id=\"host-%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>"
                       % (_e(h["host"]), _e(h["host"]), _e(h["team"]), _e(h.get("os")), _badge(_row_state(h)), gws))
            count = len(h["findings"])
            findings = worst_first(h["findings"])
            worst = str(findings[0].get("message"))[:160]
            out.append("<details><summary>%d finding%s: %s</summary><ul>" % (count, "" if count == 1 else "s", _e(worst)))
            for f in findings:
                out.append("<li><span class=\"sev-%s\">%s</span> <code>%s</code> %s%s<br><span class=\"muted\">%s</span><br>Fix: %s</li>"
                           % (_e(f.get("severity")), _e(f.get("severity")), _e(f.get("class")), _e(f.get("message")),
                              " (<code>%s</code>)" % _e(f["key"]) if f.get("key") else "", _e(f.get("source")), _e(f.get("fix"))))
            out.append("</ul></details></td></tr>")
        out.append("</table>")
        if len(flagged) > max_detail:
            out.append("<p>%d more hosts with findings are in the JSON report.</p>" % (len(flagged) - max_detail))

    out.append(_firewall_html(report))
    out.append("<h2>All hosts</h2><details id=\"all-hosts\"><summary>%d hosts, one line each</summary>"
               "<table><tr><th>Host</th><th>Team</th><th>OS</th><th>State</th><th>Gateway latency</th></tr>" % len(report["hosts"]))
    for h in sorted(report["hosts"], key=lambda x: x["host"]):
        gw = h.get("gateway")
        lat = "%s ms" % gw.get("latency_ms") if gw and gw["ok"] else ("failing" if gw else "&ndash;")
        cells = (_e(h["host"]), _e(h["team"]), _e(h.get("os")), _e(LABELS.get(h["state"], h["state"])), lat)
        out.append("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>" % cells)
    out.append("</table></details></body></html>\n")
    return "".join(out)


def _atomic_write(path, text):
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def write(report, directory):
    os.makedirs(directory, exist_ok=True)
    paths = {"json": os.path.join(directory, "verify-report.json"), "html": os.path.join(directory, "verify-report.html")}
    _atomic_write(paths["json"], json.dumps(report, indent=1, sort_keys=True) + "\n")
    _atomic_write(paths["html"], render_html(report))
    return paths
