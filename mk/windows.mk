# Windows: the role against the ansible.windows test double and the Wine comparison
# (the Molecule scenario windows_double runs with `make molecule`).
.PHONY: test-windows
test-windows: venv link system-deps
	$(BIN)/python -m pytest tests/windows -q -p no:cacheprovider

