// FleetObservability's ScrapeConfig objects in the REAL Prometheus the stack deploys (v3.15.0,
// tests/support/binaries.ts): translated to prometheus.yml as prometheus-operator v0.93 renders
// them (tests/support/scrape-config.ts), checked by `promtool check config`, then run on loopback:
// a file_sd file in the registrar's format lists two registered leaf Queries, one a real
// `thanos query` (v0.42.4), one a closed port, and `up{job="fleet-leaf-query"}` names both.
// Here the exporter jobs are checked through Prometheus' target metadata (/api/v1/targets); the real
// blackbox_exporter and json_exporter behind them run in tests/integration/fleet-exporters.test.ts.
import { strict as assert } from "assert";
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { LEAF_QUERY_TARGETS, PROBE_TARGETS, renderFileSd } from "../../functions/dns-registrar/contract";
import { DEFAULT_PLAN_OPTIONS, planTargets, renderPlan } from "../../functions/dns-registrar/planner";
import { ScrapeConfigObject, fleetScrapeConfigs, mountedConfigMapFile } from "../../components/fleet-observability/scrape";
import { binary } from "../support/binaries";
import { freePort } from "../support/ports";
import { toPrometheusScrapeConfig } from "../support/scrape-config";
import { RunningPrometheus, activeTargets, query, startPrometheus, stopAll, tempDir, waitFor } from "../support/thanos-prometheus";

function promtool(args: string[]): { code: number; output: string } {
    try {
        return { code: 0, output: execFileSync(binary("promtool"), args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 }) };
    } catch (e: any) {
        return { code: e.status ?? 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
}

/** prometheus.yml with the given ScrapeConfig objects, the mounted files mapped into `dir`. */
function prometheusYaml(objects: ScrapeConfigObject[], files: Record<string, string>, interval = "1s"): string {
    const scrape_configs = objects.map((o) => {
        const cfg = toPrometheusScrapeConfig(o, files);
        // Loopback runs scrape every second (the rendered 60s would make the test wait minutes).
        return { ...cfg, scrape_interval: interval, scrape_timeout: interval };
    });
    return YAML.stringify({ global: { scrape_interval: interval, evaluation_interval: interval, external_labels: { clusterID: "command-control" } }, scrape_configs }, { lineWidth: 0 });
}

describe("FleetObservability scrape jobs in the real Prometheus", function () {
    this.timeout(180_000);
    let dir: string;
    let files: Record<string, string>;
    let thanos: ChildProcess | undefined;
    let prom: RunningPrometheus;
    let exporterPorts: { blackbox: number; json: number };
    let leafPorts: { a: number; b: number };

    before(async () => {
        dir = tempDir("cloud-cnc-fleet-scrape-");
        files = {
            [mountedConfigMapFile(LEAF_QUERY_TARGETS.configMap, LEAF_QUERY_TARGETS.key)]: path.join(dir, "thanos-query-targets.json"),
            [mountedConfigMapFile(PROBE_TARGETS.configMap, PROBE_TARGETS.key)]: path.join(dir, "probes.json"),
        };
        // The two registered clusters as the registrar writes them (its planner, its renderer):
        // "a" is a real Thanos Query on loopback, "b" a port nothing listens on.
        leafPorts = { a: await freePort(), b: await freePort() };
        const grpc = await freePort();
        thanos = spawn(binary("thanos"), ["query", `--http-address=127.0.0.1:${leafPorts.a}`, `--grpc-address=127.0.0.1:${grpc}`, "--log.level=warn"], { stdio: ["ignore", "ignore", "pipe"] });
        const zone = "fleet.internal";
        const leafFile = renderPlan(
            planTargets(
                { thanos: [{ Name: `a.${zone}.`, Type: "A" }, { Name: `b.${zone}.`, Type: "A" }, { Name: `a-grpc.${zone}.`, Type: "A" }], prometheus: [], installations: [] },
                { ...DEFAULT_PLAN_OPTIONS, thanosZone: zone },
            ),
        ).queries;
        // The planner's targets are <fqdn>:80; on loopback each name is 127.0.0.1 on its own port.
        const loopback = JSON.parse(leafFile).map((g: { targets: string[]; labels: Record<string, string> }) => ({
            targets: [`127.0.0.1:${leafPorts[g.labels.registered_cluster as "a" | "b"]}`],
            labels: g.labels,
        }));
        assert.deepEqual(loopback.map((g: { labels: object }) => g.labels), [{ registered_cluster: "a" }, { registered_cluster: "b" }]);
        fs.writeFileSync(files[mountedConfigMapFile(LEAF_QUERY_TARGETS.configMap, LEAF_QUERY_TARGETS.key)], renderFileSd(loopback));
        fs.writeFileSync(
            files[mountedConfigMapFile(PROBE_TARGETS.configMap, PROBE_TARGETS.key)],
            renderPlan(planTargets({ thanos: [], prometheus: [], installations: [{ Name: "acme.cloud.example.com.", Type: "CNAME" }] }, { ...DEFAULT_PLAN_OPTIONS, installationsZone: "cloud.example.com" })).probes,
        );
        exporterPorts = { blackbox: await freePort(), json: await freePort() };
        const objects = fleetScrapeConfigs({
            probes: { exporterAddress: `127.0.0.1:${exporterPorts.blackbox}` },
            provisioner: { exporterAddress: `127.0.0.1:${exporterPorts.json}`, provisionerUrl: "http://provisioner.provisioner.svc:8075" },
        });
        const config = path.join(dir, "prometheus.yml");
        fs.writeFileSync(config, prometheusYaml(objects, files));
        const port = await freePort();
        prom = await startPrometheus(binary("prometheus"), "cnc", config, port, dir);
    });

    after(async () => {
        await stopAll();
        if (thanos && thanos.exitCode === null) {
            await new Promise<void>((resolve) => {
                thanos!.once("exit", () => resolve());
                thanos!.kill("SIGTERM");
            });
        }
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("promtool check config accepts the three jobs as prometheus-operator renders them; a broken relabeling is refused (negative control)", () => {
        const objects = fleetScrapeConfigs({ probes: { exporterAddress: "blackbox-exporter.monitoring.svc:9115" }, provisioner: { exporterAddress: "json-exporter.monitoring.svc:7979" } });
        const good = path.join(dir, "check.yml");
        // The rendered intervals (60s, scrape timeouts 10s/15s/30s), not the loopback ones.
        fs.writeFileSync(good, YAML.stringify({ scrape_configs: objects.map((o) => toPrometheusScrapeConfig(o, files)) }, { lineWidth: 0 }));
        const ok = promtool(["check", "config", good]);
        assert.equal(ok.code, 0, ok.output);
        assert.match(ok.output, /SUCCESS/);

        const broken = objects.map((o) => (o.metadata.name === "fleet-leaf-query" ? { ...o, spec: { ...o.spec, metricRelabelings: [{ sourceLabels: ["__name__"], regex: "thanos_(build_info", action: "keep" as const }] } } : o));
        const bad = path.join(dir, "bad.yml");
        fs.writeFileSync(bad, YAML.stringify({ scrape_configs: broken.map((o) => toPrometheusScrapeConfig(o, files)) }, { lineWidth: 0 }));
        const refused = promtool(["check", "config", bad]);
        assert.notEqual(refused.code, 0);
        assert.match(refused.output, /missing closing \)|error parsing regexp/);
    });

    it('up{job="fleet-leaf-query"} names each registered cluster: 1 for the answering Query, 0 for the closed port', async () => {
        const up = await waitFor("both leaf targets scraped", 60_000, async () => {
            const r = await query(prom, 'up{job="fleet-leaf-query"}');
            return r.length === 2 ? r : undefined;
        });
        const byCluster = Object.fromEntries(up.map((s) => [s.metric.registered_cluster, s.value[1]]));
        assert.deepEqual(byCluster, { a: "1", b: "0" });
        for (const s of up) {
            assert.equal(s.metric.clusterID, undefined, "no clusterID label on the series (Thanos would override it with the C&C's)");
            assert.equal(s.metric.__tmp_prometheus_job_name, undefined);
        }
    });

    it("metric relabeling keeps only thanos_build_info from a leaf Query (up and scrape_* are synthetic and stay)", async () => {
        const names = await waitFor("thanos_build_info from leaf a", 60_000, async () => {
            const r = await query(prom, 'count by (__name__) ({job="fleet-leaf-query"})');
            const n = r.map((s) => s.metric.__name__).sort();
            return n.includes("thanos_build_info") ? n : undefined;
        });
        assert.deepEqual(names.filter((n) => !/^(up|scrape_.*)$/.test(n)), ["thanos_build_info"]);
        const build = await query(prom, 'thanos_build_info{job="fleet-leaf-query"}');
        assert.equal(build.length, 1);
        assert.equal(build[0].metric.registered_cluster, "a");
        assert.match(build[0].metric.version, /^0\.42\.4/);
        // Without the keep rule the same Query exposes hundreds of series (the control).
        const res = await fetch(`http://127.0.0.1:${leafPorts.a}/metrics`);
        const exposed = new Set((await res.text()).split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split(/[{ ]/)[0]));
        assert.ok(exposed.size > 50, `the leaf exposes ${exposed.size} metric names`);
    });

    it("installation-probes: each probes.json URL becomes __param_target and instance, the scrape goes to the blackbox exporter's /probe?module=http_2xx", async () => {
        const targets = await waitFor("probe target", 30_000, async () => {
            const t = (await activeTargets(prom)).filter((x) => x.labels.job === "installation-probes");
            return t.length === 1 ? t : undefined;
        });
        const [t] = targets;
        const url = "https://acme.cloud.example.com/api/v4/system/ping";
        assert.equal(t.labels.instance, url);
        assert.equal(t.labels.installation, "acme");
        assert.equal(t.scrapePool, "scrapeConfig/monitoring/installation-probes");
        assert.equal(t.scrapeUrl, `http://127.0.0.1:${exporterPorts.blackbox}/probe?module=http_2xx&target=${encodeURIComponent(url)}`);
        const all = await fetch(`${prom.url}/api/v1/targets?state=active`).then((r) => r.json() as Promise<{ data: { activeTargets: { labels: Record<string, string>; discoveredLabels: Record<string, string> }[] } }>);
        const discovered = all.data.activeTargets.find((x) => x.labels.job === "installation-probes")!.discoveredLabels;
        assert.equal(discovered.__address__, url, "the registrar's URL is the discovered address");
    });

    it("provisioner-state: one json_exporter /probe per API read, with its module and the provisioner URL as target", async () => {
        const targets = await waitFor("provisioner targets", 30_000, async () => {
            const t = (await activeTargets(prom)).filter((x) => x.labels.job === "provisioner-state");
            return t.length === 2 ? t : undefined;
        });
        const urls = targets.map((t) => t.scrapeUrl).sort();
        const exporter = `http://127.0.0.1:${exporterPorts.json}/probe`;
        assert.deepEqual(urls, [
            `${exporter}?module=provisioner_clusters&target=${encodeURIComponent("http://provisioner.provisioner.svc:8075/api/clusters?per_page=-1")}`,
            `${exporter}?module=provisioner_installations&target=${encodeURIComponent("http://provisioner.provisioner.svc:8075/api/installations?per_page=-1")}`,
        ]);
        assert.deepEqual(targets.map((t) => t.labels.instance).sort(), ["http://provisioner.provisioner.svc:8075/api/clusters?per_page=-1", "http://provisioner.provisioner.svc:8075/api/installations?per_page=-1"]);
        assert.ok(targets.every((t) => t.labels.__param_module === undefined), "the module is a URL parameter, not a stored label");
    });
});
