// The rule helpers: a resource rule is a check of one resource's inputs, a stack rule a check
// across the resources of a preview (a bucket and its public access block are two resources).
// Checks return their violation messages, so the tests call them like the pack does.
import type { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";

/** The pack's config, with its defaults (PulumiPolicy.yaml / --policy-pack-config). */
export interface PackConfig {
    /** Production stack: RDS deletion protection required. */
    productionProfile: boolean;
    /** Subjects (`Kind:namespace/name` or `Group:name`) allowed in a cluster-admin binding. */
    allowedClusterAdminSubjects: string[];
    /** The one hostPath the Fluent Bit DaemonSet may mount (its buffers and offsets). */
    fluentBitStatePath: string;
    /** Substrings of the names of buckets that hold state (versioning or object lock required). */
    stateBucketPatterns: string[];
}

export const DEFAULT_CONFIG: PackConfig = { productionProfile: false, allowedClusterAdminSubjects: [], fluentBitStatePath: "/var/fluent-bit/state", stateBucketPatterns: ["kops-state", "state"] };

/** The JSON schema of the config (what `pulumi preview --policy-pack-config` validates). */
export const CONFIG_SCHEMA = {
    properties: {
        productionProfile: { type: "boolean", default: DEFAULT_CONFIG.productionProfile },
        allowedClusterAdminSubjects: { type: "array", items: { type: "string" }, default: DEFAULT_CONFIG.allowedClusterAdminSubjects },
        fluentBitStatePath: { type: "string", default: DEFAULT_CONFIG.fluentBitStatePath },
        stateBucketPatterns: { type: "array", items: { type: "string" }, default: DEFAULT_CONFIG.stateBucketPatterns },
    },
} as const;

export function config(args: { getConfig<T extends object>(): T }): PackConfig {
    let c: Partial<PackConfig> = {};
    try {
        c = args.getConfig<Partial<PackConfig>>() ?? {};
    } catch {
        c = {};
    }
    return { ...DEFAULT_CONFIG, ...Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) };
}

export type Check = (props: Record<string, any>, cfg: PackConfig, type: string) => string[];
export type StackCheck = (resources: PolicyResource[], cfg: PackConfig) => Array<{ message: string; urn?: string }>;

export interface Rule {
    policy: ResourceValidationPolicy | StackValidationPolicy;
    /** Resource types a resource rule looks at (stack rules: the types they read). */
    types: string[];
}

/** What every rule declares: its name, description, level and the pack's config schema. */
function header(name: string, description: string, enforcementLevel: "mandatory" | "advisory") {
    return { name, description, enforcementLevel, configSchema: CONFIG_SCHEMA as never };
}

export function resourceRule(name: string, description: string, types: string[], check: Check, enforcementLevel: "mandatory" | "advisory" = "mandatory"): Rule {
    return {
        types,
        policy: {
            ...header(name, description, enforcementLevel),
            validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
                if (!types.includes(args.type)) return;
                for (const m of check(args.props ?? {}, config(args), args.type)) report(m);
            },
        },
    };
}

export function stackRule(name: string, description: string, types: string[], check: StackCheck, enforcementLevel: "mandatory" | "advisory" = "mandatory"): Rule {
    return {
        types,
        policy: {
            ...header(name, description, enforcementLevel),
            validateStack: (args: StackValidationArgs, report: ReportViolation) => {
                for (const v of check(args.resources, config(args))) report(v.message, v.urn);
            },
        },
    };
}

/** A policy document given as JSON text or an object. */
export function doc(value: unknown): { Statement: Array<Record<string, any>> } | undefined {
    if (value === undefined || value === null) return undefined;
    try {
        const d = typeof value === "string" ? JSON.parse(value) : value;
        return { Statement: Array.isArray(d?.Statement) ? d.Statement : d?.Statement ? [d.Statement] : [] };
    } catch {
        return undefined;
    }
}

export const list = (v: unknown): any[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** The resources of a stack of one of these types. */
export const ofType = (rs: PolicyResource[], ...types: string[]) => rs.filter((r) => types.includes(r.type));

/**
 * Whether `child` (a bucket's configuration, an instance's parameter group) points at `target`:
 * through the property's dependency (a real preview) or, when the value is known, by its id/name.
 */
export function references(child: PolicyResource, prop: string, target: PolicyResource, names: unknown[]): boolean {
    if ((child.propertyDependencies?.[prop] ?? []).some((d) => d.urn === target.urn)) return true;
    const v = child.props?.[prop];
    return v !== undefined && names.filter((n) => n !== undefined).includes(v);
}
