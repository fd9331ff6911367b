import { strict as assert } from "assert";
import { EMPTY_SINCE_ANNOTATION, REGISTRAR_LABELS } from "../../functions/dns-registrar/contract";
import { eksToken, presignedCallerIdentityUrl, TOKEN_PREFIX } from "../../functions/dns-registrar/eks-auth";
import { ConfigMapStore, conflictError, StoredConfigMap } from "../../functions/dns-registrar/kube";
import { RecordSet } from "../../functions/dns-registrar/planner";
import { isRegistrarRunError, reconcile, RegistrarDeps, RunSummary, Telemetry } from "../../functions/dns-registrar/registrar";
import { backoffDelay, isListingError, isRetryable, listAllRecordSets, Route53Sender } from "../../functions/dns-registrar/route53";
import { ENV, settingsFromEnv } from "../../functions/dns-registrar/settings";
import { verifyEksToken } from "../support/registrar-sigv4";

const BASE_ENV: Record<string, string> = {
    AWS_REGION: "eu-west-1",
    [ENV.clusterName]: "cnc",
    [ENV.thanosZoneId]: "/hostedzone/ZTHANOS",
    [ENV.thanosZoneName]: "Thanos.Fleet.Internal.",
    [ENV.prometheusZoneId]: "ZPROM",
    [ENV.prometheusZoneName]: "prometheus.fleet.internal",
    [ENV.emptyConfirmSeconds]: "0",
};

/** An in-memory ConfigMapStore with resourceVersion semantics and hooks. */
class MemoryStore implements ConfigMapStore {
    objects = new Map<string, StoredConfigMap>();
    version = 1;
    writes: string[] = [];
    beforeWrite?: (name: string) => void;
    async get(name: string) {
        const o = this.objects.get(name);
        return o ? { ...o, data: { ...o.data }, annotations: { ...o.annotations } } : undefined;
    }
    async replace(current: StoredConfigMap, data: Record<string, string>, annotations: Record<string, string>) {
        this.beforeWrite?.(current.name);
        const now = this.objects.get(current.name);
        if (!now || now.resourceVersion !== current.resourceVersion) throw conflictError(`update ${current.name}: HTTP 409`);
        return this.put(current.name, data, annotations, current.raw.metadata?.labels ?? {});
    }
    async create(name: string, data: Record<string, string>, annotations: Record<string, string>, labels: Record<string, string>) {
        this.beforeWrite?.(name);
        if (this.objects.has(name)) throw conflictError(`create ${name}: HTTP 409`);
        return this.put(name, data, annotations, labels);
    }
    put(name: string, data: Record<string, string>, annotations: Record<string, string> = {}, labels: Record<string, string> = {}) {
        this.version++;
        const o: StoredConfigMap = { name, resourceVersion: String(this.version), data: { ...data }, annotations: { ...annotations }, raw: { metadata: { name, labels, annotations, resourceVersion: String(this.version) }, data } };
        this.objects.set(name, o);
        this.writes.push(name);
        return o;
    }
}

function recorder(): Telemetry & { logs: { level: string; message: string; fields?: Record<string, unknown> }[]; metrics: Record<string, number> } {
    const logs: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
    const metrics: Record<string, number> = {};
    return {
        logs,
        metrics,
        info: (message, fields) => logs.push({ level: "info", message, fields }),
        warn: (message, fields) => logs.push({ level: "warn", message, fields }),
        error: (message, fields) => logs.push({ level: "error", message, fields }),
        metric: (name, _unit, value) => {
            metrics[name] = value;
        },
    };
}

const a = (name: string): RecordSet => ({ Name: `${name}.`, Type: "A" });

function world(zones: Record<string, RecordSet[] | Error>) {
    const store = new MemoryStore();
    const lists: string[] = [];
    const deps: RegistrarDeps = {
        store: async () => store,
        now: () => new Date("2026-06-01T12:00:00Z"),
        listZone: async (zoneId) => {
            lists.push(zoneId);
            const z = zones[zoneId];
            if (z instanceof Error) throw z;
            return { zoneId, records: z ?? [], pages: 1, retries: 0 };
        },
    };
    return { store, deps, lists, zones };
}

async function run(w: ReturnType<typeof world>, env: Record<string, string> = {}): Promise<{ summary?: RunSummary; error?: Error; t: ReturnType<typeof recorder> }> {
    const t = recorder();
    try {
        return { summary: await reconcile(settingsFromEnv({ ...BASE_ENV, ...env }), w.deps, t), t };
    } catch (error) {
        return { error: error as Error, t };
    }
}

describe("dns-registrar settings", () => {
    it("reads the environment the component sets, normalizing zone IDs and names", () => {
        const s = settingsFromEnv({ ...BASE_ENV, [ENV.exclusions]: "Old-Cluster, x.example.com.", [ENV.grpcPort]: "443" });
        assert.deepEqual(s.zones, { thanos: { id: "ZTHANOS", name: "thanos.fleet.internal" }, prometheus: { id: "ZPROM", name: "prometheus.fleet.internal" } });
        assert.deepEqual(s.configMaps, { thanos: "thanos-query-endpoints", prometheus: "prometheus-federation-targets", probes: "blackbox-probe-targets", queries: "thanos-query-targets" });
        assert.equal(s.plan.queryPattern, "{id}");
        assert.equal(s.plan.queryHttpPort, 80, "upstream exposes the leaf Query HTTP on its internal ingress, port 80");
        assert.deepEqual(s.plan.exclusions, ["old-cluster", "x.example.com"]);
        assert.equal(s.plan.grpcPort, 443);
        assert.equal(s.shrinkFloorPercent, 50);
        assert.equal(s.namespace, "monitoring");
        assert.equal(s.stsEndpoint, "https://sts.eu-west-1.amazonaws.com");
    });

    it("reads the C&C's static Thanos endpoints, and refuses an address Thanos would not accept", () => {
        const store = "dnssrv+_grpc._tcp.thanos-store.monitoring.svc.cluster.local";
        const s = settingsFromEnv({ ...BASE_ENV, [ENV.thanosStaticEndpoints]: `${store}, cnc-query:10901` });
        assert.deepEqual(s.plan.thanosStaticEndpoints, [store, "cnc-query:10901"]);
        assert.deepEqual(settingsFromEnv(BASE_ENV).plan.thanosStaticEndpoints, []);
        assert.throws(
            () => settingsFromEnv({ ...BASE_ENV, [ENV.thanosStaticEndpoints]: "thanos-store" }),
            (err: Error & { problems?: string[] }) => err.problems?.[0]?.startsWith(`${ENV.thanosStaticEndpoints}: expected comma-separated Thanos endpoint addresses`) === true,
        );
    });

    it("reads the leaf Query HTTP pattern, port and ConfigMap, and refuses a pattern equal to the gRPC one or a fourth name in use", () => {
        const s = settingsFromEnv({ ...BASE_ENV, [ENV.queryPattern]: "{id}-http", [ENV.queryHttpPort]: "9090", [ENV.queriesConfigMap]: "leaf-queries" });
        assert.equal(s.plan.queryPattern, "{id}-http");
        assert.equal(s.plan.queryHttpPort, 9090);
        assert.equal(s.configMaps.queries, "leaf-queries");
        assert.throws(
            () => settingsFromEnv({ ...BASE_ENV, [ENV.queryPattern]: "{id}-grpc", [ENV.queryHttpPort]: "70000", [ENV.queriesConfigMap]: "blackbox-probe-targets" }),
            (err: Error & { problems?: string[] }) => {
                assert.deepEqual(err.problems, [
                    'REGISTRAR_THANOS_CONFIGMAP, REGISTRAR_PROMETHEUS_CONFIGMAP, REGISTRAR_PROBES_CONFIGMAP, REGISTRAR_QUERIES_CONFIGMAP: expected 4 different names, found ["thanos-query-endpoints","prometheus-federation-targets","blackbox-probe-targets","blackbox-probe-targets"]',
                    `REGISTRAR_QUERY_PATTERN: expected a pattern other than REGISTRAR_THANOS_PATTERN's (the gRPC names), found "{id}-grpc"`,
                    'REGISTRAR_QUERY_HTTP_PORT: expected an integer from 1 to 65535, found "70000"',
                ]);
                return true;
            },
        );
    });

    it("names every bad variable at once", () => {
        assert.throws(
            () => settingsFromEnv({ AWS_REGION: "eu-west-1", [ENV.thanosZoneId]: "nope!", [ENV.thanosZoneName]: "x", [ENV.prometheusZoneName]: "p.internal", [ENV.grpcPort]: "0", [ENV.shrinkFloorPercent]: "150", [ENV.installationsZoneId]: "ZI" }),
            (err: Error & { problems?: string[] }) => {
                assert.equal(err.name, "SettingsError");
                assert.deepEqual(err.problems, [
                    "REGISTRAR_CLUSTER_NAME: expected a value, found nothing",
                    'REGISTRAR_THANOS_ZONE_ID: expected a hosted zone ID such as Z0123456789ABCDEFGHIJ, found "nope!"',
                    "REGISTRAR_PROMETHEUS_ZONE_ID: expected a value, found nothing",
                    "REGISTRAR_INSTALLATIONS_ZONE_NAME: expected a value, found nothing",
                    'REGISTRAR_GRPC_PORT: expected an integer from 1 to 65535, found "0"',
                    'REGISTRAR_SHRINK_FLOOR_PERCENT: expected an integer from 0 to 100, found "150"',
                ]);
                return true;
            },
        );
    });
});

describe("dns-registrar reconcile (in-memory store)", () => {
    it("writes the four files, labels what it creates, and reports metrics", async () => {
        const w = world({
            ZTHANOS: [a("c1-grpc.thanos.fleet.internal"), a("c2-grpc.thanos.fleet.internal"), a("c1.thanos.fleet.internal"), { Name: "_x.thanos.fleet.internal.", Type: "TXT" }],
            ZPROM: [a("c1.prometheus.fleet.internal")],
        });
        const { summary, t } = await run(w);
        assert.ok(summary?.ok);
        assert.equal(w.store.objects.get("thanos-query-endpoints")!.data["endpoints.yaml"], "endpoints:\n  - address: c1-grpc.thanos.fleet.internal:10901\n  - address: c2-grpc.thanos.fleet.internal:10901\n");
        assert.deepEqual(w.store.objects.get("blackbox-probe-targets")!.data, { "probes.json": "[]\n" });
        assert.deepEqual(w.store.objects.get("prometheus-federation-targets")!.raw.metadata?.labels, REGISTRAR_LABELS);
        assert.equal(w.store.objects.get("thanos-query-targets")!.data["targets.json"], '[\n  {\n    "targets": [\n      "c1.thanos.fleet.internal:80"\n    ],\n    "labels": {\n      "registered_cluster": "c1"\n    }\n  }\n]\n');
        assert.deepEqual(w.store.objects.get("thanos-query-targets")!.raw.metadata?.labels, REGISTRAR_LABELS);
        // 2 endpoints + c1 and the C&C's own Prometheus + 1 leaf Query; the TXT skipped once, not per file of its zone.
        assert.deepEqual(t.metrics, { RecordsSeen: 5, TargetsWritten: 5, SkippedNames: 1, FilesWritten: 4, WriteConflicts: 0, ListingFailures: 0, ShrinkRefusals: 0, EmptyZonePending: 0, Errors: 0, DurationMs: t.metrics.DurationMs });
        assert.ok(t.logs.some((l) => l.message === "skipped name" && l.fields?.name === "_x.thanos.fleet.internal"));
        // A second run with nothing changed writes nothing.
        const writes = w.store.writes.length;
        const again = await run(w);
        assert.equal(again.summary?.files.every((f) => !f.written), true);
        assert.equal(w.store.writes.length, writes);
    });

    it("keeps a file whose zone listing failed, writes the others, and fails the run", async () => {
        const w = world({ ZTHANOS: [a("c1-grpc.thanos.fleet.internal")], ZPROM: [] });
        await run(w);
        const before = w.store.objects.get("thanos-query-endpoints")!;
        const queriesBefore = w.store.objects.get("thanos-query-targets")!;
        w.zones.ZTHANOS = new Error("listing of hosted zone ZTHANOS incomplete after 1 page(s): InternalError");
        w.zones.ZPROM = [a("c9.prometheus.fleet.internal")];
        const { error, t } = await run(w);
        assert.ok(isRegistrarRunError(error));
        assert.match(error.message, /thanos \(thanos-query-endpoints\): listing of hosted zone ZTHANOS incomplete.*kept the previous file/);
        assert.equal(w.store.objects.get("thanos-query-endpoints")!.resourceVersion, before.resourceVersion, "untouched");
        assert.match(error.message, /queries \(thanos-query-targets\): listing of hosted zone ZTHANOS incomplete.*kept the previous file/);
        assert.match(w.store.objects.get("prometheus-federation-targets")!.data["targets.json"], /c9\.prometheus/);
        assert.equal(t.metrics.ListingFailures, 2, "both files of the Thanos zone kept");
        assert.equal(w.store.objects.get("thanos-query-targets")!.resourceVersion, queriesBefore.resourceVersion, "untouched");
        assert.ok(t.logs.some((l) => l.level === "error" && l.message === "run failed"));
    });

    it("on a 409 re-reads the ConfigMap, re-lists the zone, and writes the newer truth", async () => {
        const w = world({ ZTHANOS: [a("c1-grpc.thanos.fleet.internal")], ZPROM: [] });
        let raced = false;
        w.store.beforeWrite = (name) => {
            if (name !== "thanos-query-endpoints" || raced) return;
            raced = true;
            // Another writer wins with a newer zone state between our read and our write.
            w.zones.ZTHANOS = [a("c1-grpc.thanos.fleet.internal"), a("c2-grpc.thanos.fleet.internal")];
            w.store.put(name, { "endpoints.yaml": "endpoints:\n  - address: c1-grpc.thanos.fleet.internal:10901\n  - address: c2-grpc.thanos.fleet.internal:10901\n" });
        };
        const { summary } = await run(w);
        const thanos = summary!.files.find((f) => f.kind === "thanos")!;
        assert.equal(thanos.conflicts, 1);
        assert.equal(thanos.written, false, "after re-listing, the file already matches the zone");
        assert.deepEqual(w.lists.filter((z) => z === "ZTHANOS").length, 2);
        assert.match(w.store.objects.get("thanos-query-endpoints")!.data["endpoints.yaml"], /c2-grpc/);
    });

    it("a 409 followed by a failing re-read ends the run with a summary, the failure metric and one structured line", async () => {
        const w = world({ ZTHANOS: [a("c1-grpc.thanos.fleet.internal")], ZPROM: [a("c1.prometheus.fleet.internal")] });
        let raced = false;
        const get = w.store.get.bind(w.store);
        w.store.beforeWrite = (name) => {
            if (name !== "thanos-query-endpoints" || raced) return;
            raced = true;
            w.store.put(name, { "endpoints.yaml": "endpoints: []\n" });
            // The API server answers the re-read with a 500.
            w.store.get = async (n: string) => (n === name ? Promise.reject(new Error(`get ${n}: HTTP 500 Internal Server Error`)) : get(n));
        };
        const { summary, error, t } = await run(w);
        assert.equal(summary, undefined);
        assert.ok(isRegistrarRunError(error), `a structured RegistrarRunError, not ${error}`);
        const thanos = error.summary.files.find((f) => f.kind === "thanos")!;
        assert.equal(thanos.outcome, "error");
        assert.match(thanos.error!, /re-read after a conflict failed: get thanos-query-endpoints: HTTP 500/);
        // The other files were still reconciled.
        assert.equal(error.summary.files.find((f) => f.kind === "prometheus")!.written, true);
        assert.equal(t.metrics.Errors, 1);
        assert.equal(t.metrics.WriteConflicts, 1);
        assert.deepEqual(t.logs.filter((l) => l.level === "error").map((l) => l.message), ["run failed"]);
    });

    it("a failure before any file is decided (no connection, a failed read) still ends in a summary and the failure metric", async () => {
        const w = world({ ZTHANOS: [], ZPROM: [] });
        w.deps.store = async () => {
            throw new Error("DescribeCluster: AccessDeniedException");
        };
        const { error, t } = await run(w);
        assert.ok(isRegistrarRunError(error));
        assert.deepEqual(error.summary.files.map((f) => f.outcome), ["error", "error", "error", "error"]);
        assert.match(error.summary.errors[0], /run aborted: DescribeCluster: AccessDeniedException/);
        assert.equal(t.metrics.Errors, 1);
        assert.deepEqual(t.logs.filter((l) => l.level === "error").map((l) => l.message), ["run failed"]);

        const partial = world({ ZTHANOS: [a("c1-grpc.thanos.fleet.internal")], ZPROM: [] });
        const get = partial.store.get.bind(partial.store);
        partial.store.get = async (n: string) => (n === "blackbox-probe-targets" ? Promise.reject(new Error("HTTP 503")) : get(n));
        const r = await run(partial);
        assert.ok(isRegistrarRunError(r.error));
        assert.equal(r.error.summary.files.find((f) => f.kind === "probes")!.outcome, "error");
        assert.equal(r.error.summary.files.find((f) => f.kind === "thanos")!.written, true, "a failed read of one file does not stop the others");
    });

    it("refuses a large shrink, applies additions, and fails loudly; empties only after two runs", async () => {
        const w = world({ ZTHANOS: ["a", "b", "c", "d"].map((x) => a(`${x}-grpc.thanos.fleet.internal`)), ZPROM: [] });
        await run(w);
        w.zones.ZTHANOS = [a("a-grpc.thanos.fleet.internal"), a("z-grpc.thanos.fleet.internal")];
        const refused = await run(w);
        assert.match(refused.error!.message, /refused to remove 3 of 4 targets/);
        assert.equal((w.store.objects.get("thanos-query-endpoints")!.data["endpoints.yaml"].match(/address/g) ?? []).length, 5);
        assert.equal(refused.t.metrics.ShrinkRefusals, 1);
        const allowed = await run(w, { [ENV.shrinkFloorPercent]: "100" });
        assert.ok(allowed.summary?.ok);
        w.zones.ZTHANOS = [];
        const first = await run(w);
        assert.ok(first.summary?.ok, "an empty zone seen once is not an error");
        const cm = w.store.objects.get("thanos-query-endpoints")!;
        assert.equal(cm.annotations[EMPTY_SINCE_ANNOTATION], "2026-06-01T12:00:00.000Z");
        assert.match(cm.data["endpoints.yaml"], /a-grpc/);
        assert.ok(first.t.logs.some((l) => l.level === "warn"));
        await run(w);
        const emptied = w.store.objects.get("thanos-query-endpoints")!;
        assert.equal(emptied.data["endpoints.yaml"], "endpoints: []\n");
        assert.equal(emptied.annotations[EMPTY_SINCE_ANNOTATION], undefined);
    });

    it("the leaf Query file follows the same safety rules: a large shrink refused, an empty zone confirmed twice", async () => {
        const http = (ids: string[]) => ids.map((x) => a(`${x}.thanos.fleet.internal`));
        const w = world({ ZTHANOS: http(["a", "b", "c", "d"]), ZPROM: [] });
        await run(w);
        const count = () => (w.store.objects.get("thanos-query-targets")!.data["targets.json"].match(/registered_cluster/g) ?? []).length;
        assert.equal(count(), 4);
        w.zones.ZTHANOS = http(["a"]);
        const refused = await run(w);
        assert.match(refused.error!.message, /queries: refused to remove 3 of 4 targets/);
        assert.equal(count(), 4, "removals kept");
        w.zones.ZTHANOS = [];
        assert.ok((await run(w, { [ENV.shrinkFloorPercent]: "100" })).summary?.ok);
        const pending = w.store.objects.get("thanos-query-targets")!;
        assert.equal(pending.annotations[EMPTY_SINCE_ANNOTATION], "2026-06-01T12:00:00.000Z", "the first empty listing only marks the time");
        assert.equal(count(), 4);
        await run(w, { [ENV.shrinkFloorPercent]: "100" });
        assert.equal(w.store.objects.get("thanos-query-targets")!.data["targets.json"], "[]\n");
    });

    it("preserves other data keys and annotations of a seeded ConfigMap", async () => {
        const w = world({ ZTHANOS: [a("c1-grpc.thanos.fleet.internal")], ZPROM: [] });
        w.store.put("thanos-query-endpoints", { "endpoints.yaml": "endpoints: []\n", "README": "managed" }, { "pulumi.com/seeded": "true" }, { team: "obs" });
        await run(w);
        const cm = w.store.objects.get("thanos-query-endpoints")!;
        assert.equal(cm.data.README, "managed");
        assert.equal(cm.annotations["pulumi.com/seeded"], "true");
    });
});

describe("dns-registrar Route 53 adapter (fake sender)", () => {
    const fastRetry = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2, sleep: async () => undefined };
    const err = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

    it("follows every page and retries throttling and PriorRequestNotComplete", async () => {
        const script: (Error | { ResourceRecordSets: RecordSet[]; IsTruncated: boolean; NextRecordName?: string; NextRecordType?: string })[] = [
            err("Throttling", 400),
            { ResourceRecordSets: [a("a.z")], IsTruncated: true, NextRecordName: "b.z.", NextRecordType: "A" },
            err("PriorRequestNotComplete", 400),
            err("ServiceUnavailable", 503),
            { ResourceRecordSets: [a("b.z")], IsTruncated: false },
        ];
        const inputs: unknown[] = [];
        const sender: Route53Sender = {
            send: async (cmd) => {
                inputs.push(cmd.input);
                const next = script.shift()!;
                if (next instanceof Error) throw next;
                return { ...next, MaxItems: 300, $metadata: {} } as never;
            },
        };
        const listing = await listAllRecordSets(sender, "Z1", fastRetry);
        assert.deepEqual(listing.records.map((r) => r.Name), ["a.z.", "b.z."]);
        assert.equal(listing.pages, 2);
        assert.equal(listing.retries, 3);
        assert.deepEqual(inputs[inputs.length - 1], { HostedZoneId: "Z1", MaxItems: 300, StartRecordName: "b.z.", StartRecordType: "A" });
    });

    it("fails (never returns a partial listing) when retries run out or pagination breaks", async () => {
        let calls = 0;
        const flaky: Route53Sender = {
            send: async () => {
                calls++;
                if (calls === 1) return { ResourceRecordSets: [a("a.z")], IsTruncated: true, NextRecordName: "b.z.", MaxItems: 300, $metadata: {} } as never;
                throw err("InternalError", 500);
            },
        };
        await assert.rejects(listAllRecordSets(flaky, "Z1", fastRetry), (e: Error) => isListingError(e) && /Z1 incomplete after 1 page\(s\): InternalError.*after 4 attempts/.test(e.message));
        const denied: Route53Sender = { send: async () => Promise.reject(err("AccessDenied", 403)) };
        await assert.rejects(listAllRecordSets(denied, "Z1", fastRetry), /AccessDenied/);
        const noCursor: Route53Sender = { send: async () => ({ ResourceRecordSets: [], IsTruncated: true, MaxItems: 300, $metadata: {} }) as never };
        await assert.rejects(listAllRecordSets(noCursor, "Z1", fastRetry), /truncated response without NextRecordName/);
        const stuck: Route53Sender = { send: async () => ({ ResourceRecordSets: [], IsTruncated: true, NextRecordName: "same.", MaxItems: 300, $metadata: {} }) as never };
        await assert.rejects(listAllRecordSets(stuck, "Z1", fastRetry), /pagination did not advance/);
    });

    it("classifies errors and backs off with full jitter", () => {
        assert.equal(isRetryable(err("Throttling", 400)), true);
        assert.equal(isRetryable(err("PriorRequestNotComplete", 400)), true);
        assert.equal(isRetryable(err("NoSuchHostedZone", 404)), false);
        assert.equal(isRetryable(Object.assign(new Error("reset"), { code: "ECONNRESET" })), true);
        const o = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 };
        assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffDelay(n, o)), [99, 199, 399, 799, 999]);
    });
});

describe("dns-registrar EKS token", () => {
    const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session/token+1" };
    const now = new Date("2026-06-01T12:00:00Z");

    it("is k8s-aws-v1. + unpadded base64url of a presigned GetCallerIdentity URL valid 60 s", async () => {
        const token = await eksToken({ clusterName: "cnc", region: "eu-west-1", credentials, stsEndpoint: "https://sts.eu-west-1.amazonaws.com", now });
        assert.ok(token.startsWith(TOKEN_PREFIX));
        assert.match(token.slice(TOKEN_PREFIX.length), /^[A-Za-z0-9_-]+$/);
        const url = new URL(Buffer.from(token.slice(TOKEN_PREFIX.length), "base64url").toString());
        assert.equal(url.host, "sts.eu-west-1.amazonaws.com");
        assert.equal(url.searchParams.get("Action"), "GetCallerIdentity");
        assert.equal(url.searchParams.get("X-Amz-Expires"), "60");
        assert.equal(url.searchParams.get("X-Amz-SignedHeaders"), "host;x-k8s-aws-id");
        assert.equal(url.searchParams.get("X-Amz-Security-Token"), "session/token+1");
        assert.equal(url.searchParams.get("X-Amz-Credential"), "AKIDEXAMPLE/20260601/eu-west-1/sts/aws4_request");
    });

    it("verifies with an independent SigV4 implementation, only for the cluster it names", async () => {
        const url = await presignedCallerIdentityUrl({ clusterName: "cnc", region: "eu-west-1", credentials, stsEndpoint: "https://sts.eu-west-1.amazonaws.com", now });
        const token = TOKEN_PREFIX + Buffer.from(url).toString("base64url");
        const secrets = { AKIDEXAMPLE: credentials.secretAccessKey };
        assert.deepEqual(verifyEksToken(token, { clusterName: "cnc", secrets, now }).ok, true);
        assert.equal(verifyEksToken(token, { clusterName: "other", secrets, now }).reason, "signature does not match");
        assert.equal(verifyEksToken(token, { clusterName: "cnc", secrets: { AKIDEXAMPLE: "wrong" }, now }).reason, "signature does not match");
        assert.equal(verifyEksToken(token, { clusterName: "cnc", secrets, now: new Date(now.getTime() + 16 * 60_000) }).reason, "token expired");
        assert.equal(verifyEksToken(token.replace("k8s-aws-v1.", "k8s-aws-v2."), { clusterName: "cnc", secrets, now }).reason, "missing k8s-aws-v1. prefix");
    });
});
