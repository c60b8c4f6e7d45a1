# Evident: `make demo` runs the demo, `make test` runs every check. See README.md.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PORT ?= 8000

.PHONY: demo test install frontend serve lint bench clean

demo: install
	mkdir -p var
	$(UV) run evident migrate --noinput
	$(UV) run evident seed --if-empty --children 30000 --months 12 --seed 1
	$(UV) run evident demo-accounts
	$(UV) run evident runserver 127.0.0.1:$(PORT)

test: install
	./scripts/test.sh

install: $(UV) frontend/node_modules/.package-lock.json
	$(UV) sync --frozen
	cd frontend && node build.mjs

$(UV):
	@command -v python3 >/dev/null || { echo "Python 3.11 or newer is needed: apt-get install python3 python3-venv"; exit 1; }
	python3 -m venv .tools || { echo "Creating a virtual environment failed: apt-get install python3-venv"; exit 1; }
	.tools/bin/pip install --quiet uv

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 20 and npm are needed: see https://nodejs.org or apt-get install nodejs npm"; exit 1; }
	cd frontend && npm ci --no-audit --no-fund
	touch $@

lint: install
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy .

bench: install
	$(UV) run python -m benchmarks

clean:
	rm -rf var frontend/build
