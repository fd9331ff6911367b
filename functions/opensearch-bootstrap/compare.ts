// How the bootstrap decides "different": the document OpenSearch returns for a GET is not the
// document that was PUT — the engine adds metadata (policy_id, last_updated_time, seq_no),
// defaults (ISM retry, rollover copy_alias) and rewrites index settings (nested, stringified).
// Each kind is normalized to the shape we PUT, then compared field by field. Pure functions.
import type { IndexPatternSpec, IndexTemplate, IsmPolicy, RoleMapping, SecurityRole } from "./contract";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isPrimitiveArray(v: unknown[]): boolean {
    return v.every((x) => x === null || ["string", "number", "boolean"].includes(typeof x));
}

/**
 * Paths where `actual` differs from `desired`. Keys present only in `actual` count as differences
 * unless listed in `ignoreExtraKeys` (server-managed keys). Arrays of plain values are compared as
 * sets (permissions, patterns and backend roles have no meaningful order); other arrays by position.
 */
export function differences(desired: unknown, actual: unknown, ignoreExtraKeys: ReadonlySet<string> = new Set(), path = ""): string[] {
    if (Array.isArray(desired)) {
        if (!Array.isArray(actual)) return [path || "(root)"];
        if (isPrimitiveArray(desired) && isPrimitiveArray(actual)) {
            const a = [...new Set(desired.map((x) => JSON.stringify(x)))].sort();
            const b = [...new Set(actual.map((x) => JSON.stringify(x)))].sort();
            return a.length === b.length && a.every((x, i) => x === b[i]) ? [] : [path || "(root)"];
        }
        if (desired.length !== actual.length) return [`${path || "(root)"}.length`];
        return desired.flatMap((d, i) => differences(d, actual[i], ignoreExtraKeys, `${path}[${i}]`));
    }
    if (isObject(desired)) {
        if (!isObject(actual)) return [path || "(root)"];
        const out: string[] = [];
        for (const [k, v] of Object.entries(desired)) {
            if (v === undefined) continue;
            const at = path ? `${path}.${k}` : k;
            if (!(k in actual)) out.push(at);
            else out.push(...differences(v, actual[k], ignoreExtraKeys, at));
        }
        for (const k of Object.keys(actual)) {
            if (k in desired || ignoreExtraKeys.has(k)) continue;
            out.push(path ? `${path}.${k}` : k);
        }
        return out;
    }
    return desired === actual ? [] : [path || "(root)"];
}

/**
 * Keys OpenSearch adds to a stored ISM policy (metadata and defaults we do not set). An array, not
 * a Set: module-level Sets do not survive CallbackFunction's closure serialization.
 */
export const ISM_SERVER_KEYS: readonly string[] = ["policy_id", "last_updated_time", "schema_version", "error_notification", "user", "copy_alias"];

/** Differences between the desired ISM policy and the `policy` object of a GET response. */
export function ismPolicyDifferences(desired: IsmPolicy, actualPolicy: unknown): string[] {
    return differences(desired, actualPolicy, new Set(ISM_SERVER_KEYS));
}

/**
 * Index settings as flat `index.*` keys with string values — the form to compare, since a GET
 * returns them nested (`{"index":{"number_of_shards":"1"}}`) and stringified.
 */
export function flattenSettings(settings: unknown, prefix = ""): Record<string, string> {
    const out: Record<string, string> = {};
    if (!isObject(settings)) return out;
    for (const [k, v] of Object.entries(settings)) {
        const key = prefix ? `${prefix}.${k}` : k;
        if (isObject(v)) Object.assign(out, flattenSettings(v, key));
        else out[key] = Array.isArray(v) ? v.map(String).join(",") : String(v);
    }
    if (prefix === "") {
        return Object.fromEntries(Object.entries(out).map(([k, v]) => [k.startsWith("index.") ? k : `index.${k}`, v]));
    }
    return out;
}

/** Differences between the desired index template and the `index_template` object of a GET response. */
export function indexTemplateDifferences(desired: IndexTemplate, actual: unknown): string[] {
    if (!isObject(actual)) return ["(root)"];
    const template = isObject(actual.template) ? actual.template : {};
    const normalizedActual = {
        ...actual,
        composed_of: actual.composed_of ?? [],
        template: { ...template, settings: flattenSettings(template.settings) },
    };
    const normalizedDesired = { ...desired, template: { ...desired.template, settings: flattenSettings(desired.template.settings) } };
    return differences(normalizedDesired, normalizedActual, new Set(["version", "data_stream", "aliases"]));
}

/** The keys of a role GET response that describe the role itself (the rest is metadata). */
export function roleDifferences(desired: SecurityRole, actual: unknown): string[] {
    if (!isObject(actual)) return ["(root)"];
    const indexPermissions = Array.isArray(actual.index_permissions)
        ? actual.index_permissions.map((p) => (isObject(p) ? { fls: [], masked_fields: [], ...p } : p))
        : actual.index_permissions;
    const normalized = {
        description: actual.description ?? "",
        cluster_permissions: actual.cluster_permissions ?? [],
        index_permissions: indexPermissions ?? [],
        tenant_permissions: actual.tenant_permissions ?? [],
    };
    return differences(desired, normalized, new Set(["dls"]));
}

/** Differences between a desired role mapping and a GET response's mapping. */
export function roleMappingDifferences(desired: RoleMapping, actual: unknown): string[] {
    if (!isObject(actual)) return ["(root)"];
    const normalized = {
        description: actual.description ?? "",
        backend_roles: actual.backend_roles ?? [],
        hosts: actual.hosts ?? [],
        users: actual.users ?? [],
    };
    return differences(desired, normalized);
}

/** Differences in the attributes we own (title, time field) of a saved index pattern. */
export function indexPatternDifferences(desired: IndexPatternSpec, actual: unknown): string[] {
    const attributes = isObject(actual) && isObject(actual.attributes) ? actual.attributes : {};
    return differences({ title: desired.title, timeFieldName: desired.timeFieldName }, { title: attributes.title, timeFieldName: attributes.timeFieldName });
}

export type { Json };
