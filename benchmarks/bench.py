"""`make bench`: the collection's rollout cost side by side with its floor and a plain peer playbook.

Fleet part (root; tests/fleet/fleet.sh): for each fleet size, several rounds of
  ping      `ansible all -m ping` (the floor: one SSH round trip per host)
  peer      benchmarks/peer.yml (facts + file/copy of the same pre-rendered files, no validation)
  deploy1   playbooks/deploy.yml on clean hosts (managed settings and the user config)
  deploy2   playbooks/deploy.yml again, nothing to change
  remove    playbooks/remove.yml
each with the default strategy and, when Mitogen is installed, with strategy mitogen_linear.
Controller part: validate.yml and render.yml on generated inventories (benchmarks/gen_inventory.py:
a few teams, a third each OS, every tenth host with its own key) with wall time, peak memory
(sum of the RSS of the ansible-playbook process tree, sampled) and validation time per config.

Prints the table and the ratios and writes docs/performance.md (notes from
benchmarks/performance-notes.md). A measurement, not a gate. `--smoke` runs a tiny controller-only
pass for `make test`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("BIN") or os.path.dirname(sys.executable)
FLEET = os.path.join(REPO, "tests", "fleet", "fleet.sh")
KEY = "sk-test-bench-fleet-0000"
TARGETS_NOTE = "benchmarks/performance-notes.md"


def env(extra=None):
    e = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
             ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, "build", "collections"))
    e.update(extra or {})
    return e


def tree_rss_kib(pid):
    """Sum of VmRSS (KiB) of pid and its descendants."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, ()))
        try:
            with open("/proc/%d/status" % p) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def timed(cmd, extra_env=None, sample_memory=False, check=True):
    """(seconds, peak KiB or None, stdout) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env(extra_env), cwd=REPO)
    peak = [0]
    if sample_memory:
        def sample():
            while proc.poll() is None:
                peak[0] = max(peak[0], tree_rss_kib(proc.pid))
                time.sleep(0.2)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
    out = proc.communicate()[0]
    seconds = time.perf_counter() - start
    if sample_memory:
        sampler.join()
    if check and proc.returncode != 0:
        raise SystemExit("bench: %s failed (rc %d):\n%s" % (" ".join(cmd[:3]), proc.returncode, out[-3000:]))
    return seconds, (peak[0] or None), out


def fleet(*args, extra_env=None):
    return subprocess.run(["bash", FLEET, *args], capture_output=True, text=True, env=env(extra_env), check=True)


def stats(values):
    med = statistics.median(values)
    return {"median": med, "min": min(values), "max": max(values), "n": len(values)}


def fmt(s):
    return "%.2f s (%.2f-%.2f)" % (s["median"], s["min"], s["max"])


# ---------------------------------------------------------------- fleet part

def fleet_bench(size, rounds, mitogen, work, save=None):
    state = os.path.join(work, "fleet-%d" % size)
    fenv = {"FLEET_STATE_DIR": state}
    fleet("up", str(size), extra_env=fenv)
    try:
        inventory = os.path.join(state, "inventory.yml")
        hosts = open(os.path.join(state, "hosts")).read().split()
        vars_file = os.path.join(work, "vars-%d.yml" % size)
        with open(vars_file, "w") as f:
            f.write("claude_desktop_config:\n  inferenceProvider: gateway\n  inferenceGatewayBaseUrl: https://api.aiohub.org\n"
                    "  inferenceGatewayApiKey: %s\n  isDesktopExtensionEnabled: false\n"
                    "  coworkEgressAllowedHosts: [docs.aiohub.org, github.com]\n"
                    "claude_desktop_mode: both\nclaude_desktop_users: [alice]\nclaude_desktop_batches: [%d]\n" % (KEY, size))
        artifacts = os.path.join(work, "artifacts-%d" % size)
        timed([os.path.join(BIN, "ansible-playbook"), "-i", inventory, "playbooks/render.yml", "-e", "@" + vars_file,
               "-e", "claude_desktop_artifacts_dir=" + artifacts, "-e", '{"claude_desktop_render_all_formats": true}'])
        sample = os.path.join(artifacts, hosts[0])
        user_files = ["claude_desktop_config.json"] + sorted("configLibrary/" + n for n in os.listdir(os.path.join(sample, "configLibrary")))
        peer_vars = os.path.join(work, "peer-%d.yml" % size)
        with open(peer_vars, "w") as f:
            f.write("bench_artifacts: %s\nbench_users: [alice]\nbench_user_files: [%s]\n" % (artifacts, ", ".join(user_files)))

        def clean():
            for h in hosts:
                fleet("exec", h, "--", "sh", "-c", "rm -rf /etc/claude-desktop '/Library/Managed Preferences' "
                      "'/Users/alice/Library/Application Support/Claude-3p' /home/alice/.config/Claude-3p", extra_env=fenv)

        playbook = os.path.join(BIN, "ansible-playbook")
        common = {"ANSIBLE_FORKS": str(size)}
        variants = [("default", dict(common))]
        if mitogen:
            variants.append(("mitogen", dict(common, ANSIBLE_STRATEGY="mitogen_linear", ANSIBLE_STRATEGY_PLUGINS=mitogen)))

        def cold(venv):
            """Each command starts without SSH connections (its own ControlPersist directory), as a
            user's separate run does; also keeps the bench out of ~/.ansible/cp."""
            return dict(venv, ANSIBLE_SSH_CONTROL_PATH_DIR=tempfile.mkdtemp(prefix="cp-", dir=work), **fenv)

        times = {}
        for r in range(rounds):
            for name, venv in variants:
                t = times.setdefault(name, {})
                ping = [os.path.join(BIN, "ansible"), "all", "-i", inventory, "-m", "ping"]
                t.setdefault("ping", []).append(timed(ping, cold(venv))[0])
                clean()
                t.setdefault("peer", []).append(timed([playbook, "-i", inventory, "benchmarks/peer.yml", "-e", "@" + peer_vars], cold(venv))[0])
                clean()
                for step, book in (("deploy1", "playbooks/deploy.yml"), ("deploy2", "playbooks/deploy.yml"), ("remove", "playbooks/remove.yml")):
                    seconds, dummy, out = timed([playbook, "-i", inventory, book, "-e", "@" + vars_file], cold(venv))
                    if KEY in out:
                        raise SystemExit("bench: the fake key leaked into the output of %s" % book)
                    t.setdefault(step, []).append(seconds)
                clean()
            print("  fleet %d hosts: round %d/%d done" % (size, r + 1, rounds), flush=True)
            if save:
                save({name: {step: stats(v) for step, v in steps.items()} for name, steps in times.items()})
        return {name: {step: stats(v) for step, v in steps.items()} for name, steps in times.items()}
    finally:
        subprocess.run(["bash", FLEET, "down"], capture_output=True, env=env(fenv), check=False)


# ---------------------------------------------------------------- controller part

def controller_bench(count, rounds, work):
    inv = os.path.join(work, "inv-%d" % count)
    password = os.path.join(work, "vault-password")
    with open(password, "w") as f:
        f.write("bench-only-vault-password\n")
    subprocess.run([os.path.join(BIN, "python"), os.path.join(REPO, "benchmarks", "gen_inventory.py"), str(count), inv,
                    "--vault", password], check=True)
    out = {}
    for book in ("validate", "render"):
        runs, peaks, per_config = [], [], []
        artifacts = os.path.join(work, "artifacts-c%d" % count)
        for r in range(rounds):
            cmd = [os.path.join(BIN, "ansible-playbook"), "-i", inv, "playbooks/%s.yml" % book, "--vault-password-file", password,
                   "-e", "claude_desktop_artifacts_dir=" + artifacts]
            seconds, peak, text = timed(cmd, sample_memory=True)
            runs.append(seconds)
            peaks.append(peak or 0)
            m = re.search(r"\(([0-9.]+) ms each\)", text)
            if m:
                per_config.append(float(m.group(1)))
            if "sk-test-bench-" in text:
                raise SystemExit("bench: a fake key leaked into the output of %s.yml" % book)
        out[book] = {"time": stats(runs), "peak_mib": max(peaks) / 1024.0,
                     "ms_per_config": statistics.median(per_config) if per_config else None}
        print("  controller %d hosts: %s.yml %s, peak %.0f MiB" % (count, book, fmt(out[book]["time"]), out[book]["peak_mib"]), flush=True)
    floor = [timed([os.path.join(BIN, "ansible-playbook"), "-i", inv, os.path.join(REPO, "benchmarks", "floor.yml"),
                    "--vault-password-file", password])[0] for dummy in range(rounds)]
    out["floor"] = {"time": stats(floor)}
    return out


# ---------------------------------------------------------------- report

def ratio(a, b):
    return a["median"] / b["median"] if b["median"] else float("nan")


def report(fleet_results, controller_results, meta):
    lines = []
    add = lines.append
    add("## Measured %s" % meta["when"])
    add("")
    add("Machine: %s, %d CPUs (shared with other work: see the spread), Python %s, ansible-core %s%s." % (
        meta["machine"], os.cpu_count(), platform.python_version(), meta["ansible"],
        ", Mitogen %s" % meta["mitogen"] if meta["mitogen"] else ""))
    add("Medians of %s rounds, (min-max) in brackets. Forks = hosts, pipelining on, one batch; "
        "every command starts without SSH connections (its own ControlPersist directory)." % meta["rounds"])
    add("")
    checks = []
    if fleet_results:
        add("### Rollout on the SSH test fleet")
        add("")
        add("| hosts | strategy | ping (floor) | peer playbook | deploy first run | deploy rerun | remove |"
            " deploy/peer | deploy/ping | rerun/ping | remove/ping |")
        add("|---|---|---|---|---|---|---|---|---|---|---|")
        for size in sorted(fleet_results):
            for name, t in fleet_results[size].items():
                add("| %d | %s | %s | %s | %s | %s | %s | %.2f | %.2f | %.2f | %.2f |" % (
                    size, name, fmt(t["ping"]), fmt(t["peer"]), fmt(t["deploy1"]), fmt(t["deploy2"]), fmt(t["remove"]),
                    ratio(t["deploy1"], t["peer"]), ratio(t["deploy1"], t["ping"]), ratio(t["deploy2"], t["ping"]),
                    ratio(t["remove"], t["ping"])))
        add("")
        for size in sorted(fleet_results):
            t = fleet_results[size]["default"]
            checks += [
                ("%d hosts: deploy first run <= 1.0x peer" % size, ratio(t["deploy1"], t["peer"]), 1.0),
                ("%d hosts: deploy first run <= 3x ping" % size, ratio(t["deploy1"], t["ping"]), 3.0),
                ("%d hosts: rerun <= 2x ping" % size, ratio(t["deploy2"], t["ping"]), 2.0),
                ("%d hosts: remove <= 2x ping" % size, ratio(t["remove"], t["ping"]), 2.0),
            ]
            if "mitogen" in fleet_results[size]:
                m = fleet_results[size]["mitogen"]
                add("Mitogen at %d hosts: deploy first run %.2fx, rerun %.2fx, remove %.2fx the default strategy." % (
                    size, ratio(m["deploy1"], t["deploy1"]), ratio(m["deploy2"], t["deploy2"]), ratio(m["remove"], t["remove"])))
        sizes = sorted(fleet_results)
        if len(sizes) > 1:
            small, big = fleet_results[sizes[0]]["default"], fleet_results[sizes[-1]]["default"]
            for step, base in (("deploy1", "peer"), ("deploy1", "ping"), ("deploy2", "ping"), ("remove", "ping")):
                growth = ratio(big[step], big[base]) / ratio(small[step], small[base])
                checks.append(("%s/%s at %d hosts <= 1.2x the %d-host ratio" % (step, base, sizes[-1], sizes[0]), growth, 1.2))
        add("")
    if controller_results:
        add("### Controller only (no host contacted)")
        add("")
        add("| hosts | playbook | wall time | peak memory | validation per distinct config | Ansible floor (1 run_once task) | above the floor |")
        add("|---|---|---|---|---|---|---|")
        for count in sorted(controller_results):
            c = controller_results[count]
            for book in ("validate", "render"):
                per = c[book]["ms_per_config"]
                per_text = "%.3f ms" % per if per is not None else "-"
                add("| %d | %s.yml | %s | %.0f MiB | %s | %s | %.2f s |" % (
                    count, book, fmt(c[book]["time"]), c[book]["peak_mib"], per_text, fmt(c["floor"]["time"]),
                    c[book]["time"]["median"] - c["floor"]["time"]["median"]))
                if count >= 10000:
                    checks.append(("%d hosts: %s.yml < 60 s" % (count, book), c[book]["time"]["median"], 60.0))
                    checks.append(("%d hosts: %s.yml < 1024 MiB" % (count, book), c[book]["peak_mib"], 1024.0))
                if per is not None and book == "validate":
                    checks.append(("%d hosts: validation < 1 ms per distinct config" % count, per, 1.0))
        add("")
        add("Peak memory is the sum of the resident sets of ansible-playbook and its workers, sampled every 0.2 s "
            "(an upper bound: forked workers share pages with the parent).")
        add("")
    if checks:
        add("### Targets")
        add("")
        add("| target | measured | limit | met |")
        add("|---|---|---|---|")
        for name, value, limit in checks:
            add("| %s | %.2f | %.2f | %s |" % (name, value, limit, "yes" if value <= limit else "**no**"))
        add("")
    return lines


def write_report(lines, out):
    print("\n".join(lines))
    if not out:
        return
    notes_path = os.path.join(REPO, TARGETS_NOTE)
    notes = open(notes_path).read() if os.path.exists(notes_path) else ""
    head, sep, tail = notes.partition("<!-- measured table -->")
    with open(out, "w") as f:
        f.write("<!-- Written by benchmarks/bench.py (make bench); edit benchmarks/performance-notes.md instead. -->\n")
        f.write(head if sep else "# Performance\n\n")
        f.write("\n".join(lines) + "\n")
        f.write(tail if sep else notes)
    print("bench: wrote %s" % os.path.relpath(out, REPO))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fleet", default="10,30", help="fleet sizes, comma separated ('' for none)")
    parser.add_argument("--rounds", default="3,2", help="rounds per fleet size (one number, or one per size: 3,2)")
    parser.add_argument("--controller", default="1000,10000", help="generated inventory sizes ('' for none)")
    parser.add_argument("--controller-rounds", type=int, default=2)
    parser.add_argument("--no-mitogen", action="store_true")
    parser.add_argument("--mitogen-sizes", default="10", help="fleet sizes to run with Mitogen too ('' for every size)")
    parser.add_argument("--out", default=os.path.join(REPO, "docs", "performance.md"))
    parser.add_argument("--smoke", action="store_true", help="50 generated hosts, controller only, one round, no docs")
    parser.add_argument("--report-from", metavar="JSON", help="write the report from saved figures (build/bench-results.json)")
    args = parser.parse_args()
    if args.report_from:
        with open(args.report_from) as f:
            saved = json.load(f)
        fleet_results = {int(k): v for k, v in saved["fleet"].items()}
        controller_results = {int(k): v for k, v in saved["controller"].items()}
        write_report(report(fleet_results, controller_results, saved["meta"]), args.out)
        return
    if args.smoke:
        args.fleet, args.controller, args.rounds, args.controller_rounds = "", "50", "1", 1
        args.out = None
    sizes = [int(n) for n in args.fleet.split(",") if n]
    counts = [int(n) for n in args.controller.split(",") if n]
    mitogen = None
    if not args.no_mitogen:
        try:
            import ansible_mitogen
            mitogen = os.path.join(os.path.dirname(ansible_mitogen.__file__), "plugins", "strategy")
        except ImportError:
            print("bench: Mitogen not installed (pip install mitogen, pinned in requirements.txt); default strategy only")
    signal.signal(signal.SIGTERM, lambda *a: sys.exit("bench: terminated"))  # the fleet still comes down
    work = tempfile.mkdtemp(prefix="aiohub-bench-")
    try:
        fleet_results, controller_results = {}, {}
        if sizes and os.geteuid() != 0:
            raise SystemExit("bench: the fleet part needs root (network namespaces); use --fleet '' for controller only")
        rounds = [int(n) for n in args.rounds.split(",")]
        mitogen_sizes = [int(n) for n in args.mitogen_sizes.split(",") if n] or sizes
        meta = run_meta(args, mitogen)

        def save(partial=None, size=None):
            if partial is not None:
                fleet_results[size] = partial
            if args.out:  # raw figures after every step, for --report-from (also after an interrupted run)
                with open(os.path.join(REPO, "build", "bench-results.json"), "w") as f:
                    json.dump({"fleet": fleet_results, "controller": controller_results, "meta": meta}, f, indent=1)

        for count in counts:
            controller_results[count] = controller_bench(count, args.controller_rounds, work)
            save()
        for index, size in enumerate(sizes):
            fleet_results[size] = fleet_bench(size, rounds[min(index, len(rounds) - 1)], mitogen if size in mitogen_sizes else None,
                                              work, save=lambda partial, size=size: save(partial, size))
            save()
        write_report(report(fleet_results, controller_results, meta), args.out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_meta(args, mitogen):
    import ansible
    try:
        from importlib.metadata import version
        mitogen_version = version("mitogen") if mitogen else None
    except Exception:
        mitogen_version = None
    return {"when": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": platform.platform(terse=True), "ansible": ansible.__version__,
            "mitogen": mitogen_version, "rounds": "%s (fleet, per size), %d (controller)" % (args.rounds, args.controller_rounds)}


if __name__ == "__main__":
    main()
