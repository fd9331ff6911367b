// The Thanos Ruler's external label, with the real binaries at the deployed versions (Thanos
// v0.42.4, Prometheus v3.15.0, Alertmanager v0.35.0): two "workload clusters" (Prometheus with the
// external label clusterID + thanos sidecar + leaf query, tests/support/thanos-fleet.ts), a Thanos
// Query over both, and `thanos rule` started with exactly rulerArgs(dev settings) where only
// ports, paths and in-cluster addresses are rewritten (--query, --alertmanagers.url; every other
// arg is asserted byte-equal) and kubelet's $(POD_NAME) is expanded. It loads the rendered
// built-in group (recording `clusterID:up:count` = `count by (clusterID) (up)`) plus one test
// alert `count by (clusterID) (up) > 0`, and sends to a real Alertmanager.
//
// Negative control: a second Ruler with the same args except the old `--label=clusterID="<cnc>"`
// (what render.ts produced before): Thanos overwrites recorded series and alerts with its
// external labels (pkg/store/tsdb.go Series -> labelpb.ExtendSortedLabels; pkg/alert/alert.go
// Queue.Push), so that Ruler's recorded series and alerts all read back as the C&C's clusterID.
//
// Wait: the rendered --eval-interval (1m) is kept, so the first evaluation comes within a minute.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { PATHS, renderRuleFile, ruleGroups, rulerArgs } from "../../components/thanos-federation/render";
import { thanosFederationSchema } from "../../components/thanos-federation/schema";
import { binary } from "../support/binaries";
import { devArgs } from "../support/thanos-harness";
import { tempDir, waitFor } from "../support/thanos-prometheus";
import {
    FleetProcess,
    LeafCluster,
    freePort,
    freePortOnAll,
    instantQuery,
    labelValues,
    leafIp,
    rewriteThanosArgs,
    spawnTracked,
    startLeafCluster,
    stopFleetProcesses,
} from "../support/thanos-fleet";

const CNC = "cloud-dev-cnc";

async function ready(p: FleetProcess, url: string): Promise<void> {
    await waitFor(`${p.name} ready`, 60_000, async () => {
        if (!p.running()) throw new Error(`${p.name} exited with ${p.process.exitCode ?? p.process.signalCode}: ${p.log().slice(-3000)}`);
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
    });
}

interface AmAlert {
    labels: Record<string, string>;
}

async function alertmanagerAlerts(url: string, alertname: string): Promise<AmAlert[]> {
    const res = await fetch(`${url}/api/v2/alerts?filter=${encodeURIComponent(`alertname="${alertname}"`)}`);
    return (await res.json()) as AmAlert[];
}

describe("Thanos Ruler external label under the real binaries (rulerArgs over a two-cluster Query)", function () {
    this.timeout(300_000);
    let root: string;
    let leaves: LeafCluster[];
    let queryUrl: string;
    let amUrl: string;
    const rulers: Record<"fixed" | "old", { args: string[]; replica: string }> = {
        fixed: { args: [], replica: "ruler-fixed-0" },
        old: { args: [], replica: "ruler-old-0" },
    };
    const rendered = rulerArgs(thanosFederationSchema.parse(devArgs()));

    before(async () => {
        root = tempDir("cloud-cnc-ruler-labels-");
        const grpcPort = await freePortOnAll([leafIp(0), leafIp(1)]);
        leaves = [];
        for (const [index, id] of ["cluster-a", "cluster-b"].entries()) leaves.push(await startLeafCluster({ id, index, grpcPort, root, thanosZone: "thanos.test" }));

        // Alertmanager: one, no clustering, everything to a receiver that does nothing.
        const amPort = await freePort();
        fs.writeFileSync(path.join(root, "alertmanager.yml"), YAML.stringify({ route: { receiver: "null" }, receivers: [{ name: "null" }] }));
        const am = spawnTracked("alertmanager", binary("alertmanager"), [
            `--config.file=${path.join(root, "alertmanager.yml")}`,
            `--storage.path=${path.join(root, "am")}`,
            `--web.listen-address=127.0.0.1:${amPort}`,
            "--cluster.listen-address=",
        ]);
        amUrl = `http://127.0.0.1:${amPort}`;

        // The Rulers' gRPC ports are chosen now so one Query serves the leaves and reads both Rulers back.
        const rulerGrpc = { fixed: await freePort(), old: await freePort() };
        const [queryHttp, queryGrpc] = [await freePort(), await freePort()];
        const endpoints = [...leaves.map((l) => l.leafQuery.grpc), `127.0.0.1:${rulerGrpc.fixed}`, `127.0.0.1:${rulerGrpc.old}`];
        const query = spawnTracked("query", binary("thanos"), [
            "query",
            "--log.level=warn",
            `--http-address=127.0.0.1:${queryHttp}`,
            `--grpc-address=127.0.0.1:${queryGrpc}`,
            `--endpoint.sd-config=${YAML.stringify({ endpoints: endpoints.map((address) => ({ address })) })}`,
            "--query.partial-response",
        ]);
        queryUrl = `http://127.0.0.1:${queryHttp}`;
        await Promise.all([ready(query, `${queryUrl}/-/ready`), ready(am, `${amUrl}/-/ready`)]);
        await waitFor("both clusters through the Query", 60_000, async () => {
            const a = await instantQuery(queryUrl, "count by (clusterID) (up)");
            return labelValues(a, "clusterID").join(",") === "cluster-a,cluster-b" ? true : undefined;
        });

        // Rule files: the rendered built-in group, and one per-cluster test alert.
        const rulesDir = path.join(root, "rules");
        fs.mkdirSync(path.join(rulesDir, "thanos-ruler-rules"), { recursive: true });
        fs.writeFileSync(path.join(rulesDir, "thanos-ruler-rules", "fleet-federation.yaml"), renderRuleFile(ruleGroups()));
        fs.mkdirSync(path.join(rulesDir, "test-alerts"));
        fs.writeFileSync(
            path.join(rulesDir, "test-alerts", "alerts.yaml"),
            YAML.stringify({ groups: [{ name: "test-alerts", partial_response_strategy: "warn", rules: [{ alert: "TestClusterReporting", expr: "count by (clusterID) (up) > 0", labels: { severity: "info" } }] }] }),
        );
        const objstore = path.join(root, "objstore.yml");
        fs.writeFileSync(objstore, YAML.stringify({ type: "FILESYSTEM", config: { directory: path.join(root, "bucket") } }));

        for (const variant of ["fixed", "old"] as const) {
            const http = await freePort();
            const source = (variant === "old" ? rendered.map((a) => a.replace(/^--label=rule_cluster=/, "--label=clusterID=")) : rendered).map((a) =>
                a.replace("$(POD_NAME)", rulers[variant].replica),
            );
            const rewrite = rewriteThanosArgs(source, {
                httpAddress: `127.0.0.1:${http}`,
                grpcAddress: `127.0.0.1:${rulerGrpc[variant]}`,
                paths: { [PATHS.objstore]: objstore, [PATHS.rulerData]: path.join(root, `data-${variant}`), [`${PATHS.rulesDir}/*/*.yaml`]: path.join(rulesDir, "*", "*.yaml") },
                values: { "--query": `127.0.0.1:${queryHttp}`, "--alertmanagers.url": amUrl },
            });
            // Only the rewritten flags differ from the rendered ones.
            rewrite.args.forEach((a, i) => {
                if (!rewrite.rewritten.includes(rewrite.sourceIndex[i])) assert.equal(a, source[rewrite.sourceIndex[i]]);
            });
            assert.deepEqual(rewrite.dropped, []);
            rulers[variant].args = rewrite.args;
            const p = spawnTracked(`ruler-${variant}`, binary("thanos"), rewrite.args);
            await ready(p, `http://127.0.0.1:${http}/-/ready`);
        }
    });

    after(async () => {
        await stopFleetProcesses();
        if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    it("the rendered Ruler is labelled rule_cluster (and its replica), never clusterID", () => {
        assert.ok(rendered.includes(`--label=rule_cluster="${CNC}"`), rendered.join(" "));
        assert.ok(!rendered.some((a) => a.startsWith("--label=clusterID")));
        assert.ok(rulers.fixed.args.includes(`--label=rule_replica="${rulers.fixed.replica}"`));
        assert.ok(rulers.old.args.includes(`--label=clusterID="${CNC}"`));
    });

    it("the recorded count by (clusterID) (up) keeps both clusters' clusterID; with the old --label=clusterID it collapses to the C&C's (negative control)", async () => {
        const recorded = async (replica: string) => instantQuery(queryUrl, `clusterID:up:count{rule_replica="${replica}"}`);
        const fixed = await waitFor("the fixed Ruler's recording", 120_000, async () => {
            const a = await recorded(rulers.fixed.replica);
            return a.result.length >= 2 ? a : undefined;
        });
        assert.deepEqual(labelValues(fixed, "clusterID"), ["cluster-a", "cluster-b"]);
        for (const s of fixed.result) assert.equal(s.metric.rule_cluster, CNC);
        const old = await waitFor("the old Ruler's recording", 120_000, async () => {
            const a = await recorded(rulers.old.replica);
            return a.result.length >= 1 ? a : undefined;
        });
        // Both clusters' series now carry the same labels: Query merges them into one series of the C&C.
        assert.deepEqual([...new Set(labelValues(old, "clusterID"))], [CNC]);
    });

    it("alerts reach Alertmanager with the cluster's clusterID (and the C&C's only in the old Ruler's)", async () => {
        const alerts = await waitFor("alerts of both Rulers in Alertmanager", 150_000, async () => {
            const a = await alertmanagerAlerts(amUrl, "TestClusterReporting");
            const fromFixed = a.filter((x) => x.labels.rule_cluster === CNC);
            const fromOld = a.filter((x) => x.labels.rule_cluster === undefined);
            return fromFixed.length >= 2 && fromOld.length >= 1 ? { fromFixed, fromOld } : undefined;
        });
        assert.deepEqual(alerts.fromFixed.map((a) => a.labels.clusterID).sort(), ["cluster-a", "cluster-b"]);
        assert.deepEqual([...new Set(alerts.fromOld.map((a) => a.labels.clusterID))], [CNC]);
        // --alert.label-drop removes the replica label from what is sent.
        for (const a of [...alerts.fromFixed, ...alerts.fromOld]) assert.equal(a.labels.rule_replica, undefined);
    });
});
