# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate an enterpriseConfig: field rules (the model), cross-key rules (this module).

PRIVATE, controller-only. ``validate_config`` never raises for bad input: it returns every
problem at once, each naming the key path, the rule and the fix, with secrets masked.
"""

from __future__ import annotations

import difflib
import functools
import re

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _model as m
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import mask_config, scrub, secret_values

# Keys that do not take ownership of the device (spec §1.6.2).
APP_BEHAVIOUR_KEYS = frozenset(
    (
        "disableAutoUpdates",
        "autoUpdaterEnforcementHours",
        "updateViaUpdatesHost",
        "relaunchEnforcementHours",
        "configRecheckIntervalMinutes",
        "egressProxyUrl",
        "egressProxyPacUrl",
    )
)
# Provider -> areas whose keys that provider reads.
PROVIDER_AREAS = {
    "gateway": ("provider_gateway",),
    "anthropic": ("provider_anthropic",),
    "bedrock": ("provider_bedrock",),
    "mantle": ("provider_bedrock",),
    "vertex": ("provider_vertex",),
    "foundry": ("provider_foundry",),
}
_SHARED_IDP_KEYS = ("inferenceIdpOidc", "inferenceIdpAuthFlow")  # gateway and bedrock (external-idp)
_MANTLE_KEYS = ("inferenceBedrockRegion", "inferenceBedrockBearerToken", "inferenceBedrockBaseUrl")
_BEDROCK_SSO = ("inferenceBedrockSsoStartUrl", "inferenceBedrockSsoRegion", "inferenceBedrockSsoAccountId", "inferenceBedrockSsoRoleName")
_MODEL_ALIASES = ("sonnet", "opus", "haiku", "fable", "mythos")
# Credential kinds first honoured later than the key itself.
_KIND_SINCE = {"external-idp": "2.7032.0"}
_VERSION_RE = re.compile(r"^\d+(\.\d+){1,3}$")
_UNION_TAGS = ("str", "obj", "bool")


class Problem(object):
    """One reason a config is invalid."""

    def __init__(self, key, rule, fix):
        self.key = key
        self.rule = rule
        self.fix = fix

    def as_dict(self):
        return {"key": self.key, "rule": self.rule, "fix": self.fix}

    def __str__(self):
        fix = self.fix if self.fix.endswith(("?", ".")) else self.fix + "."
        return "%s: %s. Fix: %s" % (self.key, self.rule.rstrip("."), fix)


class ValidationResult(object):
    """Outcome of validate_config: the normalized config (native types, sorted), problems, warnings."""

    def __init__(self, config, problems, warnings, secrets):
        self.config = config
        self.problems = problems
        self.warnings = warnings
        self.secrets = secrets

    @property
    def ok(self):
        return not self.problems

    @property
    def masked_config(self):
        return mask_config(self.config)

    def masked_warnings(self):
        return scrub(list(self.warnings), self.secrets)

    def masked_problems(self):
        return [scrub(p.as_dict(), self.secrets) for p in self.problems]

    def error_message(self, host=None):
        where = " for host %r" % host if host else ""
        count = len(self.problems)
        lines = ["Invalid Claude Desktop enterpriseConfig%s (%d problem%s):" % (where, count, "" if count == 1 else "s")]
        lines.extend("  - %s" % p for p in self.problems)
        return scrub("\n".join(lines), self.secrets)


class ConfigValidationError(Exception):
    def __init__(self, result, host=None):
        self.result = result
        super(ConfigValidationError, self).__init__(result.error_message(host))


def parse_version(text):
    """'1.2581.0' -> (1, 2581, 0); 'base' -> (0,). The 2.x series is later than every 1.x build."""
    if text in (None, "base"):
        return (0,)
    return tuple(int(p) for p in str(text).split("."))


def suggest(name, candidates):
    lowered = {c.lower(): c for c in candidates}
    if name.lower() in lowered:
        return lowered[name.lower()]
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    return close[0] if close else None


def _loc(loc):
    parts = []
    for item in loc:
        if isinstance(item, int):
            parts.append("[%d]" % item)
        elif item in _UNION_TAGS or "[" in str(item):
            continue
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "config"


@functools.lru_cache(maxsize=None)
def _nested_field_names():
    names = set()
    for cls in (
        m.OidcConfig,
        m.ModelEntry,
        m.PricingEntry,
        m.WorkspaceFolder,
        m.Banner,
        m.McpOAuth,
        m.McpServer,
        m.ToolPermission,
        m.PluginServerSettings,
        m.PluginMarketplace,
        m.ClaudeAiImport,
    ):
        names.update(cls.model_fields)
    return sorted(names)


def _pydantic_problem(err):
    kind = err["type"]
    ctx = err.get("ctx") or {}
    key = _loc(err["loc"])
    if kind == "claude_desktop":
        return Problem(key, ctx["rule"], ctx["fix"])
    if kind == "extra_forbidden":
        field = str(err["loc"][-1])
        hint = suggest(field, _nested_field_names())
        return Problem(key, "unknown field", "did you mean %r?" % hint if hint else "remove it (see docs/keys.md for the fields)")
    if kind == "literal_error":
        return Problem(key, "must be one of %s" % ctx.get("expected", ""), "use one of the listed values")
    if kind == "missing":
        return Problem(key, "is required", "add %s" % err["loc"][-1])
    if kind in ("union_tag_not_found", "union_tag_invalid"):
        return Problem(key, "expected a string or an object", "write a plain string or a mapping")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return Problem(key, "expected an object (mapping)", "write a YAML mapping")
    if kind == "list_type":
        return Problem(key, "expected a list", "write a YAML list, e.g. [a, b]")
    bounds = {"greater_than_equal": "at least %s", "less_than_equal": "at most %s", "greater_than": "greater than %s", "less_than": "less than %s"}
    if kind in bounds:
        limit = next(iter(ctx.values()), "")
        return Problem(key, "must be %s" % (bounds[kind] % limit), "use a value %s" % (bounds[kind] % limit))
    if kind in ("string_too_long", "too_long"):
        return Problem(key, "is longer than %s characters" % ctx.get("max_length"), "shorten it")
    if kind in ("string_too_short", "too_short"):
        return Problem(key, "must not be empty", "give it a value, or remove the key")
    if kind == "string_pattern_mismatch":
        return Problem(key, "does not have the required format (%s)" % ctx.get("pattern", ""), "see docs/keys.md for the format")
    msg = err.get("msg", "is invalid")
    return Problem(key, msg[0].lower() + msg[1:], "use a value of the documented type and range (docs/keys.md)")


def _field_validate(data, context):
    """Validate with the model; on errors, drop the failing keys and validate the rest."""
    from pydantic import ValidationError

    problems = []
    try:
        return m.EnterpriseConfig.model_validate(data, context=context), problems
    except ValidationError as exc:
        errors = exc.errors(include_input=False, include_url=False)
    failed = set()
    for err in errors:
        problems.append(_pydantic_problem(err))
        if err["loc"]:
            failed.add(err["loc"][0])
    rest = {k: v for k, v in data.items() if k not in failed}
    return m.EnterpriseConfig.model_validate(rest, context=context), problems


def _has(c, *keys):
    return all(c.get(k) not in (None, "") for k in keys)


def _cross_checks(c, problems, warnings, reported=()):
    """Rules across keys. Keys already reported (a failed field, a typo's suggestion) are not reported again."""

    def add(key, rule, fix):
        if key not in reported:
            problems.append(Problem(key, rule, fix))

    prov = c.get("inferenceProvider")
    kind = c.get("inferenceCredentialKind")
    helper = _has(c, "inferenceCredentialHelper")
    catalog = m.key_catalog()

    if prov is None:
        if not c or set(c) <= APP_BEHAVIOUR_KEYS or _has(c, "bootstrapUrl"):
            pass
        else:
            add(
                "inferenceProvider",
                "is not set, so the app stays in standard mode while these keys make the device managed",
                "set inferenceProvider to gateway, anthropic, bedrock, mantle, vertex or foundry (or deliver it through bootstrapUrl)",
            )
    else:
        readable = PROVIDER_AREAS[prov]
        for key in c:
            area = catalog[key]["area"] if key in catalog else None
            if not area or not area.startswith("provider_") or area in readable:
                if prov == "mantle" and area == "provider_bedrock" and key not in _MANTLE_KEYS:
                    warnings.append("%s: ignored with inferenceProvider mantle (it reads only %s)" % (key, ", ".join(_MANTLE_KEYS)))
                continue
            if key in _SHARED_IDP_KEYS and prov == "bedrock":
                continue
            warnings.append("%s: ignored because inferenceProvider is %s" % (key, prov))

    if helper and kind is None:
        for key in ("inferenceGatewayApiKey", "inferenceAnthropicApiKey", "inferenceBedrockBearerToken", "inferenceFoundryApiKey"):
            if key in c:
                warnings.append("%s: ignored because inferenceCredentialHelper is set (the helper always wins)" % key)
    if kind == "helper-script" and not helper:
        add("inferenceCredentialKind", "helper-script needs inferenceCredentialHelper", "set inferenceCredentialHelper to the helper's absolute path")

    if prov == "gateway":
        if not _has(c, "inferenceGatewayBaseUrl"):
            add("inferenceGatewayBaseUrl", "is required for inferenceProvider gateway", "set it to the gateway root, e.g. https://api.aiohub.org")
        if kind == "external-idp" and "inferenceIdpOidc" not in c:
            add("inferenceIdpOidc", "is required with inferenceCredentialKind external-idp", "add the OIDC client (clientId, issuer)")
        if kind == "static" and not _has(c, "inferenceGatewayApiKey"):
            add("inferenceGatewayApiKey", "is required with inferenceCredentialKind static", "set the key from Ansible Vault")
        if kind in ("vendor-profile", "workforce"):
            add(
                "inferenceCredentialKind", "%s is not valid for the gateway provider" % kind, "use static, helper-script, interactive or external-idp"
            )
        credential = _has(c, "inferenceGatewayApiKey") or helper or kind in ("interactive", "external-idp")
        if not credential:
            add(
                "inferenceGatewayApiKey",
                'no credential configured for provider "gateway" (the app stays in standard mode)',
                "set inferenceGatewayApiKey (from Ansible Vault; a placeholder such as 'none' if the gateway needs no key), "
                "inferenceCredentialHelper, or inferenceCredentialKind: interactive with inferenceGatewayOidc",
            )
        if "inferenceGatewayOidc" in c and kind != "interactive":
            warnings.append("inferenceGatewayOidc: used only with inferenceCredentialKind: interactive")
        if c.get("inferenceGatewayApiKey") in ("sk-your-api-key", "sk-xxx", "YOUR_API_KEY"):
            warnings.append("inferenceGatewayApiKey: looks like the setup guide's placeholder, not a real key")
    elif prov == "anthropic":
        if not (_has(c, "inferenceAnthropicApiKey") or helper or kind == "interactive"):
            add(
                "inferenceAnthropicApiKey",
                'no credential configured for provider "anthropic"',
                "set inferenceAnthropicApiKey (from Ansible Vault), inferenceCredentialHelper, or inferenceCredentialKind: interactive",
            )
    elif prov in ("bedrock", "mantle"):
        if not _has(c, "inferenceBedrockRegion"):
            add("inferenceBedrockRegion", "is required for inferenceProvider %s" % prov, "set the AWS region, e.g. us-east-1")
        if prov == "mantle":
            if not (_has(c, "inferenceBedrockBearerToken") or helper):
                add(
                    "inferenceBedrockBearerToken",
                    'no credential configured for provider "mantle" (bearer token or helper only)',
                    "set inferenceBedrockBearerToken (from Ansible Vault) or inferenceCredentialHelper",
                )
            if "inferenceModels" not in c:
                add("inferenceModels", "is required for mantle (there is no model-list endpoint)", "list the model IDs")
        else:
            _bedrock_credentials(c, kind, helper, add)
    elif prov == "vertex":
        for key in ("inferenceVertexProjectId", "inferenceVertexRegion"):
            if not _has(c, key):
                add(key, "is required for inferenceProvider vertex", "set it (e.g. my-project / us-east5)")
        if "inferenceModels" not in c:
            add("inferenceModels", "is required for vertex", "list Vertex publisher IDs such as claude-sonnet-4@20250514")
        if c.get("toolSearchEnabled"):
            add("toolSearchEnabled", "must not be enabled on Vertex (Vertex rejects the tool-search beta header)", "remove it or set false")
        if kind == "interactive" and "inferenceVertexWorkforceAudience" in c:
            add(
                "inferenceCredentialKind",
                "interactive with inferenceVertexWorkforceAudience was removed after the 2026-10-07 cut-off",
                "use workforce",
            )
        if kind == "workforce" and "inferenceVertexWorkforceAudience" not in c:
            add("inferenceVertexWorkforceAudience", "is required with inferenceCredentialKind workforce", "set the workforce pool provider audience")
    elif prov == "foundry":
        if not _has(c, "inferenceFoundryResource"):
            add(
                "inferenceFoundryResource",
                "is required for inferenceProvider foundry",
                "set the resource name (the <resource> in <resource>.services.ai.azure.com)",
            )
        if "inferenceModels" not in c:
            add("inferenceModels", "is required for foundry", "list the Foundry deployment names")
        entra = [k for k in ("inferenceFoundryTenantId", "inferenceFoundryClientId") if k in c]
        if len(entra) == 1:
            add(entra[0], "Entra sign-in needs both inferenceFoundryTenantId and inferenceFoundryClientId", "set the other one as well")
        if not (_has(c, "inferenceFoundryApiKey") or helper or len(entra) == 2):
            add(
                "inferenceFoundryApiKey",
                'no credential configured for provider "foundry"',
                "set inferenceFoundryApiKey (from Ansible Vault), inferenceFoundryTenantId + inferenceFoundryClientId, or inferenceCredentialHelper",
            )

    if "inferenceMaxTokensPerWindow" in c and "inferenceTokenWindowHours" not in c:
        add("inferenceMaxTokensPerWindow", "does nothing without inferenceTokenWindowHours", "set inferenceTokenWindowHours (1-720)")
    if "inferenceTokenWindowHours" in c and "inferenceMaxTokensPerWindow" not in c:
        warnings.append("inferenceTokenWindowHours: has no effect without inferenceMaxTokensPerWindow")
    if c.get("inferenceModelPricingEnabled") is not True:
        for key in ("inferenceModelPricingMultiplier", "inferenceModelPricing"):
            if key in c:
                warnings.append("%s: applies only when inferenceModelPricingEnabled is true" % key)
    if "deploymentDisplaySubtitle" in c and "deploymentDisplayName" not in c:
        warnings.append("deploymentDisplaySubtitle: shown only together with deploymentDisplayName")
    if all(c.get(k) is False for k in ("coworkTabEnabled", "isClaudeCodeForDesktopEnabled")) and not c.get("chatTabEnabled"):
        add("coworkTabEnabled", "at least one of Cowork, Code and Chat must stay enabled (the app re-enables Cowork)", "enable one of the tabs")
    if c.get("modelDiscoveryEnabled") is False:
        models = c.get("inferenceModels") or []
        if not models:
            add("inferenceModels", "is required when modelDiscoveryEnabled is false", "list full model IDs")
        for entry in models:
            name = entry if isinstance(entry, str) else entry.get("name")
            if name in _MODEL_ALIASES:
                add("inferenceModels", "alias %r needs model discovery" % name, "use the full model ID, or allow discovery")
    if c.get("modelPrefer1mContext") and c.get("inferenceModels"):
        first = c["inferenceModels"][0]
        if isinstance(first, str) or not first.get("supports1m"):
            warnings.append("modelPrefer1mContext: the default model (first inferenceModels entry) is not marked supports1m")
    if prov and "isDesktopExtensionEnabled" not in c:
        warnings.append("isDesktopExtensionEnabled: not set; its default changed to false in 1.19367.0, set it explicitly")
    if "egressProxyUrl" in c and "egressProxyPacUrl" in c:
        warnings.append("egressProxyUrl: ignored because egressProxyPacUrl is set (the PAC URL wins)")
    if "bootstrapUrl" not in c:
        for key in ("bootstrapOidc", "bootstrapHeaders", "bootstrapHeadersHelper", "bootstrapEnabled", "trustBootstrapDelivery"):
            if key in c:
                warnings.append("%s: has no effect without bootstrapUrl" % key)


def _bedrock_credentials(c, kind, helper, add):
    sso = [k for k in _BEDROCK_SSO if k in c]
    if sso and len(sso) != len(_BEDROCK_SSO):
        add(
            "inferenceBedrockSsoStartUrl", "AWS sign-in needs all four SSO keys together", "set %s" % ", ".join(k for k in _BEDROCK_SSO if k not in c)
        )
    sources = {
        "static": _has(c, "inferenceBedrockBearerToken"),
        "interactive": len(sso) == len(_BEDROCK_SSO),
        "vendor-profile": _has(c, "inferenceBedrockProfile"),
        "helper-script": helper,
        "external-idp": kind == "external-idp",
    }
    present = [k for k, v in sources.items() if v]
    if kind == "external-idp":
        for key in ("inferenceIdpOidc", "inferenceBedrockBaseUrl"):
            if key not in c:
                add(key, "is required with inferenceCredentialKind external-idp on Bedrock", "set it (the OIDC client and the proxy URL)")
    elif kind in sources and not sources[kind]:
        add("inferenceCredentialKind", "%s is selected but its credential keys are missing" % kind, "set the keys for %s or change the kind" % kind)
    elif kind == "workforce":
        add("inferenceCredentialKind", "workforce is not valid for Bedrock", "use static, interactive, vendor-profile, helper-script or external-idp")
    if not present:
        add(
            "inferenceBedrockBearerToken",
            'no credential configured for provider "bedrock"',
            "set one of: inferenceBedrockBearerToken, the four inferenceBedrockSso* keys, inferenceBedrockProfile, inferenceCredentialHelper",
        )
    elif len(present) > 1 and kind is None:
        add(
            "inferenceCredentialKind",
            "several Bedrock credential sources are set (%s)" % ", ".join(present),
            "keep exactly one, or set inferenceCredentialKind to choose",
        )
    chosen = kind or (present[0] if len(present) == 1 else None)
    if chosen in ("interactive", "vendor-profile", "external-idp") and "inferenceModels" not in c:
        add(
            "inferenceModels",
            "is required for Bedrock with profile, SSO or IdP sign-in",
            "list inference-profile IDs such as us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        )


def _version_gates(c, min_version, warnings):
    catalog = m.key_catalog()
    floor = parse_version(min_version)
    for key in c:
        since = catalog.get(key, {}).get("since", "base")
        if parse_version(since) > floor:
            warnings.append("%s: first honoured by Claude Desktop %s; builds from %s ignore it" % (key, since, min_version))
    kind = c.get("inferenceCredentialKind")
    if kind in _KIND_SINCE and parse_version(_KIND_SINCE[kind]) > floor:
        warnings.append(
            "inferenceCredentialKind: %s needs Claude Desktop %s; older builds show 'Connection needs Credential kind'" % (kind, _KIND_SINCE[kind])
        )


def validate_config(config, min_app_version=None, allow_unknown_keys=False):
    """Validate and normalize an enterpriseConfig. Returns a ValidationResult; never raises for bad input.

    ``allow_unknown_keys``: False (an unknown key is an error with a suggestion), True (pass every
    unknown key through unvalidated, with a warning) or a list of key names to pass through.
    """
    if not m.HAS_PYDANTIC:
        raise ImportError("pydantic (v2) is required on the controller: pip install pydantic")
    problems, warnings = [], []
    if not isinstance(config, dict):
        return ValidationResult({}, [Problem("config", "expected a mapping of enterpriseConfig keys", "pass a dict")], [], [])
    secrets = secret_values(config)
    if min_app_version is not None and not _VERSION_RE.match(str(min_app_version)):
        problems.append(Problem("min_app_version", "is not a version such as 1.19367.0", "write the oldest Claude Desktop build in the fleet"))
        min_app_version = None

    fields = m.EnterpriseConfig.model_fields
    data, passthrough, typo_targets = {}, {}, set()
    for key in sorted(config, key=str):
        value = config[key]
        if value is None:
            continue  # null removes a key (e.g. a host dropping a team setting)
        if not isinstance(key, str):
            problems.append(Problem(str(key), "key names must be strings", "quote the key"))
        elif key in fields:
            data[key] = value
        elif key in m.REMOVED_KEYS:
            new, why = m.REMOVED_KEYS[key]
            problems.append(Problem(key, "is no longer honoured (%s)" % why, "use %s instead" % new if new else "remove it"))
        elif allow_unknown_keys is True or (isinstance(allow_unknown_keys, (list, tuple, set)) and key in allow_unknown_keys):
            passthrough[key] = value
            warnings.append("%s: not a documented key; passed through unvalidated" % key)
        elif key in m.FIRST_PARTY_ONLY_KEYS:
            problems.append(Problem(key, "is a first-party (claude.ai) key with no effect in third-party mode", "remove it"))
        else:
            hint = suggest(key, list(fields))
            if hint:
                typo_targets.add(hint)
            problems.append(
                Problem(
                    key or "(empty key name)",
                    "unknown key",
                    "did you mean %r?" % hint if hint else "remove it, check the spelling against docs/keys.md, or list it in allow_unknown_keys",
                )
            )

    context = {"warnings": []}
    model, field_problems = _field_validate(data, context)
    problems.extend(field_problems)
    warnings.extend(context["warnings"])
    normalized = model.model_dump(mode="json", exclude_none=True)

    catalog = m.key_catalog()
    for key in normalized:
        if catalog[key]["deprecated"]:
            warnings.append("%s: %s" % (key, catalog[key]["deprecated"]))
    reported = typo_targets | set(p.key.split(".")[0].split("[")[0] for p in field_problems)
    _cross_checks(normalized, problems, warnings, reported)
    if min_app_version:
        _version_gates(normalized, min_app_version, warnings)
    normalized.update(passthrough)
    normalized = dict(sorted(normalized.items()))
    result = ValidationResult(normalized, problems, warnings, secrets)
    # messages are built without values; scrub once more in case a value was echoed anyway
    result.problems = [Problem(*scrub([p.key, p.rule, p.fix], secrets)) for p in problems]
    result.warnings = scrub(warnings, secrets)
    return result


def require_valid(config, host=None, **kwargs):
    result = validate_config(config, **kwargs)
    if not result.ok:
        raise ConfigValidationError(result, host)
    return result


# Characters a registry string cannot carry as written: REG_SZ data ends at the first NUL, and a
# .reg file is line-based, so a line break or a Unicode line/paragraph separator splits the value.
_REGISTRY_UNSAFE = {"\x00": "a NUL character (U+0000)", "\r": "a carriage return (U+000D)", "\n": "a line feed (U+000A)",
                    "\u2028": "a line separator (U+2028)", "\u2029": "a paragraph separator (U+2029)"}


def registry_value_problems(config):
    """Problems for values that cannot reach the Windows registry intact (registry targets only).

    Checks the string each key is written as (spec §2.1: plain strings, compact JSON for arrays and
    objects), so a control character inside JSON, which is escaped there, is fine.
    """
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import managed_values

    problems = []
    for key, text in managed_values(config).items():
        found = [what for char, what in _REGISTRY_UNSAFE.items() if char in text or char in key]
        if found:
            problems.append(Problem(key, "contains %s, which a registry REG_SZ value (and a .reg file) cannot carry" % " and ".join(found),
                                    "remove the character or write the text on one line"))
    return problems
