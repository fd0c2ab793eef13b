# Shipping: the ansible-core/Python matrix (sanity + unit tests on the oldest core that
# meta/runtime.yml claims and on the newest release, separate venvs under build/matrix/), the
# tarball and galaxy-importer (Galaxy and Automation Hub settings), the installed collection and the
# execution environment (tests/shipping, part of pytest-all), the antsibull-docs docsite.
.PHONY: matrix tarball docsite
MATRIX ?= 2.21.5=3.13

matrix: venv link system-deps
	bash scripts/matrix.sh $(MATRIX)

tarball: venv
	mkdir -p build/dist
	$(BIN)/ansible-galaxy collection build --force --output-path build/dist .

docsite: venv link
	BIN=$(BIN) bash scripts/build-docsite.sh

TEST_TARGETS += matrix docsite
