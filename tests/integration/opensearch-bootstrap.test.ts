// The bootstrap handler against a local OpenSearch-like HTTP server (tests/support/opensearch-server.ts)
// that verifies SigV4 on every request and answers the way the engine does (metadata and defaults
// in GET answers, seq_no/primary_term concurrency on ISM policies). The desired state is the one
// the LoggingPipeline component renders.
import { strict as assert } from "assert";
import { createBootstrapHandler } from "../../functions/opensearch-bootstrap/lambda";
import { endpointUrl } from "../../functions/opensearch-bootstrap/client";
import { BootstrapDesiredState, BootstrapSummary, bootstrapEvent } from "../../functions/opensearch-bootstrap/contract";
import { OPENSEARCH_NAMES } from "../../components/logging/plan";
import { renderDesiredState } from "../../components/logging/render";
import { OpenSearchTestServer, RecordedRequest, TEST_CREDENTIALS, TEST_REGION, startOpenSearchServer } from "../support/opensearch-server";

const FLUENT_BIT_ROLE = "arn:aws:iam::123456789012:role/cnc-logging-fluent-bit";
const READER = "arn:aws:iam::123456789012:role/sre-read-only";

function desired(overrides: Partial<Parameters<typeof renderDesiredState>[0]> = {}): BootstrapDesiredState {
    return renderDesiredState({ retentionDays: 30, replicas: 1, writerRoleArns: [FLUENT_BIT_ROLE], readerRoleArns: [READER], ...overrides });
}

const line = (r: RecordedRequest) => `${r.method} ${r.path}`;

describe("opensearch-bootstrap handler against the OpenSearch test server", function () {
    this.timeout(60_000);
    let server: OpenSearchTestServer;
    const saved: Record<string, string | undefined> = {};
    const ENV = {
        AWS_REGION: TEST_REGION,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: TEST_CREDENTIALS.sessionToken,
        BOOTSTRAP_RETRY_DELAY_MS: "5",
        BOOTSTRAP_MAX_ATTEMPTS: "3",
    };
    let logs: string[] = [];
    const originalLog = console.log;

    before(() => {
        for (const [k, v] of Object.entries(ENV)) {
            saved[k] = process.env[k];
            process.env[k] = v;
        }
    });
    after(() => {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    });
    beforeEach(async () => {
        server = await startOpenSearchServer();
        logs = [];
        console.log = (...a: unknown[]) => logs.push(a.map(String).join(" "));
    });
    afterEach(async () => {
        console.log = originalLog;
        await server.close();
    });

    const run = (d: BootstrapDesiredState = desired()): Promise<BootstrapSummary> => createBootstrapHandler()(bootstrapEvent(server.url, d));

    it("on an empty domain: GET 404 then PUT for every object, all signed (SigV4, service es, session token)", async () => {
        const summary = await run();
        assert.deepEqual(
            server.requests.map(line),
            [
                "GET /_plugins/_ism/policies/cloud-cnc-logs-retention",
                "PUT /_plugins/_ism/policies/cloud-cnc-logs-retention",
                "GET /_plugins/_ism/explain/logs-*",
                "GET /_index_template/cloud-cnc-logs",
                "PUT /_index_template/cloud-cnc-logs",
                "GET /_plugins/_security/api/roles/cloud-cnc-log-writer",
                "PUT /_plugins/_security/api/roles/cloud-cnc-log-writer",
                "GET /_plugins/_security/api/roles/cloud-cnc-log-reader",
                "PUT /_plugins/_security/api/roles/cloud-cnc-log-reader",
                "GET /_plugins/_security/api/rolesmapping/cloud-cnc-log-writer",
                "PUT /_plugins/_security/api/rolesmapping/cloud-cnc-log-writer",
                "GET /_plugins/_security/api/rolesmapping/cloud-cnc-log-reader",
                "PUT /_plugins/_security/api/rolesmapping/cloud-cnc-log-reader",
                "GET /_plugins/_security/api/audit/config",
                "PUT /_plugins/_security/api/audit/config",
                "GET /_dashboards/api/saved_objects/index-pattern/cloud-cnc-logs",
                "POST /_dashboards/api/saved_objects/index-pattern/cloud-cnc-logs",
                "GET /_dashboards/api/opensearch-dashboards/settings",
                "POST /_dashboards/api/opensearch-dashboards/settings",
            ],
        );
        for (const r of server.requests) {
            assert.ok(r.signature.ok, `${line(r)}: ${r.signature.reason}`);
            assert.equal(r.signature.service, "es");
            assert.ok(r.signature.signedHeaders!.includes("x-amz-security-token"), "the session token is signed");
            // Settings and the audit config always exist (GET 200); the audit config PUT answers 200.
            const isSettingsRead = r.method === "GET" && (r.path.endsWith("/settings") || r.path.endsWith("/audit/config") || r.path.includes("/_ism/explain/"));
            assert.equal(r.status, r.method === "GET" && !isSettingsRead ? 404 : r.method === "PUT" && !r.path.startsWith("/_dashboards") ? (r.path.includes("_index_template") || r.path.endsWith("/audit/config") ? 200 : 201) : 200, `${line(r)} answered ${r.status}`);
        }
        // No index exists yet: nothing is behind the policy.
        assert.ok(summary.changes.every((c) => c.action === (c.kind === "audit-config" ? "updated" : c.kind === "ism-managed-indices" ? "unchanged" : "created")), JSON.stringify(summary.changes));
        assert.equal(summary.requests, 19);
        // Audit logging is switched on in the security plugin; the rest of its config is kept.
        assert.equal(server.auditConfig.enabled, true);
        assert.equal(server.auditConfig.audit.enable_transport, false);
        assert.equal(server.auditConfig.audit.log_request_body, false);
        assert.deepEqual(server.auditConfig.audit.ignore_users, ["kibanaserver"]);
        assert.equal(server.auditConfig.compliance.enabled, true);

        // What is stored is what the component rendered.
        const policy = server.ismPolicies.get(OPENSEARCH_NAMES.ismPolicy)!.policy as any;
        assert.equal(policy.states[0].transitions[0].conditions.min_index_age, "30d");
        assert.deepEqual(policy.ism_template, [{ index_patterns: ["logs-*"], priority: 100 }]);
        assert.deepEqual(server.roleMappings.get(OPENSEARCH_NAMES.writerRole)!.backend_roles, [FLUENT_BIT_ROLE]);
        assert.deepEqual(server.roleMappings.get(OPENSEARCH_NAMES.readerRole)!.backend_roles, [READER]);
        assert.deepEqual(server.savedObjects.get("index-pattern:cloud-cnc-logs")!.attributes, { title: "logs-*", timeFieldName: "@timestamp" });
        assert.deepEqual(server.dashboardsSettings.defaultIndex, { userValue: "cloud-cnc-logs" });
        const dashboardsWrite = server.requests.find((r) => r.method === "POST" && r.path.startsWith("/_dashboards/api/saved_objects"))!;
        assert.equal(dashboardsWrite.headers["securitytenant"], "global", "index patterns go to the shared tenant");
    });

    it("is idempotent: a second run against the unchanged domain sends only GETs", async () => {
        await run();
        server.clearRequests();
        const summary = await run();
        assert.deepEqual(server.writes().map(line), []);
        assert.equal(server.requests.length, 10);
        assert.ok(summary.changes.every((c) => c.action === "unchanged"), JSON.stringify(summary.changes));
        assert.equal(summary.requests, 10);
    });

    /** Two clusters' daily indices on the policy, one index nobody manages, one on another policy. */
    function seedIndices(): string[] {
        const ours = ["logs-cnc-2026.12.01", "logs-cnc-2026.12.02", "logs-w1-2026.12.02"];
        for (const name of ours) server.addIndex(name, { policyId: OPENSEARCH_NAMES.ismPolicy });
        server.addIndex("logs-legacy-2025.01.01");
        server.ismPolicies.set("hand-made", { policy: {}, seqNo: 1, primaryTerm: 1, version: 1, updatedAt: 0 });
        server.addIndex("logs-special-2026.12.02", { policyId: "hand-made" });
        return ours;
    }

    it("updates only what changed: a new retention rewrites the ISM policy (with seq_no/primary_term) and moves the indices on it to the new version", async () => {
        await run();
        const ours = seedIndices();
        const before = server.ismPolicies.get(OPENSEARCH_NAMES.ismPolicy)!;
        const [seqNo, primaryTerm] = [before.seqNo, before.primaryTerm];
        server.clearRequests();
        const summary = await run(desired({ retentionDays: 7 }));

        assert.deepEqual(server.writes().map((r) => r.rawUrl), [
            `/_plugins/_ism/policies/cloud-cnc-logs-retention?if_seq_no=${seqNo}&if_primary_term=${primaryTerm}`,
            `/_plugins/_ism/change_policy/${ours.join(",")}`,
        ]);
        const stored = server.ismPolicies.get(OPENSEARCH_NAMES.ismPolicy)!.policy as any;
        assert.equal(stored.states[0].transitions[0].conditions.min_index_age, "7d");
        // Only the indices on this policy are moved: never the unmanaged one, never another policy's.
        assert.deepEqual(server.changePolicyCalls, [{ index: ours.join(","), body: { policy_id: "cloud-cnc-logs-retention" } }]);
        const ism = summary.changes.find((c) => c.kind === "ism-policy")!;
        assert.equal(ism.action, "updated");
        assert.deepEqual(ism.differences, ["description", "states[0].transitions[0].conditions.min_index_age"]);
        assert.deepEqual(summary.changes.find((c) => c.kind === "ism-managed-indices"), { kind: "ism-managed-indices", name: "cloud-cnc-logs-retention", action: "updated", differences: ours });
        assert.equal(summary.changes.filter((c) => c.action !== "unchanged").length, 2);

        // Once ISM's job has applied the change, every index runs the new version: nothing left to do.
        server.runIsmJobs();
        server.clearRequests();
        const again = await run(desired({ retentionDays: 7 }));
        assert.deepEqual(server.writes().map(line), []);
        assert.ok(again.changes.every((c) => c.action === "unchanged"), JSON.stringify(again.changes));
    });

    it("converges from the indices' actual policy version: a run whose change_policy failed after the policy update is finished by the next run", async () => {
        await run();
        const ours = seedIndices();
        // The update lands, then change_policy fails (after the client's retries): the run fails.
        server.inject({ method: "POST", path: /\/_ism\/change_policy\//, status: 500 });
        await assert.rejects(() => run(desired({ retentionDays: 7 })), /POST \/_plugins\/_ism\/change_policy\/.* failed: HTTP 500/);
        assert.equal((server.ismPolicies.get(OPENSEARCH_NAMES.ismPolicy)!.policy as any).states[0].transitions[0].conditions.min_index_age, "7d", "the policy was updated");
        assert.ok(ours.every((i) => server.indices.get(i)!.pendingPolicyId === undefined), "no index was moved");

        // The retried run (the Invocation failed, so the next `pulumi up` runs it again): the policy
        // document is unchanged, but the indices are behind it, so they are moved now.
        server.clearRequests();
        const retried = await run(desired({ retentionDays: 7 }));
        assert.equal(retried.changes.find((c) => c.kind === "ism-policy")!.action, "unchanged");
        assert.deepEqual(retried.changes.find((c) => c.kind === "ism-managed-indices")!.differences, ours);
        assert.deepEqual(server.writes().map(line), [`POST /_plugins/_ism/change_policy/${ours.join(",")}`]);
        server.runIsmJobs();
        const policy = server.ismPolicies.get(OPENSEARCH_NAMES.ismPolicy)!;
        for (const i of ours) assert.deepEqual([server.indices.get(i)!.policySeqNo, server.indices.get(i)!.policyPrimaryTerm], [policy.seqNo, policy.primaryTerm], i);
    });

    it("moves indices on an older version even when nothing in the desired state changed, and indices ISM has not initialized yet", async () => {
        await run();
        const policy = server.ismPolicies.get(OPENSEARCH_NAMES.ismPolicy)!;
        server.addIndex("logs-cnc-2026.11.30", { policyId: OPENSEARCH_NAMES.ismPolicy, version: { seqNo: policy.seqNo - 1, primaryTerm: policy.primaryTerm } });
        server.addIndex("logs-cnc-2026.12.03", { policyId: OPENSEARCH_NAMES.ismPolicy, initialized: false });
        server.addIndex("logs-cnc-2026.12.02", { policyId: OPENSEARCH_NAMES.ismPolicy });
        server.clearRequests();
        const summary = await run();
        assert.deepEqual(summary.changes.find((c) => c.kind === "ism-managed-indices")!.differences, ["logs-cnc-2026.11.30", "logs-cnc-2026.12.03"]);
        assert.deepEqual(server.writes().map(line), ["POST /_plugins/_ism/change_policy/logs-cnc-2026.11.30,logs-cnc-2026.12.03"]);
    });

    it("fails the run when change_policy reports failed_indices, naming each index and reason", async () => {
        await run();
        const ours = seedIndices();
        server.failChangePolicy(ours[1], "Cannot change policy while transitioning to new state");
        await assert.rejects(
            () => run(desired({ retentionDays: 7 })),
            (e: Error) =>
                e.message ===
                `ism change_policy to cloud-cnc-logs-retention: 1 of 3 indices behind the policy failed to move (a later run moves them): ${ours[1]}: Cannot change policy while transitioning to new state`,
        );
        assert.ok(logs.some((l) => l.includes('"level":"ERROR"') && l.includes(`${ours[1]}: Cannot change policy`)), "the failure is logged with the index");
        // The next run retries exactly the index that is still behind (the others were queued).
        server.runIsmJobs();
        server.failChangePolicy(ours[1]);
        server.clearRequests();
        await run(desired({ retentionDays: 7 }));
        assert.deepEqual(server.changePolicyCalls.at(-1), { index: ours[1], body: { policy_id: "cloud-cnc-logs-retention" } });
    });

    it("a changed reader list rewrites only that role mapping; drift made by hand is put back", async () => {
        await run();
        server.clearRequests();
        const other = "arn:aws:iam::123456789012:role/auditors";
        await run(desired({ readerRoleArns: [READER, other] }));
        assert.deepEqual(server.writes().map(line), ["PUT /_plugins/_security/api/rolesmapping/cloud-cnc-log-reader"]);
        assert.deepEqual(server.roleMappings.get(OPENSEARCH_NAMES.readerRole)!.backend_roles, [other, READER].sort());

        // Someone edits the index pattern and the template by hand.
        server.savedObjects.get("index-pattern:cloud-cnc-logs")!.attributes.title = "logs-cloud-dev-*";
        (server.indexTemplates.get(OPENSEARCH_NAMES.indexTemplate) as any).template.settings["index.number_of_replicas"] = 2;
        server.clearRequests();
        const summary = await run(desired({ readerRoleArns: [READER, other] }));
        assert.deepEqual(server.writes().map(line), ["PUT /_index_template/cloud-cnc-logs", "PUT /_dashboards/api/saved_objects/index-pattern/cloud-cnc-logs"]);
        assert.equal(server.savedObjects.get("index-pattern:cloud-cnc-logs")!.attributes.title, "logs-*");
        assert.deepEqual(summary.changes.find((c) => c.kind === "index-template")!.differences, ["template.settings.index.number_of_replicas"]);
    });

    it("on a 409 version conflict it reads the ISM policy again and retries with the new seq_no", async () => {
        await run();
        server.raceIsmPolicy(OPENSEARCH_NAMES.ismPolicy, 1);
        server.clearRequests();
        const summary = await run(desired({ retentionDays: 14 }));
        const ism = server.requests.filter((r) => r.path === "/_plugins/_ism/policies/cloud-cnc-logs-retention");
        assert.deepEqual(
            ism.map((r) => `${r.method} ${r.status}`),
            ["GET 200", "PUT 409", "GET 200", "PUT 200"],
        );
        assert.notEqual(ism[1].query.if_seq_no, ism[3].query.if_seq_no, "the retry carries the seq_no of the second GET");
        assert.equal((server.ismPolicies.get(OPENSEARCH_NAMES.ismPolicy)!.policy as any).states[0].transitions[0].conditions.min_index_age, "14d");
        assert.equal(summary.changes.find((c) => c.kind === "ism-policy")!.action, "updated");
        assert.ok(logs.some((l) => l.includes("version conflict")), "the conflict is logged");
    });

    it("gives up loudly when the conflict persists", async () => {
        await run();
        server.raceIsmPolicy(OPENSEARCH_NAMES.ismPolicy, 100);
        await assert.rejects(run(desired({ retentionDays: 14 })), /ism-policy cloud-cnc-logs-retention: still conflicting after 4 rounds of read-compare-write/);
    });

    it("fails loudly on a 5xx and stops there (nothing after it is written)", async () => {
        server.inject({ method: "GET", path: "/_index_template/cloud-cnc-logs", status: 500 });
        await assert.rejects(run(), (err: Error) => {
            assert.match(err.message, /^GET \/_index_template\/cloud-cnc-logs failed: HTTP 500: .*injected HTTP 500/);
            return true;
        });
        assert.deepEqual(server.requests.map(line).slice(-1), ["GET /_index_template/cloud-cnc-logs"], "500 is not retried, and nothing follows");
        assert.equal(server.roles.size, 0);
        assert.ok(logs.some((l) => l.includes('"level":"ERROR"') && l.includes("HTTP 500")), "the failure reaches the logs");
    });

    it("retries 503 (transient) a bounded number of times: success within the budget, failure after it", async () => {
        server.inject({ method: "GET", path: "/_plugins/_ism/policies/cloud-cnc-logs-retention", status: 503, times: 2 });
        const ok = await run();
        assert.equal(ok.changes[0].action, "created");
        assert.equal(server.requests.filter((r) => r.path.endsWith("cloud-cnc-logs-retention") && r.method === "GET").length, 3);

        server.clearRequests();
        server.inject({ method: "GET", path: "/_index_template/cloud-cnc-logs", status: 503, times: Infinity });
        await assert.rejects(run(), /GET \/_index_template\/cloud-cnc-logs failed: HTTP 503/);
        assert.equal(server.requests.filter((r) => r.path === "/_index_template/cloud-cnc-logs").length, 3, "BOOTSTRAP_MAX_ATTEMPTS=3");
    });

    it("refuses an input whose hash does not match its desired state, before any request", async () => {
        const event = bootstrapEvent(server.url, desired());
        event.desired.ismPolicy.policy.states[0].transitions[0].conditions!.min_index_age = "1d";
        await assert.rejects(createBootstrapHandler()(event), /desiredHash [0-9a-f]{64} does not match the desired state/);
        assert.equal(server.requests.length, 0);
    });

    it("the server really checks signatures: a wrong secret gets 403 and fails the run", async () => {
        process.env.AWS_SECRET_ACCESS_KEY = "not-the-secret";
        try {
            await assert.rejects(run(), /GET \/_plugins\/_ism\/policies\/cloud-cnc-logs-retention failed: HTTP 403: .*signature does not match/);
        } finally {
            process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
        }
    });

    it("only https endpoints, except loopback test servers", () => {
        assert.equal(endpointUrl("vpc-logs-abc.eu-west-1.es.amazonaws.com").href, "https://vpc-logs-abc.eu-west-1.es.amazonaws.com/");
        assert.throws(() => endpointUrl("http://vpc-logs-abc.eu-west-1.es.amazonaws.com"), /plain http is only allowed for loopback/);
        assert.equal(endpointUrl("http://127.0.0.1:9200").protocol, "http:");
    });
});
