"""A stand-in Jamf Pro server (OAuth client credentials + the Classic API parts the mdm action uses).

Written from Jamf's public references (read through the search tool), each behaviour from:
  * https://developer.jamf.com/jamf-pro/reference/postoauthtoken and
    https://learn.jamf.com/r/en-US/jamf-pro-documentation-11.16.0/Generating_a_Client_Secret : POST /api/oauth/token,
    form grant_type=client_credentials, client_id, client_secret -> {"access_token", "scope", "token_type": "Bearer",
    "expires_in"}; an unknown client or wrong secret is refused (401 here, {"error": "invalid_client"}).
  * https://developer.jamf.com/jamf-pro/docs/client-credentials : API clients get privileges through API roles; the
    access token works for the Classic API; https://developer.jamf.com/jamf-pro/v10.34.0/docs (Classic API overview):
    base /JSSResource, XML bodies, POST to /id/0 creates, Create/Read/Update/Delete privileges map to
    POST/GET/PUT/DELETE. A call without a valid token, or without the privilege, is answered 401 (the Classic
    API's answer; the HTML body text here is ours).
  * https://developer.jamf.com/jamf-pro/reference/osxconfigurationprofiles (as mirrored by deploymenttheory/
    go-api-sdk-jamfpro sdk/jamfpro/classicapi_macos_configuration_profiles.go): the list
    <os_x_configuration_profiles><size/><os_x_configuration_profile><id/><name/>..., one profile with
    <general> (id, name, description, site, category, distribution_method, user_removable, level, uuid,
    redeploy_on_update, payloads: the profile's plist as text) and <scope> (all_computers,
    computer_groups/computer_group id+name); POST/PUT answer 201 <os_x_configuration_profile><id/>.
    The Classic list is not paged (it returns every profile with <size>).
  * Duplicate profile names are refused with 409 ("Error: Duplicate name"), as Jamf Pro does for objects whose
    names are unique.
  * Identity: Jamf Pro replaces the top-level PayloadUUID and PayloadIdentifier of an uploaded profile with its
    own UUID (both the same value, also general/uuid). That is the behaviour issue 23 reports and admins see in
    downloaded profiles; it is not stated on the pages above. A PUT stores the payload it is given: an update
    that changes the top-level identifier makes Macs install a second profile, so the server counts those in
    ``identity_changes`` for the tests to assert none happened.
  * /JSSResource/computergroups/name/<name>: 200 <computer_group><id/><name/><is_smart/>, 404 when unknown;
    reading a smart group needs "Read Smart Computer Groups", a static one "Read Static Computer Groups".
"""

from __future__ import annotations

import json
import plistlib
import secrets
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, unquote

from support.mdm_server import FakeServer, Handler

ALL_PRIVILEGES = frozenset(("Create macOS Configuration Profiles", "Read macOS Configuration Profiles",
                            "Update macOS Configuration Profiles", "Delete macOS Configuration Profiles",
                            "Read Smart Computer Groups", "Read Static Computer Groups"))
METHOD_PRIVILEGE = {"GET": "Read", "POST": "Create", "PUT": "Update", "DELETE": "Delete"}


def _html(title, message):
    return "<html><head><title>%s</title></head><body><p>%s</p><p>%s</p></body></html>" % (title, title, message)


class JamfHandler(Handler):
    server_version = "FakeJamfPro/11"

    def dispatch(self):
        routed = self.route()
        if routed is None:
            return
        path, query = routed
        if path == "/api/oauth/token" and self.command == "POST":
            return self.token()
        client = self.server.tokens.get((self.headers.get("Authorization") or "").replace("Bearer ", "", 1))
        self.server.log.append((self.command, path, bool(client)))
        if client is None:
            self.body()
            return self.send(401, _html("Unauthorized", "The request requires user authentication"), "text/html")
        self.client = client
        if path.startswith("/JSSResource/osxconfigurationprofiles"):
            return self.profiles(path[len("/JSSResource/osxconfigurationprofiles"):])
        if path.startswith("/JSSResource/computergroups/name/") and self.command == "GET":
            return self.group(unquote(path[len("/JSSResource/computergroups/name/"):]))
        self.body()
        self.send(404, _html("Not Found", "The server has not found anything matching the request URI"), "text/html")

    def allowed(self, privilege):
        if privilege in self.server.clients[self.client]["privileges"]:
            return True
        self.body()
        self.send(401, _html("Unauthorized", "The authentication provided is invalid or you do not have permission to the requested "
                                             "resource"), "text/html")
        return False

    def token(self):
        form = parse_qs(self.body().decode())
        client_id = (form.get("client_id") or [""])[0]
        client = self.server.clients.get(client_id)
        self.server.log.append(("POST", "/api/oauth/token", bool(client)))
        if (form.get("grant_type") or [""])[0] != "client_credentials":
            return self.send(400, {"error": "unsupported_grant_type"})
        if client is None or (form.get("client_secret") or [""])[0] != client["secret"] or not client.get("enabled", True):
            return self.send(401, {"error": "invalid_client"})
        token = secrets.token_urlsafe(24)
        self.server.tokens[token] = client_id
        self.send(200, {"access_token": token, "scope": "api-role:1", "token_type": "Bearer", "expires_in": 599})

    # ------------------------------------------------------------------ profiles
    def profiles(self, rest):
        s = self.server
        if not self.allowed(METHOD_PRIVILEGE[self.command] + " macOS Configuration Profiles"):
            return
        if rest in ("", "/") and self.command == "GET":
            root = ET.Element("os_x_configuration_profiles")
            ET.SubElement(root, "size").text = str(len(s.profiles))
            for pid in sorted(s.profiles, key=int):
                item = ET.SubElement(root, "os_x_configuration_profile")
                ET.SubElement(item, "id").text = pid
                ET.SubElement(item, "name").text = s.profiles[pid]["name"]
            return self.send(200, ET.tostring(root), "application/xml")
        if not rest.startswith("/id/"):
            self.body()
            return self.send(404, _html("Not Found", "The server has not found anything matching the request URI"), "text/html")
        pid = rest[len("/id/"):]
        if self.command == "POST":
            return self.create(pid)
        with s.lock:
            held = s.profiles.get(pid)
            if held is None:
                self.body()
                return self.send(404, _html("Not Found", "The server has not found anything matching the request URI"), "text/html")
            if self.command == "GET":
                return self.send(200, self.profile_xml(pid, held), "application/xml")
            if self.command == "DELETE":
                del s.profiles[pid]
                return self.send(200, "<os_x_configuration_profile><id>%s</id></os_x_configuration_profile>" % pid, "application/xml")
            if self.command == "PUT":
                return self.update(pid, held)
        self.send(405, _html("Method Not Allowed", "Method not allowed"), "text/html")

    def parse(self):
        try:
            root = ET.fromstring(self.body())
        except ET.ParseError as exc:
            self.send(400, _html("Bad Request", "Unable to parse XML: %s" % exc), "text/html")
            return None
        if root.tag != "os_x_configuration_profile":
            self.send(400, _html("Bad Request", "Unexpected root element %s" % root.tag), "text/html")
            return None
        return root

    def scope_groups(self, root):
        out = []
        for group in root.findall("scope/computer_groups/computer_group"):
            gid = group.findtext("id")
            if gid not in self.server.groups:
                self.send(409, _html("Conflict", "Error: Problem with computer group"), "text/html")
                return None
            out.append(gid)
        return out

    def payload_of(self, root):
        text = root.findtext("general/payloads")
        if text is None:
            return None, None
        try:
            data = plistlib.loads(text.encode("utf-8"))
        except Exception:
            self.send(409, _html("Conflict", "Error: Unable to parse the payloads"), "text/html")
            return False, None
        return text, data

    def create(self, pid):
        s = self.server
        if pid != "0":
            self.body()
            return self.send(409, _html("Conflict", "Error: use id 0 to create"), "text/html")
        root = self.parse()
        if root is None:
            return
        name = (root.findtext("general/name") or "").strip()
        if not name:
            return self.send(409, _html("Conflict", "Error: Name is required"), "text/html")
        with s.lock:
            if any(p["name"] == name for p in s.profiles.values()):
                return self.send(409, _html("Conflict", "Error: Duplicate name"), "text/html")
            groups = self.scope_groups(root)
            if groups is None:
                return
            text, data = self.payload_of(root)
            if text is False:
                return
            ident = str(uuid.uuid4()).upper()
            if isinstance(data, dict):  # Jamf Pro's own identity replaces the uploaded one
                data["PayloadUUID"] = ident
                data["PayloadIdentifier"] = ident
                text = plistlib.dumps(data, fmt=plistlib.FMT_XML).decode("utf-8")
            s.next_id += 1
            pid = str(s.next_id)
            s.profiles[pid] = {"name": name, "description": root.findtext("general/description") or "", "payloads": text or "",
                               "uuid": ident, "groups": groups, "level": root.findtext("general/level") or "computer"}
        self.send(201, "<os_x_configuration_profile><id>%s</id></os_x_configuration_profile>" % pid, "application/xml")

    def update(self, pid, held):
        s = self.server
        root = self.parse()
        if root is None:
            return
        name = root.findtext("general/name")
        if name is not None and any(p["name"] == name and k != pid for k, p in s.profiles.items()):
            return self.send(409, _html("Conflict", "Error: Duplicate name"), "text/html")
        groups = self.scope_groups(root) if root.find("scope") is not None else held["groups"]
        if groups is None:
            return
        text, data = self.payload_of(root)
        if text is False:
            return
        if text is not None:
            before = plistlib.loads(held["payloads"].encode("utf-8")) if held["payloads"] else {}
            if isinstance(data, dict) and data.get("PayloadIdentifier") != before.get("PayloadIdentifier"):
                s.identity_changes += 1
            held["payloads"] = text
        if name is not None:
            held["name"] = name
        if root.find("general/description") is not None:
            held["description"] = root.findtext("general/description") or ""
        held["groups"] = groups
        self.send(201, "<os_x_configuration_profile><id>%s</id></os_x_configuration_profile>" % pid, "application/xml")

    def profile_xml(self, pid, held):
        root = ET.Element("os_x_configuration_profile")
        general = ET.SubElement(root, "general")
        for tag, text in (("id", pid), ("name", held["name"]), ("description", held["description"])):
            ET.SubElement(general, tag).text = text
        site = ET.SubElement(general, "site")
        ET.SubElement(site, "id").text = "-1"
        ET.SubElement(site, "name").text = "None"
        category = ET.SubElement(general, "category")
        ET.SubElement(category, "id").text = "-1"
        ET.SubElement(category, "name").text = "No category assigned"
        for tag, text in (("distribution_method", "Install Automatically"), ("user_removable", "false"), ("level", held["level"]),
                          ("uuid", held["uuid"]), ("redeploy_on_update", "Newly Assigned"), ("payloads", held["payloads"])):
            ET.SubElement(general, tag).text = text
        scope = ET.SubElement(root, "scope")
        ET.SubElement(scope, "all_computers").text = "false"
        ET.SubElement(scope, "all_jss_users").text = "false"
        ET.SubElement(scope, "computers")
        groups = ET.SubElement(scope, "computer_groups")
        for gid in held["groups"]:
            group = ET.SubElement(groups, "computer_group")
            ET.SubElement(group, "id").text = gid
            ET.SubElement(group, "name").text = self.server.groups[gid]["name"]
        return ET.tostring(root)

    def group(self, name):
        s = self.server
        found = [(gid, g) for gid, g in s.groups.items() if g["name"] == name]
        if not found:
            return self.send(404, _html("Not Found", "The server has not found anything matching the request URI"), "text/html")
        gid, group = found[0]
        if not self.allowed("Read Smart Computer Groups" if group["is_smart"] else "Read Static Computer Groups"):
            return
        root = ET.Element("computer_group")
        ET.SubElement(root, "id").text = gid
        ET.SubElement(root, "name").text = name
        ET.SubElement(root, "is_smart").text = "true" if group["is_smart"] else "false"
        self.send(200, ET.tostring(root), "application/xml")


class FakeJamf(FakeServer):
    handler = JamfHandler

    def __init__(self, ca, clients, groups=()):
        FakeServer.__init__(self, ca)
        self.clients = {cid: dict(c, privileges=set(c.get("privileges", ALL_PRIVILEGES))) for cid, c in clients.items()}
        self.tokens = {}
        self.profiles = {}
        self.groups = {str(i + 1): {"name": name, "is_smart": bool(i % 2)} for i, name in enumerate(groups)}
        self.next_id = 100
        self.identity_changes = 0

    def expire_tokens(self):
        self.tokens.clear()

    def add_profile(self, name, payload, description="", groups=()):
        """A profile someone else made in the console (a foreign profile)."""
        with self.lock:
            self.next_id += 1
            gids = [gid for gid, g in self.groups.items() if g["name"] in groups]
            self.profiles[str(self.next_id)] = {"name": name, "description": description, "payloads": payload.decode("utf-8"),
                                                "uuid": str(uuid.uuid4()).upper(), "groups": gids, "level": "computer"}
            return str(self.next_id)

    def by_name(self, name):
        return next((dict(p, id=pid) for pid, p in self.profiles.items() if p["name"] == name), None)

    def scope_names(self, profile):
        return sorted(self.groups[g]["name"] for g in profile["groups"])

    def dump(self):
        return json.dumps(self.profiles, sort_keys=True)
