// Makes the domain match the desired state: for each object, GET it, compare it with what we
// want, and write only when it is missing or different. A second run against an unchanged domain
// sends only GETs. ISM policy updates carry the seq_no/primary_term of the GET (optimistic
// concurrency); a 409 means someone else wrote in between, so the object is read and compared
// again. Anything else unexpected (5xx after the client's retries, 4xx) fails the run loudly.
import type { AuditSettings, BootstrapChange, BootstrapDesiredState, IndexPatternSpec, RoleMapping, SecurityRole } from "./contract";
import { OpenSearchClient, openSearchHttpError } from "./client";
import { differences, indexPatternDifferences, indexTemplateDifferences, ismPolicyDifferences, roleDifferences, roleMappingDifferences } from "./compare";

export type Log = (message: string, data?: Record<string, unknown>) => void;

export interface ApplyOptions {
    /** Extra rounds after an ISM version conflict (409). Default 3. */
    conflictRetries?: number;
    log?: Log;
}

/** Headers of every Dashboards API call: the XSRF guard and the shared (global) tenant. */
export const DASHBOARDS_HEADERS = { "osd-xsrf": "true", securitytenant: "global" } as const;

/** RFC 3986 encoding of one path segment (also `*`, `'`, `(`, `)`, `!`). */
export function segment(s: string): string {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function parse(body: string): unknown {
    try {
        return body === "" ? undefined : JSON.parse(body);
    } catch {
        return undefined;
    }
}

async function call(client: OpenSearchClient, method: string, path: string, accept: number[], body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: unknown }> {
    const res = await client.request(method, path, body, headers);
    if (!accept.includes(res.status)) throw openSearchHttpError(method, path, res.status, res.body);
    return { status: res.status, json: parse(res.body) };
}

function record(obj: unknown): Record<string, unknown> {
    return obj !== null && typeof obj === "object" && !Array.isArray(obj) ? (obj as Record<string, unknown>) : {};
}

/** GET, compare, PUT when missing or different; for objects whose PUT both creates and updates. */
async function ensure(
    client: OpenSearchClient,
    kind: BootstrapChange["kind"],
    name: string,
    path: string,
    desired: unknown,
    extract: (json: unknown) => unknown,
    compare: (actual: unknown) => string[],
    log: Log,
): Promise<BootstrapChange> {
    const got = await call(client, "GET", path, [200, 404]);
    if (got.status === 200) {
        const differences = compare(extract(got.json));
        if (differences.length === 0) return { kind, name, action: "unchanged" };
        await call(client, "PUT", path, [200, 201], desired);
        log(`${kind} ${name} updated`, { differences });
        return { kind, name, action: "updated", differences };
    }
    await call(client, "PUT", path, [200, 201], desired);
    log(`${kind} ${name} created`);
    return { kind, name, action: "created" };
}

/** The stored ISM policy's version: each managed index records the version it runs (explain: policy_seq_no, policy_primary_term). */
export interface PolicyVersion {
    seqNo: number;
    primaryTerm: number;
}

function versionOf(json: unknown): PolicyVersion | undefined {
    const r = record(json);
    return typeof r._seq_no === "number" && typeof r._primary_term === "number" ? { seqNo: r._seq_no, primaryTerm: r._primary_term } : undefined;
}

async function ensureIsmPolicy(client: OpenSearchClient, desired: BootstrapDesiredState["ismPolicy"], rounds: number, log: Log): Promise<{ change: BootstrapChange; version: PolicyVersion }> {
    const path = `/_plugins/_ism/policies/${segment(desired.id)}`;
    /** The version a write produced (its answer carries it; else read it back). */
    const written = async (json: unknown): Promise<PolicyVersion> => {
        const v = versionOf(json) ?? versionOf((await call(client, "GET", path, [200])).json);
        if (!v) throw new Error(`ism-policy ${desired.id}: neither the write's answer nor a GET carries _seq_no/_primary_term`);
        return v;
    };
    for (let round = 1; round <= rounds; round++) {
        const got = await call(client, "GET", path, [200, 404]);
        if (got.status === 404) {
            const put = await call(client, "PUT", path, [200, 201, 409], { policy: desired.policy });
            if (put.status === 409) {
                log(`ism-policy ${desired.id}: created concurrently, reading it again`, { round });
                continue;
            }
            log(`ism-policy ${desired.id} created`);
            return { change: { kind: "ism-policy", name: desired.id, action: "created" }, version: await written(put.json) };
        }
        const current = record(got.json);
        const version = versionOf(current);
        if (!version) throw new Error(`ism-policy ${desired.id}: the GET answer carries no _seq_no/_primary_term, refusing an unconditional overwrite`);
        const differences = ismPolicyDifferences(desired.policy, current.policy);
        if (differences.length === 0) return { change: { kind: "ism-policy", name: desired.id, action: "unchanged" }, version };
        const put = await call(client, "PUT", `${path}?if_seq_no=${version.seqNo}&if_primary_term=${version.primaryTerm}`, [200, 201, 409], { policy: desired.policy });
        if (put.status === 409) {
            log(`ism-policy ${desired.id}: version conflict (seq_no ${version.seqNo}, primary_term ${version.primaryTerm}), reading it again`, { round });
            continue;
        }
        log(`ism-policy ${desired.id} updated`, { differences });
        return { change: { kind: "ism-policy", name: desired.id, action: "updated", differences }, version: await written(put.json) };
    }
    throw new Error(`ism-policy ${desired.id}: still conflicting after ${rounds} rounds of read-compare-write`);
}

/** The longest comma-separated index list one change_policy request carries in its path (OpenSearch's request line limit is 4 KB). */
export const MAX_INDEX_LIST_CHARS = 3000;

/** Encoded index names joined by commas, in lists of at most `maxChars` (a longer single name gets a list of its own). */
export function indexListChunks(names: readonly string[], maxChars: number = MAX_INDEX_LIST_CHARS): string[] {
    const chunks: string[] = [];
    let current = "";
    for (const name of names.map(segment)) {
        if (current !== "" && current.length + 1 + name.length > maxChars) {
            chunks.push(current);
            current = "";
        }
        current = current === "" ? name : `${current},${name}`;
    }
    if (current !== "") chunks.push(current);
    return chunks;
}

/**
 * Converges from the cluster's state, not from whether the policy document changed: every index
 * that ISM manages with this policy but at another version than the stored one (an update whose
 * change_policy failed or never ran, a policy changed by hand) is moved to the stored version.
 * Indices that are not managed, or managed by another policy, are left alone. Any index that
 * change_policy reports in `failed_indices` fails the run (the next run moves what is still
 * behind). A change_policy takes effect at the index's next ISM run, so a run in between posts it
 * again (harmless).
 */
async function convergeManagedIndices(client: OpenSearchClient, policyId: string, version: PolicyVersion, patterns: readonly string[], log: Log): Promise<BootstrapChange> {
    const behind = new Set<string>();
    let managed = 0;
    for (const pattern of patterns) {
        const explained = record((await call(client, "GET", `/_plugins/_ism/explain/${segment(pattern)}`, [200])).json);
        for (const [index, value] of Object.entries(explained)) {
            const info = record(value); // (total_managed_indices is a number: no policy_id)
            if (info.policy_id !== policyId) continue;
            managed++;
            if (info.policy_seq_no !== version.seqNo || info.policy_primary_term !== version.primaryTerm) behind.add(index);
        }
    }
    const stale = [...behind].sort(); // (code-unit order: the same in every locale)
    if (stale.length === 0) return { kind: "ism-managed-indices", name: policyId, action: "unchanged" };
    const failed: string[] = [];
    let updated = 0;
    for (const list of indexListChunks(stale)) {
        const body = record((await call(client, "POST", `/_plugins/_ism/change_policy/${list}`, [200], { policy_id: policyId })).json);
        const failedIndices = Array.isArray(body.failed_indices) ? body.failed_indices.map(record) : [];
        for (const f of failedIndices) failed.push(`${String(f.index_name)}: ${String(f.reason)}`);
        if (body.failures === true && failedIndices.length === 0) failed.push(`${list}: failures reported without failed_indices`);
        if (typeof body.updated_indices === "number") updated += body.updated_indices;
    }
    log(`ism change_policy -> ${policyId} (seq_no ${version.seqNo}, primary_term ${version.primaryTerm})`, { managed, behind: stale.length, updated, failed: failed.length });
    if (failed.length > 0) {
        const shown = failed.slice(0, 10).join("; ") + (failed.length > 10 ? `; and ${failed.length - 10} more` : "");
        throw new Error(`ism change_policy to ${policyId}: ${failed.length} of ${stale.length} indices behind the policy failed to move (a later run moves them): ${shown}`);
    }
    return { kind: "ism-managed-indices", name: policyId, action: "updated", differences: stale };
}

async function ensureIndexPattern(client: OpenSearchClient, p: IndexPatternSpec, log: Log): Promise<BootstrapChange> {
    const path = `/_dashboards/api/saved_objects/index-pattern/${segment(p.id)}`;
    const headers = { ...DASHBOARDS_HEADERS };
    const attributes = { title: p.title, timeFieldName: p.timeFieldName };
    const got = await call(client, "GET", path, [200, 404], undefined, headers);
    if (got.status === 404) {
        await call(client, "POST", path, [200], { attributes }, headers);
        log(`index-pattern ${p.id} created`, { title: p.title });
        return { kind: "index-pattern", name: p.id, action: "created" };
    }
    const differences = indexPatternDifferences(p, got.json);
    if (differences.length === 0) return { kind: "index-pattern", name: p.id, action: "unchanged" };
    await call(client, "PUT", path, [200], { attributes }, headers);
    log(`index-pattern ${p.id} updated`, { differences });
    return { kind: "index-pattern", name: p.id, action: "updated", differences };
}

async function ensureDefaultIndexPattern(client: OpenSearchClient, id: string, log: Log): Promise<BootstrapChange> {
    const path = "/_dashboards/api/opensearch-dashboards/settings";
    const headers = { ...DASHBOARDS_HEADERS };
    const got = await call(client, "GET", path, [200], undefined, headers);
    const current = record(record(record(got.json).settings).defaultIndex).userValue;
    if (current === id) return { kind: "default-index-pattern", name: id, action: "unchanged" };
    await call(client, "POST", path, [200], { changes: { defaultIndex: id } }, headers);
    log(`default index pattern set to ${id}`, { previous: current ?? null });
    return { kind: "default-index-pattern", name: id, action: current === undefined ? "created" : "updated" };
}

/**
 * Read-modify-write of the security plugin's audit config: only the fields we own are compared
 * and set; everything else in the config (compliance settings, ignore lists) is kept as found.
 */
async function ensureAuditConfig(client: OpenSearchClient, desired: AuditSettings, log: Log): Promise<BootstrapChange> {
    const path = "/_plugins/_security/api/audit/config";
    const got = await call(client, "GET", path, [200]);
    const current = record(record(got.json).config);
    const found = { enabled: current.enabled, audit: Object.fromEntries(Object.keys(desired.audit).map((k) => [k, record(current.audit)[k]])) };
    const diffs = differences(desired, found);
    if (diffs.length === 0) return { kind: "audit-config", name: "audit", action: "unchanged" };
    await call(client, "PUT", path, [200], { ...current, enabled: desired.enabled, audit: { ...record(current.audit), ...desired.audit } });
    log("audit-config updated", { differences: diffs });
    return { kind: "audit-config", name: "audit", action: "updated", differences: diffs };
}

/** Applies the desired state in a fixed order; returns what was created, updated or left alone. */
export async function applyDesiredState(client: OpenSearchClient, desired: BootstrapDesiredState, options: ApplyOptions = {}): Promise<BootstrapChange[]> {
    const log: Log = options.log ?? (() => undefined);
    const rounds = 1 + Math.max(0, options.conflictRetries ?? 3);
    const changes: BootstrapChange[] = [];

    const ism = await ensureIsmPolicy(client, desired.ismPolicy, rounds, log);
    changes.push(ism.change);
    const patterns = [...new Set(desired.ismPolicy.policy.ism_template.flatMap((t) => t.index_patterns))];
    changes.push(await convergeManagedIndices(client, desired.ismPolicy.id, ism.version, patterns, log));

    const t = desired.indexTemplate;
    changes.push(
        await ensure(client, "index-template", t.name, `/_index_template/${segment(t.name)}`, t.body, (json) => {
            const found = (record(json).index_templates as unknown[] | undefined)?.find((x) => record(x).name === t.name);
            return record(found).index_template;
        }, (actual) => indexTemplateDifferences(t.body, actual), log),
    );

    for (const role of desired.roles) {
        changes.push(
            await ensure(client, "role", role.name, `/_plugins/_security/api/roles/${segment(role.name)}`, role.body, (json) => record(json)[role.name], (actual) => roleDifferences(role.body as SecurityRole, actual), log),
        );
    }
    for (const mapping of desired.roleMappings) {
        changes.push(
            await ensure(
                client,
                "role-mapping",
                mapping.role,
                `/_plugins/_security/api/rolesmapping/${segment(mapping.role)}`,
                mapping.body,
                (json) => record(json)[mapping.role],
                (actual) => roleMappingDifferences(mapping.body as RoleMapping, actual),
                log,
            ),
        );
    }

    changes.push(await ensureAuditConfig(client, desired.audit, log));

    for (const p of desired.indexPatterns) changes.push(await ensureIndexPattern(client, p, log));
    changes.push(await ensureDefaultIndexPattern(client, desired.defaultIndexPatternId, log));
    return changes;
}
