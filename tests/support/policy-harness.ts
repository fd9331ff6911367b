// Runs the policy pack's rules without the Pulumi CLI: resource rules on one resource's inputs,
// stack rules on every resource of a stack built under mocks (with the property dependencies a
// preview would give, rebuilt from the ids, names and ARNs the mocks answered with).
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { DEFAULT_CONFIG, PackConfig, RULES, Rule } from "../../policy/rules";
import type { Recorder } from "./pulumi-harness";

export interface Violation {
    rule: string;
    level: string;
    message: string;
    resource?: string;
}

function policyResource(type: string, props: Record<string, any>, name = "r", urn = `urn:pulumi:test::p::${type}::${name}`): PolicyResource {
    return { type, props, urn, name, opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] }, dependencies: [], propertyDependencies: {}, isType: () => false, asType: () => undefined } as unknown as PolicyResource;
}

/** The violations one rule reports for one resource (resource rules) or a list of resources (stack rules). */
export async function evaluate(rule: Rule, resources: PolicyResource[], cfg: Partial<PackConfig> = {}): Promise<Violation[]> {
    const out: Violation[] = [];
    const getConfig = <T extends object>() => ({ ...DEFAULT_CONFIG, ...cfg }) as unknown as T;
    const p = rule.policy;
    if ("validateResource" in p && p.validateResource) {
        const fns = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
        for (const r of resources) {
            for (const fn of fns) {
                await fn({ type: r.type, props: r.props, urn: r.urn, name: r.name, opts: r.opts, stackTags: new Map(), getConfig, isType: () => false, asType: () => undefined, notApplicable: () => undefined as never } as never, (message: string) =>
                    out.push({ rule: p.name, level: p.enforcementLevel ?? "advisory", message, resource: `${r.type} ${r.name}` }),
                );
            }
        }
    }
    if ("validateStack" in p) {
        await (p as StackValidationPolicy).validateStack({ resources, stackTags: new Map(), getConfig, notApplicable: () => undefined as never } as never, (message: string, urn?: string) =>
            out.push({ rule: p.name, level: p.enforcementLevel ?? "advisory", message, resource: urn }),
        );
    }
    return out;
}

/** Resources of one fixture: [type, props, name?]. */
export function fixture(...items: Array<[string, Record<string, any>, string?]>): PolicyResource[] {
    return items.map(([type, props, name]) => policyResource(type, props, name));
}

/** Links a fixture's property to another resource (what a preview gives for an Output input). */
export function link(from: PolicyResource, prop: string, to: PolicyResource): void {
    (from.propertyDependencies as Record<string, PolicyResource[]>)[prop] = [...(from.propertyDependencies[prop] ?? []), to];
}

/** A stack built under mocks, as the pack sees it in a preview. */
export function stackResources(rec: Recorder): PolicyResource[] {
    const resources = rec.resources.map((r) => policyResource(r.type, r.inputs, r.name, r.urn));
    // What identifies each resource in another's inputs: its id, name, bucket name and ARN (mock state).
    const byValue = new Map<string, PolicyResource>();
    rec.resources.forEach((r, i) => {
        for (const v of [`${r.name}-id`, r.state?.arn, r.state?.name, r.state?.bucket, r.state?.domainName]) if (typeof v === "string" && v.length > 0 && !byValue.has(v)) byValue.set(v, resources[i]);
    });
    resources.forEach((pr) => {
        for (const [key, value] of Object.entries(pr.props ?? {})) {
            const deps = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string").map((v) => byValue.get(v)).filter((d): d is PolicyResource => d !== undefined && d !== pr);
            if (deps.length > 0) (pr.propertyDependencies as Record<string, PolicyResource[]>)[key] = deps;
        }
    });
    return resources;
}

export async function evaluateAll(resources: PolicyResource[], cfg: Partial<PackConfig> = {}): Promise<Violation[]> {
    const all: Violation[] = [];
    for (const rule of RULES) all.push(...(await evaluate(rule, resources, cfg)));
    return all;
}

export type { ResourceValidationPolicy };
