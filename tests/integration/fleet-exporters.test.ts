// FleetObservability's two exporters as REAL programs at the versions the charts deploy
// (blackbox_exporter v0.28.0, json_exporter v0.7.0: tests/support/binaries.ts), each started with
// the config file exactly as its pinned chart mounts it from our rendered values:
//   - prometheus-json-exporter 0.19.2: templates/configmap.yaml writes `config.yml` = toYaml
//     configuration.structuredConfig, templates/deployment.yaml mounts it at /config.yml (subPath)
//     and passes no args (no extraArgs): json_exporter reads its default `--config.file=config.yml`
//     relative to the image's working directory (/). Here: the same file name in the process' cwd.
//   - prometheus-blackbox-exporter 11.17.2: templates/configmap.yaml writes `blackbox.yaml` = toYaml
//     .Values.config, mounted at /config, args `--config.file=/config/blackbox.yaml`.
// Only the listen address differs (a free loopback port). The provisioner is a loopback server
// answering upstream-shaped JSON (tests/support/provisioner-api.ts); installations are loopback
// HTTPS servers with a throwaway self-signed certificate that only the blackbox process trusts
// (SSL_CERT_FILE: Go's system roots on Linux), so the module's TLS verification stays on as
// rendered. Last, a real Prometheus v3.15.0 scrapes both through the rendered ScrapeConfigs.
import { strict as assert } from "assert";
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { PROBE_TARGETS, renderFileSd } from "../../functions/dns-registrar/contract";
import { versions } from "../../components/common/versions";
import { blackboxExporterValues, jsonExporterValues } from "../../components/fleet-observability/exporters";
import { PROBE_MODULE, PROVISIONER_MODULES, SCRAPE_JOBS, fleetScrapeConfigs, mountedConfigMapFile } from "../../components/fleet-observability/scrape";
import { binary } from "../support/binaries";
import { freePort } from "../support/ports";
import { BLACKBOX_CHART_DEFAULT_CONFIG, ExpositionSample, FixtureCluster, FixtureInstallation, PingServer, ProvisionerApiStub, helmCoalesce, parseExposition, startPingServer, startProvisionerApi } from "../support/provisioner-api";
import { toPrometheusScrapeConfig } from "../support/scrape-config";
import { RunningPrometheus, query, startPrometheus, stopAll, tempDir, waitFor } from "../support/thanos-prometheus";

const CLUSTERS: FixtureCluster[] = [
    { id: "8w5ut3kbbidyjxg1qynr5zc7kr", state: "stable" },
    { id: "q1gsd9ffkjdyxnq1jw6z7c5ube", state: "provision-in-progress" },
];
const INSTALLATIONS: FixtureInstallation[] = [
    { id: "ryzqq1ft7fbz5gfr8dwt9i5hzw", name: "acme", state: "stable", clusterId: CLUSTERS[0].id },
    { id: "jdzajbtbnidmbc6q1iazjn1dwa", name: "globex", state: "update-in-progress", clusterId: CLUSTERS[1].id },
    { id: "5fb3j6yx7pbgfk1d9mqzjnq7ea", name: "initech", state: "creation-requested" },
];

/** What Mattermost's /api/v4/system/ping answers when healthy (a map encoded by Go: compact). */
const PING_OK = '{"ActiveSearchBackend":"database","AndroidLatestVersion":"","AndroidMinVersion":"","IosLatestVersion":"","IosMinVersion":"","status":"OK"}';

function spawnExporter(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { process: ChildProcess; log: () => string } {
    let log = "";
    const child = spawn(bin, args, { cwd, env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const keep = (d: Buffer) => {
        log = (log + d.toString()).slice(-8000);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    return { process: child, log: () => log };
}

async function waitReady(url: string, what: string, proc: { process: ChildProcess; log: () => string }): Promise<void> {
    await waitFor(what, 30_000, async () => {
        if (proc.process.exitCode !== null) throw new Error(`${what} exited with ${proc.process.exitCode}: ${proc.log()}`);
        const r = await fetch(url).catch(() => undefined);
        return r?.ok ? true : undefined;
    });
}

async function stop(p: ChildProcess | undefined): Promise<void> {
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
        p.once("exit", () => resolve());
        p.kill("SIGTERM");
    });
}

async function probe(port: number, module: string, target: string): Promise<{ status: number; text: string; samples: ExpositionSample[] }> {
    const res = await fetch(`http://127.0.0.1:${port}/probe?module=${encodeURIComponent(module)}&target=${encodeURIComponent(target)}`);
    const text = await res.text();
    return { status: res.status, text, samples: res.ok ? parseExposition(text) : [] };
}

function value(samples: ExpositionSample[], name: string): number | undefined {
    const s = samples.filter((x) => x.name === name);
    assert.ok(s.length <= 1, `${name} appears ${s.length} times`);
    return s[0]?.value;
}

/** A self-signed certificate for 127.0.0.1 (openssl), written under dir/<name>.{key,crt}.pem. */
function selfSigned(dir: string, name: string): { key: string; cert: string; certFile: string } {
    const keyFile = path.join(dir, `${name}.key.pem`);
    const certFile = path.join(dir, `${name}.crt.pem`);
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "2", "-subj", `/CN=${name}`, "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
    return { key: fs.readFileSync(keyFile, "utf8"), cert: fs.readFileSync(certFile, "utf8"), certFile };
}

describe("FleetObservability exporters, real binaries with the rendered configs", function () {
    this.timeout(180_000);
    let dir: string;
    let api: ProvisionerApiStub;
    let json: { process: ChildProcess; log: () => string; port: number };
    let blackbox: { process: ChildProcess; log: () => string; port: number };
    const pings: Record<"ok" | "error" | "otherBody" | "untrusted", PingServer | undefined> = { ok: undefined, error: undefined, otherBody: undefined, untrusted: undefined };
    const extra: ChildProcess[] = [];

    before(async () => {
        dir = tempDir("cloud-cnc-fleet-exporters-");
        api = await startProvisionerApi(CLUSTERS, INSTALLATIONS);

        // json_exporter: config.yml as the chart's ConfigMap holds it, in the working directory.
        const jsonValues = jsonExporterValues({ image: versions.fleetObservability.jsonExporterImage }) as { configuration: { structuredConfig: unknown } };
        const jsonDir = path.join(dir, "json");
        fs.mkdirSync(jsonDir);
        fs.writeFileSync(path.join(jsonDir, "config.yml"), YAML.stringify(jsonValues.configuration.structuredConfig));
        const jsonPort = await freePort();
        json = { ...spawnExporter(binary("json_exporter"), [`--web.listen-address=127.0.0.1:${jsonPort}`], jsonDir), port: jsonPort };

        // blackbox_exporter: /config/blackbox.yaml as the chart mounts it; the test CA as the only system root.
        const trusted = selfSigned(dir, "trusted");
        const untrusted = selfSigned(dir, "untrusted");
        const bbValues = blackboxExporterValues({ image: versions.fleetObservability.blackboxExporterImage }) as { config: unknown };
        fs.mkdirSync(path.join(dir, "config"));
        const bbConfig = path.join(dir, "config", "blackbox.yaml");
        // What the chart renders: its default http_2xx coalesced under ours (every default key is ours too).
        const effective = helmCoalesce(BLACKBOX_CHART_DEFAULT_CONFIG, bbValues.config);
        assert.deepEqual(effective, bbValues.config, "the chart's default http_2xx adds nothing to the rendered module");
        fs.writeFileSync(bbConfig, YAML.stringify(effective));
        const bbPort = await freePort();
        blackbox = { ...spawnExporter(binary("blackbox_exporter"), [`--config.file=${bbConfig}`, `--web.listen-address=127.0.0.1:${bbPort}`], dir, { SSL_CERT_FILE: trusted.certFile, SSL_CERT_DIR: path.join(dir, "no-such-dir") }), port: bbPort };

        pings.ok = await startPingServer(trusted, 200, PING_OK);
        pings.error = await startPingServer(trusted, 500, '{"ActiveSearchBackend":"database","status":"UNHEALTHY"}');
        pings.otherBody = await startPingServer(trusted, 200, "<html><body>Mattermost</body></html>");
        pings.untrusted = await startPingServer(untrusted, 200, PING_OK);

        await waitReady(`http://127.0.0.1:${jsonPort}/metrics`, "json_exporter", json);
        await waitReady(`http://127.0.0.1:${bbPort}/metrics`, "blackbox_exporter", blackbox);
    });

    after(async () => {
        await stopAll();
        await Promise.all([json?.process, blackbox?.process, ...extra].map(stop));
        await Promise.all([api, ...Object.values(pings)].map((s) => s?.close()));
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    describe("json_exporter v0.7.0 with provisionerExporterConfig()", () => {
        it("the rendered config passes `json_exporter --config.check`; a module whose valid_status_codes is not a list of ints is refused (negative control)", () => {
            // v0.7.0's --config.check only unmarshals the YAML (yaml.v2, not strict: an unknown or
            // misspelled key is ignored silently), so the series tests below are what prove the keys.
            const check = (cwd: string): { code: number; out: string } => {
                try {
                    return { code: 0, out: execFileSync(binary("json_exporter"), ["--config.check"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
                } catch (e: any) {
                    return { code: e.status as number, out: `${e.stdout}${e.stderr}` };
                }
            };
            const ok = check(path.join(dir, "json"));
            assert.equal(ok.code, 0, ok.out);
            const badDir = path.join(dir, "json-bad-codes");
            fs.mkdirSync(badDir, { recursive: true });
            const cfg = YAML.parse(fs.readFileSync(path.join(dir, "json", "config.yml"), "utf8"));
            cfg.modules[PROVISIONER_MODULES.clusters].valid_status_codes = "2xx";
            fs.writeFileSync(path.join(badDir, "config.yml"), YAML.stringify(cfg));
            const bad = check(badDir);
            assert.notEqual(bad.code, 0, "a malformed module must be refused");
            assert.match(bad.out, /Error loading config.*cannot unmarshal/);
        });

        it("GET /api/clusters?per_page=-1 -> exactly one provisioner_cluster_info gauge per cluster, {provisioned_cluster, state}, value 1", async () => {
            const r = await probe(json.port, PROVISIONER_MODULES.clusters, `${api.url}/api/clusters?per_page=-1`);
            assert.equal(r.status, 200, r.text);
            assert.match(r.text, /^# TYPE provisioner_cluster_info gauge$/m);
            assert.deepEqual(
                r.samples.sort((a, b) => a.labels.provisioned_cluster.localeCompare(b.labels.provisioned_cluster)),
                CLUSTERS.map((c) => ({ name: "provisioner_cluster_info", labels: { provisioned_cluster: c.id, state: c.state }, value: 1 })).sort((a, b) =>
                    a.labels.provisioned_cluster.localeCompare(b.labels.provisioned_cluster),
                ),
            );
            assert.ok(api.requests.includes("/api/clusters?per_page=-1"), `the provisioner saw ${JSON.stringify(api.requests)}`);
        });

        it("GET /api/installations?per_page=-1 -> exactly one provisioner_installation_info per installation, {installation, state, cluster}; cluster \"\" for one on no cluster", async () => {
            const r = await probe(json.port, PROVISIONER_MODULES.installations, `${api.url}/api/installations?per_page=-1`);
            assert.equal(r.status, 200, r.text);
            assert.match(r.text, /^# TYPE provisioner_installation_info gauge$/m);
            const byId = (a: ExpositionSample, b: ExpositionSample) => a.labels.installation.localeCompare(b.labels.installation);
            assert.deepEqual(
                r.samples.sort(byId),
                INSTALLATIONS.map((i) => ({ name: "provisioner_installation_info", labels: { installation: i.id, state: i.state, cluster: i.clusterId ?? "" }, value: 1 })).sort(byId),
            );
            // ClusterIDs is omitempty: for "initech" the path finds nothing and v0.7.0 logs it (the label is "").
            assert.match(json.log(), /Failed to extract label value.*ClusterIDs is not found/);
        });

        it("an empty fleet ([] from the API) yields no series; a non-200 answer fails the probe (valid_status_codes [200])", async () => {
            const empty = await startProvisionerApi([], []);
            try {
                const r = await probe(json.port, PROVISIONER_MODULES.clusters, `${empty.url}/api/clusters?per_page=-1`);
                assert.equal(r.status, 200, r.text);
                assert.deepEqual(r.samples, []);
                const missing = await probe(json.port, PROVISIONER_MODULES.clusters, `${empty.url}/api/no-such-list`);
                assert.equal(missing.status, 503);
                assert.match(missing.text, /404/);
            } finally {
                await empty.close();
            }
        });

        it("negative control: a JSONPath that does not fit the top-level array, or a json field name in the wrong case, yields nothing", async () => {
            const cfg = YAML.parse(fs.readFileSync(path.join(dir, "json", "config.yml"), "utf8"));
            // A Kubernetes-style `.items` list and lower-case keys: what the API does NOT send.
            cfg.modules[PROVISIONER_MODULES.clusters].metrics[0].path = "{.items[*]}";
            cfg.modules[PROVISIONER_MODULES.installations].metrics[0].labels.installation = "{.id}";
            const badDir = path.join(dir, "json-wrong-paths");
            fs.mkdirSync(badDir, { recursive: true });
            fs.writeFileSync(path.join(badDir, "config.yml"), YAML.stringify(cfg));
            const port = await freePort();
            const bad = { ...spawnExporter(binary("json_exporter"), [`--web.listen-address=127.0.0.1:${port}`], badDir), port };
            extra.push(bad.process);
            await waitReady(`http://127.0.0.1:${port}/metrics`, "json_exporter (wrong paths)", bad);
            const clusters = await probe(port, PROVISIONER_MODULES.clusters, `${api.url}/api/clusters?per_page=-1`);
            assert.equal(clusters.status, 200, clusters.text);
            assert.deepEqual(clusters.samples, [], "no cluster series from {.items[*]}");
            const inst = await probe(port, PROVISIONER_MODULES.installations, `${api.url}/api/installations?per_page=-1`);
            assert.deepEqual(
                inst.samples.map((s) => s.labels.installation),
                ["", "", ""],
                "{.id} finds nothing: the keys are Go field names (ID)",
            );
            assert.match(bad.log(), /is not found/);
        });
    });

    describe(`blackbox_exporter v0.28.0 with the ${PROBE_MODULE} module`, () => {
        it("the rendered modules pass `blackbox_exporter --config.check`; a module with an unknown key is refused (negative control)", () => {
            const bbConfig = path.join(dir, "config", "blackbox.yaml");
            const out = execFileSync(binary("blackbox_exporter"), ["--config.check", `--config.file=${bbConfig}`], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
            assert.equal(typeof out, "string");
            const cfg = YAML.parse(fs.readFileSync(bbConfig, "utf8"));
            cfg.modules[PROBE_MODULE].http.fail_if_body_not_matches = ['"status":"OK"'];
            const bad = path.join(dir, "config", "bad.yaml");
            fs.writeFileSync(bad, YAML.stringify(cfg));
            let refused = "";
            assert.throws(() => {
                try {
                    execFileSync(binary("blackbox_exporter"), ["--config.check", `--config.file=${bad}`], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
                } catch (e: any) {
                    refused = `${e.stdout}${e.stderr}`;
                    throw e;
                }
            });
            assert.match(refused, /field fail_if_body_not_matches not found/);
        });

        it("(a) 200 with Mattermost's {\"status\":\"OK\"} over verified TLS -> probe_success 1", async () => {
            const r = await probe(blackbox.port, PROBE_MODULE, pings.ok!.url);
            assert.equal(r.status, 200, r.text);
            assert.equal(value(r.samples, "probe_success"), 1, `${r.text}\n${blackbox.log()}`);
            assert.equal(value(r.samples, "probe_http_status_code"), 200);
            assert.equal(value(r.samples, "probe_http_ssl"), 1);
            assert.equal(value(r.samples, "probe_failed_due_to_regex"), 0);
        });

        it("(b) 500 -> probe_success 0", async () => {
            const r = await probe(blackbox.port, PROBE_MODULE, pings.error!.url);
            assert.equal(value(r.samples, "probe_success"), 0);
            assert.equal(value(r.samples, "probe_http_status_code"), 500);
        });

        it("(c) 200 with another body -> probe_success 0 (fail_if_body_not_matches_regexp)", async () => {
            const r = await probe(blackbox.port, PROBE_MODULE, pings.otherBody!.url);
            assert.equal(value(r.samples, "probe_success"), 0);
            assert.equal(value(r.samples, "probe_http_status_code"), 200);
            assert.equal(value(r.samples, "probe_failed_due_to_regex"), 1);
        });

        it("(d) the same healthy answer behind a certificate nobody trusts -> probe_success 0 (TLS is verified)", async () => {
            const r = await probe(blackbox.port, PROBE_MODULE, pings.untrusted!.url);
            assert.equal(value(r.samples, "probe_success"), 0);
            assert.equal(value(r.samples, "probe_http_status_code"), 0, "no HTTP answer: the handshake failed");
        });
    });

    describe("a real Prometheus v3.15.0 scraping both exporters through the rendered ScrapeConfigs", () => {
        let prom: RunningPrometheus;

        before(async () => {
            const probesFile = path.join(dir, "probes.json");
            // The registrar's file_sd format (its renderer), with loopback URLs for two installations.
            fs.writeFileSync(
                probesFile,
                renderFileSd([
                    { targets: [pings.ok!.url], labels: { installation: "acme" } },
                    { targets: [pings.error!.url], labels: { installation: "globex" } },
                ]),
            );
            const objects = fleetScrapeConfigs({
                probes: { exporterAddress: `127.0.0.1:${blackbox.port}` },
                provisioner: { exporterAddress: `127.0.0.1:${json.port}`, provisionerUrl: api.url },
            }).filter((o) => o.spec.jobName !== SCRAPE_JOBS.leafQuery);
            const files = { [mountedConfigMapFile(PROBE_TARGETS.configMap, PROBE_TARGETS.key)]: probesFile };
            const scrape_configs = objects.map((o) => ({ ...toPrometheusScrapeConfig(o, files), scrape_interval: "1s", scrape_timeout: "1s" }));
            const config = path.join(dir, "prometheus.yml");
            fs.writeFileSync(config, YAML.stringify({ global: { scrape_interval: "1s", evaluation_interval: "1s" }, scrape_configs }, { lineWidth: 0 }));
            prom = await startPrometheus(binary("prometheus"), "cnc", config, await freePort(), dir);
        });

        it("provisioner_cluster_info and provisioner_installation_info exist with the fixture's labels, job provisioner-state", async () => {
            const clusters = await waitFor("provisioner_cluster_info", 60_000, async () => {
                const r = await query(prom, 'provisioner_cluster_info{job="provisioner-state"}');
                return r.length === CLUSTERS.length ? r : undefined;
            });
            assert.deepEqual(clusters.map((s) => `${s.metric.provisioned_cluster}=${s.metric.state}`).sort(), CLUSTERS.map((c) => `${c.id}=${c.state}`).sort());
            assert.ok(clusters.every((s) => s.metric.instance === `${api.url}/api/clusters?per_page=-1` && s.value[1] === "1"));
            const inst = await waitFor("provisioner_installation_info", 60_000, async () => {
                const r = await query(prom, 'provisioner_installation_info{job="provisioner-state"}');
                return r.length === INSTALLATIONS.length ? r : undefined;
            });
            // Prometheus drops an empty label: the installation on no cluster has no `cluster`.
            assert.deepEqual(
                inst.map((s) => `${s.metric.installation}=${s.metric.state}@${s.metric.cluster ?? "-"}`).sort(),
                INSTALLATIONS.map((i) => `${i.id}=${i.state}@${i.clusterId ?? "-"}`).sort(),
            );
            // Only the two state gauges are kept from the exporter's /probe (metricRelabelings).
            const names = (await query(prom, 'count by (__name__) ({job="provisioner-state"})')).map((s) => s.metric.__name__).filter((n) => !/^(up|scrape_.*)$/.test(n));
            assert.deepEqual(names.sort(), ["provisioner_cluster_info", "provisioner_installation_info"]);
        });

        it('probe_success{installation="acme"} is 1 and {installation="globex"} (answers 500) is 0, instance = the probed URL', async () => {
            const probes = await waitFor("both probes", 60_000, async () => {
                const r = await query(prom, 'probe_success{job="installation-probes"}');
                return r.length === 2 ? r : undefined;
            });
            assert.deepEqual(Object.fromEntries(probes.map((s) => [s.metric.installation, s.value[1]])), { acme: "1", globex: "0" });
            assert.deepEqual(Object.fromEntries(probes.map((s) => [s.metric.installation, s.metric.instance])), { acme: pings.ok!.url, globex: pings.error!.url });
        });
    });
});
