// LoggingPipeline's rule book: the one definition of its plain-data args (rules, messages,
// defaults, profile-dependent defaults). The component parses its args with it; the stack's
// `cloud-cnc:logging` config section is this schema without the keys the composition supplies.
import { z } from "zod";
import {
    certificateArn,
    format,
    idpGroup,
    isDnsName,
    matches,
    OIDC_PROVIDER_ARN_RE,
    environmentName,
    intIn,
    internalCidr,
    isLogRetentionDays,
    k8sName,
    LOG_RETENTION_DAYS,
    namePrefix,
    roleArn,
    securityGroupId,
    snsTopicArn,
    subnetId,
    tags,
    vpcId,
} from "../common/formats";
import { physicalName } from "../common/naming";
import { ProfileDefaults, addIssue, allRules, input, profileSchema, withDefaults } from "../common/schema";
import { versions } from "../common/versions";
import { LOGGING_NAMESPACE } from "./plan";

// ---------------------------------------------------------------------------------------------
// Plain defaults (also the fallbacks of render.ts's renderDesiredState)

/** Defaults that do not depend on the profile. */
export const LOGGING_DEFAULTS = {
    engineVersion: versions.logging.engineVersion,
    /** Days an index lives before ISM deletes it (the original system deleted indices older than 30 days). */
    retentionDays: 30,
    rolloverSize: "50gb",
    rolloverAge: "1d",
    indexShards: 1,
    /** Hour (UTC) of the automated snapshot setting. */
    automatedSnapshotStartHour: 3,
    /** AZs of zone awareness when `zoneAwareness.enabled` is set without a count. */
    availabilityZoneCount: 3,
    /** Dedicated masters when `dedicatedMasters.enabled` is set without a count. */
    dedicatedMasterCount: 3,
    volumeType: "gp3",
} as const;

// ---------------------------------------------------------------------------------------------
// Field formats and messages of this component

const DOMAIN_NAME_RE = /^[a-z][a-z0-9-]{2,27}$/;
const ENGINE_VERSION_RE = /^OpenSearch_\d+\.\d+$/;
const INSTANCE_TYPE_RE = /^[a-z][a-z0-9]*\.(small|medium|large|\d*xlarge)\.search$/;
const CLUSTER_ID_RE = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const SIZE_RE = /^\d+(b|kb|mb|gb|tb|pb)$/;
const AGE_RE = /^\d+(d|h|m|s)$/;
const FLUENT_BIT_SIZE_RE = /^\d+[KMG]$/;

/** The expected forms this component reports (problemsFrom adds "expected" and the value found). */
export const LOGGING_EXPECTED = {
    samlNeedsCustomEndpoint:
        "a custom endpoint with saml (the IdP sends users back to https://<custom endpoint>/_dashboards/_opendistro/_security/saml/acs: it must be a stable name with a trusted certificate)",
    domainName: "a domain name of 3-28 lowercase letters, digits or '-' starting with a letter",
    engineVersion: "an OpenSearch engine version such as OpenSearch_3.5",
    instanceType: "an OpenSearch instance type such as r7g.large.search",
    clusterId: "a cluster id of 1-63 lowercase letters, digits, '.', '_' or '-' (it becomes part of index names)",
    size: "a size such as 50gb",
    age: "an age such as 1d or 12h",
    fluentBitSize: "a Fluent Bit size such as 5G or 500M",
    azCount: "2 or 3 availability zones",
    instanceCount: "a whole number of data nodes from 1 to 80",
    multipleOfAzs: (azs: number) => `a multiple of the availability zone count (${azs}) with zone awareness`,
    masterCount: "3 or 5 dedicated master nodes",
    masterType: "the dedicated master instance type (required when dedicated masters are enabled), such as m7g.large.search",
    volumeSize: "a whole number of GiB from 10 to 16384",
    volumeType: "gp3 (the volume type this component provisions)",
    iops: "a whole number of IOPS of at least 3000 (gp3 baseline)",
    throughput: "a whole number of MiB/s of at least 125 (gp3 baseline)",
    retentionDays: "a whole number of days of at least 1",
    logRetentionDays: `a CloudWatch Logs retention (one of ${LOG_RETENTION_DAYS.join(", ")})`,
    snapshotHour: "an hour of the day from 0 to 23 (UTC)",
    shards: "a whole number of primary shards from 1 to 32",
    replicas: "a whole number of replicas from 0 to 5",
    retryLimit: "a whole number of retries from 1 to 1000",
    oidcProviderArn: "the cluster's IAM OIDC provider ARN (for Fluent Bit's IRSA role)",
    oidcProviderUrl: "the cluster's OIDC issuer URL (for Fluent Bit's IRSA role)",
    sources: "at least one security group or CIDR block allowed to reach the domain (where Fluent Bit runs)",
    subnets: (n: number) => `at least ${n} private subnet${n === 1 ? "" : "s"} (one per availability zone the domain uses)`,
} as const;

const E = LOGGING_EXPECTED;
const MAX = Number.MAX_SAFE_INTEGER;
const text = (re: RegExp, expected: string) => format(expected, matches(re));

/** A workload VPC CIDR allowed to reach the domain: a canonical IPv4 block, never /0. */
// ---------------------------------------------------------------------------------------------
// The args

/** SAML sign-in to OpenSearch Dashboards (the stack composes adminGroup and readerGroups from cloud-cnc:ingress.groups). */
export const loggingSamlSchema = z
    .object({
        idpEntityId: format("the IdP's SAML entity id (1-512 printable characters), such as http://www.okta.com/exk1a2b3c4", matches(/^[\x21-\x7e]{1,512}$/)),
        idpMetadataXml: format("the IdP's SAML metadata XML: an <EntityDescriptor> with an <IDPSSODescriptor> (1 KB-1 MB, from the IdP's SAML app)", isSamlMetadata),
        subjectKey: format("a SAML attribute name for the user name, or empty for the NameID", matches(/^[\x21-\x7e]{0,256}$/)).default(""),
        rolesKey: format("the SAML attribute that carries the groups, such as groups", matches(/^[\x21-\x7e]{1,256}$/)).default("groups"),
        adminGroup: idpGroup(),
        readerGroups: z.array(idpGroup(), "a list of group names").default([]),
        sessionTimeoutMinutes: intIn(1, 1440, "minutes from 1 to 1440 (OpenSearch's SAML session limit)").default(480),
    })
    .strict();

/** Every arg of LoggingPipeline: field rules, messages and plain defaults (shape order = report order). */
export const loggingPipelineArgsSchema = z
    .object({
        environment: environmentName(),
        prefix: namePrefix(),
        profile: profileSchema,
        domainName: text(DOMAIN_NAME_RE, E.domainName).optional(),
        engineVersion: text(ENGINE_VERSION_RE, E.engineVersion).default(LOGGING_DEFAULTS.engineVersion),
        vpcId: input(vpcId()),
        instanceType: text(INSTANCE_TYPE_RE, E.instanceType).optional(),
        instanceCount: intIn(1, 80, E.instanceCount).optional(),
        clusterId: text(CLUSTER_ID_RE, E.clusterId),
        retentionDays: intIn(1, MAX, E.retentionDays).default(LOGGING_DEFAULTS.retentionDays),
        rolloverSize: text(SIZE_RE, E.size).default(LOGGING_DEFAULTS.rolloverSize),
        rolloverAge: text(AGE_RE, E.age).default(LOGGING_DEFAULTS.rolloverAge),
        indexShards: intIn(1, 32, E.shards).default(LOGGING_DEFAULTS.indexShards),
        indexReplicas: intIn(0, 5, E.replicas).optional(),
        logRetentionDays: z.number(E.logRetentionDays).refine(isLogRetentionDays, E.logRetentionDays).optional(),
        automatedSnapshotStartHour: intIn(0, 23, E.snapshotHour).default(LOGGING_DEFAULTS.automatedSnapshotStartHour),
        oidcProviderArn: input(text(OIDC_PROVIDER_ARN_RE, E.oidcProviderArn)),
        oidcProviderUrl: input(z.string(E.oidcProviderUrl).min(1, E.oidcProviderUrl)),
        alarmTopicArn: input(snsTopicArn()).optional(),
        humanReadOnlyRoleArns: z.array(roleArn()).default([]),
        additionalWriterRoleArns: z.array(roleArn()).default([]),
        allowedCidrs: z.array(internalCidr()).default([]),
        allowedSecurityGroupIds: z.array(input(securityGroupId())),
        subnetIds: input(z.array(input(subnetId()))),
        ebs: z
            .object({
                volumeSizeGiB: intIn(10, 16384, E.volumeSize).optional(),
                volumeType: z.literal(LOGGING_DEFAULTS.volumeType, E.volumeType).default(LOGGING_DEFAULTS.volumeType),
                iops: intIn(3000, MAX, E.iops).optional(),
                throughput: intIn(125, MAX, E.throughput).optional(),
            })
            .strict()
            .prefault({}),
        fluentBit: z
            .object({
                namespace: k8sName().default(LOGGING_NAMESPACE),
                createNamespace: z.boolean().default(true),
                // Unset: the Fluent Bit config builder's defaults (render.ts FLUENT_BIT_DEFAULTS: 5G, 100).
                storageTotalLimitSize: text(FLUENT_BIT_SIZE_RE, E.fluentBitSize).optional(),
                retryLimit: intIn(1, 1000, E.retryLimit).optional(),
            })
            .strict()
            .prefault({}),
        zoneAwareness: z
            .object({ enabled: z.boolean(), availabilityZoneCount: intIn(2, 3, E.azCount).default(LOGGING_DEFAULTS.availabilityZoneCount) })
            .strict()
            .optional(),
        dedicatedMasters: z
            .object({
                enabled: z.boolean(),
                type: text(INSTANCE_TYPE_RE, E.masterType).optional(),
                count: z
                    .int(E.masterCount)
                    .refine((n) => n === 3 || n === 5, E.masterCount)
                    .default(LOGGING_DEFAULTS.dedicatedMasterCount),
            })
            .strict()
            .optional(),
        createServiceLinkedRole: z.boolean().default(false),
        customEndpoint: z
            .object({
                hostname: format("a fully qualified lowercase DNS name such as opensearch.apps.cnc.internal (no scheme, no trailing dot)", (v) => isDnsName(v) && !v.endsWith(".") && v === v.toLowerCase() && v.split(".").length >= 3),
                certificateArn: input(certificateArn()),
            })
            .strict()
            .optional(),
        saml: loggingSamlSchema.optional(),
        deletionProtection: z.boolean().optional(),
        tags: tags().default({}),
    })
    .strict();

/** Whether a text looks like SAML IdP metadata: one XML EntityDescriptor (any prefix) that describes an IdP. */
export function isSamlMetadata(xml: string): boolean {
    const t = xml.trim();
    return t.length >= 100 && t.length <= 1_048_576 && /^(<\?xml[^>]*\?>\s*)?<([A-Za-z0-9_-]+:)?EntityDescriptor[\s>]/.test(t) && /<([A-Za-z0-9_-]+:)?IDPSSODescriptor[\s>]/.test(t) && /<\/([A-Za-z0-9_-]+:)?EntityDescriptor>$/.test(t);
}

export type LoggingPipelineArgsInput = z.input<typeof loggingPipelineArgsSchema>;

/** Defaults that depend on the sizing profile: the domain's shape, CloudWatch retention, deletion protection. */
export const LOGGING_PROFILE_DEFAULTS = {
    production: {
        instanceType: "r7g.large.search",
        instanceCount: 3,
        zoneAwareness: { enabled: true, availabilityZoneCount: 3 },
        dedicatedMasters: { enabled: true, type: "m7g.large.search", count: 3 },
        ebs: { volumeSizeGiB: 200 },
        logRetentionDays: 90,
        deletionProtection: true,
    },
    development: {
        instanceType: "m7g.medium.search",
        instanceCount: 1,
        zoneAwareness: { enabled: false },
        dedicatedMasters: { enabled: false },
        ebs: { volumeSizeGiB: 20 },
        logRetentionDays: 7,
        deletionProtection: false,
    },
} satisfies ProfileDefaults<z.output<typeof loggingPipelineArgsSchema>>;

/** What the cross-field rules read: tolerant of missing, partial and wrongly typed values. */
interface RuleInput {
    profile?: unknown;
    instanceCount?: unknown;
    zoneAwareness?: { enabled?: unknown; availabilityZoneCount?: unknown };
    dedicatedMasters?: { enabled?: unknown; type?: unknown };
    allowedSecurityGroupIds?: unknown;
    allowedCidrs?: unknown;
    subnetIds?: unknown;
    saml?: { adminGroup?: unknown; readerGroups?: unknown; idpEntityId?: unknown };
    customEndpoint?: unknown;
}

const isCount = (v: unknown, min: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= min;

/** The availability zones the domain spreads over (1 without zone awareness), or undefined when invalid. */
export function availabilityZonesOf(a: Pick<RuleInput, "zoneAwareness">): number | undefined {
    if (a.zoneAwareness?.enabled !== true) return 1;
    const azs = a.zoneAwareness.availabilityZoneCount;
    return azs === 2 || azs === 3 ? azs : undefined;
}

/** `a` with the defaults of its profile under it (unchanged when the profile is not a valid one). */
export function withProfileDefaults<T>(a: T): T {
    const profile = (a as RuleInput | undefined)?.profile;
    return profile === "production" || profile === "development" ? withDefaults(a, LOGGING_PROFILE_DEFAULTS[profile]) : a;
}

/**
 * Rules across fields, on whatever the value holds: the component runs them on its args with the
 * profile's defaults applied; the config section on the keys it has (the composition supplies the
 * profile, the subnets and the security groups, so the component then checks the rest).
 */
export function loggingRules(value: RuleInput, ctx: z.RefinementCtx): void {
    const a = value ?? {};
    const azs = availabilityZonesOf(a);
    if (a.zoneAwareness?.enabled === true && azs !== undefined && isCount(a.instanceCount, 1) && a.instanceCount % azs !== 0) {
        addIssue(ctx, ["instanceCount"], E.multipleOfAzs(azs), a.instanceCount);
    }
    // The production profile supplies a master type: without a profile (the config section) a
    // missing type cannot be judged yet.
    const profileKnown = a.profile === "production" || a.profile === "development";
    if (profileKnown && a.dedicatedMasters?.enabled === true && a.dedicatedMasters.type === undefined) {
        addIssue(ctx, ["dedicatedMasters", "type"], E.masterType, undefined);
    }
    if (Array.isArray(a.allowedSecurityGroupIds) && a.allowedSecurityGroupIds.length === 0 && (!Array.isArray(a.allowedCidrs) || a.allowedCidrs.length === 0)) {
        addIssue(ctx, ["allowedSecurityGroupIds"], E.sources, a.allowedSecurityGroupIds);
    }
    if (a.saml && Array.isArray(a.saml.readerGroups) && a.saml.readerGroups.includes(a.saml.adminGroup)) {
        addIssue(ctx, ["saml", "readerGroups"], `groups other than adminGroup ${String(a.saml.adminGroup)} (one role per group)`, a.saml.readerGroups);
    }
    // (An invalid AZ count is reported once, at its field, not again as a subnet shortage.)
    if (Array.isArray(a.subnetIds) && azs !== undefined && a.subnetIds.length < azs) {
        addIssue(ctx, ["subnetIds"], E.subnets(azs), a.subnetIds);
    }
}

/** Default domain name: `<prefix>-<env>-logs`. */
export function defaultDomainName(prefix: string, environment: string): string {
    return physicalName(prefix, environment, "logs");
}

/** Whether a name is a valid OpenSearch domain name. */
export function isDomainName(name: unknown): boolean {
    return typeof name === "string" && DOMAIN_NAME_RE.test(name);
}

/** The args parsed into settings: every default applied (plain and per profile), the domain name resolved. */
export const loggingPipelineSchema = loggingPipelineArgsSchema
    .superRefine(
        ...allRules((a: z.output<typeof loggingPipelineArgsSchema>, ctx) => {
            loggingRules(withProfileDefaults(a), ctx);
            // The SP URLs registered at the IdP are the custom endpoint's: SAML needs one (the stack composes it).
            if (a.saml !== undefined && a.customEndpoint === undefined) addIssue(ctx, ["customEndpoint"], E.samlNeedsCustomEndpoint, undefined);
        }),
    )
    .transform((a, ctx) => {
        const s = withDefaults(a, LOGGING_PROFILE_DEFAULTS[a.profile]) as typeof a & {
            instanceType: string;
            instanceCount: number;
            zoneAwareness: { enabled: boolean; availabilityZoneCount?: number };
            dedicatedMasters: { enabled: boolean; type?: string; count?: number };
            ebs: { volumeSizeGiB: number };
            logRetentionDays: number;
            deletionProtection: boolean;
        };
        const domainName = s.domainName ?? defaultDomainName(s.prefix, s.environment);
        // The default name is derived from prefix and environment: report it where it came from.
        if (!isDomainName(domainName)) {
            addIssue(ctx, ["prefix"], `a prefix and environment that make a valid default domain name (${domainName} is not ${E.domainName}), or set domainName`, s.prefix);
        }
        return {
            ...s,
            domainName,
            // (Counts matter only when enabled; the development profile's "off" carries none.)
            zoneAwareness: { enabled: s.zoneAwareness.enabled, availabilityZoneCount: s.zoneAwareness.availabilityZoneCount ?? LOGGING_DEFAULTS.availabilityZoneCount },
            dedicatedMasters: { enabled: s.dedicatedMasters.enabled, type: s.dedicatedMasters.type, count: s.dedicatedMasters.count ?? LOGGING_DEFAULTS.dedicatedMasterCount },
        };
    });

/** LoggingPipeline's settings: the args after every default. */
export type LoggingSettings = z.output<typeof loggingPipelineSchema>;
