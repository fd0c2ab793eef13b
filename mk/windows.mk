# Windows: the role against the ansible.windows test double (Molecule + pytest) and the Wine check.
.PHONY: test-windows molecule-windows
test-windows: venv link system-deps
	$(BIN)/python -m pytest tests/windows -q -p no:cacheprovider

molecule-windows: venv link
	cd $(MOLECULE_DIR) && $(BIN)/molecule test -s windows_double

TEST_TARGETS += test-windows molecule-windows
