demo:
	./scripts/demo.sh

test:
	./scripts/test.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

.PHONY: demo test lint
