// Runs the DnsRegistrar handler once in this (separate) Node process, as Lambda would: loads the
// module, gets the handler (from the factory for source, the `handler` export for the built
// archive), invokes it with the event, and prints one line `@@RESULT <json>` after the handler's
// own stdout (Powertools JSON logs and EMF metrics).
//
//   node registrar-invoke.js <module path> <factory|handler> [event json] [times]
//
// Plain JavaScript so that it runs next to an archive without a compiler.
"use strict";
const path = require("path");

async function main() {
    const [modulePath, kind, eventJson, timesArg] = process.argv.slice(2);
    const started = performance.now();
    let handler;
    try {
        const mod = require(path.resolve(modulePath));
        handler = kind === "factory" ? mod.createRegistrarHandler() : mod.handler;
    } catch (err) {
        process.stdout.write(`@@RESULT ${JSON.stringify({ ok: false, phase: "init", name: err && err.name, message: err && err.message })}\n`);
        process.exitCode = 3;
        return;
    }
    const initMs = performance.now() - started;
    const event = eventJson ? JSON.parse(eventJson) : { source: "aws.events", "detail-type": "Scheduled Event" };
    const times = Number(timesArg || "1");
    const runs = [];
    for (let i = 0; i < times; i++) {
        const t0 = performance.now();
        try {
            const summary = await handler(event, { awsRequestId: `req-${i}`, functionName: "dns-registrar-test" });
            runs.push({ ok: true, ms: performance.now() - t0, summary });
        } catch (err) {
            runs.push({ ok: false, ms: performance.now() - t0, name: err && err.name, message: err && err.message, summary: err && err.summary });
        }
    }
    process.stdout.write(`@@RESULT ${JSON.stringify({ ok: runs.every((r) => r.ok), initMs, sinceProcessStartMs: performance.now(), runs })}\n`);
}

main().catch((err) => {
    process.stdout.write(`@@RESULT ${JSON.stringify({ ok: false, phase: "runner", message: String(err) })}\n`);
    process.exitCode = 4;
});
