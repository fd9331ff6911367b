// amtool and a real Alertmanager (built by scripts/setup-binaries.sh at the version the stack runs)
// on the Alertmanager configuration ThanosFederation renders: it loads; every severity,
// Watchdog and InfoInhibitor routes where the config says (amtool decides); and the inhibition
// rules mute what they should, and only that, in a running Alertmanager on loopback (alerts
// posted to /api/v2/alerts, their state read back from /api/v2/alerts and amtool alert query).
import { strict as assert } from "assert";
import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import * as YAML from "yaml";
import { ALERT_WEBHOOK_FILE, AlertmanagerConfig, DEAD_MANS_SWITCH_FILE, RECEIVERS, renderAlertmanagerConfig } from "../../components/thanos-federation/render";
import { binary } from "../support/binaries";
import { freePort } from "../support/ports";
import { tempDir, waitFor } from "../support/thanos-prometheus";

const toYaml = (config: AlertmanagerConfig) => YAML.stringify(config, { sortMapEntries: true, lineWidth: 0 });

describe("real tools: amtool on the rendered Alertmanager config", function () {
    this.timeout(60_000);
    let amtool: string;
    let dir: string;
    const files: Record<"plain" | "heartbeat", string> = { plain: "", heartbeat: "" };

    before(() => {
        amtool = binary("amtool");
        dir = tempDir("cloud-cnc-amtool-");
        files.plain = path.join(dir, "alertmanager.yml");
        files.heartbeat = path.join(dir, "alertmanager-heartbeat.yml");
        fs.writeFileSync(files.plain, toYaml(renderAlertmanagerConfig()));
        fs.writeFileSync(files.heartbeat, toYaml(renderAlertmanagerConfig({ deadMansSwitch: true })));
    });

    it("check-config accepts both variants, with the webhook and the heartbeat URL read from the mounted Secret files", () => {
        const plain = execFileSync(amtool, ["check-config", files.plain], { encoding: "utf8" });
        assert.match(plain, /SUCCESS/);
        assert.match(plain, /3 receivers/);
        assert.match(plain, /2 inhibit rules/);
        const text = fs.readFileSync(files.plain, "utf8");
        assert.equal(text.split(`api_url_file: ${ALERT_WEBHOOK_FILE}`).length - 1, 2, "both Mattermost receivers read the Secret file");
        assert.doesNotMatch(text, /api_url:|url: http/, "no URL in the config itself");
        const heartbeat = execFileSync(amtool, ["check-config", files.heartbeat], { encoding: "utf8" });
        assert.match(heartbeat, /SUCCESS/);
        assert.match(heartbeat, /4 receivers/);
        assert.ok(fs.readFileSync(files.heartbeat, "utf8").includes(`url_file: ${DEAD_MANS_SWITCH_FILE}`));
    });

    it("check-config rejects broken variants (the check can fail)", () => {
        const broken = path.join(dir, "broken.yml");
        const config = renderAlertmanagerConfig();
        config.route.receiver = "nobody";
        fs.writeFileSync(broken, toYaml(config));
        const run = spawnSync(amtool, ["check-config", broken], { encoding: "utf8" });
        assert.notEqual(run.status, 0);
        assert.match(run.stdout + run.stderr, /nobody/);
        // A webhook receiver without url_file (or url) is refused too.
        const noUrl = renderAlertmanagerConfig({ deadMansSwitch: true });
        delete (noUrl.receivers.find((r) => r.name === RECEIVERS.deadMansSwitch)!.webhook_configs![0] as { url_file?: string }).url_file;
        fs.writeFileSync(broken, toYaml(noUrl));
        const run2 = spawnSync(amtool, ["check-config", broken], { encoding: "utf8" });
        assert.notEqual(run2.status, 0);
        assert.match(run2.stdout + run2.stderr, /one of url or url_file must be configured/);
    });

    const route = (file: string, labels: string[]) => execFileSync(amtool, ["config", "routes", "test", "--config.file", file, ...labels], { encoding: "utf8" }).trim();

    /** labels -> receiver without and with the dead man's switch. */
    const CASES: Array<[string[], string, string]> = [
        [["alertname=FleetClusterDown", "clusterID=c1", "severity=critical"], RECEIVERS.critical, RECEIVERS.critical],
        [["alertname=KubePodCrashLooping", "clusterID=c1", "severity=warning"], RECEIVERS.warning, RECEIVERS.warning],
        [["alertname=KubeCPUOvercommit", "clusterID=c1", "severity=info"], RECEIVERS.none, RECEIVERS.none],
        [["alertname=SomethingQuiet", "clusterID=c1", "severity=none"], RECEIVERS.none, RECEIVERS.none],
        // No (or an unknown) severity is treated as a warning: never dropped silently.
        [["alertname=NoSeverity", "clusterID=c1"], RECEIVERS.warning, RECEIVERS.warning],
        [["alertname=OddSeverity", "clusterID=c1", "severity=page"], RECEIVERS.warning, RECEIVERS.warning],
        [["alertname=Watchdog", "severity=none"], RECEIVERS.none, RECEIVERS.deadMansSwitch],
        // kube-prometheus-stack's InfoInhibitor used to page Mattermost (research-issue14 section 2).
        [["alertname=InfoInhibitor", "severity=none"], RECEIVERS.none, RECEIVERS.none],
        [["alertname=InfoInhibitor"], RECEIVERS.none, RECEIVERS.none],
        // A Watchdog that carries a critical severity still never pages.
        [["alertname=Watchdog", "severity=critical"], RECEIVERS.none, RECEIVERS.deadMansSwitch],
    ];

    it(`routes each severity, Watchdog and InfoInhibitor where the config says (${CASES.length} label sets, both variants)`, () => {
        for (const [labels, plain, heartbeat] of CASES) {
            assert.equal(route(files.plain, labels), plain, labels.join(","));
            assert.equal(route(files.heartbeat, labels), heartbeat, `${labels.join(",")} (dead man's switch)`);
        }
    });

    it("amtool's receiver verification fails on a wrong expectation (the check can fail)", () => {
        const ok = spawnSync(amtool, ["config", "routes", "test", "--config.file", files.plain, `--verify.receivers=${RECEIVERS.critical}`, "severity=critical"], { encoding: "utf8" });
        assert.equal(ok.status, 0, ok.stdout + ok.stderr);
        const wrong = spawnSync(amtool, ["config", "routes", "test", "--config.file", files.plain, `--verify.receivers=${RECEIVERS.critical}`, "alertname=InfoInhibitor", "severity=none"], { encoding: "utf8" });
        assert.notEqual(wrong.status, 0);
    });
});

// ---------------------------------------------------------------------------------------------
// A real Alertmanager on loopback

interface PostableAlert {
    labels: Record<string, string>;
    annotations?: Record<string, string>;
}

interface GettableAlert {
    labels: Record<string, string>;
    fingerprint: string;
    status: { state: string; inhibitedBy: string[]; silencedBy: string[] };
    receivers: { name: string }[];
}

interface RunningAlertmanager {
    url: string;
    process: ChildProcess;
    log(): string;
}

async function startAlertmanager(bin: string, configFile: string, dataDir: string): Promise<RunningAlertmanager> {
    const port = await freePort();
    fs.mkdirSync(dataDir, { recursive: true });
    const child = spawn(
        bin,
        // --cluster.listen-address= (empty) runs it alone: no gossip port, no peers.
        [`--config.file=${configFile}`, `--storage.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`, "--cluster.listen-address=", "--log.level=warn"],
        { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr?.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-8000)));
    const am: RunningAlertmanager = { url: `http://127.0.0.1:${port}`, process: child, log: () => stderr };
    await waitFor("alertmanager ready", 30_000, async () => {
        if (child.exitCode !== null) throw new Error(`alertmanager exited with ${child.exitCode}: ${stderr}`);
        const res = await fetch(`${am.url}/-/ready`).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
    });
    return am;
}

async function stopAlertmanager(am: RunningAlertmanager | undefined): Promise<void> {
    if (!am || am.process.exitCode !== null || am.process.signalCode !== null) return;
    await new Promise<void>((resolve) => {
        am.process.once("exit", () => resolve());
        am.process.kill("SIGTERM");
    });
}

async function postAlerts(am: RunningAlertmanager, alerts: PostableAlert[]): Promise<void> {
    const now = Date.now();
    const body = alerts.map((a) => ({ ...a, startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() }));
    const res = await fetch(`${am.url}/api/v2/alerts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    assert.equal(res.status, 200, await res.text());
}

async function getAlerts(am: RunningAlertmanager, query: string): Promise<GettableAlert[]> {
    const res = await fetch(`${am.url}/api/v2/alerts?${query}`);
    assert.equal(res.status, 200);
    return (await res.json()) as GettableAlert[];
}

const key = (labels: Record<string, string>) => `${labels.alertname}/${labels.clusterID ?? "-"}/${labels.severity ?? "-"}`;

/** A loopback HTTP server standing in for Mattermost and the heartbeat service: records every POST. */
async function captureServer(): Promise<{ url: string; received: { path: string; body: any }[]; close(): Promise<void> }> {
    const received: { path: string; body: any }[] = [];
    const server = http.createServer((req, res) => {
        let data = "";
        req.on("data", (c) => (data += c));
        req.on("end", () => {
            received.push({ path: req.url ?? "", body: data ? JSON.parse(data) : undefined });
            res.writeHead(200, { "content-type": "text/plain" }).end("ok");
        });
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("real tools: Alertmanager v0.35 on loopback applies the rendered routes and inhibitions", function () {
    this.timeout(120_000);
    let am: RunningAlertmanager | undefined;
    let unguarded: RunningAlertmanager | undefined;
    let capture: Awaited<ReturnType<typeof captureServer>>;
    let dir: string;

    /**
     * The rendered config with one change only: the Secret file paths (/etc/alertmanager/secrets/…)
     * point at temp files holding the capture server's URLs.
     */
    function localConfig(config: AlertmanagerConfig): string {
        const webhookFile = path.join(dir, "webhook-url");
        const heartbeatFile = path.join(dir, "heartbeat-url");
        fs.writeFileSync(webhookFile, `${capture.url}/hooks/mattermost`);
        fs.writeFileSync(heartbeatFile, `${capture.url}/ping/heartbeat`);
        return toYaml(config).split(ALERT_WEBHOOK_FILE).join(webhookFile).split(DEAD_MANS_SWITCH_FILE).join(heartbeatFile);
    }

    before(async () => {
        const bin = binary("alertmanager");
        dir = tempDir("cloud-cnc-alertmanager-");
        capture = await captureServer();
        const file = path.join(dir, "alertmanager.yml");
        fs.writeFileSync(file, localConfig(renderAlertmanagerConfig({ deadMansSwitch: true })));
        am = await startAlertmanager(bin, file, path.join(dir, "data"));
        // The negative control: the same config without the clusterID guard on FleetClusterDown's inhibition.
        const config = renderAlertmanagerConfig({ deadMansSwitch: true });
        const down = config.inhibit_rules.find((r) => r.source_matchers.includes('alertname="FleetClusterDown"'))!;
        down.source_matchers = down.source_matchers.filter((m) => !m.startsWith("clusterID"));
        const unguardedFile = path.join(dir, "unguarded.yml");
        fs.writeFileSync(unguardedFile, localConfig(config));
        unguarded = await startAlertmanager(bin, unguardedFile, path.join(dir, "data-unguarded"));
        // Every test reads the state these alerts leave (started a minute ago, ending in an hour).
        await postAlerts(am, ALERTS);
        await postAlerts(unguarded, ALERTS);
    });

    after(async () => {
        await stopAlertmanager(am);
        await stopAlertmanager(unguarded);
        await capture?.close();
    });

    const ALERTS: PostableAlert[] = [
        // Critical inhibits the warning of the same alert and cluster only.
        { labels: { alertname: "NodeMemoryHigh", clusterID: "c1", severity: "critical" } },
        { labels: { alertname: "NodeMemoryHigh", clusterID: "c1", severity: "warning" } },
        { labels: { alertname: "NodeMemoryHigh", clusterID: "c2", severity: "warning" } },
        { labels: { alertname: "NodeCPUHigh", clusterID: "c1", severity: "warning" } },
        // A cluster down inhibits every other alert of that cluster, of any severity, and nothing of another cluster.
        { labels: { alertname: "FleetClusterDown", clusterID: "c3", severity: "critical" }, annotations: { summary: "Cluster c3 does not answer" } },
        { labels: { alertname: "KubePodCrashLooping", clusterID: "c3", severity: "warning" } },
        { labels: { alertname: "KubeNodeNotReady", clusterID: "c3", severity: "critical" } },
        { labels: { alertname: "KubePodCrashLooping", clusterID: "c4", severity: "warning" } },
        // A FleetClusterDown without clusterID (a broken rule) must not mute every alert lacking the label.
        { labels: { alertname: "FleetClusterDown", severity: "critical" } },
        { labels: { alertname: "ThanosCompactHalted", severity: "warning" } },
        { labels: { alertname: "Watchdog", severity: "none" } },
        { labels: { alertname: "InfoInhibitor", severity: "none" } },
    ];
    const INHIBITED = ["NodeMemoryHigh/c1/warning", "KubePodCrashLooping/c3/warning", "KubeNodeNotReady/c3/critical"];

    it(`inhibits exactly ${INHIBITED.length} of ${ALERTS.length} posted alerts, each by the alert that should (API and amtool agree)`, async () => {
        const all = await waitFor("inhibitions computed", 30_000, async () => {
            const got = await getAlerts(am!, "inhibited=true&silenced=true&active=true");
            const suppressed = got.filter((a) => a.status.state === "suppressed").length;
            return got.length === ALERTS.length && suppressed >= INHIBITED.length ? got : undefined;
        });
        const byKey = new Map(all.map((a) => [key(a.labels), a]));
        const suppressed = all.filter((a) => a.status.state === "suppressed").map((a) => key(a.labels)).sort();
        assert.deepEqual(suppressed, [...INHIBITED].sort());
        const fp = (k: string) => byKey.get(k)!.fingerprint;
        assert.deepEqual(byKey.get("NodeMemoryHigh/c1/warning")!.status.inhibitedBy, [fp("NodeMemoryHigh/c1/critical")]);
        assert.deepEqual(byKey.get("KubePodCrashLooping/c3/warning")!.status.inhibitedBy, [fp("FleetClusterDown/c3/critical")]);
        assert.deepEqual(byKey.get("KubeNodeNotReady/c3/critical")!.status.inhibitedBy, [fp("FleetClusterDown/c3/critical")]);
        for (const a of all) if (!INHIBITED.includes(key(a.labels))) assert.deepEqual(a.status.inhibitedBy, [], key(a.labels));
        // inhibited=false leaves them out.
        const visible = (await getAlerts(am!, "inhibited=false")).map((a) => key(a.labels));
        assert.equal(visible.length, ALERTS.length - INHIBITED.length);
        for (const k of INHIBITED) assert.ok(!visible.includes(k), k);
        // amtool, against the same server: --inhibited alone lists only the inhibited ones; no flag, only the active ones.
        const amtool = binary("amtool");
        const q = (...extra: string[]) =>
            (JSON.parse(execFileSync(amtool, ["alert", "query", `--alertmanager.url=${am!.url}`, "-o", "json", ...extra], { encoding: "utf8" })) as GettableAlert[]).map((a) => key(a.labels)).sort();
        assert.deepEqual(q("--inhibited"), [...INHIBITED].sort());
        assert.equal(q().length, ALERTS.length - INHIBITED.length);
    });

    it("the running server routes each alert to the receiver amtool predicted (Watchdog to the heartbeat, InfoInhibitor nowhere)", async () => {
        const all = await getAlerts(am!, "");
        const receiver = new Map(all.map((a) => [key(a.labels), a.receivers.map((r) => r.name)]));
        assert.deepEqual(receiver.get("Watchdog/-/none"), [RECEIVERS.deadMansSwitch]);
        assert.deepEqual(receiver.get("InfoInhibitor/-/none"), [RECEIVERS.none]);
        assert.deepEqual(receiver.get("FleetClusterDown/c3/critical"), [RECEIVERS.critical]);
        assert.deepEqual(receiver.get("KubePodCrashLooping/c4/warning"), [RECEIVERS.warning]);
    });

    it("negative control: without the clusterID guard, a FleetClusterDown lacking the label mutes every alert lacking it", async () => {
        const all = await waitFor("inhibitions computed (unguarded)", 30_000, async () => {
            const got = await getAlerts(unguarded!, "");
            const thanos = got.find((a) => a.labels.alertname === "ThanosCompactHalted");
            return got.length === ALERTS.length && thanos?.status.state === "suppressed" ? got : undefined;
        });
        const suppressed = all.filter((a) => a.status.state === "suppressed").map((a) => key(a.labels));
        for (const k of ["ThanosCompactHalted/-/warning", "Watchdog/-/none", "InfoInhibitor/-/none"]) assert.ok(suppressed.includes(k), k);
    });

    it("delivers through the Secret files: the heartbeat gets the Watchdog, Mattermost gets the critical page in Slack format", async () => {
        const heartbeat = await waitFor("a heartbeat", 30_000, async () => capture.received.find((r) => r.path === "/ping/heartbeat"));
        assert.deepEqual(
            heartbeat.body.alerts.map((a: { labels: Record<string, string> }) => a.labels.alertname),
            ["Watchdog"],
        );
        assert.equal(heartbeat.body.receiver, RECEIVERS.deadMansSwitch);
        const page = await waitFor("the FleetClusterDown page", 60_000, async () =>
            capture.received.find((r) => r.path === "/hooks/mattermost" && JSON.stringify(r.body).includes("FleetClusterDown (c3)")),
        );
        const attachment = page.body.attachments[0];
        assert.equal(attachment.title, "[FIRING CRITICAL] FleetClusterDown (c3)");
        assert.match(attachment.text, /Cluster c3 does not answer/);
        // The inhibited ones never reach Mattermost, whatever else has arrived by now.
        for (const r of capture.received.filter((x) => x.path === "/hooks/mattermost")) {
            const text = JSON.stringify(r.body);
            assert.ok(!text.includes("KubeNodeNotReady"), "an inhibited alert was sent");
        }
    });
});
