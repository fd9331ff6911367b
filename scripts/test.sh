#!/usr/bin/env bash
# The one command that runs every test suite of cloud-cnc (README: "Run every test").
# On a fresh machine it installs what the suites need first:
#   npm packages (npm ci); Thanos, Prometheus/promtool and Alertmanager/amtool built from their
#   Go modules at the deployed versions (scripts/setup-binaries.sh, cached per version);
#   a Python venv under .venv (moto server and the other Python tools).
# (npm ci also builds the package through the prepare script.) It then typechecks, lints and
# runs every mocha suite in one run (the consumer test packs a fresh build), which ends with
# the line "mocha: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "npm ci"
npm ci --no-audit --no-fund

step "Thanos, Prometheus and Alertmanager at the deployed versions (built from Go modules, cached)"
bash scripts/setup-binaries.sh
if [ -f scripts/setup-python.sh ]; then
  step "Python venv for the real-tool suites"
  bash scripts/setup-python.sh
fi

step "typecheck"
npm run --silent typecheck

step "lint"
npm run --silent lint

step "tests: unit, artifact, integration, package"
# Types were checked above; transpile-only keeps the test run fast.
export TS_NODE_TRANSPILE_ONLY=1
npx mocha 'tests/unit/**/*.test.ts' 'tests/artifact/**/*.test.ts' 'tests/integration/**/*.test.ts' 'tests/package/**/*.test.ts'
