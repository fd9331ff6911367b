#!/usr/bin/env bash
# How many bad configs and args the unit suite tries, and how many are refused with a good message
# (every problem names its field, says what was expected in words of this project rather than a
# bare zod default, and says what was found). Runs the unit suite with tests/support/problem-recorder.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
CNC_PROBLEM_LOG="$log" TS_NODE_TRANSPILE_ONLY=1 npx mocha --require ts-node/register --require tests/support/problem-recorder.ts 'tests/unit/**/*.test.ts' >/dev/null
node - "$log" <<'JS'
const fs = require("fs");
const lines = fs.readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
// One bad input = one distinct set of problems (the same input checked twice counts once).
const distinct = new Map();
for (const l of lines) distinct.set(JSON.stringify(l.problems), l);
// A good message: a field, an expected form in this project's words (zod's own defaults start
// with "Invalid" or speak of "received"), and the value found (or "nothing", or hidden).
const ZOD_DEFAULT = /^(Invalid|Expected .* received|Required$|Unrecognized key)/;
const good = (l) => l.structured.every((p, i) => p.field && p.expected && !ZOD_DEFAULT.test(p.expected) && / found .+$/.test(l.problems[i]));
const bad = [...distinct.values()].filter((l) => !good(l));
const problems = [...distinct.values()].reduce((n, l) => n + l.problems.length, 0);
console.log(`bad inputs tried: ${distinct.size} (${problems} problems); refused with a good message: ${distinct.size - bad.length}`);
for (const l of bad.slice(0, 20)) console.log(`  not good: ${l.problems.join(" | ")}`);
JS
