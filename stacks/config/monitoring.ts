// The `cloud-cnc:monitoring` config section and its mapping to ThanosFederation's args.
import { z } from "zod";
import type { ThanosFederationArgs, ThanosFederationResourcesArgs } from "../../components/thanos-federation";
import { DEFAULT_FEDERATION_MATCH, FEDERATION_MODES, parseDuration, retentionProblems } from "../../components/thanos-federation/plan";
import { CommonSettings } from "./common";

const DURATION = "a duration such as 30s, 12h, 30d or 1y";
const duration = () => z.string().refine((v) => parseDuration(v) !== undefined, DURATION);
const quantity = (example: string) => z.string().regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/, `a Kubernetes quantity such as ${example}`);
const replicas = (max: number) => z.int(`a whole number of replicas from 1 to ${max}`).min(1, `a whole number of replicas from 1 to ${max}`).max(max, `a whole number of replicas from 1 to ${max}`);
const k8sName = () => z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a Kubernetes name (lowercase letters, digits, '-')");

const resourcesSchema = z
    .object({
        cpuRequest: z.string().regex(/^(\d+(\.\d+)?|\d+m)$/, "a CPU quantity such as 500m or 2").optional(),
        memoryRequest: quantity("512Mi").optional(),
        cpuLimit: z.string().regex(/^(\d+(\.\d+)?|\d+m)$/, "a CPU quantity such as 500m or 2").optional(),
        memoryLimit: quantity("2Gi").optional(),
    })
    .strict();

export const monitoringConfigSchema = z
    .object({
        /** The C&C cluster's id (its Prometheus' clusterID label). Default `<prefix>-<environment>-cnc`, the cluster's name. */
        clusterId: z
            .string()
            .regex(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/, "a cluster id of 1-63 letters, digits, '.', '_' or '-'")
            // ("C&C", the federation label of the C&C itself, can never match: no "&".)
            .optional(),
        /** Metrics bucket name. Default `<prefix>-<environment>-prometheus-metrics`. */
        bucketName: z.string().regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, "an S3 bucket name of 3-63 lowercase letters, digits or '-' (no dots)").optional(),
        /** Region of the metrics bucket. Default: the stack's region. */
        bucketRegion: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "an AWS region such as eu-west-1").optional(),
        /** StorageClass of every volume. Default: the cluster's default StorageClass. */
        storageClassName: k8sName().optional(),
        prometheus: z
            .object({
                retention: duration().default("7d"),
                storageSize: quantity("100Gi").default("100Gi"),
                /** Default 2 in prod, else 1. */
                replicas: replicas(10).optional(),
                resources: resourcesSchema.optional(),
            })
            .strict()
            .prefault({}),
        alertmanager: z
            .object({
                /** Default 3 in prod, else 1. */
                replicas: replicas(5).optional(),
                storageSize: quantity("5Gi").default("5Gi"),
            })
            .strict()
            .prefault({}),
        grafana: z.object({ storageSize: quantity("10Gi").default("10Gi") }).strict().prefault({}),
        thanos: z
            .object({
                query: z
                    .object({ replicas: replicas(10).optional(), responseTimeout: duration().default("30s"), resources: resourcesSchema.optional() })
                    .strict()
                    .prefault({}),
                store: z
                    .object({
                        indexCacheSizeMb: z.int("a whole number of megabytes from 64 to 65536").min(64, "a whole number of megabytes from 64 to 65536").max(65536, "a whole number of megabytes from 64 to 65536").default(512),
                        storageSize: quantity("20Gi").default("20Gi"),
                        resources: resourcesSchema.optional(),
                    })
                    .strict()
                    .prefault({}),
                compactor: z
                    .object({
                        retentionRaw: duration().default("30d"),
                        retention5m: duration().default("90d"),
                        retention1h: duration().default("1y"),
                        storageSize: quantity("100Gi").default("100Gi"),
                        resources: resourcesSchema.optional(),
                    })
                    .strict()
                    .prefault({}),
                ruler: z
                    .object({
                        replicas: replicas(5).optional(),
                        storageSize: quantity("10Gi").default("10Gi"),
                        ruleConfigMaps: z.array(k8sName()).default([]),
                        resources: resourcesSchema.optional(),
                    })
                    .strict()
                    .prefault({}),
                queryFrontend: z
                    .object({
                        enabled: z.boolean().default(false),
                        cacheSizeMb: z.int("a whole number of megabytes from 16 to 65536").min(16, "a whole number of megabytes from 16 to 65536").max(65536, "a whole number of megabytes from 16 to 65536").default(256),
                    })
                    .strict()
                    .prefault({}),
            })
            .strict()
            .prefault({}),
        federation: z
            .object({
                /** thanos (default) or prometheus-federation. */
                mode: z.enum(FEDERATION_MODES).default("thanos"),
                /** match[] of the federate job. */
                match: z
                    .array(z.string().regex(/^([a-zA-Z_:][a-zA-Z0-9_:]*)?(\{.*\})?$/, 'a series selector such as {job="prometheus"}').min(1, 'a series selector such as {job="prometheus"}'))
                    .min(1, 'a list of at least 1 series selector such as {job="prometheus"}')
                    .default([...DEFAULT_FEDERATION_MATCH]),
                /** Group federators (0 = flat). */
                groups: z.int("a whole number of group federators from 0 (flat) to 64").min(0, "a whole number of group federators from 0 (flat) to 64").max(64, "a whole number of group federators from 0 (flat) to 64").default(0),
                resources: resourcesSchema.optional(),
            })
            .strict()
            .prefault({}),
    })
    .strict()
    .superRefine((cfg, ctx) => {
        // The component's own retention rule (one implementation, same messages).
        const c = cfg.thanos.compactor;
        for (const p of retentionProblems({ raw: c.retentionRaw, fiveMinutes: c.retention5m, oneHour: c.retention1h }, "")) {
            ctx.addIssue({ code: "custom", path: ["thanos", "compactor", p.field], message: p.expected, input: p.found });
        }
    });

export type MonitoringConfig = z.infer<typeof monitoringConfigSchema>;

/**
 * The args this section provides. The OIDC provider comes from CommandControlCluster; bucketRegion
 * is set only when configured (the composition defaults it to the stack's region).
 */
export type MonitoringArgsFromConfig = Omit<ThanosFederationArgs, "oidcProviderArn" | "oidcProviderUrl" | "bucketRegion"> & { bucketRegion?: string };

function res(r: z.infer<typeof resourcesSchema> | undefined): ThanosFederationResourcesArgs | undefined {
    return r ? { ...r } : undefined;
}

/** Maps the parsed section to ThanosFederation's args (pure). */
export function monitoringArgs(cfg: MonitoringConfig, common: CommonSettings): MonitoringArgsFromConfig {
    const t = cfg.thanos;
    return {
        clusterId: cfg.clusterId ?? `${common.prefix}-${common.environment}-cnc`,
        environment: common.environment,
        prefix: common.prefix,
        ...(cfg.bucketName ? { bucketName: cfg.bucketName } : {}),
        ...(cfg.bucketRegion ? { bucketRegion: cfg.bucketRegion } : {}),
        ...(cfg.storageClassName ? { storageClassName: cfg.storageClassName } : {}),
        prometheus: { retention: cfg.prometheus.retention, storageSize: cfg.prometheus.storageSize, replicas: cfg.prometheus.replicas, resources: res(cfg.prometheus.resources) },
        alertmanager: { replicas: cfg.alertmanager.replicas, storageSize: cfg.alertmanager.storageSize },
        grafana: { storageSize: cfg.grafana.storageSize },
        thanos: {
            query: { replicas: t.query.replicas, responseTimeout: t.query.responseTimeout, resources: res(t.query.resources) },
            store: { indexCacheSizeMb: t.store.indexCacheSizeMb, storageSize: t.store.storageSize, resources: res(t.store.resources) },
            compactor: {
                retentionRaw: t.compactor.retentionRaw,
                retention5m: t.compactor.retention5m,
                retention1h: t.compactor.retention1h,
                storageSize: t.compactor.storageSize,
                resources: res(t.compactor.resources),
            },
            ruler: { replicas: t.ruler.replicas, storageSize: t.ruler.storageSize, ruleConfigMaps: [...t.ruler.ruleConfigMaps], resources: res(t.ruler.resources) },
            queryFrontend: { enabled: t.queryFrontend.enabled, cacheSizeMb: t.queryFrontend.cacheSizeMb },
        },
        federationMode: cfg.federation.mode,
        federationMatch: [...cfg.federation.match],
        federationGroups: cfg.federation.groups,
        federationResources: res(cfg.federation.resources),
        deletionProtection: common.deletionProtection,
        tags: { ...common.tags },
    };
}
