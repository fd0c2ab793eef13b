# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: render
short_description: Render Claude Desktop managed-configuration artifacts (.mobileconfig, plist, .reg, JSON)
version_added: 0.1.0
author: AIOHub (@aiohub)
description:
  - Validates a Claude Desktop C(enterpriseConfig) and writes, on the controller, the files MDM and
    GPO tools take and the files the app reads, byte-exact and deterministic (the same config gives
    the same bytes, so a second run reports no change).
  - C(mobileconfig) is a Configuration profile with one C(com.anthropic.claudefordesktop) payload,
    every value a string, payload UUIDs derived from content; optionally signed (CMS, DER).
  - C(plist) is the flat managed-preferences plist; C(reg) is a UTF-16LE C(.reg) file with REG_SZ
    values under C(SOFTWARE\\Policies\\Claude); C(linux_json) is C(managed-settings.json) with
    native JSON types; C(user_json) merges C(enterpriseConfig) into C(claude_desktop_config.json),
    keeping every other key; C(config_library) writes C(configLibrary/_meta.json) and C(<id>.json).
  - Every artifact set also gets C(firewall-hosts.txt), the HTTPS hosts the perimeter firewall must allow
    for the config (spec section 6), each with its reason and spec row, optional and non-essential ones labelled.
  - C(admx) writes the Group Policy / Intune administrative template generated from the model,
    C(admx/ClaudeDesktop.admx) and C(admx/en-US/ClaudeDesktop.adml), with one policy per non-secret key,
    REG_SZ values directly under C(SOFTWARE\\Policies\\Claude), enums as drop-downs, booleans as
    C(true)/C(false) strings. It does not depend on the config.
  - Files holding a secret are written with mode C(0600).
  - This module is implemented as an action plugin and will always be executed on the controller.
extends_documentation_fragment:
  - aiohub.claude_desktop.config
  - aiohub.claude_desktop.config.attributes
  - aiohub.claude_desktop.fleet
  - aiohub.claude_desktop.scope
  - aiohub.claude_desktop.profile_identity
attributes:
  check_mode:
    support: full
    details: Reports which artifacts would change; writes nothing.
  diff_mode:
    support: full
    details: Shows the text of changed artifacts with secret values masked.
options:
  config:
    description:
      - The merged config of one host. Give either O(config) (one host per task) or O(hosts)
        (fleet mode).
    required: false
  hosts:
    description:
      - Fleet mode. Render every listed inventory host in this one task (use C(run_once=true) and
        V({{ ansible_play_hosts_all }})), each distinct artifact set once.
      - Each host's config is read from its own variables through C(hostvars), templated in its
        own context (Vault values included) - C(claude_desktop_config) <- C(claude_desktop_team_config)
        <- C(claude_desktop_host_config), with C(claude_desktop_min_app_version) and
        C(claude_desktop_allow_unknown_keys); C(claude_desktop_os), C(claude_desktop_scope),
        C(claude_desktop_identifier), C(claude_desktop_organization) and
        C(claude_desktop_signing_cert)/C(_key)/C(_chain), C(claude_desktop_profile_display_name),
        C(claude_desktop_profile_description) and C(claude_desktop_profile_removal_disallowed) override the
        options of the same role.
      - Per-team sets for MDM uploads - one set per distinct config in C(<dest>/by-group/<team>/),
        named after the inventory group whose group_vars give the config (the deepest such group
        holding all its hosts; a host_vars override gets C(<group>-<host>)), or C(claude_desktop_team).
        Its profile has PayloadIdentifier C(<identifier>.<team>) (or C(claude_desktop_profile_identifier))
        and display name C(<display_name>) colon C(<team>) unless C(claude_desktop_profile_display_name) is set.
      - O(dest) is then the artifacts directory; each host's files go to C(<dest>/<host>/), its
        name checked to be one safe path segment. Hosts with findings are listed in RV(invalid_hosts)
        and not rendered; the task itself does not fail for them.
  formats:
    description:
      - Artifacts to render. Defaults to the formats of O(os).
    type: list
    elements: str
    choices: [mobileconfig, plist, reg, linux_json, user_json, config_library, admx]
  os:
    description:
      - Target OS whose formats to render when O(formats) is not given
        (V(macos) mobileconfig, plist, user_json, config_library; V(windows) reg, user_json,
        config_library; V(linux) linux_json, config_library).
    type: str
    choices: [linux, macos, windows]
  dest:
    description:
      - Controller directory the artifacts are written to (created if missing, mode 0755). Required with O(config).
      - In fleet mode (O(hosts)) the directory holding one directory per host; when not given,
        C(artifacts/) beside the inventory (beside the inventory directory for C(-i inventory/), the
        inventory file's directory for C(-i hosts.yml), the current directory for C(-i host1,)), or
        C(build/artifacts) in a source checkout of the collection.
      - A directory inside an inventory source (Ansible would read the artifacts as inventory on the
        next run) or inside the installed collection is refused.
    type: path
  scope:
    description:
      - V(machine) renders PayloadScope System and C(HKEY_LOCAL_MACHINE); V(user) renders
        PayloadScope User and C(HKEY_CURRENT_USER).
  identifier:
    description: Profile PayloadIdentifier; also names the configLibrary entry.
  organization:
    description: Profile PayloadOrganization.
  display_name:
    description: Profile PayloadDisplayName.
  description:
    description: Profile PayloadDescription.
  removal_disallowed:
    description: Profile PayloadRemovalDisallowed.
  config_name:
    description: Display name of the configLibrary entry (defaults to O(display_name)).
    type: str
  reg_delete_absent:
    description:
      - Add C("name"=-) lines to the C(.reg) for the values that the C(.reg) rendered earlier in O(dest)
        held (or deleted) and the config no longer sets, and only those; values other tools wrote under the
        key are never deleted.
      - C(claude-desktop-remove.reg), always written beside the C(.reg), deletes the values the config sets (and only those).
    type: bool
    default: false
  signing_cert:
    description: PEM signer certificate on the controller; also writes C(claude-desktop.signed.mobileconfig).
    type: path
  signing_key:
    description: PEM private key of O(signing_cert) (unencrypted).
    type: path
  signing_chain:
    description: PEM intermediate certificates to include.
    type: path
  cache_dir:
    description:
      - Content-addressed store. A config shared by many hosts is rendered once into it and
        hard-linked (or copied) into each host's O(dest).
    type: path
seealso:
  - module: aiohub.claude_desktop.validate
"""

EXAMPLES = r"""
- name: Render the upload-ready profile and .reg for this host
  aiohub.claude_desktop.render:
    config: "{{ claude_desktop_effective_config }}"
    formats: [mobileconfig, reg]
    dest: "{{ playbook_dir }}/../build/artifacts/{{ inventory_hostname }}"
    organization: Example Corp
    identifier: com.example.claude-desktop

- name: Render and sign the profile
  aiohub.claude_desktop.render:
    config: "{{ claude_desktop_effective_config }}"
    formats: [mobileconfig]
    dest: /srv/mdm/claude
    signing_cert: /etc/pki/mdm/signer.pem
    signing_key: /etc/pki/mdm/signer.key
    signing_chain: /etc/pki/mdm/chain.pem
"""

RETURN = r"""
artifacts:
  description: One entry per file.
  returned: success
  type: list
  elements: dict
  contains:
    format:
      description: The format that produced the file.
      type: str
    path:
      description: Absolute controller path.
      type: str
    sha256:
      description: SHA-256 of the file's bytes.
      type: str
    changed:
      description: Whether this file was (or in check mode would be) written.
      type: bool
    mode:
      description: File mode (0600 when it holds a secret).
      type: str
dest:
  description: The directory written to.
  returned: success
  type: str
rendered:
  description: False when the artifact set was taken from O(cache_dir) instead of being rendered again.
  returned: success
  type: bool
config_digest:
  description: Content address of the artifact set in O(cache_dir).
  returned: when O(cache_dir) is set
  type: str
teams:
  description: Fleet mode. The per-team sets - name, hosts, PayloadIdentifier, directory.
  returned: when hosts is given
  type: list
  elements: dict
invalid_hosts:
  description: Fleet mode. Each host that was not rendered, with the reasons (secrets masked).
  returned: when hosts is given
  type: dict
report:
  description:
    - Fleet mode. Counts (hosts changed, unchanged, not rendered; distinct artifact sets), one line
      per distinct finding with the hosts it concerns, and one line saying where the artifacts are.
  returned: when hosts is given
  type: list
  elements: str
changed_hosts:
  description: Fleet mode. How many hosts had (or in check mode would have) a file written.
  returned: when hosts is given
  type: int
"""
