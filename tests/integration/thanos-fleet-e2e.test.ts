// A real Thanos fleet on loopback, at the versions the stacks deploy (Thanos v0.42.4, Prometheus
// v3.15.0, built by scripts/setup-binaries.sh): three "workload clusters" (Prometheus with the
// external label clusterID + thanos sidecar + leaf thanos query), one central thanos query
// started with exactly queryArgs(dev settings) (only --http-address, --grpc-address and the
// endpoint-SD file path rewritten; every other flag is asserted byte-equal to the rendered one),
// and the DnsRegistrar handler run from its built Lambda archive against moto Route 53 and the
// Kubernetes API test server. The test projects the registrar's ConfigMap into a directory the
// way kubelet does (`..data` symlink swap) and the central query reads it from there.
//
// Name resolution: the registrar writes `<record name>:<REGISTRAR_GRPC_PORT>`; each leaf query
// listens on its own loopback address (127.0.0.2...) on that one port, and the central query
// (only it) runs in a private mount namespace whose /etc/hosts maps the record names to them.
//
// The C&C's static entries: the ConfigMap is seeded with what ThanosFederation renders
// (inClusterStoreEndpoints: three dnssrv+ names under monitoring.svc.cluster.local) and the
// registrar keeps them (thanosStaticEndpoints, as the stack sets it). They do not resolve on
// this machine, so they contribute no store: the central query must answer exactly the
// registered clusters, and does so with the unresolvable entries in its file.
//
// Object storage (moto S3 in the registrar's moto server): the sidecars, the store gateway and
// the compactor read the RENDERED objstore config (renderObjstoreConfig with a KMS key created in
// moto) with exactly two keys overridden: `endpoint` (127.0.0.1:<moto port> for
// s3.<region>.amazonaws.com) and `insecure: true` (moto speaks plain HTTP). Credentials are not in
// the file in production either (IRSA): here the processes get AWS_ACCESS_KEY_ID/SECRET in their
// environment, which the S3 client's credential chain reads. Path-style addressing needs no
// override (the client uses it for an IP endpoint). SSE-KMS: moto 5.2.5 accepts the
// x-amz-server-side-encryption: aws:kms + key-id headers the client sends, stores and echoes them
// (checked below on every uploaded meta.json), but neither checks the key against KMS nor
// encrypts: a wrong key ARN or a missing kms:GenerateDataKey grant is NOT caught here.
//
// Gap from production: the leaf Prometheus servers cut 20 s blocks
// (--storage.tsdb.min-block-duration = max-block-duration = 20s; Prometheus 3.15 accepts any
// positive duration, production ships 2h blocks) so blocks reach the bucket within about a
// minute. The compactor runs with the rendered flags minus --wait (one pass); its rendered
// --consistency-delay default (30m) makes it skip blocks this fresh, so this proves the flags,
// the bucket access and a clean pass over the synced metadata, not a compaction or a downsampling.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseThanosEndpointConfig } from "../../functions/dns-registrar/contract";
import { PATHS, compactorArgs, queryArgs, renderObjstoreConfig, storeArgs } from "../../components/thanos-federation/render";
import { thanosFederationSchema, FederationSettings } from "../../components/thanos-federation/schema";
import { parseDuration } from "../../components/common/formats";
import { leafQueryArgs } from "../../components/workload-monitoring/plan";
import { devArgs } from "../support/thanos-harness";
import { binary } from "../support/binaries";
import {
    BlockMeta,
    CentralQuery,
    FleetRegistrar,
    LeafCluster,
    RewrittenArgs,
    createBucket,
    createKmsKey,
    endpointsSeed,
    exeOf,
    freePort,
    freePortOnAll,
    hostsOf,
    instantQuery,
    labelValues,
    leafIp,
    listBlocks,
    objstoreForMoto,
    pollQuery,
    registerClusters,
    requireCommand,
    rewriteThanosArgs,
    runToExit,
    S3_ENV,
    signedRequest,
    spawnTracked,
    startCentralQuery,
    startFleetRegistrar,
    startLeaves,
    stopFleetProcesses,
    stopProcess,
} from "../support/thanos-fleet";
import { tempDir, waitFor } from "../support/thanos-prometheus";

const CLUSTERS = ["alpha", "bravo", "charlie"];
const FOURTH = "delta";
const BUCKET = "cloud-dev-cnc-thanos-metrics";
const BLOCK_DURATION = "20s";
const COUNT_UP = "count by (clusterID) (up)";

/** Every rendered arg the rewrite kept is byte-equal to the rendered one; only the named flags changed. */
function assertOnlyPortsAndPaths(rendered: string[], r: RewrittenArgs, rewrittenFlags: string[], droppedFlags: string[] = []): void {
    r.sourceIndex.forEach((src, i) => {
        if (!r.rewritten.includes(src)) assert.equal(r.args[i], rendered[src], `arg ${src} kept as rendered`);
    });
    assert.deepEqual(r.rewritten.map((i) => rendered[i].split("=")[0]).sort(), [...rewrittenFlags].sort(), "exactly these flags rewritten");
    assert.deepEqual(r.dropped.map((i) => rendered[i].split("=")[0]), droppedFlags);
    assert.equal(r.args.length + r.dropped.length, rendered.length);
}

describe("Thanos fleet end to end on loopback (real thanos v0.42.4 + prometheus v3.15.0, registrar archive)", function () {
    this.timeout(240_000);
    let root: string;
    let settings: FederationSettings;
    let grpcPort: number;
    let registrar: FleetRegistrar;
    let leaves: LeafCluster[];
    let central: CentralQuery;
    let objstoreFile: string;
    let renderedObjstore: string;
    let kmsKeyArn: string;
    let reloadMs: number;
    const pids = new Map<string, number>();

    before(async () => {
        requireCommand("unshare");
        binary("thanos");
        binary("prometheus");
        root = tempDir("cloud-cnc-thanos-fleet-");
        settings = thanosFederationSchema.parse(devArgs());
        reloadMs = parseDuration(/--endpoint\.sd-config-reload-interval=(\S+)/.exec(queryArgs(settings).join(" "))![1])!;
        const ips = [...CLUSTERS, FOURTH].map((_, i) => leafIp(i));
        grpcPort = await freePortOnAll(ips);
        registrar = await startFleetRegistrar({ root, grpcPort, federationMode: settings.federation.mode });

        // The bucket and key in moto; the rendered objstore config pointed at it.
        const moto = registrar.world.moto.endpoint;
        await createBucket(moto, BUCKET);
        kmsKeyArn = await createKmsKey(moto);
        renderedObjstore = renderObjstoreConfig(BUCKET, "eu-west-1", kmsKeyArn);
        objstoreFile = path.join(root, "objstore.yml");
        fs.writeFileSync(objstoreFile, objstoreForMoto(renderedObjstore, moto));

        // The first workload cluster's leaf query runs WorkloadClusterMonitoring's rendered args.
        leaves = await startLeaves({ root, ids: [...CLUSTERS, FOURTH], grpcPort, thanosZone: registrar.world.zones.thanos.name, objstoreFile, blockDuration: BLOCK_DURATION, renderedQueryArgs: { [CLUSTERS[0]]: leafQueryArgs("monitoring") } });
        await registrar.setClusters(CLUSTERS);
        const run = await registrar.run();
        assert.ok(run.ok, `registrar run: ${JSON.stringify(run.runs)} ${run.message ?? ""} ${run.stderr.slice(-2000)}`);
        assert.equal(registrar.sync(), true, "the registrar's first write reaches the projected file");
        central = await startCentralQuery({ renderedArgs: queryArgs(settings), renderedEndpointsFile: PATHS.endpointsFile, endpointsFile: registrar.endpointsFile, root, hosts: hostsOf(leaves) });
        for (const p of [central, ...leaves.flatMap((l) => [l.prometheus, l.sidecar, l.leafQuery])]) pids.set(p.name, p.pid);
    });

    after(async () => {
        await stopFleetProcesses();
        await registrar?.close();
        if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    /** No process was restarted: each PID is the one spawned, still running the same executable. */
    function assertNoRestart(): void {
        for (const l of leaves) for (const p of [l.prometheus, l.sidecar, l.leafQuery]) assert.ok(p.running(), `${p.name} still running`);
        assert.ok(central.running(), "central query still running");
        assert.equal(central.pid, pids.get(central.name));
        assert.equal(exeOf(central.pid), fs.realpathSync(binary("thanos")), "the central PID is still the thanos process");
        for (const l of leaves) for (const p of [l.prometheus, l.sidecar, l.leafQuery]) assert.equal(p.pid, pids.get(p.name));
    }

    it("a workload cluster runs WorkloadClusterMonitoring's leaf query flags (only its addresses and the in-cluster endpoint differ) and answers through the central query", async () => {
        const leaf = leaves.find((l) => l.id === CLUSTERS[0])!;
        assertOnlyPortsAndPaths(leafQueryArgs("monitoring"), leaf.leafQuery.rewritten!, ["--http-address", "--grpc-address", "--endpoint.sd-config"]);
        const r = await instantQuery(central.url, `count by (clusterID) (up{clusterID="${CLUSTERS[0]}"})`);
        assert.equal(r.result.length, 1, JSON.stringify(r));
    });

    it("the central query runs the rendered flags: only ports and the endpoint file path differ", () => {
        const rendered = queryArgs(settings);
        assertOnlyPortsAndPaths(rendered, central.args, ["--http-address", "--grpc-address", "--endpoint.sd-config-file"]);
        assert.equal(central.args.args[0], "query");
        // The file it reads is the kubelet-style projection of the registrar's ConfigMap.
        assert.equal(fs.readlinkSync(registrar.endpointsFile), path.join("..data", "endpoints.yaml"));
        assert.match(fs.readlinkSync(path.join(registrar.endpointsDir, "..data")), /^\.\.\d{4}_/);
        const addresses = parseThanosEndpointConfig(fs.readFileSync(registrar.endpointsFile, "utf8"));
        const seed = endpointsSeed(settings.federation.mode).staticEndpoints;
        assert.deepEqual(addresses, [...CLUSTERS.map((c) => `${c}-grpc.${registrar.world.zones.thanos.name}:${grpcPort}`), ...seed].sort(), "the clusters and the C&C's static entries");
    });

    it("central count by (clusterID) (up) returns exactly the three registered clusters", async () => {
        const a = await pollQuery(central.url, COUNT_UP, (x) => x.result.length >= CLUSTERS.length, 60_000);
        assert.deepEqual(labelValues(a, "clusterID"), [...CLUSTERS].sort(), "the registered clusters, not the running but unregistered fourth");
        assert.deepEqual(a.warnings, []);
        // Each answer comes through the leaf query of its cluster (the stores the central query uses).
        const stores = (await (await fetch(`${central.url}/api/v1/stores`)).json()) as { data: Record<string, { name: string }[]> };
        const names = Object.values(stores.data)
            .flat()
            .map((s) => s.name)
            .sort();
        assert.deepEqual(names, CLUSTERS.map((c) => `${c}-grpc.${registrar.world.zones.thanos.name}:${grpcPort}`).sort());
    });

    it("a fourth cluster registered in Route 53 appears within the reload interval, with no restart", async () => {
        const { timing, answer } = await registerClusters(registrar, central, [...CLUSTERS, FOURTH], (a) => a.result.length === 4, { timeoutMs: reloadMs + 15_000 });
        assert.deepEqual(labelValues(answer, "clusterID"), [...CLUSTERS, FOURTH].sort());
        console.log(`      registration: Route 53 ${timing.route53Ms} ms, handler ${timing.handlerMs} ms, swap ${timing.swapMs} ms, visible ${timing.visibleMs} ms after the swap (reload interval ${reloadMs} ms)`);
        assertNoRestart();
    });

    it("deregistering one removes it; a removal the shrink floor refuses leaves the file unchanged", async () => {
        const remaining = CLUSTERS.filter((c) => c !== "bravo").concat(FOURTH);
        const { answer } = await registerClusters(registrar, central, remaining, (a) => a.result.length === 3 && !labelValues(a, "clusterID").includes("bravo"), {
            timeoutMs: reloadMs + 15_000,
        });
        assert.deepEqual(labelValues(answer, "clusterID"), [...remaining].sort());

        // Two of the three at once: the default floor (50%, at least 1) allows one removal of three.
        const before = fs.readFileSync(registrar.endpointsFile, "utf8");
        const dataDir = fs.readlinkSync(path.join(registrar.endpointsDir, "..data"));
        await registrar.setClusters(["alpha"]);
        const refused = await registrar.run();
        assert.equal(refused.ok, false, "the run fails loudly");
        assert.match(refused.runs[0].message ?? "", /refused to remove 2 of 3 targets/);
        assert.equal(registrar.configMapText(), before, "the ConfigMap is unchanged");
        assert.equal(registrar.sync(), false, "nothing to project");
        assert.equal(fs.readFileSync(registrar.endpointsFile, "utf8"), before);
        assert.equal(fs.readlinkSync(path.join(registrar.endpointsDir, "..data")), dataDir, "no swap");
        assert.deepEqual(labelValues(await instantQuery(central.url, COUNT_UP), "clusterID"), [...remaining].sort(), "all three still answer");
        await registrar.setClusters(remaining); // the zone back as the file says
        assertNoRestart();
    });

    it("one leaf unreachable (its query SIGSTOPped): a partial response with a warning within --store.response-timeout, not a hang", async () => {
        const timeoutMs = parseDuration(settings.thanos.query.responseTimeout)!;
        assert.ok(queryArgs(settings).includes(`--store.response-timeout=${settings.thanos.query.responseTimeout}`));
        // Measured: the answer comes after ~15 s, before the 30 s response timeout, because the
        // client's gRPC keepalive (pkg/extgrpc: ping after 10 s idle, 5 s to ACK) declares the
        // stopped leaf Unavailable first; the bound asserted is the response timeout (+ 10 s).
        // Queried right after the SIGSTOP: the endpoint set's 5 s health checks later drop the
        // stopped leaf from the queryable stores, and a query then answers fast without a warning.
        const stopped = leaves.find((l) => l.id === "alpha")!;
        stopped.leafQuery.process.kill("SIGSTOP");
        try {
            const a = await instantQuery(central.url, COUNT_UP, { timeoutMs: timeoutMs + 60_000 });
            console.log(`      partial response after ${a.ms} ms (store.response-timeout ${timeoutMs} ms): ${a.warnings.join("; ").slice(0, 300)}`);
            assert.deepEqual(labelValues(a, "clusterID"), ["charlie", FOURTH].sort(), "the other clusters answer");
            assert.ok(a.warnings.length > 0, "a partial response carries a warning");
            assert.ok(a.warnings.some((w) => w.includes(stopped.recordName)), `the warning names the unreachable endpoint: ${a.warnings.join("; ")}`);
            assert.ok(a.ms <= timeoutMs + 10_000, `answered in ${a.ms} ms, bound ${timeoutMs} ms + 10 s`);
        } finally {
            stopped.leafQuery.process.kill("SIGCONT");
        }
        await pollQuery(central.url, COUNT_UP, (x) => x.result.length === 3 && x.warnings.length === 0, 60_000);
        assertNoRestart();
    });

    it("the sidecars upload through the rendered objstore config; the real store gateway serves the blocks and the compactor runs one pass", async () => {
        // Only endpoint and insecure differ from the rendered config.
        const YAML = await import("yaml");
        const renderedDoc = YAML.parse(renderedObjstore) as { type: string; config: Record<string, unknown> };
        const usedDoc = YAML.parse(fs.readFileSync(objstoreFile, "utf8")) as { type: string; config: Record<string, unknown> };
        assert.deepEqual({ ...usedDoc, config: { ...usedDoc.config, endpoint: renderedDoc.config.endpoint, insecure: undefined } }, { ...renderedDoc, config: { ...renderedDoc.config, insecure: undefined } });
        assert.deepEqual(renderedDoc.config.sse_config, { type: "SSE-KMS", kms_key_id: kmsKeyArn });

        // Every cluster's sidecar has shipped at least one block (listed by the real thanos tools bucket ls).
        const all = [...CLUSTERS, FOURTH];
        const blocks = await waitFor("a block of every cluster in the bucket", 150_000, async () => {
            const b = await listBlocks(objstoreFile);
            const ids = new Set(b.map((m) => m.thanos.labels.clusterID));
            return all.every((c) => ids.has(c)) ? b : undefined;
        });
        assert.ok(blocks.every((b) => b.thanos.source === "sidecar"));
        // SSE-KMS: every uploaded meta.json carries the rendered key (moto stores and echoes it).
        for (const b of blocks) {
            const head = await signedRequest(registrar.world.moto.endpoint, "s3", { method: "HEAD", path: `/${BUCKET}/${b.ulid}/meta.json` });
            assert.equal(head.status, 200);
            assert.equal(head.headers.get("x-amz-server-side-encryption"), "aws:kms");
            assert.equal(head.headers.get("x-amz-server-side-encryption-aws-kms-key-id"), kmsKeyArn);
        }

        // The store gateway with storeArgs (ports and paths rewritten), and a query over it alone.
        const [storeHttp, storeGrpc, queryHttp] = [await freePort(), await freePort(), await freePort()];
        const renderedStore = storeArgs(settings);
        const store = rewriteThanosArgs(renderedStore, {
            httpAddress: `127.0.0.1:${storeHttp}`,
            grpcAddress: `127.0.0.1:${storeGrpc}`,
            paths: { [PATHS.storeData]: path.join(root, "store-data"), [PATHS.objstore]: objstoreFile },
        });
        assertOnlyPortsAndPaths(renderedStore, store, ["--http-address", "--grpc-address", "--data-dir", "--objstore.config-file"]);
        const storeProc = spawnTracked("store", binary("thanos"), store.args, { ...S3_ENV });
        const overStore = spawnTracked("store-query", binary("thanos"), [
            "query",
            "--log.level=warn",
            `--http-address=127.0.0.1:${queryHttp}`,
            `--grpc-address=127.0.0.1:${await freePort()}`,
            `--endpoint.sd-config=endpoints: [{address: "127.0.0.1:${storeGrpc}"}]`,
        ]);
        try {
            const url = `http://127.0.0.1:${queryHttp}`;
            await waitFor("the store gateway's initial sync", 90_000, async () => {
                if (!storeProc.running()) throw new Error(`store exited with ${storeProc.process.exitCode}: ${storeProc.log().slice(-3000)}`);
                const res = await fetch(`http://127.0.0.1:${storeHttp}/-/ready`).catch(() => undefined);
                return res?.status === 200 ? true : undefined;
            });
            await waitFor("the query over the store to see it", 60_000, async () => ((await (await fetch(`${url}/api/v1/stores`)).json()) as { data?: Record<string, unknown[]> }).data?.store?.length === 1 ? true : undefined);
            // Per cluster: a time inside one of its uploaded blocks; only the bucket can answer.
            for (const c of all) {
                const b = blocks.find((m: BlockMeta) => m.thanos.labels.clusterID === c)!;
                const at = (b.minTime + b.maxTime) / 2 / 1000;
                const inBlock = await instantQuery(url, `up{clusterID="${c}"}`, { time: at });
                assert.equal(inBlock.result.length, 1, `${c}: the store gateway serves block ${b.ulid} at ${at}`);
                assert.equal(inBlock.result[0].value[1], "1");
            }
            assert.ok(storeProc.running(), "store gateway still running");
        } finally {
            await stopProcess(overStore);
            await stopProcess(storeProc);
        }

        // The compactor: compactorArgs without --wait (one pass), ports and paths rewritten.
        const renderedCompact = compactorArgs(settings);
        const compact = rewriteThanosArgs(renderedCompact, {
            httpAddress: `127.0.0.1:${await freePort()}`,
            paths: { [PATHS.compactData]: path.join(root, "compact-data"), [PATHS.objstore]: objstoreFile },
            drop: ["--wait"],
        });
        assertOnlyPortsAndPaths(renderedCompact, compact, ["--http-address", "--data-dir", "--objstore.config-file"], ["--wait"]);
        const r = await runToExit("compactor", binary("thanos"), compact.args, { ...S3_ENV }, 120_000);
        assert.equal(r.code, 0, `compactor exit code: ${r.log.slice(-3000)}`);
        const synced = [...r.log.matchAll(/msg="successfully synchronized block metadata".* cached=(\d+)/g)].map((m) => Number(m[1]));
        assert.ok(synced.length > 0 && synced[0] >= blocks.length, `the compactor synced the ${blocks.length} blocks' metadata: ${synced.join(",")}`);
        assert.doesNotMatch(r.log, /level=error/);
    });
});
