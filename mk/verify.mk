# Verification: gateway check, drift audit, fleet report (docs/verify.md). `make test` runs these
# suites too; this target runs only them (root: the fleet part uses network namespaces).
.PHONY: test-verify
test-verify: venv link system-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/unit/plugins/modules/test_gateway_check.py \
		tests/unit/plugins/plugin_utils/test_audit_report.py tests/unit/plugins/plugin_utils/test_report_browser.py \
		tests/windows/test_windows_verify.py tests/fleet/test_verify.py
