"""A stand-in Microsoft Graph v1.0 (Intune device configurations, groups) and Entra ID token endpoint.

Written from Microsoft's public references (read through the search tool):
  * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow (as cited by the
    client-credentials tools found): POST /{tenant}/oauth2/v2.0/token, form client_id, client_secret,
    scope=<resource>/.default, grant_type=client_credentials -> {"token_type": "Bearer", "expires_in", "access_token"};
    a wrong secret -> 401 {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret ..."};
    an unknown tenant -> 400 (AADSTS90002).
  * https://learn.microsoft.com/en-us/graph/api/intune-deviceconfig-macoscustomconfiguration-create and -update:
    POST/PATCH /v1.0/deviceManagement/deviceConfigurations with "@odata.type": "#microsoft.graph.macOSCustomConfiguration",
    displayName, description, payloadName, payloadFileName, payload (base64); create answers 201 with the object,
    update 200 with the object; permission DeviceManagementConfiguration.ReadWrite.All (application).
    https://learn.microsoft.com/en-us/graph/api/resources/intune-deviceconfig-macoscustomconfiguration : properties.
  * https://learn.microsoft.com/en-us/graph/api/intune-deviceconfig-windows10customconfiguration-create :
    "#microsoft.graph.windows10CustomConfiguration" with omaSettings (omaUri, displayName, value).
  * https://learn.microsoft.com/graph/api/intune-deviceconfig-deviceconfiguration-assign : POST .../{id}/assign
    {"assignments": [{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId"}}]} replaces the
    assignments and answers 200 {"value": [...]}; https://learn.microsoft.com/en-us/graph/api/resources/
    intune-deviceconfig-deviceconfigurationassignment : GET .../{id}/assignments.
  * https://learn.microsoft.com/en-MY/graph/paging : server-side paging with @odata.nextLink (a full URL) until a
    page has none; this server pages every list by PAGE_SIZE.
  * https://learn.microsoft.com/graph/throttling : 429 with Retry-After (inject() drives it in tests).
  * Graph errors are {"error": {"code", "message"}}: 401 InvalidAuthenticationToken without a valid token,
    403 Forbidden when the app lacks the permission, 404 ResourceNotFound, 400 BadRequest.
  * GET /v1.0/groups?$filter=displayName eq '<name>' (quotes doubled inside), permission GroupMember.Read.All or
    Group.Read.All.
Intune does not refuse two device configurations with one displayName (no 409): the client must look before it
creates, which this server lets the tests check.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import re
import secrets
import uuid
from urllib.parse import parse_qs, unquote

from support.mdm_server import FakeServer, Handler

PAGE_SIZE = 2
READ = {"DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"}
WRITE = {"DeviceManagementConfiguration.ReadWrite.All"}
GROUPS = {"GroupMember.Read.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All"}
ALL_ROLES = frozenset(("DeviceManagementConfiguration.ReadWrite.All", "GroupMember.Read.All"))
MAC = "#microsoft.graph.macOSCustomConfiguration"
WIN = "#microsoft.graph.windows10CustomConfiguration"
BASE = "/v1.0/deviceManagement/deviceConfigurations"


def _error(code, message):
    return {"error": {"code": code, "message": message, "innerError": {"request-id": str(uuid.uuid4())}}}


class GraphHandler(Handler):
    server_version = "FakeGraph/1.0"

    def dispatch(self):
        routed = self.route()
        if routed is None:
            return
        path, query = routed
        m = re.match(r"^/([^/]+)/oauth2/v2\.0/token$", path)
        if m and self.command == "POST":
            return self.token(m.group(1))
        client = self.server.tokens.get((self.headers.get("Authorization") or "").replace("Bearer ", "", 1))
        self.server.log.append((self.command, path, bool(client)))
        if client is None:
            self.body()
            return self.send(401, _error("InvalidAuthenticationToken", "Access token is empty or invalid."))
        self.roles = self.server.clients[client]["roles"]
        self.query = {k: v[0] for k, v in parse_qs(query).items()}
        if path == "/v1.0/groups" and self.command == "GET":
            return self.groups()
        if path == BASE or path.startswith(BASE + "/"):
            return self.configurations(path[len(BASE):])
        self.body()
        self.send(404, _error("ResourceNotFound", "Resource not found for the segment '%s'." % path.rsplit("/", 1)[-1]))

    def need(self, roles, name):
        if self.roles & roles:
            return True
        self.body()
        self.send(403, _error("Forbidden", "Application is not authorized to perform this operation. Application must have one of the "
                                           "following scopes: %s" % name))
        return False

    def token(self, tenant):
        form = parse_qs(self.body().decode())
        self.server.log.append(("POST", "/%s/oauth2/v2.0/token" % tenant, True))
        if tenant != self.server.tenant:
            return self.send(400, {"error": "invalid_request", "error_description": "AADSTS90002: Tenant '%s' not found." % tenant})
        client = self.server.clients.get((form.get("client_id") or [""])[0])
        if (form.get("grant_type") or [""])[0] != "client_credentials":
            return self.send(400, {"error": "unsupported_grant_type", "error_description": "AADSTS70003"})
        if (form.get("scope") or [""])[0] != self.server.url + "/.default":
            return self.send(400, {"error": "invalid_scope", "error_description": "AADSTS70011: The provided value for scope is not valid."})
        if client is None or (form.get("client_secret") or [""])[0] != client["secret"]:
            return self.send(401, {"error": "invalid_client",
                                   "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent "
                                                        "in the request is the client secret value, not the client secret ID."})
        token = secrets.token_urlsafe(24)
        self.server.tokens[token] = (form.get("client_id") or [""])[0]
        self.send(200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token})

    def page(self, items, path):
        start = int(self.query.get("$skiptoken") or 0)
        if start:
            self.server.next_pages += 1
        body = {"@odata.context": self.server.url + "/v1.0/$metadata", "value": items[start:start + PAGE_SIZE]}
        if start + PAGE_SIZE < len(items):
            rest = {k: v for k, v in self.query.items() if k != "$skiptoken"}
            rest["$skiptoken"] = str(start + PAGE_SIZE)
            from urllib.parse import urlencode
            body["@odata.nextLink"] = "%s%s?%s" % (self.server.url, path, urlencode(rest))
        return body

    def groups(self):
        if not self.need(GROUPS, "GroupMember.Read.All, Group.Read.All"):
            return
        flt = self.query.get("$filter")
        items = [{"id": gid, "displayName": name} for gid, name in sorted(self.server.groups.items())]
        if flt:
            m = re.match(r"^displayName eq '((?:[^']|'')*)'$", flt)
            if not m:
                return self.send(400, _error("Request_UnsupportedQuery", "Unsupported query."))
            wanted = m.group(1).replace("''", "'")
            items = [g for g in items if g["displayName"] == wanted]
        self.send(200, self.page(items, "/v1.0/groups"))

    def configurations(self, rest):
        s = self.server
        if rest == "" and self.command == "GET":
            if not self.need(READ, "DeviceManagementConfiguration.Read.All"):
                return
            select = [f for f in (self.query.get("$select") or "").split(",") if f]
            items = []
            for cid in sorted(s.configs, key=lambda c: s.configs[c]["createdDateTime"]):
                item = s.configs[cid]
                items.append({k: v for k, v in item.items() if not select or k in select or k in ("id", "@odata.type")})
            return self.send(200, self.page(items, BASE))
        if rest == "" and self.command == "POST":
            return self.create()
        m = re.match(r"^/([^/]+)(/assign|/assignments)?$", rest)
        if not m:
            self.body()
            return self.send(404, _error("ResourceNotFound", "No resource"))
        cid, sub = unquote(m.group(1)), m.group(2)
        with s.lock:
            if cid not in s.configs:
                self.body()
                return self.send(404, _error("ResourceNotFound", "deviceConfiguration %s not found" % cid))
            if sub == "/assignments" and self.command == "GET":
                if self.need(READ, "DeviceManagementConfiguration.Read.All"):
                    self.send(200, {"value": copy.deepcopy(s.assignments.get(cid, []))})
                return
            if sub == "/assign" and self.command == "POST":
                return self.assign(cid)
            if sub is None and self.command == "GET":
                if self.need(READ, "DeviceManagementConfiguration.Read.All"):
                    self.send(200, copy.deepcopy(s.configs[cid]))
                return
            if sub is None and self.command == "PATCH":
                return self.update(cid)
            if sub is None and self.command == "DELETE":
                if self.need(WRITE, "DeviceManagementConfiguration.ReadWrite.All"):
                    del s.configs[cid]
                    s.assignments.pop(cid, None)
                    self.send(204)
                return
        self.body()
        self.send(405, _error("BadRequest", "Method not allowed"))

    def json_body(self):
        try:
            return json.loads(self.body().decode() or "{}")
        except ValueError:
            self.send(400, _error("BadRequest", "Unable to read JSON request payload."))
            return None

    def check(self, body, kind):
        if kind == MAC:
            if not body.get("displayName") or "payloadName" not in body or "payload" not in body:
                return "displayName, payloadName and payload are required"
            try:
                base64.b64decode(body["payload"], validate=True)
            except (binascii.Error, TypeError):
                return "payload is not base64"
        elif kind == WIN:
            settings = body.get("omaSettings")
            if not body.get("displayName") or not isinstance(settings, list) or not all(
                    isinstance(o, dict) and str(o.get("omaUri", "")).startswith("./") for o in settings):
                return "displayName and omaSettings (each with an omaUri starting ./) are required"
        else:
            return "unsupported @odata.type %r" % kind
        return None

    def create(self):
        if not self.need(WRITE, "DeviceManagementConfiguration.ReadWrite.All"):
            return
        body = self.json_body()
        if body is None:
            return
        problem = self.check(body, body.get("@odata.type"))
        if problem:
            return self.send(400, _error("BadRequest", problem))
        s = self.server
        with s.lock:
            s.clock += 1
            cid = str(uuid.uuid4())
            item = dict(body, id=cid, version=1, createdDateTime="2026-01-01T00:00:%02dZ" % (s.clock % 60),
                        lastModifiedDateTime="2026-01-01T00:00:00Z")
            item["createdDateTime"] = "2026-01-01T%02d:%02d:%02dZ" % (s.clock // 3600, s.clock // 60 % 60, s.clock % 60)
            s.configs[cid] = item
        self.send(201, item)

    def update(self, cid):
        if not self.need(WRITE, "DeviceManagementConfiguration.ReadWrite.All"):
            return
        body = self.json_body()
        if body is None:
            return
        held = self.server.configs[cid]
        if body.get("@odata.type", held["@odata.type"]) != held["@odata.type"]:
            return self.send(400, _error("BadRequest", "The @odata.type of an update must be the object's own"))
        merged = dict(held, **body)
        problem = self.check(merged, held["@odata.type"])
        if problem:
            return self.send(400, _error("BadRequest", problem))
        merged["version"] = held["version"] + 1
        self.server.configs[cid] = merged
        self.send(200, merged)

    def assign(self, cid):
        if not self.need(WRITE, "DeviceManagementConfiguration.ReadWrite.All"):
            return
        body = self.json_body()
        if body is None:
            return
        out = []
        for item in body.get("assignments") or []:
            target = item.get("target") or {}
            if target.get("@odata.type") != "#microsoft.graph.groupAssignmentTarget" or target.get("groupId") not in self.server.groups:
                return self.send(400, _error("BadRequest", "assignment target must be a groupAssignmentTarget of an existing group"))
            out.append({"id": "%s_%s" % (cid, target["groupId"]), "target": target})
        self.server.assignments[cid] = out
        self.send(200, {"value": out})


class FakeGraph(FakeServer):
    handler = GraphHandler

    def __init__(self, ca, clients, tenant, groups=()):
        FakeServer.__init__(self, ca)
        self.clients = {cid: dict(c, roles=set(c.get("roles", ALL_ROLES))) for cid, c in clients.items()}
        self.tenant = tenant
        self.tokens = {}
        self.configs = {}
        self.assignments = {}
        self.groups = {str(uuid.uuid5(uuid.NAMESPACE_DNS, name)): name for name in groups}
        self.clock = 0
        self.next_pages = 0  # requests that followed an @odata.nextLink

    def token_url(self):
        return "%s/%s/oauth2/v2.0/token" % (self.url, self.tenant)

    def add_config(self, name, payload, description="", kind=MAC):
        with self.lock:
            self.clock += 1
            cid = str(uuid.uuid4())
            self.configs[cid] = {"@odata.type": kind, "id": cid, "displayName": name, "description": description,
                                 "payloadName": name, "payloadFileName": "x.mobileconfig", "version": 1,
                                 "payload": base64.b64encode(payload).decode(), "createdDateTime": "2026-01-01T00:00:%02dZ" % self.clock}
            return cid

    def named(self, name):
        return [dict(c) for c in self.configs.values() if c["displayName"] == name]

    def scope_names(self, cid):
        return sorted(self.groups[a["target"]["groupId"]] for a in self.assignments.get(cid, []))
