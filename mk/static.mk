# Static gates: ansible-test sanity (offline), ansible-lint production profile, yamllint, changelog.
.PHONY: sanity lint changelog-lint
sanity: venv system-deps
	BIN=$(BIN) bash scripts/ansible-test-offline.sh

lint: venv link
	$(BIN)/yamllint -s .
	$(BIN)/ansible-lint --offline

changelog-lint: venv
	$(BIN)/antsibull-changelog lint

TEST_TARGETS += changelog-lint lint sanity
