# Artifacts checked with the real consumers: plistutil, Wine's regedit, openssl. Never skipped.
.PHONY: test-render-tools
test-render-tools: venv link system-deps
	$(BIN)/python -m pytest tests/unit -q -m realtools -p no:cacheprovider

