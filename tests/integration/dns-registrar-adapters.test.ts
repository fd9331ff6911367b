// DnsRegistrar against real protocol peers: moto (Route 53, EKS, STS) from the repo's venv and the
// Kubernetes API test server (HTTPS, token authentication, RBAC from the component's rules).
// The handler runs in separate Node >= 22.19 processes (what @kubernetes/client-node 2.x needs).
import { strict as assert } from "assert";
import { Route53Client } from "@aws-sdk/client-route-53";
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { EMPTY_SINCE_ANNOTATION, REGISTRAR_LABELS } from "../../functions/dns-registrar/contract";
import { DEFAULT_PLAN_OPTIONS, normalizeName, planTargets, renderPlan } from "../../functions/dns-registrar/planner";
import { isListingError, listAllRecordSets } from "../../functions/dns-registrar/route53";
import { ENV } from "../../functions/dns-registrar/settings";
import { DLQ_RETENTION_SECONDS, rbacRules } from "../../components/dns-registrar/plan";
import { emfMetrics, NAMESPACE, RegistrarWorld, runHandler, useRegistrarWorld } from "../support/registrar-env";
import { startFaultProxy } from "../support/registrar-fault-proxy";
import { TEST_CREDENTIALS, TEST_REGION } from "../support/registrar-moto";

const CM = { thanos: "thanos-query-endpoints", prometheus: "prometheus-federation-targets", probes: "blackbox-probe-targets", queries: "thanos-query-targets" };

function expected(w: RegistrarWorld, thanos: string[], prometheus: string[] = [], installations: string[] = []) {
    const recs = (zone: string, names: string[]) => names.map((n) => ({ Name: `${n}.${zone}.`, Type: "A" }));
    return renderPlan(
        planTargets(
            { thanos: recs(w.zones.thanos.name, thanos), prometheus: recs(w.zones.prometheus.name, prometheus), installations: recs(w.zones.installations.name, installations) },
            { ...DEFAULT_PLAN_OPTIONS, thanosZone: w.zones.thanos.name, prometheusZone: w.zones.prometheus.name, installationsZone: w.zones.installations.name },
        ),
    );
}

function seedEmpty(w: RegistrarWorld) {
    w.kube.seed(NAMESPACE, CM.thanos, { "endpoints.yaml": "endpoints: []\n" }, { "seeded-by": "thanos-federation" });
    w.kube.seed(NAMESPACE, CM.prometheus, { "targets.json": "[]\n" });
    w.kube.seed(NAMESPACE, CM.probes, { "probes.json": "[]\n" });
    w.kube.seed(NAMESPACE, CM.queries, { "targets.json": "[]\n" });
}

const data = (w: RegistrarWorld, name: string) => w.kube.get(NAMESPACE, name)?.data ?? {};

describe("dns-registrar integration: Route 53 adapter against moto", function () {
    this.timeout(120_000);
    let w: RegistrarWorld;
    useRegistrarWorld((world) => (w = world));

    it("lists every page of a 1,234-record zone and plans it", async () => {
        const names = Array.from({ length: 1200 }, (_, i) => ({ name: `c${String(i).padStart(4, "0")}-grpc` }));
        await w.setRecords(w.zones.thanos, [...names, { name: "_acme-challenge", type: "TXT" as const }, { name: "*", type: "A" as const }, ...Array.from({ length: 32 }, (_, i) => ({ name: `other${i}` }))]);
        const listing = await listAllRecordSets(w.route53, w.zones.thanos.id);
        assert.equal(listing.records.length, 1236, "1,234 records + SOA + NS");
        assert.equal(listing.pages, 5);
        const plan = planTargets({ thanos: listing.records, prometheus: [], installations: [] }, { ...DEFAULT_PLAN_OPTIONS, thanosZone: w.zones.thanos.name });
        assert.equal(plan.thanos.zoneEntries.length, 1200);
        assert.deepEqual(new Set(plan.skipped.map((s) => normalizeName(s.name).split(".")[0])).has("*"), true);
        await w.setRecords(w.zones.thanos, []);
    });

    it("retries throttling and PriorRequestNotComplete; a listing failing mid-way is an error, never partial", async () => {
        await w.setRecords(w.zones.thanos, Array.from({ length: 650 }, (_, i) => ({ name: `c${i}-grpc` })));
        const proxy = await startFaultProxy(w.moto.endpoint);
        try {
            const client = new Route53Client({ region: TEST_REGION, endpoint: proxy.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
            const fast = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 };
            proxy.faults.push({ when: (i) => i === 0, status: 400, code: "Throttling" }, { when: (i) => i === 2, status: 400, code: "PriorRequestNotComplete" }, { when: (i) => i === 3, status: 503, code: "ServiceUnavailable" });
            const listing = await listAllRecordSets(client, w.zones.thanos.id, fast);
            assert.equal(listing.records.length, 652);
            assert.equal(listing.retries, 3);
            assert.deepEqual(proxy.seen.filter((s) => s.injected).map((s) => s.status), [400, 400, 503]);

            proxy.faults.length = 0;
            const seenBefore = proxy.seen.length;
            proxy.faults.push({ when: (i, url) => i > seenBefore && url.includes("name="), status: 500, code: "InternalError" });
            await assert.rejects(listAllRecordSets(client, w.zones.thanos.id, fast), (err: Error) => {
                assert.ok(isListingError(err));
                assert.match(err.message, /incomplete after 1 page\(s\): InternalError.*after 4 attempts/);
                return true;
            });
        } finally {
            await proxy.close();
            await w.setRecords(w.zones.thanos, []);
        }
    });
});

describe("dns-registrar integration: handler process against moto and the Kubernetes test server", function () {
    this.timeout(180_000);
    let w: RegistrarWorld;
    useRegistrarWorld((world) => (w = world));
    beforeEach(async () => {
        w.kube.clearFaults();
        w.rules = rbacRules(Object.values(CM), false);
        for (const name of Object.values(CM)) w.kube.remove(NAMESPACE, name);
        await w.setRecords(w.zones.thanos, []);
        await w.setRecords(w.zones.prometheus, []);
        await w.setRecords(w.zones.installations, []);
    });

    it("registers clusters end to end: EKS token verified, TLS with the cluster CA, RBAC-scoped writes, logs and EMF metrics", async () => {
        seedEmpty(w);
        await w.setRecords(w.zones.thanos, [{ name: "c1-grpc" }, { name: "c2-grpc", type: "CNAME" }, { name: "c1", type: "CNAME" }, { name: "_x", type: "TXT" }, { name: "*" }]);
        await w.setRecords(w.zones.prometheus, [{ name: "c1" }]);
        await w.setRecords(w.zones.installations, [{ name: "acme", type: "CNAME" }]);
        const rejectedBefore = w.rejectedTokens.length;
        const r = await runHandler({ env: w.env(), times: 2 });
        assert.ok(r.ok, JSON.stringify(r.runs) + r.stderr);
        const want = expected(w, ["c1-grpc", "c2-grpc", "c1"], ["c1"], ["acme"]);
        assert.equal(data(w, CM.thanos)["endpoints.yaml"], want.thanos);
        assert.equal(data(w, CM.prometheus)["targets.json"], want.prometheus);
        assert.equal(data(w, CM.probes)["probes.json"], want.probes);
        // The leaf Query HTTP name of c1 (c2 has only its gRPC record), from the same Thanos zone listing.
        assert.deepEqual(JSON.parse(data(w, CM.queries)["targets.json"]), [{ targets: [`c1.${w.zones.thanos.name}:80`], labels: { registered_cluster: "c1" } }]);
        assert.equal(data(w, CM.queries)["targets.json"], want.queries);
        assert.equal(w.kube.get(NAMESPACE, CM.thanos)!.metadata.annotations?.["seeded-by"], "thanos-federation", "seeded metadata kept");
        assert.equal(w.rejectedTokens.length, rejectedBefore, "every token verified");
        assert.ok(w.identities.length > 0);
        const puts = w.kube.requests.filter((q) => q.method === "PUT");
        assert.equal(puts.length, 4, "one write per file; the second invocation wrote nothing");
        assert.ok(puts.every((q) => q.sentResourceVersion !== undefined && q.status === 200), "every update is conditional on a resourceVersion");
        assert.equal(r.runs[1].summary.files.every((f: { written: boolean }) => !f.written), true);
        const metrics = emfMetrics(r.lines);
        assert.deepEqual(metrics.TargetsWritten, [6, 0], "2 endpoints + c1 and the C&C's own Prometheus + 1 probe + 1 leaf Query");
        assert.deepEqual(metrics.RecordsSeen, [13, 13], "7 + 3 + 3 records, SOA and NS included");
        assert.deepEqual(metrics.SkippedNames, [8, 8], "SOA and NS of each zone, the TXT and the wildcard, each once though the Thanos zone feeds two files");
        assert.deepEqual(metrics.FilesWritten, [4, 0]);
        assert.equal(metrics.DurationMs.length, 2);
        const skipped = r.lines.filter((l) => l.message === "skipped name");
        assert.ok(skipped.some((l) => l.name === "_x.thanos.fleet.internal" && l.level === "INFO" && l.service === "dns-registrar"));
    });

    it("rides out injected 409, 500 and a hung request; fails loudly on a persistent 500", async () => {
        seedEmpty(w);
        await w.setRecords(w.zones.thanos, [{ name: "c1-grpc" }]);
        w.kube.inject({ method: "GET", name: CM.prometheus, status: 500, times: 2 });
        w.kube.inject({ method: "GET", name: CM.probes, hang: true });
        w.kube.inject({ method: "PUT", name: CM.thanos, status: 409 });
        const mark = w.kube.requests.length;
        const r = await runHandler({ env: w.env({ [ENV.kubeTimeoutMs]: "700" }) });
        const requests = w.kube.requests.slice(mark);
        assert.ok(r.ok, JSON.stringify(r.runs));
        const thanos = r.runs[0].summary.files.find((f: { kind: string }) => f.kind === "thanos");
        assert.equal(thanos.conflicts, 1);
        assert.equal(data(w, CM.thanos)["endpoints.yaml"], expected(w, ["c1-grpc"]).thanos);
        assert.deepEqual(requests.filter((q) => q.method === "GET" && q.name === CM.prometheus).map((q) => q.status), [500, 500, 200], "two 500s then success");
        assert.deepEqual(requests.filter((q) => q.method === "GET" && q.name === CM.probes).map((q) => q.fault ?? q.status), ["hang", 200], "the hung GET was retried after the timeout");
        assert.deepEqual(requests.filter((q) => q.name === CM.thanos).map((q) => `${q.method} ${q.status}`), ["GET 200", "PUT 409", "GET 200", "PUT 200"], "409: re-read, re-plan, write");

        await w.setRecords(w.zones.thanos, [{ name: "c1-grpc" }, { name: "c2-grpc" }]);
        await w.setRecords(w.zones.prometheus, [{ name: "c7" }]);
        w.kube.inject({ method: "PUT", name: CM.thanos, status: 500, times: 10 });
        const failed = await runHandler({ env: w.env() });
        assert.equal(failed.ok, false);
        assert.equal(failed.runs[0].name, "RegistrarRunError");
        assert.match(failed.runs[0].message ?? "", /thanos \(thanos-query-endpoints\): update configmap monitoring\/thanos-query-endpoints: HTTP 500: injected fault 500 \(after 3 attempts\)/);
        assert.equal(data(w, CM.thanos)["endpoints.yaml"], expected(w, ["c1-grpc"]).thanos, "unchanged");
        assert.match(data(w, CM.prometheus)["targets.json"], /c7\.prometheus\.fleet\.internal:9090/, "the other files are still written");
        assert.deepEqual(emfMetrics(failed.lines).Errors, [1]);
    });

    it("a write the server applies after the client timed out still converges (ambiguous timeout)", async () => {
        seedEmpty(w);
        await w.setRecords(w.zones.thanos, [{ name: "c1-grpc" }, { name: "c2-grpc" }]);
        w.kube.inject({ method: "PUT", name: CM.thanos, delayMs: 1200 });
        const r = await runHandler({ env: w.env({ [ENV.kubeTimeoutMs]: "400" }) });
        assert.ok(r.ok, JSON.stringify(r.runs));
        await new Promise((res) => setTimeout(res, 1200));
        assert.equal(data(w, CM.thanos)["endpoints.yaml"], expected(w, ["c1-grpc", "c2-grpc"]).thanos);
    });

    it("missing ConfigMaps: RBAC without create gets 403 and fails loudly; with allowConfigMapCreate they are created and labelled", async () => {
        await w.setRecords(w.zones.thanos, [{ name: "c1-grpc" }]);
        const denied = await runHandler({ env: w.env() });
        assert.equal(denied.ok, false);
        assert.match(denied.runs[0].message ?? "", /create configmap monitoring\/thanos-query-endpoints: HTTP 403: configmaps is forbidden: User ".*" cannot create resource "configmaps"/);
        assert.equal(w.kube.get(NAMESPACE, CM.thanos), undefined);
        w.rules = rbacRules(Object.values(CM), true);
        const created = await runHandler({ env: w.env() });
        assert.ok(created.ok, JSON.stringify(created.runs));
        const cm = w.kube.get(NAMESPACE, CM.thanos)!;
        assert.deepEqual(cm.metadata.labels, REGISTRAR_LABELS);
        assert.equal(cm.data?.["endpoints.yaml"], expected(w, ["c1-grpc"]).thanos);
        assert.equal(w.kube.get(NAMESPACE, CM.probes)?.data?.["probes.json"], "[]\n");
        assert.deepEqual(w.kube.get(NAMESPACE, CM.queries)?.metadata.labels, REGISTRAR_LABELS);
        assert.equal(w.kube.get(NAMESPACE, CM.queries)?.data?.["targets.json"], "[]\n");
    });

    it("a failed zone listing keeps that file and fails the run; the other files are written", async () => {
        seedEmpty(w);
        await w.setRecords(w.zones.thanos, [{ name: "c1-grpc" }]);
        await w.setRecords(w.zones.prometheus, [{ name: "c1" }]);
        await runHandler({ env: w.env() });
        const before = w.kube.get(NAMESPACE, CM.prometheus)!;
        await w.setRecords(w.zones.thanos, [{ name: "c1-grpc" }, { name: "c3-grpc" }]);
        const r = await runHandler({ env: w.env({ [ENV.prometheusZoneId]: "ZDOESNOTEXIST0" }) });
        assert.equal(r.ok, false);
        assert.match(r.runs[0].message ?? "", /prometheus \(prometheus-federation-targets\): listing of hosted zone ZDOESNOTEXIST0 incomplete after 0 page\(s\): NoSuchHostedZone.*kept the previous file/);
        assert.equal(w.kube.get(NAMESPACE, CM.prometheus)!.metadata.resourceVersion, before.metadata.resourceVersion);
        assert.match(data(w, CM.thanos)["endpoints.yaml"], /c3-grpc/);
        assert.deepEqual(emfMetrics(r.lines).ListingFailures, [1]);
    });

    it("shrink floor across runs, and emptying only after the empty zone is seen twice", async () => {
        seedEmpty(w);
        // Each cluster with its gRPC and its leaf Query HTTP record: both files of the zone follow the rules.
        const both = (ids: string[]) => ids.flatMap((x) => [{ name: `${x}-grpc` }, { name: x }]);
        const names = (ids: string[]) => ids.flatMap((x) => [`${x}-grpc`, x]);
        await w.setRecords(w.zones.thanos, both(["a", "b", "c", "d"]));
        await runHandler({ env: w.env() });
        assert.equal(data(w, CM.queries)["targets.json"], expected(w, names(["a", "b", "c", "d"])).queries);
        await w.setRecords(w.zones.thanos, both(["a"]));
        const refused = await runHandler({ env: w.env() });
        assert.equal(refused.ok, false);
        assert.match(refused.runs[0].message ?? "", /thanos: refused to remove 3 of 4 targets \(75%\)/);
        assert.match(refused.runs[0].message ?? "", /queries: refused to remove 3 of 4 targets \(75%\)/);
        assert.equal(data(w, CM.thanos)["endpoints.yaml"], expected(w, names(["a", "b", "c", "d"])).thanos);
        assert.equal(data(w, CM.queries)["targets.json"], expected(w, names(["a", "b", "c", "d"])).queries);
        const raised = await runHandler({ env: w.env({ [ENV.shrinkFloorPercent]: "80" }) });
        assert.ok(raised.ok);
        assert.equal(data(w, CM.thanos)["endpoints.yaml"], expected(w, ["a-grpc"]).thanos);
        assert.equal(data(w, CM.queries)["targets.json"], expected(w, ["a"]).queries);

        await w.setRecords(w.zones.thanos, []);
        const first = await runHandler({ env: w.env() });
        assert.ok(first.ok, "one empty observation is not a failure");
        const marked = w.kube.get(NAMESPACE, CM.thanos)!;
        assert.match(marked.metadata.annotations?.[EMPTY_SINCE_ANNOTATION] ?? "", /^\d{4}-\d\d-\d\dT/);
        assert.equal(marked.data?.["endpoints.yaml"], expected(w, ["a-grpc"]).thanos, "targets kept after the first empty run");
        assert.match(w.kube.get(NAMESPACE, CM.queries)!.metadata.annotations?.[EMPTY_SINCE_ANNOTATION] ?? "", /^\d{4}-\d\d-\d\dT/);
        assert.equal(data(w, CM.queries)["targets.json"], expected(w, ["a"]).queries, "leaf Query targets kept after the first empty run");
        await runHandler({ env: w.env() });
        const emptied = w.kube.get(NAMESPACE, CM.thanos)!;
        assert.equal(emptied.data?.["endpoints.yaml"], "endpoints: []\n");
        assert.equal(emptied.metadata.annotations?.[EMPTY_SINCE_ANNOTATION], undefined);
        assert.equal(data(w, CM.queries)["targets.json"], "[]\n");
    });
});

describe("dns-registrar integration: the dead-letter queue (moto SQS)", function () {
    this.timeout(180_000);
    let w: RegistrarWorld;
    useRegistrarWorld((world) => (w = world));

    it("a failed run's invocation record, as Lambda's on-failure destination sends it, is readable from the encrypted DLQ", async () => {
        const sqs = new SQSClient({ region: TEST_REGION, endpoint: w.moto.endpoint, credentials: TEST_CREDENTIALS });
        // The queue as the component configures it (SQS-managed SSE, 14-day retention).
        const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "reg-dlq", Attributes: { SqsManagedSseEnabled: "true", MessageRetentionPeriod: String(DLQ_RETENTION_SECONDS) } }));
        const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
        assert.equal(attrs.Attributes?.SqsManagedSseEnabled, "true");
        assert.equal(attrs.Attributes?.MessageRetentionPeriod, "1209600");

        // A run that fails (its Thanos zone does not exist)...
        const event = { source: "aws.route53", "detail-type": "AWS API Call via CloudTrail", detail: { eventName: "ChangeResourceRecordSets", requestParameters: { hostedZoneId: "ZDOESNOTEXIST0" } } };
        const r = await runHandler({ env: w.env({ [ENV.thanosZoneId]: "ZDOESNOTEXIST0" }), event, times: 1 });
        assert.equal(r.ok, false);
        const started = r.lines.find((l) => l.message === "run started");
        assert.deepEqual(started?.trigger, { source: "aws.route53", detailType: "AWS API Call via CloudTrail", eventName: "ChangeResourceRecordSets", hostedZoneId: "ZDOESNOTEXIST0" });
        // ...after its retries, Lambda sends this record (the documented on-failure destination shape).
        const record = {
            version: "1.0",
            timestamp: new Date().toISOString(),
            requestContext: { requestId: "req-0", functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:reg-function:$LATEST", condition: "RetriesExhausted", approximateInvokeCount: 3 },
            requestPayload: event,
            responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
            responsePayload: { errorType: r.runs[0].name, errorMessage: r.runs[0].message },
        };
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(record) }));
        const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
        const body = JSON.parse(got.Messages![0].Body!);
        assert.equal(body.responsePayload.errorType, "RegistrarRunError");
        assert.match(body.responsePayload.errorMessage, /listing of hosted zone ZDOESNOTEXIST0 incomplete.*NoSuchHostedZone/);
        assert.equal(body.requestPayload.detail.requestParameters.hostedZoneId, "ZDOESNOTEXIST0");
    });
});
