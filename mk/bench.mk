# `make bench` (root): the rollout on 10 and 30 fleet hosts (ping floor, plain peer playbook,
# deploy first run and rerun, remove; default strategy and mitogen_linear) and validate/render on
# generated inventories of 1,000 and 10,000 hosts. Prints the table and writes docs/performance.md.
# A measurement, not a gate (about 35 min on a busy 2-core machine). BENCH_ARGS passes options
# (e.g. --rounds 5, --fleet 10, --mitogen-sizes 10,30).
.PHONY: bench bench-smoke
BENCH_ARGS ?=
bench: venv link system-deps
	BIN=$(BIN) $(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

# A quick run of the bench script itself (50 generated hosts, controller only, no docs written).
bench-smoke: venv link
	BIN=$(BIN) $(BIN)/python benchmarks/bench.py --smoke
