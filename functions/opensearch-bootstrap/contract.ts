// The contract between the LoggingPipeline component (which renders the desired OpenSearch
// settings) and the bootstrap Lambda (which applies them): the typed documents, the event the
// aws.lambda.Invocation sends, and the hash that makes the Invocation re-run exactly when the
// desired settings change. Plain TypeScript, no Pulumi: the handler bundles this file.
import * as crypto from "crypto";

/** An ISM action's retry settings (OpenSearch fills in the same default when absent). */
export interface IsmRetry {
    count: number;
    backoff: "exponential" | "constant" | "linear";
    delay: string;
}

/** One ISM action: exactly one of rollover/delete, plus its retry. */
export interface IsmAction {
    retry: IsmRetry;
    rollover?: { min_size?: string; min_index_age?: string; min_doc_count?: number; min_primary_shard_size?: string };
    delete?: Record<string, never>;
}

export interface IsmTransition {
    state_name: string;
    conditions?: { min_index_age?: string; min_size?: string; min_doc_count?: number };
}

export interface IsmState {
    name: string;
    actions: IsmAction[];
    transitions: IsmTransition[];
}

/** An ISM policy body as `PUT _plugins/_ism/policies/<id>` takes it under `policy`. */
export interface IsmPolicy {
    description: string;
    default_state: string;
    states: IsmState[];
    ism_template: { index_patterns: string[]; priority: number }[];
}

/** A composable index template (`PUT _index_template/<name>`). Settings use flat dotted keys. */
export interface IndexTemplate {
    index_patterns: string[];
    priority: number;
    composed_of: string[];
    template: {
        settings: Record<string, string | number | boolean>;
        mappings: {
            dynamic_templates: Record<string, { path_match?: string; match_mapping_type?: string; mapping: Record<string, unknown> }>[];
            properties: Record<string, unknown>;
        };
    };
    _meta: Record<string, string>;
}

/** A security-plugin role (`PUT _plugins/_security/api/roles/<name>`). */
export interface SecurityRole {
    description: string;
    cluster_permissions: string[];
    index_permissions: { index_patterns: string[]; fls: string[]; masked_fields: string[]; allowed_actions: string[] }[];
    tenant_permissions: { tenant_patterns: string[]; allowed_actions: string[] }[];
}

/** A security-plugin role mapping (`PUT _plugins/_security/api/rolesmapping/<role>`). */
export interface RoleMapping {
    description: string;
    backend_roles: string[];
    hosts: string[];
    users: string[];
}

/** A Dashboards index pattern (saved object type `index-pattern`) in the global tenant. */
export interface IndexPatternSpec {
    /** Saved-object ID (stable, so the bootstrap updates rather than duplicates). */
    id: string;
    title: string;
    timeFieldName: string;
}

/** Everything the bootstrap makes true on the domain. */
/**
 * The security plugin's audit settings we own (the rest of its audit config is left as found).
 * OpenSearch Service publishes audit logs to CloudWatch only when audit logging is also enabled
 * here, in the security plugin.
 */
export interface AuditSettings {
    enabled: boolean;
    audit: { enable_rest: boolean; enable_transport: boolean; disabled_rest_categories: string[]; log_request_body: boolean; exclude_sensitive_headers: boolean };
}

export interface BootstrapDesiredState {
    /** Security-plugin audit logging (AUDIT_LOGS to CloudWatch needs it on). */
    audit: AuditSettings;
    ismPolicy: { id: string; policy: IsmPolicy };
    indexTemplate: { name: string; body: IndexTemplate };
    roles: { name: string; body: SecurityRole }[];
    roleMappings: { role: string; body: RoleMapping }[];
    indexPatterns: IndexPatternSpec[];
    /** Saved-object ID of the Dashboards default index pattern (one of indexPatterns). */
    defaultIndexPatternId: string;
}

/** The Invocation's input. `desiredHash` = desiredHash(endpoint, desired); the handler checks it. */
export interface BootstrapEvent {
    /** Domain endpoint host (https is implied), or a URL (http only for loopback test servers). */
    endpoint: string;
    desiredHash: string;
    desired: BootstrapDesiredState;
}

export type ChangeAction = "created" | "updated" | "unchanged";

export interface BootstrapChange {
    kind: "ism-policy" | "index-template" | "role" | "role-mapping" | "audit-config" | "index-pattern" | "default-index-pattern" | "ism-managed-indices";
    name: string;
    action: ChangeAction;
    /** Paths that differed (updates only); for ism-managed-indices, the indices moved to the stored policy version. */
    differences?: string[];
}

export interface BootstrapSummary {
    desiredHash: string;
    changes: BootstrapChange[];
    requests: number;
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
    return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(
            Object.keys(value as Record<string, unknown>)
                .sort()
                .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
                .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
        );
    }
    return value;
}

/** sha256 (hex) of the canonical JSON of the endpoint and the desired state. */
export function desiredHash(endpoint: string, desired: BootstrapDesiredState): string {
    return crypto.createHash("sha256").update(canonicalJson({ endpoint, desired })).digest("hex");
}

/** The Invocation input for `desired` on `endpoint` (the text the Invocation sends). */
export function bootstrapEvent(endpoint: string, desired: BootstrapDesiredState): BootstrapEvent {
    return { endpoint, desiredHash: desiredHash(endpoint, desired), desired };
}
