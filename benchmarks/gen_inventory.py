"""Generate a controller-only benchmark inventory: N hosts, a few teams, a third each OS,
every tenth host with its own (fake) gateway key. Usage: gen_inventory.py N DIR [--vault PASSFILE]"""

from __future__ import annotations

import argparse
import os

import yaml

TEAMS = {
    "team_engineering": {"coworkEgressAllowedHosts_extra": ["github.com", "pypi.org"], "autoModeEnabled": True},
    "team_design": {"coworkEgressAllowedHosts_extra": ["fonts.googleapis.com"],
                    "banner": {"enabled": True, "text": "Design", "backgroundColor": "#1F2937", "textColor": "#FFFFFF"}},
    "team_finance": {"coworkEgressAllowedHosts": [], "isClaudeCodeForDesktopEnabled": False},
    "team_sales": {"inferenceModels_extra": ["claude-haiku-4-5-20251001"]},
    "team_support": {"disableNonessentialTelemetry": False},
}
OSES = ("macos", "windows", "linux")
ORG = {
    "inferenceProvider": "gateway",
    "inferenceGatewayBaseUrl": "https://api.aiohub.org",
    "inferenceGatewayApiKey": "{{ bench_org_key }}",
    "isDesktopExtensionEnabled": False,
    "disableDeploymentModeChooser": True,
    "coworkEgressAllowedHosts": ["docs.aiohub.org"],
    "inferenceModels": ["claude-sonnet-4-20250514"],
}


def generate(count, directory, vault_password_file=None):
    teams = sorted(TEAMS)
    hosts = {"all": {"children": {os_: {"hosts": {}} for os_ in OSES}}}
    for team in teams:
        hosts["all"]["children"][team] = {"hosts": {}}
    for i in range(count):
        name = "host-%05d" % i
        hvars = {}
        if i % 10 == 0:
            hvars["claude_desktop_host_config"] = {"inferenceGatewayApiKey": "sk-test-bench-host-%05d" % i}
        hosts["all"]["children"][OSES[i % 3]]["hosts"][name] = hvars or None
        hosts["all"]["children"][teams[i % len(teams)]]["hosts"][name] = None
    os.makedirs(os.path.join(directory, "group_vars", "all"), exist_ok=True)
    with open(os.path.join(directory, "hosts.yml"), "w") as f:
        yaml.safe_dump(hosts, f, sort_keys=True)
    org_key = "sk-test-bench-org-0000"
    with open(os.path.join(directory, "group_vars", "all", "claude_desktop.yml"), "w") as f:
        yaml.safe_dump({"claude_desktop_config": ORG, "bench_org_key": org_key}, f, sort_keys=True)
    if vault_password_file:  # the org key as a Vault-encrypted string, as users keep it
        from ansible.parsing.vault import VaultLib, VaultSecret
        with open(vault_password_file, "rb") as f:
            secret = VaultSecret(f.read().strip())
        token = VaultLib([("default", secret)]).encrypt(org_key, secret).decode()
        with open(os.path.join(directory, "group_vars", "all", "vault.yml"), "w") as f:
            f.write("bench_org_key: !vault |\n" + "".join("  %s\n" % line for line in token.splitlines()))
        with open(os.path.join(directory, "group_vars", "all", "claude_desktop.yml"), "w") as f:
            yaml.safe_dump({"claude_desktop_config": ORG}, f, sort_keys=True)
    for os_ in OSES:
        os.makedirs(os.path.join(directory, "group_vars", os_), exist_ok=True)
        with open(os.path.join(directory, "group_vars", os_, "os.yml"), "w") as f:
            yaml.safe_dump({"claude_desktop_os": os_}, f)
    for team, layer in TEAMS.items():
        os.makedirs(os.path.join(directory, "group_vars", team), exist_ok=True)
        with open(os.path.join(directory, "group_vars", team, "claude_desktop.yml"), "w") as f:
            yaml.safe_dump({"claude_desktop_team_config": layer}, f, sort_keys=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("directory")
    parser.add_argument("--vault", metavar="PASSWORD_FILE")
    args = parser.parse_args()
    generate(args.count, args.directory, args.vault)


if __name__ == "__main__":
    main()
