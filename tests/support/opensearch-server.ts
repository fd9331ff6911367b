// A local HTTP test server on 127.0.0.1 that answers like an OpenSearch Service domain for the
// APIs the bootstrap uses, and records every request. It behaves the way the engine does where
// it matters for idempotence: GET answers carry what OpenSearch adds (ISM policy_id,
// last_updated_time, schema_version, default retry, rollover copy_alias, seq_no/primary_term;
// index settings nested and stringified; role metadata; extra saved-object attributes), ISM
// updates need a matching if_seq_no/if_primary_term (409 otherwise), and every request must carry
// a valid SigV4 signature for service `es` (403 otherwise). Indices can be managed by ISM: explain
// reports the policy version each runs (policy_seq_no/policy_primary_term, absent until the first
// ISM run initializes it), change_policy queues a change per index (failing unmanaged ones, and
// any index told to fail), and runIsmJobs() applies the queued changes as ISM's job would. Faults
// can be injected per request.
import * as http from "http";
import { AddressInfo } from "net";
import { SignatureCheck, verifySignedRequest } from "./opensearch-sigv4";

export const TEST_REGION = "eu-west-1";
export const TEST_CREDENTIALS = { accessKeyId: "AKIDOPENSEARCHTEST", secretAccessKey: "opensearch-test-secret", sessionToken: "opensearch-test-session" };

export interface RecordedRequest {
    method: string;
    /** Request target as received (encoded path and query). */
    rawUrl: string;
    /** Decoded path without query. */
    path: string;
    query: Record<string, string>;
    headers: Record<string, string | string[] | undefined>;
    body: unknown;
    signature: SignatureCheck;
    status: number;
}

interface StoredPolicy {
    policy: Record<string, unknown>;
    seqNo: number;
    primaryTerm: number;
    version: number;
    updatedAt: number;
}

/** An index and what ISM knows about it. */
export interface TestIndex {
    uuid: string;
    /** The policy that manages it; undefined when not managed. */
    policyId?: string;
    /** The policy version it runs; undefined until ISM's first run initializes it. */
    policySeqNo?: number;
    policyPrimaryTerm?: number;
    /** A change_policy queued for ISM's next run. */
    pendingPolicyId?: string;
}

export interface Fault {
    /** Which request (method and decoded path; query ignored). */
    method: string;
    path: string | RegExp;
    status: number;
    body?: unknown;
    /** How many matching requests get the fault. Default 1; Infinity for all. */
    times?: number;
}

export interface OpenSearchTestServer {
    url: string;
    requests: RecordedRequest[];
    /** Requests that are not GET. */
    writes(): RecordedRequest[];
    clearRequests(): void;
    ismPolicies: Map<string, StoredPolicy>;
    indexTemplates: Map<string, Record<string, unknown>>;
    roles: Map<string, Record<string, unknown>>;
    roleMappings: Map<string, Record<string, unknown>>;
    savedObjects: Map<string, { attributes: Record<string, unknown>; version: number }>;
    dashboardsSettings: Record<string, unknown>;
    /** The security plugin's audit config (GET/PUT /_plugins/_security/api/audit/config). */
    auditConfig: Record<string, any>;
    changePolicyCalls: { index: string; body: unknown }[];
    indices: Map<string, TestIndex>;
    /** Adds an index; managed by `policyId` at the policy's current version unless `version` (or `initialized: false`) says otherwise. */
    addIndex(name: string, options?: { policyId?: string; version?: { seqNo: number; primaryTerm: number }; initialized?: boolean }): void;
    /** change_policy reports this index in failed_indices with the reason given (no reason: stop failing it). */
    failChangePolicy(index: string, reason?: string): void;
    /** ISM's job: each index with a queued change starts running the policy's current version. */
    runIsmJobs(): void;
    inject(fault: Fault): void;
    /** Someone else updates the ISM policy between our GET and our PUT, `times` times. */
    raceIsmPolicy(id: string, times?: number): void;
    close(): Promise<void>;
}

let seqCounter = 0;

function send(res: http.ServerResponse, status: number, body: unknown): number {
    const text = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
    return status;
}

/** What GET returns for a stored ISM policy: ours plus the engine's metadata and defaults. */
function ismView(id: string, p: StoredPolicy): Record<string, unknown> {
    const policy = structuredClone(p.policy) as Record<string, any>;
    for (const state of policy.states ?? []) {
        for (const action of state.actions ?? []) {
            action.retry ??= { count: 3, backoff: "exponential", delay: "1m" };
            if (action.rollover) action.rollover.copy_alias ??= false;
        }
    }
    for (const t of policy.ism_template ?? []) t.last_updated_time = p.updatedAt;
    return {
        _id: id,
        _version: p.version,
        _seq_no: p.seqNo,
        _primary_term: p.primaryTerm,
        policy: { policy_id: id, ...policy, last_updated_time: p.updatedAt, schema_version: 21, error_notification: null },
    };
}

/** Index settings as the engine returns them: nested under `index`, values as strings. */
function nestSettings(flat: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, any> = {};
    for (const [key, value] of Object.entries(flat)) {
        const parts = (key.startsWith("index.") ? key : `index.${key}`).split(".");
        let node = out;
        for (const p of parts.slice(0, -1)) node = node[p] ??= {};
        node[parts[parts.length - 1]] = String(value);
    }
    return out;
}

export async function startOpenSearchServer(options: { region?: string } = {}): Promise<OpenSearchTestServer> {
    const region = options.region ?? TEST_REGION;
    const requests: RecordedRequest[] = [];
    const faults: (Fault & { remaining: number })[] = [];
    const races = new Map<string, number>();
    const state = {
        ismPolicies: new Map<string, StoredPolicy>(),
        indexTemplates: new Map<string, Record<string, unknown>>(),
        roles: new Map<string, Record<string, unknown>>(),
        roleMappings: new Map<string, Record<string, unknown>>(),
        savedObjects: new Map<string, { attributes: Record<string, unknown>; version: number }>(),
        dashboardsSettings: { buildNum: { userValue: 8467 } } as Record<string, unknown>,
        // A new domain's audit config: present, disabled (what the security plugin answers).
        auditConfig: {
            enabled: false,
            audit: { enable_rest: true, disabled_rest_categories: ["AUTHENTICATED", "GRANTED_PRIVILEGES"], enable_transport: true, disabled_transport_categories: ["AUTHENTICATED", "GRANTED_PRIVILEGES"], resolve_bulk_requests: false, log_request_body: true, resolve_indices: true, exclude_sensitive_headers: true, ignore_users: ["kibanaserver"], ignore_requests: [] },
            compliance: { enabled: true, internal_config: true, external_config: false, read_metadata_only: true, read_watched_fields: {}, read_ignore_users: ["kibanaserver"], write_metadata_only: true, write_log_diffs: false, write_watched_indices: [], write_ignore_users: ["kibanaserver"] },
        } as Record<string, any>,
        changePolicyCalls: [] as { index: string; body: unknown }[],
        indices: new Map<string, TestIndex>(),
    };
    const changePolicyFailures = new Map<string, string>();
    let uuidCounter = 0;
    /** The indices an index expression names: comma-separated names and `*` wildcards. */
    const resolve = (expression: string): string[] => {
        const out = new Set<string>();
        for (const part of expression.split(",")) {
            const re = new RegExp(`^${part.split("*").map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
            for (const name of state.indices.keys()) if (re.test(name)) out.add(name);
        }
        return [...out];
    };

    const route = (method: string, path: string, query: Record<string, string>, headers: http.IncomingHttpHeaders, body: any, res: http.ServerResponse): number => {
        let m: RegExpExecArray | null;
        // --- ISM ---
        if ((m = /^\/_plugins\/_ism\/policies\/([^/]+)$/.exec(path))) {
            const id = m[1];
            const stored = state.ismPolicies.get(id);
            if (method === "GET") {
                if (!stored) return send(res, 404, { error: { root_cause: [{ type: "status_exception", reason: "Policy not found" }], type: "status_exception", reason: "Policy not found" }, status: 404 });
                return send(res, 200, ismView(id, stored));
            }
            if (method === "PUT") {
                if (!body || typeof body.policy !== "object") return send(res, 400, { error: { type: "illegal_argument_exception", reason: "Required [policy]" }, status: 400 });
                const conditional = query.if_seq_no !== undefined || query.if_primary_term !== undefined;
                const race = races.get(id) ?? 0;
                if (conditional && stored && race > 0) {
                    // Another writer got in first: the policy moves on, our seq_no is stale.
                    races.set(id, race - 1);
                    stored.seqNo = ++seqCounter;
                    stored.version++;
                }
                if (conditional) {
                    if (!stored || String(stored.seqNo) !== query.if_seq_no || String(stored.primaryTerm) !== query.if_primary_term) {
                        return send(res, 409, {
                            error: { type: "version_conflict_engine_exception", reason: `[${id}]: version conflict, required seqNo [${query.if_seq_no}], primary term [${query.if_primary_term}]. current document has seqNo [${stored?.seqNo}] and primary term [${stored?.primaryTerm}]` },
                            status: 409,
                        });
                    }
                    stored.policy = structuredClone(body.policy);
                    stored.seqNo = ++seqCounter;
                    stored.version++;
                    stored.updatedAt = Date.now();
                    return send(res, 200, { _id: id, _version: stored.version, _primary_term: stored.primaryTerm, _seq_no: stored.seqNo, policy: { policy: body.policy } });
                }
                if (stored) return send(res, 409, { error: { type: "version_conflict_engine_exception", reason: `[${id}]: version conflict, document already exists` }, status: 409 });
                const created: StoredPolicy = { policy: structuredClone(body.policy), seqNo: ++seqCounter, primaryTerm: 1, version: 1, updatedAt: Date.now() };
                state.ismPolicies.set(id, created);
                return send(res, 201, { _id: id, _version: 1, _primary_term: 1, _seq_no: created.seqNo, policy: { policy: body.policy } });
            }
        }
        if ((m = /^\/_plugins\/_ism\/change_policy\/([^/]+)$/.exec(path)) && method === "POST") {
            if (!body || typeof body.policy_id !== "string") return send(res, 400, { error: { type: "illegal_argument_exception", reason: "policy_id required" }, status: 400 });
            if (!state.ismPolicies.has(body.policy_id)) return send(res, 404, { error: { type: "resource_not_found_exception", reason: "Could not find policy" }, status: 404 });
            state.changePolicyCalls.push({ index: m[1], body });
            const failed: { index_name: string; index_uuid: string; reason: string }[] = [];
            let updated = 0;
            for (const name of resolve(m[1])) {
                const index = state.indices.get(name)!;
                const reason = index.policyId === undefined ? "This index is not being managed" : changePolicyFailures.get(name);
                if (reason !== undefined) failed.push({ index_name: name, index_uuid: index.uuid, reason });
                else {
                    index.pendingPolicyId = body.policy_id;
                    updated++;
                }
            }
            return send(res, 200, { updated_indices: updated, failures: failed.length > 0, failed_indices: failed });
        }
        if ((m = /^\/_plugins\/_ism\/explain\/([^/]+)$/.exec(path)) && method === "GET") {
            const out: Record<string, unknown> = {};
            let managed = 0;
            for (const name of resolve(m[1])) {
                const index = state.indices.get(name)!;
                const id = index.policyId ?? null;
                if (id === null) {
                    out[name] = { "index.plugins.index_state_management.policy_id": null, "index.opendistro.index_state_management.policy_id": null, enabled: null };
                    continue;
                }
                managed++;
                out[name] = {
                    "index.plugins.index_state_management.policy_id": id,
                    "index.opendistro.index_state_management.policy_id": id,
                    index: name,
                    index_uuid: index.uuid,
                    policy_id: id,
                    enabled: true,
                    ...(index.policySeqNo === undefined
                        ? {}
                        : { policy_seq_no: index.policySeqNo, policy_primary_term: index.policyPrimaryTerm, state: { name: "hot", start_time: 1_767_225_600_000 }, info: { message: "Successfully initialized policy: " + id } }),
                };
            }
            return send(res, 200, { ...out, total_managed_indices: managed });
        }
        // --- Index templates ---
        if ((m = /^\/_index_template\/([^/]+)$/.exec(path))) {
            const name = m[1];
            if (method === "GET") {
                const t = state.indexTemplates.get(name);
                if (!t) return send(res, 404, { error: { type: "resource_not_found_exception", reason: `index template matching [${name}] not found` }, status: 404 });
                const template = structuredClone(t) as Record<string, any>;
                template.template = { ...template.template, settings: nestSettings(template.template?.settings ?? {}) };
                template.composed_of ??= [];
                return send(res, 200, { index_templates: [{ name, index_template: template }] });
            }
            if (method === "PUT") {
                if (!body || !Array.isArray(body.index_patterns)) return send(res, 400, { error: { type: "action_request_validation_exception", reason: "index patterns are missing" }, status: 400 });
                state.indexTemplates.set(name, structuredClone(body));
                return send(res, 200, { acknowledged: true });
            }
        }
        // --- Security plugin ---
        if ((m = /^\/_plugins\/_security\/api\/(roles|rolesmapping)\/([^/]+)$/.exec(path))) {
            const store = m[1] === "roles" ? state.roles : state.roleMappings;
            const name = m[2];
            if (method === "GET") {
                const v = store.get(name);
                if (!v) return send(res, 404, { status: "NOT_FOUND", message: `Resource '${name}' not found.` });
                const view =
                    m[1] === "roles"
                        ? { reserved: false, hidden: false, static: false, ...v, index_permissions: ((v.index_permissions as any[]) ?? []).map((p) => ({ fls: [], masked_fields: [], ...p })) }
                        : { hosts: [], users: [], reserved: false, hidden: false, and_backend_roles: [], ...v };
                return send(res, 200, { [name]: view });
            }
            if (method === "PUT") {
                const existed = store.has(name);
                store.set(name, structuredClone(body));
                return send(res, existed ? 200 : 201, { status: existed ? "OK" : "CREATED", message: `'${name}' ${existed ? "updated" : "created"}.` });
            }
        }
        if (path === "/_plugins/_security/api/audit/config") {
            if (method === "GET") return send(res, 200, { _readonly: ["/audit/exclude_sensitive_headers"], config: state.auditConfig });
            if (method === "PUT") {
                // The API takes the whole config: a body without compliance or audit is rejected.
                if (!body || typeof body.enabled !== "boolean" || typeof body.audit !== "object" || typeof body.compliance !== "object") {
                    return send(res, 400, { status: "error", reason: "Invalid configuration" });
                }
                // Replace in place: the server object hands out this same reference.
                for (const k of Object.keys(state.auditConfig)) delete state.auditConfig[k];
                Object.assign(state.auditConfig, structuredClone(body));
                return send(res, 200, { status: "OK", message: "'config' updated." });
            }
        }
        // --- Dashboards ---
        if (path.startsWith("/_dashboards/") && method !== "GET" && headers["osd-xsrf"] !== "true") {
            return send(res, 400, { statusCode: 400, error: "Bad Request", message: "Request must contain a osd-xsrf header." });
        }
        if ((m = /^\/_dashboards\/api\/saved_objects\/([^/]+)\/([^/]+)$/.exec(path))) {
            const key = `${m[1]}:${m[2]}`;
            const existing = state.savedObjects.get(key);
            const view = (o: { attributes: Record<string, unknown>; version: number }) => ({
                id: m![2],
                type: m![1],
                version: Buffer.from(`[${o.version},1]`).toString("base64"),
                updated_at: new Date().toISOString(),
                attributes: { ...o.attributes, fields: "[]" },
                references: [],
                namespaces: ["default"],
            });
            if (method === "GET") {
                if (!existing) return send(res, 404, { statusCode: 404, error: "Not Found", message: `Saved object [${key.replace(":", "/")}] not found` });
                return send(res, 200, view(existing));
            }
            if (method === "POST") {
                if (existing && query.overwrite !== "true") return send(res, 409, { statusCode: 409, error: "Conflict", message: `Saved object [${key.replace(":", "/")}] conflict` });
                const created = { attributes: structuredClone(body.attributes), version: 1 };
                state.savedObjects.set(key, created);
                return send(res, 200, view(created));
            }
            if (method === "PUT") {
                if (!existing) return send(res, 404, { statusCode: 404, error: "Not Found", message: `Saved object [${key.replace(":", "/")}] not found` });
                existing.attributes = { ...existing.attributes, ...structuredClone(body.attributes) };
                existing.version++;
                return send(res, 200, view(existing));
            }
        }
        if (path === "/_dashboards/api/opensearch-dashboards/settings") {
            if (method === "GET") return send(res, 200, { settings: state.dashboardsSettings });
            if (method === "POST") {
                for (const [k, v] of Object.entries((body?.changes ?? {}) as Record<string, unknown>)) state.dashboardsSettings[k] = { userValue: v };
                return send(res, 200, { settings: state.dashboardsSettings });
            }
        }
        return send(res, 400, { error: `no handler found for uri [${path}] and method [${method}]` });
    };

    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const raw = Buffer.concat(chunks);
            const rawUrl = req.url ?? "/";
            const [rawPath, rawQuery = ""] = rawUrl.split("?", 2);
            const path = rawPath
                .split("/")
                .map((s) => decodeURIComponent(s))
                .join("/");
            const query = Object.fromEntries(new URLSearchParams(rawQuery));
            let body: unknown;
            try {
                body = raw.length > 0 ? JSON.parse(raw.toString("utf8")) : undefined;
            } catch {
                body = raw.toString("utf8");
            }
            const method = req.method ?? "GET";
            const signature = verifySignedRequest({ method, rawUrl, headers: req.headers, body: raw }, { secrets: { [TEST_CREDENTIALS.accessKeyId]: TEST_CREDENTIALS.secretAccessKey }, region, service: "es" });
            const entry: RecordedRequest = { method, rawUrl, path, query, headers: req.headers, body, signature, status: 0 };
            requests.push(entry);
            if (!signature.ok) {
                entry.status = send(res, 403, { message: `The request signature we calculated does not match the signature you provided (${signature.reason})` });
                return;
            }
            if (req.headers["x-amz-security-token"] !== TEST_CREDENTIALS.sessionToken) {
                entry.status = send(res, 403, { message: "The security token included in the request is invalid." });
                return;
            }
            const fault = faults.find((f) => f.remaining > 0 && f.method === method && (typeof f.path === "string" ? f.path === path : f.path.test(path)));
            if (fault) {
                fault.remaining--;
                entry.status = send(res, fault.status, fault.body ?? { error: { type: "injected_fault", reason: `injected HTTP ${fault.status}` }, status: fault.status });
                return;
            }
            entry.status = route(method, path, query, req.headers, body as any, res);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;

    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        writes: () => requests.filter((r) => r.method !== "GET"),
        clearRequests: () => {
            requests.length = 0;
        },
        ...state,
        addIndex: (name, options = {}) => {
            const policy = options.policyId !== undefined ? state.ismPolicies.get(options.policyId) : undefined;
            const version = options.version ?? (policy ? { seqNo: policy.seqNo, primaryTerm: policy.primaryTerm } : undefined);
            const initialized = options.initialized ?? true;
            state.indices.set(name, {
                uuid: `uuid-${++uuidCounter}`,
                policyId: options.policyId,
                ...(options.policyId !== undefined && initialized && version ? { policySeqNo: version.seqNo, policyPrimaryTerm: version.primaryTerm } : {}),
            });
        },
        failChangePolicy: (index, reason) => void (reason === undefined ? changePolicyFailures.delete(index) : changePolicyFailures.set(index, reason)),
        runIsmJobs: () => {
            for (const index of state.indices.values()) {
                if (index.pendingPolicyId === undefined) continue;
                const policy = state.ismPolicies.get(index.pendingPolicyId)!;
                Object.assign(index, { policyId: index.pendingPolicyId, policySeqNo: policy.seqNo, policyPrimaryTerm: policy.primaryTerm, pendingPolicyId: undefined });
            }
        },
        inject: (fault) => faults.push({ ...fault, remaining: fault.times ?? 1 }),
        raceIsmPolicy: (id, times = 1) => races.set(id, times),
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}
