# Real SSH fleet (network namespaces) and the Molecule scenarios that run on it. Needs root.
MOLECULE_DIR := $(COLLECTION_LINK)
FLEET_SCENARIOS ?= fleet_deploy

.PHONY: fleet-up fleet-down test-fleet molecule
fleet-up:
	bash tests/fleet/fleet.sh up $(or $(FLEET_SIZE),3)

fleet-down:
	bash tests/fleet/fleet.sh down

test-fleet: venv link system-deps
	$(BIN)/python -m pytest tests/fleet -q -p no:cacheprovider

molecule: venv link system-deps
	cd $(MOLECULE_DIR) && for s in $(FLEET_SCENARIOS); do $(BIN)/molecule test -s $$s || exit 1; done

TEST_TARGETS += test-fleet molecule
