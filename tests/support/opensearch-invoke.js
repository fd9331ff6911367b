// Runs the OpenSearch bootstrap handler once per requested run in this (separate) Node process,
// as Lambda would: loads the module, takes its `handler` export (the built archive's __index.js),
// invokes it with the event read from a JSON file, and prints one line `@@RESULT <json>` after
// the handler's own log lines.
//
//   node opensearch-invoke.js <module path> <event json file> [times]
//
// Plain JavaScript so that it runs next to an archive without a compiler.
"use strict";
const fs = require("fs");
const path = require("path");

async function main() {
    const [modulePath, eventFile, timesArg] = process.argv.slice(2);
    const started = performance.now();
    let handler;
    try {
        handler = require(path.resolve(modulePath)).handler;
        if (typeof handler !== "function") throw new Error("the module exports no handler function");
    } catch (err) {
        process.stdout.write(`@@RESULT ${JSON.stringify({ ok: false, phase: "init", name: err && err.name, message: err && err.message })}\n`);
        process.exitCode = 3;
        return;
    }
    const initMs = performance.now() - started;
    const event = JSON.parse(fs.readFileSync(eventFile, "utf8"));
    const runs = [];
    for (let i = 0; i < Number(timesArg || "1"); i++) {
        const t0 = performance.now();
        try {
            runs.push({ ok: true, ms: performance.now() - t0, summary: await handler(event, { awsRequestId: `req-${i}` }) });
            runs[runs.length - 1].ms = performance.now() - t0;
        } catch (err) {
            runs.push({ ok: false, ms: performance.now() - t0, name: err && err.name, message: err && err.message });
        }
    }
    process.stdout.write(`@@RESULT ${JSON.stringify({ ok: runs.every((r) => r.ok), initMs, runs })}\n`);
}

main().catch((err) => {
    process.stdout.write(`@@RESULT ${JSON.stringify({ ok: false, phase: "runner", message: String(err) })}\n`);
    process.exitCode = 4;
});
