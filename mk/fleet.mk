# Real SSH fleet (network namespaces), and every Molecule scenario (`molecule test --all`):
# fleet_deploy on the fleet, windows_double on the ansible.windows test double, windows_real
# (skipped with a message unless a Windows host is configured). Needs root.
MOLECULE_DIR := $(COLLECTION_LINK)

.PHONY: fleet-up fleet-down test-fleet molecule
fleet-up:
	bash tests/fleet/fleet.sh up $(or $(FLEET_SIZE),3)

fleet-down:
	bash tests/fleet/fleet.sh down

test-fleet: venv link system-deps
	$(BIN)/python -m pytest tests/fleet -q -p no:cacheprovider

# FLEET_ID is not passed down: the fleet_deploy scenario derives it as tests/fleet/fleet.sh does,
# as when a contributor runs `molecule test -s fleet_deploy` from the collection root.
molecule: venv link system-deps
	cd $(MOLECULE_DIR) && env -u FLEET_ID $(BIN)/molecule test --all

TEST_TARGETS += molecule
