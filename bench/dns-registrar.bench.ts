// DnsRegistrar benchmark: planner time (100 / 1,000 / 10,000 records), archive size, cold init of
// the serialized handler versus an empty handler (separate Node processes, median of repeats),
// and the handler end to end at 1,000 records against moto and the Kubernetes test server.
//
//   node -r ts-node/register bench/dns-registrar.bench.ts      (TS_NODE_TRANSPILE_ONLY=1 is faster)
//
// Needs scripts/setup-python.sh (moto and Node 24 in .venv). Prints a Markdown section and writes
// it into BENCHMARKS.md between the dns-registrar markers (the rest of the file is left alone).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_PLAN_OPTIONS, PlanOptions, RecordSet, planTargets, renderPlan } from "../functions/dns-registrar/planner";
import { buildRegistrarArchive, buildRuntimeModules, lambdaNode } from "../tests/support/registrar-archive";
import { NAMESPACE, REPO_ROOT, runHandler, startRegistrarWorld, TestRecord } from "../tests/support/registrar-env";
import { machine as machineBase, median, ms, writeSection } from "./support";


/** A realistic zone dump: mostly cluster records, some noise (TXT, wildcard, underscore, duplicates, other case). */
function zone(n: number): RecordSet[] {
    const out: RecordSet[] = [{ Name: "fleet.internal.", Type: "SOA" }, { Name: "fleet.internal.", Type: "NS" }];
    for (let i = 0; out.length < n; i++) {
        const id = `c${i.toString(36).padStart(5, "0")}`;
        const k = i % 20;
        if (k < 14) out.push({ Name: `${id}-grpc.fleet.internal.`, Type: "A", AliasTarget: { DNSName: "nlb.elb.amazonaws.com." } });
        else if (k < 17) out.push({ Name: `${id}.fleet.internal.`, Type: "A" });
        else if (k === 17) out.push({ Name: `_acme-challenge.${id}.fleet.internal.`, Type: "TXT" });
        else if (k === 18) out.push({ Name: `\\052.${id}.fleet.internal.`, Type: "CNAME" });
        else out.push({ Name: `${id.toUpperCase()}-GRPC.fleet.internal`, Type: "CNAME" });
    }
    return out;
}

function plannerTimes(): { n: number; median: number; targets: number }[] {
    const options: PlanOptions = { ...DEFAULT_PLAN_OPTIONS, thanosZone: "fleet.internal", prometheusZone: "fleet.internal", installationsZone: undefined };
    return [100, 1_000, 10_000].map((n) => {
        const records = zone(n);
        const input = { thanos: records, prometheus: records, installations: [] };
        for (let i = 0; i < 5; i++) renderPlan(planTargets(input, options)); // warm-up
        const reps = n >= 10_000 ? 15 : 51;
        const times: number[] = [];
        let targets = 0;
        for (let i = 0; i < reps; i++) {
            const t0 = performance.now();
            const plan = planTargets(input, options);
            renderPlan(plan);
            times.push(performance.now() - t0);
            targets = plan.thanos.zoneEntries.length + plan.prometheus.zoneEntries.length;
        }
        return { n, median: median(times), targets };
    });
}

/** Median time from process start to the module loaded and the handler created (Node's own clock). */
function coldInit(node: string, cwd: string, moduleFile: string, env: Record<string, string>, reps: number): { median: number; wall: number } {
    const script = `const m = require(${JSON.stringify(moduleFile)}); if (typeof m.handler !== "function") throw new Error("no handler"); process.stdout.write(String(performance.now()));`;
    const inProcess: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < reps; i++) {
        const t = Date.now();
        const r = spawnSync(node, ["-e", script], { cwd, env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8" });
        wall.push(Date.now() - t);
        if (r.status !== 0) throw new Error(`init failed: ${r.stderr}`);
        inProcess.push(Number(r.stdout));
    }
    return { median: median(inProcess), wall: median(wall) };
}

function machine(): string {
    return `${machineBase()}; Node ${process.version} (planner, bench driver) and ${spawnSync(lambdaNode(REPO_ROOT), ["--version"], { encoding: "utf8" }).stdout.trim()} (.venv/bin/node24: handler processes)`;
}

async function main() {
    const started = new Date();
    console.log("dns-registrar bench: planner ...");
    const planner = plannerTimes();

    console.log("dns-registrar bench: archive ...");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "registrar-bench-"));
    const archive = await buildRegistrarArchive(path.join(tmp, "task"));
    const runtime = buildRuntimeModules(path.join(tmp, "runtime"), REPO_ROOT);
    const empty = path.join(tmp, "empty");
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, "__index.js"), "exports.handler = async () => ({});\n");

    console.log("dns-registrar bench: cold init ...");
    const node = lambdaNode(REPO_ROOT);
    const w = await startRegistrarWorld();
    try {
        const env = { ...w.env(), NODE_PATH: runtime };
        const reps = 15;
        const emptyInit = coldInit(node, empty, path.join(empty, "__index.js"), env, reps);
        const handlerInit = coldInit(node, archive.dir, path.join(archive.dir, "__index.js"), env, reps);
        // client-node is imported lazily on the first invocation: its load time, measured apart.
        const importScript = `(async () => { const t0 = performance.now(); await import("@kubernetes/client-node"); process.stdout.write(String(performance.now() - t0)); })()`;
        const imports: number[] = [];
        for (let i = 0; i < reps; i++) {
            const r = spawnSync(node, ["-e", importScript], { cwd: archive.dir, env: { PATH: process.env.PATH ?? "" }, encoding: "utf8" });
            if (r.status !== 0) throw new Error(r.stderr);
            imports.push(Number(r.stdout));
        }

        console.log("dns-registrar bench: end to end at 1,000 records ...");
        const records: TestRecord[] = Array.from({ length: 1000 }, (_, i) => ({ name: `c${String(i).padStart(4, "0")}-grpc` }));
        await w.setRecords(w.zones.thanos, records);
        for (const name of ["thanos-query-endpoints", "prometheus-federation-targets", "blackbox-probe-targets", "thanos-query-targets"]) w.kube.seed(NAMESPACE, name, {});
        const e2e = await runHandler({ env: w.env(), archiveDir: archive.dir, runtimeModules: runtime, times: 6, timeoutMs: 120_000 });
        if (!e2e.ok) throw new Error(`end-to-end run failed: ${JSON.stringify(e2e.runs)}`);
        const firstRun = e2e.runs[0];
        const warm = e2e.runs.slice(1).map((r) => r.ms);
        // Empty the ConfigMap again: a new process rewriting the 1,000-endpoint file.
        w.kube.seed(NAMESPACE, "thanos-query-endpoints", {});
        const rewrite = await runHandler({ env: w.env(), archiveDir: archive.dir, runtimeModules: runtime, times: 1, timeoutMs: 120_000 });

        const section = [
            "## DnsRegistrar",
            "",
            `Measured ${started.toISOString().slice(0, 10)} by \`node -r ts-node/register bench/dns-registrar.bench.ts\`.`,
            `Machine: ${machine()}.`,
            "",
            "| what | result |",
            "|---|---|",
            ...planner.map((p) => `| planner (plan + render all three files), ${p.n.toLocaleString("en-US")} records (${p.targets.toLocaleString("en-US")} targets) | ${ms(p.median)} median |`),
            `| Lambda archive (CallbackFunction: \`__index.js\` + computeCodePaths) | ${(archive.zipBytes / 1e6).toFixed(1)} MB zipped, ${(archive.bytes / 1e6).toFixed(1)} MB unzipped, ${archive.files} files, ${archive.packages.length} packages; \`__index.js\` ${(archive.indexBytes / 1024).toFixed(1)} KiB |`,
            `| cold init, empty handler (process start to handler ready, median of ${reps}) | ${ms(emptyInit.median)} (wall ${ms(emptyInit.wall)}) |`,
            `| cold init, serialized registrar handler (same measure) | ${ms(handlerInit.median)} (wall ${ms(handlerInit.wall)}) |`,
            `| first-call load of @kubernetes/client-node (lazy \`import()\`, median of ${reps}) | ${ms(median(imports))} |`,
            `| handler end to end, 1,000 records, first invocation (DescribeCluster, token, client-node load, list 1,002 records, write 3 ConfigMaps) | ${ms(firstRun.ms)} |`,
            `| handler end to end, 1,000 records, warm invocations with nothing to change (median of ${warm.length}) | ${ms(median(warm))} |`,
            `| handler end to end, 1,000 records, new process, rewriting the 1,000-endpoint file | ${ms(rewrite.runs[0].ms)} |`,
            "",
            "Notes: handler runs are separate Node 24 processes started from the built archive in an empty directory, with",
            "the AWS SDK v3 clients on NODE_PATH as the Lambda runtime provides them; Route 53 / EKS / STS are moto on",
            "127.0.0.1, the Kubernetes API is the TLS test server (tests/support/registrar-kube-server.ts). The archive is",
            "dominated by @kubernetes/client-node (62 MB of generated models and type declarations, published that way).",
            "",
        ].join("\n");
        console.log("\n" + section);
        writeSection("dns-registrar", section);
    } finally {
        await w.close();
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
