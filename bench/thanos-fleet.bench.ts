// Thanos fleet benchmark on loopback, with the real binaries the stacks deploy (Thanos v0.42.4,
// Prometheus v3.15.0) and the DnsRegistrar handler from its built archive (tests/support/thanos-fleet.ts):
//
//   1. registration latency: from the Route 53 change, through the handler run, the ConfigMap
//      projection (kubelet's `..data` swap, done by the bench) and the central Query's reload, to
//      the first central query that returns the new cluster. 10 runs (register a fourth cluster,
//      then deregister it and wait until it is gone), median and max, and each step's share;
//   2. central query latency of `sum by (clusterID) (rate(prometheus_http_requests_total[1m]))`
//      over 3 and over 10 leaf clusters (after measuring what a leaf costs in memory).
//
//   node -r ts-node/register bench/thanos-fleet.bench.ts [--reload-interval=30s]
//
// The central Query runs queryArgs(dev settings) with ports and the endpoint file rewritten;
// --reload-interval replaces the rendered --endpoint.sd-config-reload-interval (to compare
// intervals). Needs scripts/setup-binaries.sh and scripts/setup-python.sh. Writes its section
// of BENCHMARKS.md (the thanos-fleet markers; a run with --reload-interval writes its own).
import * as fs from "fs";
import { PATHS, queryArgs } from "../components/thanos-federation/render";
import { thanosFederationSchema } from "../components/thanos-federation/schema";
import { parseDuration } from "../components/common/formats";
import { devArgs } from "../tests/support/thanos-harness";
import { binary } from "../tests/support/binaries";
import {
    CentralQuery,
    FleetRegistrar,
    LeafCluster,
    QueryAnswer,
    RegistrationTiming,
    freePortOnAll,
    hostsOf,
    instantQuery,
    labelValues,
    leafIp,
    pollQuery,
    registerClusters,
    requireCommand,
    startCentralQuery,
    startFleetRegistrar,
    startLeafCluster,
    startLeaves,
    stopFleetProcesses,
} from "../tests/support/thanos-fleet";
import { tempDir } from "../tests/support/thanos-prometheus";
import { machine, median, ms, percentile, writeSection } from "./support";

const IDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];
const BASE = IDS.slice(0, 3);
const NEW = IDS[3];
const RUNS = 10;
const QUERY_REPS = 30;
const RATE_QUERY = "sum by (clusterID) (rate(prometheus_http_requests_total[1m]))";
const COUNT_UP = "count by (clusterID) (up)";

const has = (ids: string[]) => (a: QueryAnswer) => {
    const got = labelValues(a, "clusterID");
    return got.length === ids.length && ids.every((id) => got.includes(id));
};

/** Resident memory (kB) of a process, from /proc. */
function rssKb(pid: number): number {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
}

function memAvailableKb(): number {
    return Number(/MemAvailable:\s+(\d+) kB/.exec(fs.readFileSync("/proc/meminfo", "utf8"))![1]);
}

const leafRssKb = (l: LeafCluster) => rssKb(l.prometheus.pid) + rssKb(l.sidecar.pid) + rssKb(l.leafQuery.pid);
const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

/** Registers exactly `ids` end to end and waits until the central query shows exactly them. */
async function settle(reg: FleetRegistrar, central: CentralQuery, ids: string[]): Promise<RegistrationTiming> {
    const r = await registerClusters(reg, central, ids, has(ids), { promql: COUNT_UP, timeoutMs: 120_000 });
    return r.timing;
}

async function queryLatency(central: CentralQuery, leaves: number): Promise<{ leaves: number; median: number; p90: number; max: number; series: number }> {
    // Warm-up: every cluster answers with a rate (two samples in the window).
    await pollQuery(central.url, RATE_QUERY, (a) => a.result.length === leaves, 120_000);
    for (let i = 0; i < 3; i++) await instantQuery(central.url, RATE_QUERY);
    const times: number[] = [];
    let series = 0;
    for (let i = 0; i < QUERY_REPS; i++) {
        const a = await instantQuery(central.url, RATE_QUERY);
        if (a.warnings.length) throw new Error(`partial response during the benchmark: ${a.warnings.join("; ")}`);
        series = a.result.length;
        times.push(a.ms);
    }
    return { leaves, median: median(times), p90: percentile(times, 90), max: Math.max(...times), series };
}

async function main(): Promise<void> {
    const override = process.argv.find((a) => a.startsWith("--reload-interval="))?.split("=")[1];
    requireCommand("unshare");
    binary("thanos");
    binary("prometheus");
    const root = tempDir("cloud-cnc-fleet-bench-");
    const settings = thanosFederationSchema.parse(devArgs());
    let rendered = queryArgs(settings);
    const renderedInterval = /--endpoint\.sd-config-reload-interval=(\S+)/.exec(rendered.join(" "))![1];
    if (override) rendered = rendered.map((a) => (a.startsWith("--endpoint.sd-config-reload-interval=") ? `--endpoint.sd-config-reload-interval=${override}` : a));
    const interval = override ?? renderedInterval;
    let registrar: FleetRegistrar | undefined;
    try {
        const grpcPort = await freePortOnAll(IDS.map((_, i) => leafIp(i)));
        registrar = await startFleetRegistrar({ root, grpcPort, federationMode: settings.federation.mode });
        const zone = registrar.world.zones.thanos.name;

        // Memory first: four leaves, then the other six only if the machine holds them with room to spare.
        const availableBefore = memAvailableKb();
        const leaves = await startLeaves({ root, ids: IDS.slice(0, 4), grpcPort, thanosZone: zone });
        const perLeaf = Math.max(...leaves.map(leafRssKb));
        const availableAfter4 = memAvailableKb();
        const needFor6 = 6 * perLeaf * 3; // the leaves grow as their heads fill: three times today's size as the margin
        const tenLeaves = availableAfter4 > needFor6 + 2 * 1024 * 1024;
        if (tenLeaves) leaves.push(...(await Promise.all(IDS.slice(4).map((id, i) => startLeafCluster({ id, index: i + 4, grpcPort, root, thanosZone: zone })))));

        await registrar.setClusters(BASE);
        const first = await registrar.run();
        if (!first.ok) throw new Error(`registrar run failed: ${first.stderr.slice(-2000)}`);
        registrar.sync();
        const central = await startCentralQuery({ renderedArgs: rendered, renderedEndpointsFile: PATHS.endpointsFile, endpointsFile: registrar.endpointsFile, root, hosts: hostsOf(leaves) });
        await pollQuery(central.url, COUNT_UP, has(BASE), 120_000);

        const three = await queryLatency(central, 3);

        // Registration latency: register NEW, then deregister it (not measured) and wait until it is gone.
        const timings: RegistrationTiming[] = [];
        // A removal becomes visible just after a reload tick, so the next registration would always
        // start at the same phase (the worst case): a random pause spreads the starts over the interval.
        const intervalMs = parseDuration(interval)!;
        for (let i = 0; i < RUNS; i++) {
            await new Promise((r) => setTimeout(r, Math.random() * intervalMs));
            timings.push(await settle(registrar, central, [...BASE, NEW]));
            await settle(registrar, central, BASE);
            process.stderr.write(`registration ${i + 1}/${RUNS}: ${timings[i].totalMs} ms\n`);
        }

        let ten: Awaited<ReturnType<typeof queryLatency>> | undefined;
        if (tenLeaves) {
            // Grow one step at a time: the shrink floor is about removals, additions are free.
            await settle(registrar, central, IDS);
            ten = await queryLatency(central, 10);
        }
        const fleetRss = leaves.reduce((sum, l) => sum + leafRssKb(l), 0);
        const centralRss = rssKb(central.pid);

        const total = timings.map((t) => t.totalMs);
        const steps: [keyof RegistrationTiming, string][] = [
            ["route53Ms", "Route 53 change (ChangeResourceRecordSets on moto)"],
            ["handlerMs", "registrar handler, a new Node 24 process from the archive (cold start, Route 53 list, ConfigMap write)"],
            ["swapMs", "ConfigMap projected into the mounted directory (`..data` swap)"],
            ["visibleMs", `central Query reload (--endpoint.sd-config-reload-interval=${interval}) and endpoint update, to the first answer with the cluster`],
        ];
        const sumTotal = total.reduce((a, b) => a + b, 0);
        const date = new Date().toISOString().slice(0, 10);
        const section = [
            `## Thanos fleet (loopback)${override ? `, reload interval ${override}` : ""}`,
            "",
            `Measured ${date} by \`node -r ts-node/register bench/thanos-fleet.bench.ts${override ? ` --reload-interval=${override}` : ""}\`: Thanos ${binaryVersion("thanos")}, Prometheus ${binaryVersion("prometheus")}, the registrar from its built archive.`,
            `Machine: ${machine()}.`,
            "",
            `Central Query: queryArgs(dev settings), --endpoint.sd-config-reload-interval=${interval}${override ? ` (rendered: ${renderedInterval})` : " (as rendered)"}.`,
            "",
            "| what | result |",
            "|---|---|",
            `| registration latency, Route 53 change to first central answer with the cluster (${RUNS} runs) | median ${ms(median(total))}, max ${ms(Math.max(...total))}, min ${ms(Math.min(...total))} |`,
            ...steps.map(([k, what]) => {
                const xs = timings.map((t) => t[k]);
                return `| ${what} | median ${ms(median(xs))}, max ${ms(Math.max(...xs))}; ${((100 * xs.reduce((a, b) => a + b, 0)) / sumTotal).toFixed(1)}% of the total |`;
            }),
            `| memory of one leaf cluster (Prometheus + sidecar + leaf Query, RSS, largest of 4 at start) | ${mib(perLeaf)}; MemAvailable ${mib(availableBefore)} before, ${mib(availableAfter4)} after 4 leaves |`,
            `| central query \`${RATE_QUERY}\`, 3 leaves (${QUERY_REPS} queries) | median ${ms(three.median)}, p90 ${ms(three.p90)}, max ${ms(three.max)} (${three.series} series) |`,
            ten
                ? `| the same, 10 leaves (${QUERY_REPS} queries) | median ${ms(ten.median)}, p90 ${ms(ten.p90)}, max ${ms(ten.max)} (${ten.series} series) |`
                : `| the same, 10 leaves | not run: ${mib(availableAfter4)} available, ${mib(needFor6)} + 2 GiB needed |`,
            `| memory at the end: ${leaves.length} leaf clusters / the central Query (RSS) | ${mib(fleetRss)} / ${mib(centralRss)} |`,
            "",
            "Notes: all processes on one 2-core machine (the leaves scrape every second); each registration run adds the",
            "fourth cluster, waits for it in the central answer, then removes it and waits until it is gone, and pauses",
            "a random 0 to 1 reload interval before the next run, so each run starts at a random phase of Thanos's",
            "polling of the file (it re-reads the file every interval, no inotify). Production adds what loopback cannot show: the",
            "registrar's schedule (EventBridge) before the handler runs, and kubelet's ConfigMap refresh (its sync period",
            "plus the cache TTL, about a minute by default) before the file changes. The reload step also holds Thanos's",
            "endpoint-set update, which runs every 5 s after the file is re-read (cmd/thanos/endpointset.go at v0.42.4).",
            "",
        ].join("\n");
        console.log(`\n${section}`);
        writeSection(override ? `thanos-fleet-${override}` : "thanos-fleet", section);
    } finally {
        await stopFleetProcesses();
        await registrar?.close();
        fs.rmSync(root, { recursive: true, force: true });
    }
}

function binaryVersion(bin: "thanos" | "prometheus"): string {
    return /-(v[0-9.]+)\//.exec(binary(bin))?.[1] ?? "unknown";
}

main().catch(async (err) => {
    console.error(err);
    await stopFleetProcesses();
    process.exit(1);
});
