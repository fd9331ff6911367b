// The defaults each sizing profile gives, by config key: the components' own PROFILE_DEFAULTS
// tables, flattened. README.md's profile table is rendered from this (scripts/render-docs.ts)
// and a test keeps the two equal.
import { CLUSTER_PROFILE_DEFAULTS } from "../../components/cluster/schema";
import { Profile } from "../../components/common/schema";
import { REGISTRAR_PROFILE_DEFAULTS } from "../../components/dns-registrar/schema";
import { LOGGING_PROFILE_DEFAULTS } from "../../components/logging/schema";
import { NETWORK_PROFILE_DEFAULTS } from "../../components/network/schema";
import { OBSERVABILITY_PROFILE_DEFAULTS } from "../../components/fleet-observability/schema";
import { PROVISIONER_PROFILE_DEFAULTS } from "../../components/provisioner/schema";
import { THANOS_FEDERATION_PROFILE_DEFAULTS } from "../../components/thanos-federation/schema";
import { NAMESPACE } from "./validate";

/** Each config section and its component's profile defaults (keys the composition supplies are stack-level). */
export const SECTION_PROFILE_DEFAULTS: ReadonlyArray<{ section: string; component: string; defaults: Record<Profile, unknown> }> = [
    { section: "network", component: "CommandControlNetwork", defaults: NETWORK_PROFILE_DEFAULTS },
    { section: "cluster", component: "CommandControlCluster", defaults: CLUSTER_PROFILE_DEFAULTS },
    { section: "monitoring", component: "ThanosFederation", defaults: THANOS_FEDERATION_PROFILE_DEFAULTS },
    { section: "logging", component: "LoggingPipeline", defaults: LOGGING_PROFILE_DEFAULTS },
    { section: "provisioner", component: "ProvisionerServer", defaults: PROVISIONER_PROFILE_DEFAULTS },
    { section: "registrar", component: "DnsRegistrar", defaults: REGISTRAR_PROFILE_DEFAULTS },
    { section: "observability", component: "FleetObservability", defaults: OBSERVABILITY_PROFILE_DEFAULTS },
];

/** Keys every component takes from the stack, not from its section (`cloud-cnc:<key>` instead). */
const STACK_LEVEL = new Set(["deletionProtection"]);

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function render(v: unknown): string {
    if (Array.isArray(v) && v.every(isObject)) return v.map((x) => render(x)).join("; ");
    if (isObject(v)) {
        const empty = (x: unknown) => (Array.isArray(x) && x.length === 0) || (isObject(x) && Object.keys(x).length === 0);
        return Object.entries(v)
            .filter(([, x]) => !empty(x))
            .map(([k, x]) => `${k}: ${Array.isArray(x) ? x.join("/") : render(x)}`)
            .join(", ");
    }
    if (Array.isArray(v)) return v.join(", ");
    return String(v);
}

/** Flattens nested objects to dotted keys; arrays (e.g. node groups) stay one value. */
function flatten(prefix: string, v: unknown, out: Map<string, unknown>): void {
    if (isObject(v)) for (const [k, x] of Object.entries(v)) flatten(prefix ? `${prefix}.${k}` : k, x, out);
    else out.set(prefix, v);
}

/** One row per config key whose default depends on the profile. */
export function profileRows(): Array<{ key: string; development: string; production: string }> {
    const rows = new Map<string, { development: string; production: string }>();
    for (const { section, defaults } of SECTION_PROFILE_DEFAULTS) {
        const flat: Record<Profile, Map<string, unknown>> = { production: new Map(), development: new Map() };
        flatten("", defaults.production, flat.production);
        flatten("", defaults.development, flat.development);
        for (const path of new Set([...flat.production.keys(), ...flat.development.keys()])) {
            const key = STACK_LEVEL.has(path) ? `${NAMESPACE}:${path}` : `${NAMESPACE}:${section}.${path}`;
            const row = { development: render(flat.development.get(path) ?? "—"), production: render(flat.production.get(path) ?? "—") };
            const seen = rows.get(key);
            if (seen && (seen.development !== row.development || seen.production !== row.production)) {
                throw new Error(`${key}: components disagree on its profile defaults`);
            }
            rows.set(key, row);
        }
    }
    return [...rows.entries()].map(([key, r]) => ({ key, ...r }));
}

/** The markdown table README.md carries between `<!-- profiles:begin -->` and `<!-- profiles:end -->`. */
export function profileTable(): string {
    const lines = ["| config key | development | production |", "|---|---|---|"];
    for (const r of profileRows()) lines.push(`| \`${r.key}\` | ${r.development} | ${r.production} |`);
    return lines.join("\n");
}
