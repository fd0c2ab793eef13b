# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: mdm
short_description: Deliver each team's Claude Desktop profile through Jamf Pro or Microsoft Intune
version_added: 1.1.0
author: AIOHub (@aiohub)
description:
  - Makes the MDM hold exactly one profile per distinct config among O(hosts) (a team), scoped to the
    team's groups, and nothing else of ours. The profile is the one C(render) writes in
    C(by-group/<team>/) (signed for Intune when C(claude_desktop_signing_cert) is set; Jamf Pro signs
    profiles itself).
  - Jamf Pro - OAuth client credentials (C(/api/oauth/token)), the Classic API
    C(osxconfigurationprofiles) and C(computergroups) (XML). Macs only.
  - Microsoft Intune - Entra ID client credentials, Microsoft Graph v1.0 C(deviceConfigurations) -
    C(#microsoft.graph.macOSCustomConfiguration) for Macs, C(#microsoft.graph.windows10CustomConfiguration)
    with the collection's ADMX ingested through OMA-URI for Windows (REG_SZ values directly under
    C(HKLM\SOFTWARE\Policies\Claude)), assigned with C(/assign) to Entra groups found by display name.
  - Each host's C(claude_desktop_mdm_groups) and C(claude_desktop_mdm_state) are read through C(hostvars),
    with the config layers and the profile variables (C(claude_desktop_identifier),
    C(claude_desktop_profile_display_name), ...). Hosts of another OS than the MDM manages are skipped.
  - Each profile created carries a marker in the MDM object's description (team, identifier, digest).
    It is the proof of authorship (only such a profile is updated or deleted; a foreign profile is never
    touched) and the idempotence key (a rerun sends no change request).
  - An update keeps the identity the MDM holds (Jamf Pro replaces the top-level PayloadUUID and
    PayloadIdentifier of an upload; sending others would make Macs install a second profile).
  - HTTP 429 and 5xx are retried with C(Retry-After) or an exponential back-off; every failure names the
    MDM, the object, the HTTP status and the fix (for 401/403 the Jamf privilege or Graph permission).
  - This module is implemented as an action plugin and will always be executed on the controller.
extends_documentation_fragment:
  - aiohub.claude_desktop.config.attributes
  - aiohub.claude_desktop.fleet
  - aiohub.claude_desktop.scope
  - aiohub.claude_desktop.profile_identity
attributes:
  check_mode:
    support: full
    details: Reads the MDM (token, lists, profiles, groups) and reports what would change; writes nothing.
  diff_mode:
    support: full
    details: The profile before and after, secrets masked, and the scope.
  bypass_host_loop:
    support: none
    details: Use C(run_once=true); O(hosts) lists every host the one task handles.
  platform:
    platforms: all
    details: Talks to the MDM's HTTPS API from the controller; no host is contacted.
options:
  hosts:
    description: The play's hosts (V({{ ansible_play_hosts_all }})); use C(run_once=true).
    required: true
  mdm:
    description: The MDM and its API client (C(claude_desktop_mdm) in the inventory).
    type: dict
    required: true
    suboptions:
      provider:
        description: Which MDM.
        type: str
        required: true
        choices: [jamf, intune]
      url:
        description:
          - Jamf Pro server (V(https://corp.jamfcloud.com)); Microsoft Graph for Intune (default
            V(https://graph.microsoft.com); other clouds, tests).
        type: str
      client_id:
        description: Jamf Pro API client id, or the Entra app registration's application (client) id.
        type: str
        required: true
      client_secret:
        description: Its secret (from Vault). Never shown.
        type: str
        required: true
      tenant_id:
        description: Entra tenant (Intune).
        type: str
      token_url:
        description:
          - Token endpoint; default C(<url>/api/oauth/token) (Jamf Pro) or
            C(https://login.microsoftonline.com/<tenant_id>/oauth2/v2.0/token) (Intune).
        type: str
      ca_bundle:
        description: PEM CA bundle to trust in addition to the system's (certificates are always verified).
        type: path
      timeout:
        description: Seconds per HTTP request.
        type: int
        default: 30
      retries:
        description: Retries of a request answered 429 or 5xx.
        type: int
        default: 5
      max_retry_wait:
        description: Longest wait between retries, in seconds (caps C(Retry-After)).
        type: float
        default: 60.0
  mode:
    description: V(apply) makes the MDM hold the inventory's profiles; V(verify) only reports drift.
    type: str
    default: apply
    choices: [apply, verify]
  identifier:
    description: Default profile identifier (C(claude_desktop_identifier) of a host wins); a team's profile is C(<identifier>.<team>).
  scope:
    description: V(machine) (System) or V(user) profile scope (C(claude_desktop_scope) of a host wins).
  organization:
    description: PayloadOrganization (C(claude_desktop_organization) of a host wins).
  display_name:
    description:
      - Base display name; a team's profile is named C(<display_name>) colon C(<team>) unless C(claude_desktop_profile_display_name) is set.
  description:
    description: PayloadDescription (C(claude_desktop_profile_description) of a host wins).
  removal_disallowed:
    description: PayloadRemovalDisallowed (C(claude_desktop_profile_removal_disallowed) of a host wins).
seealso:
  - module: aiohub.claude_desktop.render
"""

EXAMPLES = r"""
- name: Make the MDM hold one profile per team
  aiohub.claude_desktop.mdm:
    hosts: "{{ ansible_play_hosts_all }}"
    mdm: "{{ claude_desktop_mdm }}"
  run_once: true
"""

RETURN = r"""
report:
  description: One line per profile (created, updated, deleted, unchanged, not ours) and the skipped hosts.
  returned: always
  type: list
  elements: str
profiles:
  description: Per team and platform - name, action, reason, MDM id, hosts, identifier, groups, state.
  returned: always
  type: list
  elements: dict
drift:
  description: In O(mode=verify), one line per profile that differs from the inventory (missing, edited, scoped elsewhere).
  returned: when mode is verify
  type: list
  elements: str
requests:
  description: HTTP requests made.
  returned: always
  type: int
"""
