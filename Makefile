# The two commands a newcomer needs: `make run` and `make test`.
.PHONY: setup run test lint check chaos bench

setup:
	scripts/setup.sh

run:
	scripts/run.sh

lint: setup
	.venv/bin/ruff check .
	.venv/bin/mypy

test: lint
	.venv/bin/pytest

check: test

# The fault suite at full size: 200 jobs, two dozen SIGKILLs, Redis restarted empty;
# once with jobs sharing engine batches, once one job per task.
chaos: setup
	.venv/bin/pytest tests/faults -m slow -s -q

# The load benchmark: 10,000 articles x 5 languages, 50 clients, p50/p95/p99.
bench: setup
	.venv/bin/python -m bench.load
