import { strict as assert } from "assert";
import * as fc from "fast-check";
import * as YAML from "yaml";
import { parseFileSd, parseThanosEndpointConfig, renderFileSd, renderThanosEndpointConfig } from "../../functions/dns-registrar/contract";
import {
    DEFAULT_PLAN_OPTIONS,
    PlanOptions,
    RecordSet,
    compilePattern,
    fileEntries,
    normalizeName,
    parseFile,
    patternProblems,
    planTargets,
    renderPlan,
} from "../../functions/dns-registrar/planner";

const ZONE = "thanos.fleet.internal";
const PROM = "prometheus.fleet.internal";
const INST = "cloud.example.com";
const options: PlanOptions = { ...DEFAULT_PLAN_OPTIONS, thanosZone: ZONE, prometheusZone: PROM, installationsZone: INST };
const one = (records: RecordSet[], o: PlanOptions = options) => planTargets({ thanos: records, prometheus: records, installations: records }, o);

describe("dns-registrar planner", () => {
    it("normalizes Route 53 names: octal escapes, case, trailing dots", () => {
        assert.equal(normalizeName("\\052.Thanos.Fleet.Internal."), "*.thanos.fleet.internal");
        assert.equal(normalizeName("C1-GRPC.thanos.fleet.internal.."), "c1-grpc.thanos.fleet.internal");
        assert.equal(normalizeName("a\\100b.x."), "a@b.x");
    });

    it("turns <id>-grpc.<zone> records into sorted, de-duplicated endpoints on the gRPC port", () => {
        const plan = one([
            { Name: "zeta-grpc.thanos.fleet.internal.", Type: "A" },
            { Name: "Alpha-GRPC.Thanos.Fleet.Internal.", Type: "A", AliasTarget: { DNSName: "nlb" } },
            { Name: "alpha-grpc.thanos.fleet.internal", Type: "AAAA" },
            { Name: "alpha-grpc.thanos.fleet.internal.", Type: "A", SetIdentifier: "weighted-2" },
            { Name: "mid-grpc.thanos.fleet.internal.", Type: "CNAME" },
        ]);
        assert.deepEqual(
            plan.thanos.zoneEntries.map((e) => e.target),
            ["alpha-grpc.thanos.fleet.internal:10901", "mid-grpc.thanos.fleet.internal:10901", "zeta-grpc.thanos.fleet.internal:10901"],
        );
        assert.equal(renderPlan(plan).thanos, "endpoints:\n  - address: alpha-grpc.thanos.fleet.internal:10901\n  - address: mid-grpc.thanos.fleet.internal:10901\n  - address: zeta-grpc.thanos.fleet.internal:10901\n");
        assert.equal(plan.recordsSeen, 5);
    });

    it("skips what is not a cluster endpoint, each with its reason", () => {
        const plan = one([
            { Name: "thanos.fleet.internal.", Type: "SOA" },
            { Name: "thanos.fleet.internal.", Type: "A" },
            { Name: "\\052.thanos.fleet.internal.", Type: "A" },
            { Name: "_acme-challenge.thanos.fleet.internal.", Type: "TXT" },
            { Name: "_svc-grpc.thanos.fleet.internal.", Type: "A" },
            { Name: "a.b-grpc.thanos.fleet.internal.", Type: "A" },
            { Name: "c1-grpc.other.internal.", Type: "A" },
            { Name: "excluded-grpc.thanos.fleet.internal.", Type: "A" },
        ], { ...options, exclusions: ["excluded"] });
        assert.deepEqual(plan.thanos.zoneEntries, []);
        const reasons = Object.fromEntries(plan.skipped.filter((s) => s.role === "thanos").map((s) => [`${s.name} ${s.type}`, s.reason]));
        assert.deepEqual(reasons, {
            "thanos.fleet.internal SOA": "record type SOA is not one of A, AAAA, CNAME",
            "thanos.fleet.internal A": "zone apex",
            "*.thanos.fleet.internal A": "wildcard name",
            "_acme-challenge.thanos.fleet.internal TXT": "record type TXT is not one of A, AAAA, CNAME",
            "_svc-grpc.thanos.fleet.internal A": "does not match {id}-grpc.thanos.fleet.internal (underscore names are never cluster names)",
            "a.b-grpc.thanos.fleet.internal A": "does not match {id}-grpc.thanos.fleet.internal",
            "c1-grpc.other.internal A": "not in zone thanos.fleet.internal",
            "excluded-grpc.thanos.fleet.internal A": "excluded",
        });
        assert.deepEqual(plan.queries.zoneEntries, []);
    });

    it("plans each leaf Thanos Query HTTP name (<id>.<zone>) as a file_sd target with registered_cluster, from the same listing", () => {
        const records: RecordSet[] = [
            { Name: "c1-grpc.thanos.fleet.internal.", Type: "CNAME" },
            { Name: "c1.thanos.fleet.internal.", Type: "CNAME" },
            { Name: "C2.Thanos.Fleet.Internal.", Type: "A" },
            { Name: "c3-grpc.thanos.fleet.internal.", Type: "A" },
            { Name: "thanos.fleet.internal.", Type: "SOA" },
            { Name: "_acme.thanos.fleet.internal.", Type: "TXT" },
            { Name: "a.b.thanos.fleet.internal.", Type: "A" },
            { Name: "gone.thanos.fleet.internal.", Type: "A" },
        ];
        const plan = one(records, { ...options, exclusions: ["gone"] });
        // c1 and c2 have an HTTP record; c3 only a gRPC one (it is no leaf Query target).
        assert.deepEqual(JSON.parse(renderPlan(plan).queries), [
            { targets: ["c1.thanos.fleet.internal:80"], labels: { registered_cluster: "c1" } },
            { targets: ["c2.thanos.fleet.internal:80"], labels: { registered_cluster: "c2" } },
        ]);
        assert.deepEqual(plan.thanos.zoneEntries.map((e) => e.target), ["c1-grpc.thanos.fleet.internal:10901", "c3-grpc.thanos.fleet.internal:10901"]);
        assert.deepEqual(plan.queries.staticEntries, [], "the C&C's own Query is scraped by its ServiceMonitor, not listed here");
        // A name is reported once: the HTTP names are not skipped by the gRPC pattern, the gRPC
        // names not by the HTTP pattern, what both refuse once; an excluded HTTP name is reported.
        const reasons = Object.fromEntries(plan.skipped.filter((s) => s.role === "thanos").map((s) => [`${s.name} ${s.type}`, s.reason]));
        assert.deepEqual(reasons, {
            "thanos.fleet.internal SOA": "record type SOA is not one of A, AAAA, CNAME",
            "_acme.thanos.fleet.internal TXT": "record type TXT is not one of A, AAAA, CNAME",
            "a.b.thanos.fleet.internal A": "does not match {id}-grpc.thanos.fleet.internal",
            "gone.thanos.fleet.internal A": "leaf Query HTTP name: excluded",
        });
        assert.equal(plan.skipped.filter((s) => s.role === "thanos").length, 4, "no name reported twice");
        assert.equal(plan.recordsSeen, 8);
        // Port and pattern are options; a zone of no HTTP names renders an empty file.
        const custom = one(records, { ...options, queryPattern: "{id}-http", queryHttpPort: 9090 });
        assert.deepEqual(custom.queries.zoneEntries, []);
        const http = one([{ Name: "c9-http.thanos.fleet.internal.", Type: "A" }], { ...options, queryPattern: "{id}-http", queryHttpPort: 9090 });
        assert.deepEqual(fileEntries(http.queries), [{ target: "c9-http.thanos.fleet.internal:9090", labels: { registered_cluster: "c9" } }]);
        assert.equal(renderPlan(one([], options)).queries, "[]\n");
        assert.equal(renderPlan(one(records, { ...options, thanosZone: undefined })).queries, "[]\n", "no Thanos zone: no leaf Query targets");
    });

    it("plans federation targets with a clusterID label plus the C&C's own Prometheus", () => {
        const plan = one([
            { Name: "c2.prometheus.fleet.internal.", Type: "A" },
            { Name: "c1.prometheus.fleet.internal.", Type: "CNAME" },
        ], { ...options, prometheusPort: 9091 });
        const groups = JSON.parse(renderPlan(plan).prometheus);
        assert.deepEqual(groups, [
            { targets: ["c1.prometheus.fleet.internal:9091"], labels: { clusterID: "c1" } },
            { targets: ["c2.prometheus.fleet.internal:9091"], labels: { clusterID: "c2" } },
            { targets: ["prometheus-operated.monitoring.svc:9090"], labels: { clusterID: "command-control" } },
        ]);
        assert.deepEqual(plan.prometheus.staticEntries.map((e) => e.target), ["prometheus-operated.monitoring.svc:9090"]);
        const noSelf = one([{ Name: "c1.prometheus.fleet.internal.", Type: "A" }], { ...options, selfPrometheusTarget: "" });
        assert.deepEqual(fileEntries(noSelf.prometheus).map((e) => e.target), ["c1.prometheus.fleet.internal:9090"]);
    });

    it("keeps the C&C's in-cluster StoreAPIs as static entries of the Thanos file, next to the workload clusters", () => {
        const statics = ["dnssrv+_grpc._tcp.thanos-store.monitoring.svc.cluster.local", "dnssrv+_grpc._tcp.kps-thanos-discovery.monitoring.svc.cluster.local"];
        const plan = one([{ Name: "c1-grpc.thanos.fleet.internal.", Type: "A" }], { ...options, thanosStaticEndpoints: statics });
        assert.deepEqual(plan.thanos.staticEntries.map((e) => e.target), statics);
        assert.deepEqual(plan.thanos.zoneEntries.map((e) => e.target), ["c1-grpc.thanos.fleet.internal:10901"]);
        const file = YAML.parse(renderPlan(plan).thanos);
        assert.deepEqual(file.endpoints.map((e: { address: string }) => e.address), ["c1-grpc.thanos.fleet.internal:10901", ...[...statics].sort()]);
        // Without workload clusters the file still lists the C&C's own endpoints.
        const none = one([], { ...options, thanosStaticEndpoints: statics });
        assert.equal(YAML.parse(renderPlan(none).thanos).endpoints.length, 2);
    });

    it("in a zone shared by Thanos and Prometheus, -grpc names are Thanos endpoints only", () => {
        const shared: PlanOptions = { ...options, prometheusZone: ZONE };
        const plan = one([{ Name: "c1-grpc.thanos.fleet.internal.", Type: "A" }, { Name: "c1.thanos.fleet.internal.", Type: "A" }], shared);
        assert.deepEqual(plan.thanos.zoneEntries.map((e) => e.target), ["c1-grpc.thanos.fleet.internal:10901"]);
        assert.deepEqual(plan.prometheus.zoneEntries.map((e) => e.target), ["c1.thanos.fleet.internal:9090"]);
        assert.equal(plan.recordsSeen, 2, "one listing shared by the roles is counted once");
    });

    it("plans blackbox probes for installations as the original service did", () => {
        const plan = one([{ Name: "acme.cloud.example.com.", Type: "CNAME" }, { Name: "Beta.Cloud.Example.Com", Type: "A" }]);
        assert.deepEqual(JSON.parse(renderPlan(plan).probes), [
            { targets: ["https://acme.cloud.example.com/api/v4/system/ping"], labels: { installation: "acme" } },
            { targets: ["https://beta.cloud.example.com/api/v4/system/ping"], labels: { installation: "beta" } },
        ]);
        const none = one([{ Name: "acme.cloud.example.com.", Type: "CNAME" }], { ...options, installationsZone: undefined });
        assert.equal(renderPlan(none).probes, "[]\n");
    });

    it("takes name patterns, ports and record types as options", () => {
        const plan = one([{ Name: "thanos-c7.thanos.fleet.internal.", Type: "TXT" }, { Name: "c8-grpc.thanos.fleet.internal.", Type: "TXT" }], {
            ...options,
            thanosPattern: "thanos-{id}",
            grpcPort: 443,
            recordTypes: ["TXT"],
        });
        assert.deepEqual(plan.thanos.zoneEntries.map((e) => e.target), ["thanos-c7.thanos.fleet.internal:443"]);
        assert.deepEqual(patternProblems("{id}-grpc"), []);
        assert.deepEqual(patternProblems("grpc"), ["exactly one {id} placeholder"]);
        assert.deepEqual(patternProblems("{id}_x"), ["lowercase DNS label characters and dots around {id}"]);
        assert.throws(() => compilePattern("{id}{id}"), /exactly one \{id\} placeholder/);
    });

    it("reads back the files it renders (contract formats)", () => {
        const text = renderThanosEndpointConfig(["b:1", "a:1", "b:1"]);
        assert.deepEqual(YAML.parse(text), { endpoints: [{ address: "a:1" }, { address: "b:1" }] });
        assert.deepEqual(parseThanosEndpointConfig(text), ["a:1", "b:1"]);
        assert.deepEqual(parseThanosEndpointConfig(""), []);
        assert.deepEqual(parseThanosEndpointConfig("endpoints: []\n"), []);
        assert.equal(parseThanosEndpointConfig("endpoints: nope"), undefined);
        assert.equal(parseThanosEndpointConfig("- a"), undefined);
        assert.equal(parseThanosEndpointConfig("endpoints: [{addr: x}]"), undefined);
        const sd = renderFileSd([{ targets: ["b"], labels: { z: "1", a: "2" } }]);
        assert.deepEqual(parseFileSd(sd), [{ targets: ["b"], labels: { a: "2", z: "1" } }]);
        assert.equal(parseFileSd("{}"), undefined);
        assert.equal(parseFileSd("[{\"targets\": [1]}]"), undefined);
        assert.equal(parseFileSd("not json"), undefined);
        assert.deepEqual(parseFile("prometheus", sd), [{ target: "b", labels: { a: "2", z: "1" } }]);
    });
});

// ---------------------------------------------------------------------------------------------
// Property tests: arbitrary zones with mixed record types, case, trailing dots, duplicates,
// wildcard and underscore names.

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const nameArb = fc.oneof(
    { weight: 5, arbitrary: label.map((id) => `${id}-grpc`) },
    { weight: 2, arbitrary: label },
    { weight: 1, arbitrary: label.map((id) => `_${id}`) },
    { weight: 1, arbitrary: label.map((id) => `*.${id}`) },
    { weight: 1, arbitrary: fc.constant("*") },
    { weight: 1, arbitrary: fc.tuple(label, label).map(([a, b]) => `${a}.${b}-grpc`) },
);
const recordArb = fc
    .record({
        relative: nameArb,
        type: fc.constantFrom("A", "AAAA", "CNAME", "TXT", "MX", "SRV", "NS", "a", "cname"),
        upper: fc.boolean(),
        dot: fc.boolean(),
        escapeStar: fc.boolean(),
        otherZone: fc.boolean(),
    })
    .map(({ relative, type, upper, dot, escapeStar, otherZone }): RecordSet => {
        let name = `${relative}.${otherZone ? "elsewhere.internal" : ZONE}`;
        if (escapeStar) name = name.replace(/\*/g, "\\052");
        if (upper) name = name.toUpperCase();
        return { Name: dot ? `${name}.` : name, Type: type };
    });
const zoneArb = fc.array(recordArb, { maxLength: 40 }).chain((records) =>
    // duplicates: some records repeated verbatim
    fc.subarray(records).map((dups) => [...records, ...dups]),
);
const ENDPOINT = new RegExp(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?-grpc\\.${ZONE.replace(/\./g, "\\.")}:10901$`);
const QUERY_TARGET = new RegExp(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.${ZONE.replace(/\./g, "\\.")}:80$`);
const RUNS = 1000;

describe("dns-registrar planner properties (fast-check)", () => {
    it("output is valid, sorted, unique, and independent of input order and duplicates", () => {
        fc.assert(
            fc.property(zoneArb, fc.integer(), (records, seed) => {
                const plan = one(records);
                const targets = plan.thanos.zoneEntries.map((e) => e.target);
                for (const t of targets) assert.match(t, ENDPOINT);
                assert.deepEqual(targets, [...new Set(targets)].sort());
                const shuffled = [...records].sort((a, b) => ((a.Name ?? "").length * 31 + seed) % 7 - ((b.Name ?? "").length * 31 + seed) % 7);
                assert.deepEqual(renderPlan(one([...shuffled, ...shuffled])), renderPlan(plan));
                // Every record is either a target or a skipped name with a reason.
                for (const r of records) {
                    const n = normalizeName(r.Name ?? "");
                    const queryTargets = plan.queries.zoneEntries.map((e) => e.target);
                    const isTarget = (targets.includes(`${n}:10901`) || queryTargets.includes(`${n}:80`)) && ["A", "AAAA", "CNAME"].includes((r.Type ?? "").toUpperCase());
                    const isSkipped = plan.skipped.some((s) => s.role === "thanos" && s.name === n && s.reason !== "");
                    assert.ok(isTarget || isSkipped, `${r.Name} ${r.Type} neither planned nor skipped`);
                }
                // No name is a target of both files, and none is reported twice.
                const queryHosts = new Set(plan.queries.zoneEntries.map((e) => e.target.replace(/:80$/, "")));
                for (const t of targets) assert.ok(!queryHosts.has(t.replace(/:10901$/, "")), `${t} in both files`);
                for (const e of plan.queries.zoneEntries) assert.match(e.target, QUERY_TARGET);
                const keys = plan.skipped.map((s) => `${s.role} ${s.name} ${s.type}`);
                assert.equal(new Set(keys).size, keys.length, "a skipped name reported twice");
                for (const s of plan.skipped) assert.ok(!s.name.includes("*") || s.reason === "wildcard name" || s.reason.startsWith("record type") || s.reason.startsWith("not in zone"), `${s.name}: ${s.reason}`);
            }),
            { numRuns: RUNS },
        );
    });

    it("rendering is idempotent: parse(render(x)) renders to the same text", () => {
        fc.assert(
            fc.property(zoneArb, (records) => {
                const files = renderPlan(one(records));
                for (const kind of ["thanos", "prometheus", "probes", "queries"] as const) {
                    const parsed = parseFile(kind, files[kind]);
                    assert.ok(parsed, `${kind} does not parse`);
                    const again = kind === "thanos" ? renderThanosEndpointConfig(parsed.map((e) => e.target)) : renderFileSd(parsed.map((e) => ({ targets: [e.target], labels: e.labels })));
                    assert.equal(again, files[kind]);
                }
                assert.deepEqual(YAML.parse(files.thanos).endpoints.map((e: { address: string }) => e.address), one(records).thanos.zoneEntries.map((e) => e.target));
            }),
            { numRuns: RUNS },
        );
    });

    it("removing a record removes exactly its target (and only when no other record has that name)", () => {
        fc.assert(
            fc.property(zoneArb.filter((r) => r.length > 0), fc.nat(), (records, pick) => {
                const i = pick % records.length;
                const removed = records[i];
                const rest = records.filter((_, j) => j !== i);
                const before = new Set(one(records).thanos.zoneEntries.map((e) => e.target));
                const after = new Set(one(rest).thanos.zoneEntries.map((e) => e.target));
                const n = normalizeName(removed.Name ?? "");
                const target = `${n}:10901`;
                const stillThere = rest.some((r) => normalizeName(r.Name ?? "") === n && ["A", "AAAA", "CNAME"].includes((r.Type ?? "").toUpperCase()));
                const expected = new Set(before);
                if (!stillThere) expected.delete(target);
                assert.deepEqual([...after].sort(), [...expected].sort());
            }),
            { numRuns: RUNS },
        );
    });
});
