# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Delivery through an MDM's API: Jamf Pro (Classic API) and Microsoft Intune (Microsoft Graph v1.0).

PRIVATE, controller-only. One profile per team (see _teams), named after the team's profile display
name. Every profile the collection creates carries a marker in the MDM object's description:

    [aiohub.claude_desktop team=<team> id=<PayloadIdentifier> sha256=<digest of the rendered profile>]

That marker is the proof of authorship (only a profile holding it, with the team's identifier, is
ever updated or deleted) and the idempotence key: MDMs rewrite what they store (Jamf Pro replaces the
top-level PayloadUUID/PayloadIdentifier of an upload), so "no change" is decided by the digest of
what we rendered plus a comparison of the payload content with the identity fields set aside.

HTTP goes through ansible-core's open_url (TLS verified, ``ca_bundle`` for a private CA); 429 and
5xx answers are retried with the server's Retry-After or an exponential back-off. Every failure
names the MDM, the object, the HTTP status and the fix. No secret (client secret, access token,
config keys) is put in a message.
"""

from __future__ import annotations

import base64
import hashlib
import json
import plistlib
import re
import time
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlencode, urlsplit

MARKER_RE = re.compile(r"\[aiohub\.claude_desktop team=(\S+) id=(\S+) sha256=([0-9a-f]{64})\]")
MARKER_TEXT = "Claude Desktop settings for %s, managed by ansible-playbook aiohub.claude_desktop.mdm; console edits are overwritten."
RETRY_STATUSES = (429, 500, 502, 503, 504)
IDENTITY_KEYS = ("PayloadUUID", "PayloadIdentifier")
JAMF = "Jamf Pro"
INTUNE = "Microsoft Intune"
# Jamf Pro API role privileges (Settings > API Roles and Clients), by what each call needs.
JAMF_PRIVILEGES = {
    "read": "Read macOS Configuration Profiles",
    "create": "Create macOS Configuration Profiles",
    "update": "Update macOS Configuration Profiles",
    "delete": "Delete macOS Configuration Profiles",
    "groups": "Read Smart Computer Groups and Read Static Computer Groups",
}
# Microsoft Graph application permissions (least privileged that allow the call).
GRAPH_PERMISSIONS = {
    "read": "DeviceManagementConfiguration.Read.All (or .ReadWrite.All)",
    "create": "DeviceManagementConfiguration.ReadWrite.All",
    "update": "DeviceManagementConfiguration.ReadWrite.All",
    "delete": "DeviceManagementConfiguration.ReadWrite.All",
    "groups": "GroupMember.Read.All (or Group.Read.All)",
}


class MdmError(Exception):
    """A failure meant for the user as is: MDM, object, HTTP status and the fix."""


def marker(team, identifier, digest):
    return "%s [aiohub.claude_desktop team=%s id=%s sha256=%s]" % (MARKER_TEXT % team, team, identifier, digest)


def parse_marker(description):
    m = MARKER_RE.search(description or "")
    return {"team": m.group(1), "id": m.group(2), "sha256": m.group(3)} if m else None


def content_key(payload):
    """What a profile says, with the identity fields an MDM may rewrite set aside (bytes when not a plist)."""
    try:
        data = plistlib.loads(payload)
    except Exception:
        return payload
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k not in IDENTITY_KEYS}
    return json.dumps(data, sort_keys=True, default=repr)


def oma_uris(payload):
    try:
        return sorted(str(item.get("omaUri")) for item in json.loads(payload.decode("utf-8")))
    except (ValueError, AttributeError, TypeError):
        return None


def with_identity(payload, held):
    """Our profile with the top-level PayloadUUID/PayloadIdentifier the MDM holds (an update that changed
    them would make every Mac install a second profile beside the first)."""
    try:
        ours, theirs = plistlib.loads(payload), plistlib.loads(held)
    except Exception:
        return payload
    if not (isinstance(ours, dict) and isinstance(theirs, dict)):
        return payload
    for key in IDENTITY_KEYS:
        if key in theirs:
            ours[key] = theirs[key]
    return plistlib.dumps(ours, fmt=plistlib.FMT_XML, sort_keys=True)


class Http(object):
    """open_url with retries on 429/5xx; failures as MdmError naming the MDM, object, status and fix."""

    def __init__(self, mdm, ca_bundle=None, timeout=30, retries=5, max_wait=60.0, sleep=time.sleep):
        self.mdm = mdm
        self.ca_bundle = ca_bundle
        self.timeout = timeout
        self.retries = retries
        self.max_wait = max_wait
        self.sleep = sleep
        self.requests = []  # (method, path) of each request made, for the report

    def request(self, method, url, what, data=None, headers=None, fixes=None):
        """(status, headers, body bytes). ``fixes``: {status: fix text} for this call's failures."""
        from ansible.module_utils.urls import open_url
        from urllib.error import HTTPError, URLError

        path = urlsplit(url).path
        attempt = 0
        while True:
            attempt += 1
            self.requests.append((method, path))
            try:
                resp = open_url(url, data=data, headers=headers or {}, method=method, validate_certs=True, ca_path=self.ca_bundle,
                                timeout=self.timeout, follow_redirects="none", use_proxy=True, use_netrc=False)
                return resp.status, dict(resp.headers), resp.read()
            except HTTPError as exc:
                status = exc.code
                body = _read_error(exc)
                if status in RETRY_STATUSES and attempt <= self.retries:
                    self.sleep(self._wait(exc.headers, attempt))
                    continue
                fix = (fixes or {}).get(status) or _default_fix(status, attempt)
                raise MdmError("%s: cannot %s (%s %s): HTTP %d%s; fix: %s"
                               % (self.mdm, what, method, path, status, _detail(body), fix))
            except URLError as exc:
                reason = getattr(exc, "reason", exc)
                text = str(reason)
                if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
                    fix = ("the server's TLS certificate is not trusted: set claude_desktop_mdm.ca_bundle to the PEM of the CA "
                           "that signed it (certificates are always verified)")
                else:
                    fix = "check claude_desktop_mdm.url (and token_url) and that the controller can reach it"
                raise MdmError("%s: cannot %s (%s %s): %s; fix: %s" % (self.mdm, what, method, path, text, fix))
            except OSError as exc:  # timeouts, connection resets
                if attempt <= self.retries:
                    self.sleep(self._wait({}, attempt))
                    continue
                raise MdmError("%s: cannot %s (%s %s): %s; fix: check that %s answers" % (self.mdm, what, method, path, exc, url))

    def _wait(self, headers, attempt):
        value = None
        for name, text in (headers or {}).items():
            if name.lower() == "retry-after":
                value = text
        try:
            seconds = float(value) if value is not None else None
        except ValueError:
            seconds = None
        if seconds is None:
            seconds = min(2 ** (attempt - 1), 30)
        return max(0.0, min(seconds, self.max_wait))


def _read_error(exc):
    try:
        return exc.read() or b""
    except Exception:
        return b""


def _detail(body):
    """A short, secret-free excerpt of an error body (Graph error message, Jamf's <p> text)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or "")
    try:
        data = json.loads(text)
        if isinstance(data, dict):
            err = data.get("error")
            if isinstance(err, dict):
                text = "%s: %s" % (err.get("code", ""), err.get("message", ""))
            elif isinstance(err, str):
                text = "%s: %s" % (err, str(data.get("error_description", "")).splitlines()[0] if data.get("error_description") else "")
    except ValueError:
        text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())[:200]
    return " (%s)" % text if text else ""


def _default_fix(status, attempt):
    if status in RETRY_STATUSES:
        return "the MDM kept answering %d after %d attempts; run again later" % (status, attempt)
    if status == 404:
        return "the object no longer exists or the URL is wrong; check claude_desktop_mdm.url"
    return "see the MDM's message above"


class Provider(object):
    NAME = ""
    PERMISSIONS = {}

    def __init__(self, http, url, client_id, client_secret, token_url=None, tenant_id=None):
        self.http = http
        self.url = url.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_url = token_url
        self.tenant_id = tenant_id
        self._token = None

    def _auth_fix(self, need):
        raise NotImplementedError

    def _call(self, method, path_or_url, what, need, body=None, content_type=None, fixes=None):
        url = path_or_url if path_or_url.startswith("https://") or path_or_url.startswith("http://") else self.url + path_or_url
        all_fixes = {401: self._auth_fix(need), 403: self._auth_fix(need)}
        all_fixes.update(fixes or {})
        for attempt in (1, 2):
            headers = {"Authorization": "Bearer " + self.token(), "Accept": self.ACCEPT}
            if content_type:
                headers["Content-Type"] = content_type
            try:
                return self.http.request(method, url, what, data=body, headers=headers, fixes=all_fixes)
            except MdmError as exc:
                if attempt == 1 and ": HTTP 401" in str(exc):
                    self._token = None  # an expired token: fetch a new one once
                    continue
                raise

    def token(self):
        if self._token is None:
            status, _headers, body = self.http.request(
                "POST", self._token_url(), "get an access token for client_id %s" % self.client_id,
                data=urlencode(self._token_form()), headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
                fixes={400: self._credential_fix(), 401: self._credential_fix()})
            try:
                self._token = json.loads(body.decode("utf-8"))["access_token"]
            except (ValueError, KeyError, TypeError):
                raise MdmError("%s: the token endpoint %s answered without an access_token; fix: check token_url"
                               % (self.NAME, urlsplit(self._token_url()).path))
        return self._token


class Jamf(Provider):
    """Jamf Pro: OAuth client credentials (/api/oauth/token) and the Classic API (XML)."""

    NAME = JAMF
    ACCEPT = "application/xml"
    PERMISSIONS = JAMF_PRIVILEGES
    PLATFORMS = ("macos",)

    def _token_url(self):
        return self.token_url or self.url + "/api/oauth/token"

    def _token_form(self):
        return {"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self.client_secret}

    def _credential_fix(self):
        return ("check claude_desktop_mdm.client_id and client_secret (Settings > API Roles and Clients: the API client must be "
                "enabled and its secret current)")

    def _auth_fix(self, need):
        return ("give the API client's role the Jamf Pro privilege %s (Settings > API Roles and Clients), "
                "or check client_id/client_secret" % JAMF_PRIVILEGES[need])

    def list_profiles(self):
        _s, _h, body = self._call("GET", "/JSSResource/osxconfigurationprofiles", "list the macOS configuration profiles", "read")
        root = ET.fromstring(body)
        return [{"id": item.findtext("id"), "name": item.findtext("name") or ""} for item in root.findall("os_x_configuration_profile")]

    def get_profile(self, ident, name):
        _s, _h, body = self._call("GET", "/JSSResource/osxconfigurationprofiles/id/%s" % quote(str(ident)),
                                  "read the configuration profile %r (id %s)" % (name, ident), "read")
        root = ET.fromstring(body)
        general = root.find("general")
        payloads = (general.findtext("payloads") or "").encode("utf-8")
        groups = sorted(g.findtext("name") or "" for g in root.findall("scope/computer_groups/computer_group"))
        return {"id": str(ident), "name": general.findtext("name") or "", "description": general.findtext("description") or "",
                "payload": payloads, "groups": groups, "targets": groups}

    def resolve_groups(self, names):
        out = {}
        for name in names:
            _s, _h, body = self._call("GET", "/JSSResource/computergroups/name/%s" % quote(name, safe=""),
                                      "find the computer group %r" % name, "groups",
                                      fixes={404: "create the computer group %r in Jamf Pro or correct claude_desktop_mdm_groups" % name})
            out[name] = ET.fromstring(body).findtext("id")
        return out

    def _body(self, profile, group_ids):
        root = ET.Element("os_x_configuration_profile")
        general = ET.SubElement(root, "general")
        ET.SubElement(general, "name").text = profile["name"]
        ET.SubElement(general, "description").text = profile["description"]
        ET.SubElement(general, "distribution_method").text = "Install Automatically"
        ET.SubElement(general, "user_removable").text = "false"
        ET.SubElement(general, "level").text = "computer"
        ET.SubElement(general, "redeploy_on_update").text = "Newly Assigned"
        ET.SubElement(general, "payloads").text = profile["payload"].decode("utf-8")
        scope = ET.SubElement(root, "scope")
        ET.SubElement(scope, "all_computers").text = "false"
        groups = ET.SubElement(scope, "computer_groups")
        for name in sorted(group_ids):
            group = ET.SubElement(groups, "computer_group")
            ET.SubElement(group, "id").text = str(group_ids[name])
            ET.SubElement(group, "name").text = name
        return b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root, encoding="utf-8")

    def create(self, profile, group_ids):
        _s, _h, body = self._call("POST", "/JSSResource/osxconfigurationprofiles/id/0", "create the configuration profile %r" % profile["name"],
                                  "create", body=self._body(profile, group_ids), content_type="application/xml",
                                  fixes={409: "a profile named %r already exists in Jamf Pro: rename or delete it, or set "
                                              "claude_desktop_profile_display_name" % profile["name"]})
        return ET.fromstring(body).findtext("id")

    def update(self, ident, profile, group_ids, held):
        profile = dict(profile, payload=with_identity(profile["payload"], held["payload"]))
        self._call("PUT", "/JSSResource/osxconfigurationprofiles/id/%s" % quote(str(ident)),
                   "update the configuration profile %r (id %s)" % (profile["name"], ident), "update",
                   body=self._body(profile, group_ids), content_type="application/xml",
                   fixes={409: "another profile is named %r in Jamf Pro: rename it" % profile["name"]})

    def delete(self, ident, name):
        self._call("DELETE", "/JSSResource/osxconfigurationprofiles/id/%s" % quote(str(ident)),
                   "delete the configuration profile %r (id %s)" % (name, ident), "delete")

    def target_names(self, group_ids):
        return sorted(group_ids)


class Intune(Provider):
    """Microsoft Intune through Microsoft Graph v1.0 (JSON), Entra ID client credentials."""

    NAME = INTUNE
    ACCEPT = "application/json"
    PERMISSIONS = GRAPH_PERMISSIONS
    PLATFORMS = ("macos", "windows")
    API = "/v1.0"

    def _token_url(self):
        return self.token_url or "https://login.microsoftonline.com/%s/oauth2/v2.0/token" % quote(self.tenant_id or "", safe="")

    def _token_form(self):
        return {"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self.client_secret,
                "scope": self.url + "/.default"}

    def _credential_fix(self):
        return ("check claude_desktop_mdm.tenant_id, client_id and client_secret (Entra ID > App registrations > "
                "Certificates & secrets: the secret may have expired)")

    def _auth_fix(self, need):
        return ("grant the app registration the Microsoft Graph application permission %s and give admin consent "
                "(Entra ID > App registrations > API permissions)" % GRAPH_PERMISSIONS[need])

    def _json(self, body):
        return json.loads(body.decode("utf-8")) if body else {}

    def list_profiles(self):
        url = self.API + "/deviceManagement/deviceConfigurations?%s" % urlencode({"$select": "id,displayName,description"})
        out = []
        while url:
            _s, _h, body = self._call("GET", url, "list the device configurations", "read")
            page = self._json(body)
            out.extend({"id": item.get("id"), "name": item.get("displayName") or "", "description": item.get("description") or ""}
                       for item in page.get("value", []))
            url = page.get("@odata.nextLink")
            if url and not url.startswith(self.url + "/"):
                raise MdmError("%s: the next page link points outside %s; fix: check claude_desktop_mdm.url" % (self.NAME, self.url))
        return out

    def get_profile(self, ident, name):
        base = self.API + "/deviceManagement/deviceConfigurations/%s" % quote(str(ident))
        _s, _h, body = self._call("GET", base, "read the device configuration %r (id %s)" % (name, ident), "read")
        item = self._json(body)
        _s, _h, body = self._call("GET", base + "/assignments", "read the assignments of %r" % name, "read")
        targets = sorted(a.get("target", {}).get("groupId") or "" for a in self._json(body).get("value", []))
        kind = item.get("@odata.type", "")
        if kind.endswith("macOSCustomConfiguration"):
            payload = base64.b64decode(item.get("payload") or "")
        else:
            payload = json.dumps(item.get("omaSettings") or [], sort_keys=True).encode("utf-8")
        return {"id": str(ident), "name": item.get("displayName") or "", "description": item.get("description") or "",
                "payload": payload, "targets": targets, "kind": kind}

    def resolve_groups(self, names):
        out = {}
        for name in names:
            query = urlencode({"$filter": "displayName eq '%s'" % name.replace("'", "''"), "$select": "id,displayName"})
            _s, _h, body = self._call("GET", self.API + "/groups?" + query, "find the Entra group %r" % name, "groups")
            found = [g for g in self._json(body).get("value", []) if g.get("displayName") == name]
            if not found:
                raise MdmError("%s: the Entra group %r was not found (GET /v1.0/groups: no group with that displayName); fix: create "
                               "it or correct claude_desktop_mdm_groups" % (self.NAME, name))
            if len(found) > 1:
                raise MdmError("%s: %d Entra groups are named %r; fix: rename one so the name is unique" % (self.NAME, len(found), name))
            out[name] = found[0]["id"]
        return out

    def _entity(self, profile):
        if profile["platform"] == "windows":
            return {"@odata.type": "#microsoft.graph.windows10CustomConfiguration", "displayName": profile["name"],
                    "description": profile["description"], "omaSettings": json.loads(profile["payload"].decode("utf-8"))}
        return {"@odata.type": "#microsoft.graph.macOSCustomConfiguration", "displayName": profile["name"],
                "description": profile["description"], "payloadName": profile["payload_name"],
                "payloadFileName": profile["file_name"], "payload": base64.b64encode(profile["payload"]).decode("ascii")}

    def _assign(self, ident, name, group_ids):
        body = {"assignments": [{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": gid}}
                                for _n, gid in sorted(group_ids.items())]}
        self._call("POST", self.API + "/deviceManagement/deviceConfigurations/%s/assign" % quote(str(ident)),
                   "assign %r to its groups" % name, "update", body=json.dumps(body).encode("utf-8"), content_type="application/json")

    def create(self, profile, group_ids):
        _s, _h, body = self._call("POST", self.API + "/deviceManagement/deviceConfigurations", "create the device configuration %r" % profile["name"],
                                  "create", body=json.dumps(self._entity(profile)).encode("utf-8"), content_type="application/json")
        ident = self._json(body).get("id")
        self._assign(ident, profile["name"], group_ids)
        return ident

    def update(self, ident, profile, group_ids, held):
        self._call("PATCH", self.API + "/deviceManagement/deviceConfigurations/%s" % quote(str(ident)),
                   "update the device configuration %r (id %s)" % (profile["name"], ident), "update",
                   body=json.dumps(self._entity(profile)).encode("utf-8"), content_type="application/json")
        if sorted(group_ids.values()) != held["targets"]:
            self._assign(ident, profile["name"], group_ids)

    def delete(self, ident, name):
        self._call("DELETE", self.API + "/deviceManagement/deviceConfigurations/%s" % quote(str(ident)),
                   "delete the device configuration %r (id %s)" % (name, ident), "delete")

    def target_names(self, group_ids):
        return sorted(group_ids.values())


PROVIDERS = {"jamf": Jamf, "intune": Intune}


def digest(payload, groups):
    return hashlib.sha256(payload + b"\x00" + json.dumps(sorted(groups)).encode("utf-8")).hexdigest()


class Plan(object):
    """What one desired profile needs: create, update, delete, none; or drift found (verify)."""

    def __init__(self, profile, action, reason, held=None):
        self.profile = profile
        self.action = action  # create | update | delete | none | foreign
        self.reason = reason
        self.held = held


def plan(provider, desired, existing):
    """One Plan per desired profile. ``desired``: dicts with team, identifier, name, description, payload,
    groups (names), platform, state; ``existing``: list_profiles() output. Reads the profiles it needs."""
    by_name = {}
    for item in existing:
        by_name.setdefault(item["name"], []).append(item)
    ours = {}
    for item in existing:
        mark = parse_marker(item.get("description"))
        if mark is None and provider.NAME == JAMF:
            continue  # the Classic list has no description: read the candidates below
        if mark is not None:
            ours.setdefault((mark["team"], mark["id"]), []).append(item)
    group_cache = {}
    out = []
    for want in desired:
        key = (want["team"], want["identifier"])
        candidates = list(ours.get(key, []))
        if not candidates:
            candidates = list(by_name.get(want["name"], []))
        held = None
        for item in candidates:
            got = provider.get_profile(item["id"], item["name"])
            mark = parse_marker(got["description"])
            if mark and (mark["team"], mark["id"]) == key:
                held = got
                break
        if want["state"] == "absent":
            if held is None:
                foreign = list(by_name.get(want["name"], []))
                reason = ("absent; a profile with that name exists but was not created by this collection: left untouched"
                          if foreign else "absent")
                out.append(Plan(want, "none", reason))
            else:
                out.append(Plan(want, "delete", "delete (created by this collection for team %s)" % want["team"], held))
            continue
        names = tuple(sorted(want["groups"]))
        if names not in group_cache:
            group_cache[names] = provider.resolve_groups(names)
        want["group_ids"] = group_cache[names]
        want["description"] = marker(want["team"], want["identifier"], digest(want["payload"], names))
        if held is None:
            if by_name.get(want["name"]):
                out.append(Plan(want, "foreign", "a profile named %r exists in %s that this collection did not create (no "
                                "aiohub.claude_desktop marker for team %s in its description); rename or delete it, or set "
                                "claude_desktop_profile_display_name" % (want["name"], provider.NAME, want["team"])))
            else:
                out.append(Plan(want, "create", "missing"))
            continue
        reasons = []
        if held["name"] != want["name"]:
            reasons.append("named %r instead of %r" % (held["name"], want["name"]))
        if want["platform"] == "windows":
            # Intune may return OMA-URI string values encrypted: compare the settings' URIs here, values by the digest
            same_content = oma_uris(held["payload"]) == oma_uris(want["payload"])
        else:
            same_content = content_key(held["payload"]) == content_key(want["payload"])
        if not same_content:
            reasons.append("its settings differ from the inventory (edited in the console, or the inventory changed)")
        elif held["description"] != want["description"]:
            reasons.append("its description (digest) differs")
        if held["targets"] != provider.target_names(want["group_ids"]):
            reasons.append("scoped to %s instead of %s" % (held.get("groups") or held["targets"], sorted(want["group_ids"])))
        out.append(Plan(want, "update" if reasons else "none", "; ".join(reasons) or "unchanged", held))
    return out


def apply(provider, plans):
    for p in plans:
        want = p.profile
        if p.action == "create":
            want["mdm_id"] = provider.create(want, want["group_ids"])
        elif p.action == "update":
            provider.update(p.held["id"], want, want["group_ids"], p.held)
            want["mdm_id"] = p.held["id"]
        elif p.action == "delete":
            provider.delete(p.held["id"], p.held["name"])
