"""docs/schema and docs/keys.md are generated from the model; they must not drift."""

from __future__ import annotations

import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_generated_docs_are_up_to_date():
    proc = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "generate-docs.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_schema_lists_every_model_key_and_rejects_others():
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._model import EnterpriseConfig

    with open(os.path.join(REPO, "docs", "schema", "enterprise-config.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    ignored = set(k for k, v in schema["properties"].items() if v.get("x-ignored"))  # 1P-only and unverified keys (§3.12)
    assert set(schema["properties"]) - ignored == set(EnterpriseConfig.model_fields)
    assert schema["additionalProperties"] is False
    assert schema["properties"]["inferenceGatewayApiKey"]["x-secret"] is True


def test_schema_checks_group_vars_like_an_editor_would():
    jsonschema = __import__("jsonschema")
    with open(os.path.join(REPO, "docs", "schema", "enterprise-config.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    good = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
            "coworkEgressAllowedHosts": ["*"], "autoUpdaterEnforcementHours": 24}
    assert not list(validator.iter_errors(good))
    bad = {"inferenceProvder": "gateway", "inferenceProvider": "openai", "autoUpdaterEnforcementHours": 100}
    messages = " ".join(e.message for e in validator.iter_errors(bad))
    assert "inferenceProvder" in messages and "openai" in messages and "100" in messages
