// The stack config: one schema for every setting of a stack, validated before anything is
// registered. All problems are reported together, each naming the key, the expected form and
// the value found.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { InvalidArgsError, Problem } from "../../components/common/errors";
import { EXPECTED, NAME_RE, environmentName, isKnownRegion, namePrefix, tags } from "../../components/common/formats";
import { Profile, addIssue, profileSchema } from "../../components/common/schema";
import { partitionProblem, regionPartition } from "../../components/cluster/plan";
import { clusterConfigSchema } from "./cluster";
import { PUBLIC_CAPABLE_APPS, ingressConfigSchema } from "./ingress";
import { loggingConfigSchema } from "./logging";
import { monitoringConfigSchema } from "./monitoring";
import { observabilityConfigSchema } from "./observability";
import { networkConfigSchema } from "./network";
import { PROVISIONER_SECRET_KEYS, provisionerConfigSchema } from "./provisioner";
import { registrarConfigSchema } from "./registrar";
import type { StackSecrets } from "../args";
import { defaultTags } from "../args";
import { componentProblems } from "./components";
import { nameCollisionProblems } from "./names";
import { NAMESPACE, configProblems } from "./validate";


/** Environments whose name alone gives the sizing profile (and the preview outputs say so). */
export const PROFILE_OF_ENVIRONMENT: Readonly<Record<string, Profile>> = { dev: "development", prod: "production" };

export const PROFILE_EXPECTED = 'a sizing profile: "production" or "development" (required unless the environment is exactly dev or prod)';

export const UNPROTECTED_PRODUCTION_EXPECTED =
    `true (or unset) under the production profile: it keeps the database's deletion protection and final snapshot, and retains keys, buckets, the domain and zones; set ${NAMESPACE}:allowUnprotectedProduction: true to deploy production without them`;

/** The warning of a production stack deployed without protection (allowUnprotectedProduction). */
export const UNPROTECTED_PRODUCTION_WARNING =
    `production profile with ${NAMESPACE}:deletionProtection: false (${NAMESPACE}:allowUnprotectedProduction): ` +
    "the database has no deletion protection and is deleted without a final snapshot, and keys, buckets, the OpenSearch domain and the zones are not protected or retained: a `pulumi destroy` or a replacement loses their data";

/** Top-level keys of the `cloud-cnc` namespace. Sections are the components' own schemas. */
export const stackConfigSchema = z
    .object({
        environment: environmentName(),
        prefix: namePrefix().default("cloud"),
        /** Sizing profile: every environment-dependent default reads it. Derived only for the environments dev and prod. */
        profile: profileSchema.optional(),
        /** Protect and retain stateful resources. Default: true under the production profile, which refuses false unless allowUnprotectedProduction. */
        deletionProtection: z.boolean().optional(),
        /**
         * Deploy a production-profile stack with deletionProtection: false (no protection, no final
         * snapshots). Default false; when set, every preview warns about it.
         */
        allowUnprotectedProduction: z.boolean().default(false),
        tags: tags().default({}),
        /**
         * Whether this stack is deployed from a runner inside the VPC (or a network routed to it),
         * which can reach a private-only EKS API endpoint. Without it, a private-only endpoint
         * gets a warning in every preview: a deployment from outside cannot reach the cluster.
         */
        runnerInVpc: z.boolean().default(false),
        /** CommandControlNetwork: VPC, endpoints, private zones, Resolver, Transit Gateway, flow logs. */
        network: networkConfigSchema,
        /** CommandControlCluster: EKS, access entries, node groups, add-ons, LB controller, autoscaling. */
        cluster: clusterConfigSchema,
        /** ThanosFederation: metrics bucket, kube-prometheus-stack, Thanos, federation mode. */
        monitoring: monitoringConfigSchema.prefault({}),
        /** LoggingPipeline: OpenSearch domain, ISM retention, bootstrap Lambda, Fluent Bit. */
        logging: loggingConfigSchema.prefault({}),
        /** DnsRegistrar: registration Lambda, events, schedule, DLQ, alarms, RBAC. */
        registrar: registrarConfigSchema,
        /** ProvisionerServer: RDS, kops state bucket, IRSA, provisioner Deployment/Service/Ingress. */
        provisioner: provisionerConfigSchema,
        /** FleetObservability: dashboards, alert rules and runbook links, probes, drift between provisioned, registered and reporting clusters. */
        observability: observabilityConfigSchema,
        /**
         * AppIngress and the DNS layer: every UI on one internal ALB with a certificate and OIDC sign-in,
         * records for every host. Optional: without it the UIs are reached by port-forward only (a
         * preview warning says so). Needs the secret oidcClientSecret.
         */
        ingress: ingressConfigSchema.optional(),
    })
    .strict()
    .superRefine((cfg, ctx) => {
        // (An invalid environment name is reported by itself: it says nothing about the profile.)
        if (cfg.profile === undefined && typeof cfg.environment === "string" && NAME_RE.test(cfg.environment) && !(cfg.environment in PROFILE_OF_ENVIRONMENT)) {
            addIssue(ctx, ["profile"], PROFILE_EXPECTED, undefined);
        }
        const profile = cfg.profile ?? PROFILE_OF_ENVIRONMENT[cfg.environment as string];
        // A public app must be one the stack serves with this config.
        const publicApps: unknown = cfg.ingress?.publicApps;
        if (Array.isArray(publicApps)) {
            const served = new Set(uiAppsOf(cfg as Parameters<typeof uiAppsOf>[0]));
            publicApps.forEach((app, i) => {
                if ((PUBLIC_CAPABLE_APPS as readonly unknown[]).includes(app) && !served.has(app)) {
                    addIssue(ctx, ["ingress", "publicApps", i], `a UI this stack serves (prometheus only when monitoring.federation.mode is prometheus-federation): one of ${[...served].filter((a) => a !== "headlamp").join(", ")}`, app);
                }
            });
        }
        // OpenSearch's SAML sign-in lives on the ingress section's custom endpoint, certificate and groups.
        if (cfg.logging?.saml !== undefined && cfg.ingress === undefined) {
            addIssue(ctx, ["logging", "saml"], `nothing without a ${NAMESPACE}:ingress section (SAML sign-in uses its custom endpoint opensearch.<apps domain>, its certificate and its groups)`, cfg.logging.saml);
        }
        if (profile === "production" && cfg.deletionProtection === false && cfg.allowUnprotectedProduction !== true) {
            addIssue(ctx, ["deletionProtection"], UNPROTECTED_PRODUCTION_EXPECTED, cfg.deletionProtection);
        }
    });

/** A secret config key: never part of plain config; read with (require|get)Secret by the composition. */
export interface SecretKey {
    /** What the secret is. */
    description: string;
    /** Whether the stack cannot deploy without it. */
    required: boolean;
}

/** Every secret key of the namespace. */
export const SECRET_KEYS: Record<string, SecretKey> = {
    alertWebhookUrl: { description: "the Mattermost incoming webhook URL Alertmanager sends alerts to", required: true },
    deadMansSwitchUrl: { description: "the heartbeat URL of a dead man's switch service Alertmanager pings every minute with the Watchdog", required: false },
    provisionerGitToken: { description: PROVISIONER_SECRET_KEYS.provisionerGitToken, required: true },
    provisionerSshPrivateKey: { description: PROVISIONER_SECRET_KEYS.provisionerSshPrivateKey, required: false },
    oidcClientSecret: { description: "the OIDC client secret of ingress.oidc.clientId at the IdP (required with cloud-cnc:ingress)", required: false },
};

/** The UIs the stack serves with this config (the rows of AppIngress's table, headlamp excluded: AppIngress adds it). */
export function uiAppsOf(cfg: { monitoring?: { federation?: { mode?: unknown } }; ingress?: { headlamp?: { enabled?: unknown } } }): string[] {
    return [
        "grafana",
        "thanos",
        "alertmanager",
        "provisioner",
        ...(cfg.ingress?.headlamp?.enabled === true ? ["headlamp"] : []),
        ...(cfg.monitoring?.federation?.mode === "prometheus-federation" ? ["prometheus"] : []),
    ];
}

/** The validated config: profile and deletion protection resolved, and notes for the preview outputs. */
/** Reads every secret of the namespace: required ones with requireSecret, the others with getSecret. */
export function readSecrets(config: pulumi.Config): { [K in keyof StackSecrets]: pulumi.Output<string> } {
    const sshPrivateKey = config.getSecret("provisionerSshPrivateKey");
    const deadMansSwitchUrl = config.getSecret("deadMansSwitchUrl");
    const oidcClientSecret = config.getSecret("oidcClientSecret");
    return {
        ...(oidcClientSecret ? { oidcClientSecret } : {}),
        alertWebhookUrl: config.requireSecret("alertWebhookUrl"),
        ...(deadMansSwitchUrl ? { deadMansSwitchUrl } : {}),
        provisionerGitToken: config.requireSecret("provisionerGitToken"),
        ...(sshPrivateKey ? { provisionerSshPrivateKey: sshPrivateKey } : {}),
    };
}

export type StackConfig = Omit<z.infer<typeof stackConfigSchema>, "profile" | "deletionProtection"> & {
    region: string;
    profile: Profile;
    deletionProtection: boolean;
    /** What the preview outputs say about the config (a derived profile, ...). */
    notes: string[];
    /** What the preview warns about: the config is valid, but the deployment will likely fail or surprise (shown with pulumi.log.warn). */
    warnings: string[];
};

/** What `environment` must be in the stack `stackName`. */
export function environmentOfStackExpected(stackName: string): string {
    return `the stack's name, ${JSON.stringify(stackName)} (Pulumi.${stackName}.yaml): physical names are <prefix>-<environment>-<role>, so another environment's name would take over that stack's resources`;
}

/** The warning of a private-only API endpoint without an in-VPC runner. */
export const PRIVATE_ENDPOINT_WARNING =
    `the EKS API endpoint is private only (${NAMESPACE}:cluster.endpointPublicAccess is not true) and ${NAMESPACE}:runnerInVpc is not true: ` +
    "a deployment that runs outside the VPC (a laptop, a hosted CI runner) cannot reach the cluster, and every Kubernetes resource and Helm release times out. " +
    `Deploy from a runner inside the VPC and set ${NAMESPACE}:runnerInVpc: true, or open the public endpoint to the runner's address for the first deployment (README "First deployment")`;

/** The warnings of a valid config (pure). */
/** The warning of a stack without the ingress section. */
export const NO_INGRESS_WARNING =
    `no ${NAMESPACE}:ingress section: Grafana, Thanos, Alertmanager, the provisioner API and OpenSearch Dashboards get no load balancer, certificate, sign-in or DNS record, and are reached by kubectl port-forward only (README "First login")`;

export function configWarnings(cfg: Pick<StackConfig, "runnerInVpc" | "cluster" | "profile" | "deletionProtection" | "tags" | "environment"> & Partial<Pick<StackConfig, "ingress">>): string[] {
    const warnings: string[] = [];
    // The stack's own tags win over cloud-cnc:tags (stacks/args.ts defaultTags): say so rather than drop a value silently.
    const own = defaultTags({ tags: {}, environment: cfg.environment });
    for (const [key, value] of Object.entries(cfg.tags)) {
        if (key in own && own[key] !== value) warnings.push(`${NAMESPACE}:tags.${key} (${JSON.stringify(value)}) is replaced by the stack's own ${key} tag (${JSON.stringify(own[key])}): remove it from ${NAMESPACE}:tags or use another key`);
    }
    if (cfg.cluster.endpointPublicAccess !== true && cfg.runnerInVpc !== true) warnings.push(PRIVATE_ENDPOINT_WARNING);
    if (cfg.profile === "production" && !cfg.deletionProtection) warnings.push(UNPROTECTED_PRODUCTION_WARNING);
    if (cfg.ingress === undefined) warnings.push(NO_INGRESS_WARNING);
    return warnings;
}

export class ConfigError extends InvalidArgsError {
    constructor(problems: Problem[]) {
        super("stack config", problems);
        this.name = "ConfigError";
    }
}

/** Top-level keys whose schema is a string, so their raw config text is not JSON-decoded. */
function stringKeys(): Set<string> {
    const keys = new Set<string>();
    for (const [key, schema] of Object.entries(stackConfigSchema.shape)) {
        let node: any = schema;
        while (["default", "optional"].includes(node?._zod?.def?.type)) node = node._zod.def.innerType;
        if (node?._zod?.def?.type === "string" || node?._zod?.def?.type === "enum") keys.add(key);
    }
    return keys;
}

function decode(raw: string, asString: boolean): unknown {
    if (asString) return raw;
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

/** Availability zones named in another region than the stack's (eu-west-1a in a us-east-1 stack): the subnets could never be created. */
export function zoneRegionProblems(cfg: Pick<StackConfig, "region" | "network">): Problem[] {
    return (cfg.network.availabilityZoneNames ?? []).flatMap((name, i) =>
        new RegExp(`^${cfg.region}[a-z]$`).test(name) ? [] : [{ field: `${NAMESPACE}:network.availabilityZoneNames[${i}]`, expected: `an availability zone of the stack's region ${cfg.region}, such as ${cfg.region}a`, found: name }],
    );
}

/**
 * Validates a stack's config as the Pulumi engine passes it (every value a string, structured
 * values JSON-encoded, keys `namespace:key`). Pure: tests call it with plain maps.
 */
export function parseStackConfig(raw: Record<string, string>, secretKeys: ReadonlySet<string> = new Set(), stackName?: string): StackConfig {
    const problems: Problem[] = [];
    const region = raw["aws:region"];
    if (!isKnownRegion(region)) {
        problems.push({ field: "aws:region", expected: `${EXPECTED.region} (pulumi config set aws:region <region>)`, found: region });
    } else {
        // The partition follows from the region's name; the stack deploys to the aws partition only.
        const partition = partitionProblem(regionPartition(region));
        if (partition) problems.push({ field: "aws:region", expected: `a region of ${partition}`, found: region });
    }

    const strings = stringKeys();
    const own: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(raw)) {
        const [ns, key] = fullKey.split(/:(.*)/s);
        if (ns !== NAMESPACE) continue;
        if (key in SECRET_KEYS) {
            if (!secretKeys.has(fullKey)) {
                problems.push({
                    field: fullKey,
                    expected: `a secret (pulumi config set --secret ${fullKey} ...)`,
                    found: "a plain-text value (not shown)",
                });
            }
            continue;
        }
        if (secretKeys.has(fullKey)) {
            problems.push({ field: fullKey, expected: `a known key (secret keys: ${Object.keys(SECRET_KEYS).join(", ") || "none"})`, found: "a secret value (not shown)" });
            continue;
        }
        own[key] = decode(value, strings.has(key));
    }

    for (const [key, secret] of Object.entries(SECRET_KEYS)) {
        const fullKey = `${NAMESPACE}:${key}`;
        if (secret.required && raw[fullKey] === undefined) {
            problems.push({ field: fullKey, expected: `a secret: ${secret.description} (pulumi config set --secret ${fullKey} <value>)`, found: undefined });
        }
    }

    // The OIDC client secret belongs to the ingress section: required with it, refused without it.
    const oidcSecretKey = `${NAMESPACE}:oidcClientSecret`;
    if (own.ingress !== undefined && raw[oidcSecretKey] === undefined) {
        problems.push({ field: oidcSecretKey, expected: `a secret: ${SECRET_KEYS.oidcClientSecret.description} (pulumi config set --secret ${oidcSecretKey} <value>)`, found: undefined });
    }
    if (own.ingress === undefined && raw[oidcSecretKey] !== undefined && secretKeys.has(oidcSecretKey)) {
        problems.push({ field: oidcSecretKey, expected: `nothing without a ${NAMESPACE}:ingress section (the secret of its OIDC client)`, found: "a secret value (not shown)" });
    }

    const result = stackConfigSchema.safeParse(own);
    if (!result.success) problems.push(...configProblems(result.error, own, stackConfigSchema));
    // Physical names are <prefix>-<environment>-<role>: a stack file naming another stack's
    // environment (Pulumi.prod.yaml saying dev) would build that stack's names and collide with it.
    if (stackName !== undefined && typeof own.environment === "string" && NAME_RE.test(own.environment) && own.environment !== stackName) {
        problems.push({ field: `${NAMESPACE}:environment`, expected: environmentOfStackExpected(stackName), found: own.environment });
    }
    if (problems.length > 0) throw new ConfigError(problems);
    const cfg = result.data!;
    const notes: string[] = [];
    const profile = cfg.profile ?? PROFILE_OF_ENVIRONMENT[cfg.environment];
    if (cfg.profile === undefined) notes.push(`profile "${profile}" derived from the environment name "${cfg.environment}" (set ${NAMESPACE}:profile to make it explicit)`);
    const deletionProtection = cfg.deletionProtection ?? profile === "production";
    const stack: StackConfig = { ...cfg, region: region!, profile, deletionProtection, notes, warnings: configWarnings({ ...cfg, profile, deletionProtection }) };
    // Every section passed its own schema: now each component's, with the profile's defaults.
    const fromComponents = [...componentProblems(stack), ...nameCollisionProblems(stack), ...zoneRegionProblems(stack)];
    if (fromComponents.length > 0) throw new ConfigError(fromComponents);
    return stack;
}

/** Reads and validates the current stack's config (throws ConfigError listing every problem). */
export function loadStackConfig(): StackConfig {
    // The engine passes secret config keys separately; the helper that reads them is internal.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(k: string): boolean };
    const raw = pulumi.runtime.allConfig();
    const secrets = new Set(Object.keys(raw).filter((k) => isConfigSecret(k)));
    return parseStackConfig(raw, secrets, pulumi.getStack());
}
