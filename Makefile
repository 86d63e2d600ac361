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
