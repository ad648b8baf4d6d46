# The two commands of the README. Everything else they need, they install.
.PHONY: run test lock bench reliability

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

# Re-pin dependencies after editing requirements/*.in (needs network to PyPI).
lock:
	@bash scripts/lock.sh

bench:
	@bash scripts/bench.sh

# Worker kills, Redis stopped and frozen, exactly-once, load and soak (docs/reliability.md).
reliability:
	@bash scripts/reliability.sh
