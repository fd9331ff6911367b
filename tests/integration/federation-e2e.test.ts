// Loopback end to end of the prometheus-federation mode with the real Prometheus at the version
// the stack deploys (v3.15.0, built by scripts/setup-binaries.sh, tests/support/binaries.ts):
// three leaf servers standing in for workload clusters, a file_sd targets file written with the DnsRegistrar's own renderFileSd,
// and federation servers running the configs ThanosFederation renders (only file paths and
// loopback addresses differ from the in-cluster ones).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { FileSdGroup, renderFileSd } from "../../functions/dns-registrar/contract";
import { CNC_CLUSTER_ID } from "../../components/thanos-federation/plan";
import { DEFAULT_FEDERATION_MATCH } from "../../components/thanos-federation/schema";
import { centralFederationConfig, groupFederationConfig, renderPrometheusConfig, toYaml } from "../../components/thanos-federation/render";
import {
    RunningPrometheus,
    activeTargets,
    freePort,
    query,
    startPrometheus,
    stopAll,
    stopPrometheus,
    tempDir,
    waitFor,
    writeAtomic,
} from "../support/thanos-prometheus";
import { binary as realBinary } from "../support/binaries";

const WAIT_MS = 90_000;

/** A leaf Prometheus: scrapes itself every second and records job:up:sum, with a clusterID external label. */
function leafConfig(clusterId: string, port: number): string {
    return toYaml({
        global: { scrape_interval: "1s", evaluation_interval: "1s", external_labels: { clusterID: clusterId } },
        rule_files: ["rules.yml"],
        scrape_configs: [{ job_name: "prometheus", static_configs: [{ targets: [`127.0.0.1:${port}`] }] }],
    });
}

const LEAF_RULES = toYaml({ groups: [{ name: "jobs", interval: "1s", rules: [{ record: "job:up:sum", expr: "sum by (job) (up)" }] }] });

async function startLeaf(binary: string, root: string, clusterId: string): Promise<RunningPrometheus> {
    const dir = path.join(root, clusterId);
    fs.mkdirSync(dir);
    const port = await freePort();
    fs.writeFileSync(path.join(dir, "prometheus.yml"), leafConfig(clusterId, port));
    fs.writeFileSync(path.join(dir, "rules.yml"), LEAF_RULES);
    return startPrometheus(binary, clusterId, path.join(dir, "prometheus.yml"), port, dir);
}

/** Values of `label` across the result of a query. */
async function labelValues(p: RunningPrometheus, promql: string, label: string): Promise<string[]> {
    return (await query(p, promql)).map((s) => s.metric[label]).sort();
}

describe("federation mode end to end on loopback (real prometheus)", function () {
    this.timeout(300_000);
    let binary: string;
    let root: string;
    // Three workload clusters, as in the Thanos fleet end to end, and a stand-in C&C Prometheus.
    const LEAF_IDS = ["leaf-a", "leaf-b", "leaf-c"];
    let leaves: RunningPrometheus[];
    let leafA: RunningPrometheus;
    let cnc: RunningPrometheus;
    let groups: FileSdGroup[];

    before(async () => {
        binary = realBinary("prometheus");
        root = tempDir("cloud-cnc-federation-");
        [cnc, ...leaves] = await Promise.all([startLeaf(binary, root, "cnc-self"), ...LEAF_IDS.map((id) => startLeaf(binary, root, id))]);
        leafA = leaves[0];
        groups = leaves.map((leaf, i) => ({ targets: [`127.0.0.1:${leaf.port}`], labels: { clusterID: LEAF_IDS[i] } }));
        // The leaves must have their own series before anything federates them.
        for (const leaf of [...leaves, cnc]) {
            await waitFor(`${leaf.name} job:up:sum`, WAIT_MS, async () => ((await query(leaf, "job:up:sum")).length > 0 ? true : undefined));
        }
    });

    after(async () => {
        await stopAll();
        if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    it("flat: federates every file_sd target with its clusterID, the C&C as C&C, and drops a target removed from the file", async () => {
        const dir = path.join(root, "central-flat");
        fs.mkdirSync(dir);
        const targetsFile = path.join(dir, "targets.json");
        writeAtomic(targetsFile, renderFileSd(groups));
        const config = renderPrometheusConfig(
            centralFederationConfig({ match: DEFAULT_FEDERATION_MATCH, targetsFile, cncTarget: `127.0.0.1:${cnc.port}`, groupTargets: [] }),
        );
        fs.writeFileSync(path.join(dir, "prometheus.yml"), config);
        const central = await startPrometheus(binary, "central-flat", path.join(dir, "prometheus.yml"), await freePort(), dir);

        // Both match[] selectors federate: the leaves' own job and their job:* recording rules.
        const fromJob = await waitFor("series of {job=\"prometheus\"} from every cluster", WAIT_MS, async () => {
            const ids = await labelValues(central, 'count by (clusterID) ({job="prometheus", __name__="up"})', "clusterID");
            return ids.length === 4 ? ids : undefined;
        });
        assert.deepEqual(fromJob, [CNC_CLUSTER_ID, ...LEAF_IDS].sort());
        const recorded = await waitFor("job:up:sum from every cluster", WAIT_MS, async () => {
            const ids = await labelValues(central, "job:up:sum", "clusterID");
            return ids.length === 4 ? ids : undefined;
        });
        assert.deepEqual(recorded, [CNC_CLUSTER_ID, ...LEAF_IDS].sort());
        // The federate job's own up series carry the registrar's clusterID target label.
        const up = await query(central, 'up{job="federate"}');
        assert.deepEqual(up.map((s) => [s.metric.clusterID, s.value[1]]).sort(), LEAF_IDS.map((id) => [id, "1"]));
        // honor_labels: the leaf's own series keep their job/instance.
        const leafUp = await query(central, 'up{job="prometheus", clusterID="leaf-a"}');
        assert.equal(leafUp.length, 1);
        assert.equal(leafUp[0].metric.instance, `127.0.0.1:${leafA.port}`);

        // The registrar removes a cluster: rewrite the file (atomically, as kubelet does) without leaf-b.
        writeAtomic(targetsFile, renderFileSd(groups.filter((g) => g.labels.clusterID !== "leaf-b")));
        await waitFor("leaf-b to leave the active targets", WAIT_MS, async () => {
            const pools = (await activeTargets(central)).filter((t) => t.scrapePool === "federate");
            const ids = pools.map((t) => t.labels.clusterID).sort();
            return ids.join() === "leaf-a,leaf-c" ? true : undefined;
        });
        await waitFor("up{clusterID=\"leaf-b\"} to disappear", WAIT_MS, async () => ((await query(central, 'up{job="federate", clusterID="leaf-b"}')).length === 0 ? true : undefined));
        assert.deepEqual(await labelValues(central, 'up{job="federate"}', "clusterID"), ["leaf-a", "leaf-c"]);
        await stopPrometheus(central);
    });

    it("hierarchical: two group federators split the targets by hashmod and the central server federates from them", async () => {
        const dir = path.join(root, "hierarchy");
        fs.mkdirSync(dir);
        const targetsFile = path.join(dir, "targets.json");
        writeAtomic(targetsFile, renderFileSd(groups));
        const groupServers: RunningPrometheus[] = [];
        for (let index = 0; index < 2; index++) {
            const file = path.join(dir, `group-${index}.yml`);
            fs.writeFileSync(file, renderPrometheusConfig(groupFederationConfig({ match: DEFAULT_FEDERATION_MATCH, targetsFile, groups: 2, index })));
            groupServers.push(await startPrometheus(binary, `group-${index}`, file, await freePort(), dir));
        }
        const centralFile = path.join(dir, "central.yml");
        fs.writeFileSync(
            centralFile,
            renderPrometheusConfig(
                centralFederationConfig({
                    match: DEFAULT_FEDERATION_MATCH,
                    targetsFile,
                    cncTarget: `127.0.0.1:${cnc.port}`,
                    groupTargets: groupServers.map((g) => `127.0.0.1:${g.port}`),
                }),
            ),
        );
        const central = await startPrometheus(binary, "central-groups", centralFile, await freePort(), dir);

        // Each registered cluster is scraped by exactly one group.
        const shards = await waitFor("both groups to load their shard of the targets", WAIT_MS, async () => {
            const perGroup = await Promise.all(
                groupServers.map(async (g) => (await activeTargets(g)).filter((t) => t.scrapePool === "federate").map((t) => t.labels.clusterID)),
            );
            return perGroup.flat().length === LEAF_IDS.length ? perGroup : undefined;
        });
        // A partition: together the groups cover every cluster, and no cluster is scraped twice.
        assert.deepEqual(shards.flat().sort(), LEAF_IDS);

        const ids = await waitFor("every cluster's series at the central server through the groups", WAIT_MS, async () => {
            const v = await labelValues(central, 'count by (clusterID) ({job="prometheus", __name__="up"})', "clusterID");
            return v.length === 4 ? v : undefined;
        });
        assert.deepEqual(ids, [CNC_CLUSTER_ID, ...LEAF_IDS].sort());
        // The groups' per-cluster up series reach the central server with their clusterID.
        const viaGroups = await waitFor("up{job=\"federate\"} through the groups", WAIT_MS, async () => {
            const v = await labelValues(central, 'up{job="federate"}', "clusterID");
            return v.length === LEAF_IDS.length ? v : undefined;
        });
        assert.deepEqual(viaGroups, LEAF_IDS);
    });
});
