// The `cloud-cnc:registrar` config section and its mapping to DnsRegistrar's args.
import { z } from "zod";
import type { DnsRegistrarArgs } from "../../components/dns-registrar";
import { DEFAULTS, LOG_RETENTION_DAYS } from "../../components/dns-registrar/plan";
import { patternProblems } from "../../functions/dns-registrar/planner";
import { CommonSettings } from "./common";
import { K8S_NAME, isLogRetentionDays } from "../../components/common/formats";

const ZONE_ID = /^(\/hostedzone\/)?Z[A-Z0-9]{4,31}$/;
const DNS_NAME = /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/;
const SCHEDULE = /^(rate\((1 (minute|hour|day)|([2-9]|[1-9][0-9]+) (minutes|hours|days))\)|cron\(\S+( \S+){5}\))$/;
const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

const EXPECT = {
    zoneId: "a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ",
    dnsName: "a lowercase DNS name such as thanos.fleet.internal",
    port: "a port number from 1 to 65535",
    k8sName: "a Kubernetes name (lowercase letters, digits, '-')",
};

const port = () => z.number().int(EXPECT.port).min(1, EXPECT.port).max(65535, EXPECT.port);
const pattern = () =>
    z.string().superRefine((value, ctx) => {
        const issues = patternProblems(value);
        if (issues.length > 0) ctx.addIssue({ code: "custom", message: `a relative name pattern with ${issues.join(" and ")}, such as "{id}-grpc"` });
    });

/** A watched zone; unset fields fall back to the composition's default (the network's monitoring zone). */
const watchedZone = z
    .object({
        /** Hosted zone ID (Z...). */
        id: z.string().regex(ZONE_ID, EXPECT.zoneId).optional(),
        /** DNS name of the zone. */
        name: z.string().regex(DNS_NAME, EXPECT.dnsName).optional(),
    })
    .strict();

export const registrarConfigSchema = z
    .object({
        /** Zone of the `<clusterID>-grpc.<zone>` Thanos records (default: the network's monitoring zone). */
        thanosZone: watchedZone.optional(),
        /** Zone of the `<clusterID>.<zone>` Prometheus records (default: the network's monitoring zone). */
        prometheusZone: watchedZone.optional(),
        /** Zone of the Mattermost installations to probe (both fields required when set). */
        installationsZone: z
            .object({
                id: z.string().regex(ZONE_ID, EXPECT.zoneId),
                name: z.string().regex(DNS_NAME, EXPECT.dnsName),
            })
            .strict()
            .optional(),
        grpcPort: port().default(DEFAULTS.grpcPort),
        prometheusPort: port().default(DEFAULTS.prometheusPort),
        thanosNamePattern: pattern().optional(),
        prometheusNamePattern: pattern().optional(),
        installationsNamePattern: pattern().optional(),
        /** Cluster IDs, installation names or FQDNs never registered. */
        exclusions: z.array(z.string().regex(DNS_NAME, "a cluster ID or DNS name")).default([]),
        /** Most zone-derived targets (percent) one run may remove. */
        shrinkFloorPercent: z.number().int("an integer percentage from 0 to 100").min(0, "an integer percentage from 0 to 100").max(100, "an integer percentage from 0 to 100").default(DEFAULTS.shrinkFloorPercent),
        scheduleExpression: z.string().regex(SCHEDULE, 'an EventBridge schedule such as "rate(5 minutes)" or "cron(0/5 * * * ? *)"').default(DEFAULTS.scheduleExpression),
        memorySize: z.number().int("an integer number of MB from 128 to 10240").min(128, "an integer number of MB from 128 to 10240").max(10240, "an integer number of MB from 128 to 10240").default(DEFAULTS.memorySize),
        timeout: z.number().int("an integer number of seconds from 1 to 900").min(1, "an integer number of seconds from 1 to 900").max(900, "an integer number of seconds from 1 to 900").default(DEFAULTS.timeout),
        logRetentionDays: z
            .number()
            .refine(isLogRetentionDays, `one of ${LOG_RETENTION_DAYS.join(", ")}`)
            .default(DEFAULTS.logRetentionDays),
        /** SNS topic for the alarms (errors, throttles, DLQ depth). */
        alarmTopicArn: z.string().regex(SNS_ARN, "an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:alerts").optional(),
        kubernetesGroup: z
            .string()
            .regex(/^[A-Za-z0-9:._-]{1,255}$/, "a Kubernetes group name not starting with system:")
            .refine((g) => !g.startsWith("system:"), "a Kubernetes group name not starting with system:")
            .default(DEFAULTS.kubernetesGroup),
        /** Grant create on ConfigMaps in the namespace (RBAC cannot limit create to names). */
        allowConfigMapCreate: z.boolean().default(DEFAULTS.allowConfigMapCreate),
        namespace: z.string().regex(K8S_NAME, EXPECT.k8sName).default(DEFAULTS.namespace),
        /**
         * Run the function in the cluster's private subnets (needed when the EKS endpoint is
         * private). The composition passes vpcId, subnetIds and the cluster security group when true.
         */
        inVpc: z.boolean().default(true),
    })
    .strict()
    .superRefine((cfg, ctx) => {
        const zones = [cfg.thanosZone, cfg.prometheusZone];
        zones.forEach((zone, i) => {
            if (zone && (zone.id === undefined) !== (zone.name === undefined)) {
                ctx.addIssue({ code: "custom", path: [i === 0 ? "thanosZone" : "prometheusZone", zone.id === undefined ? "id" : "name"], message: "to be set together with the zone's " + (zone.id === undefined ? "name" : "id") });
            }
        });
    })
    .prefault({});

export type RegistrarConfig = z.infer<typeof registrarConfigSchema>;

type ZoneFields = "thanosZoneId" | "thanosZoneName" | "prometheusZoneId" | "prometheusZoneName";

/**
 * The args this section provides. The composition supplies clusterName (CommandControlCluster),
 * the watched zones unless configured (default: the network's monitoring zone for both), and —
 * when `inVpc` — vpcId, subnetIds and clusterSecurityGroupId.
 */
export type RegistrarArgsFromConfig = Omit<DnsRegistrarArgs, "clusterName" | ZoneFields | "vpcId" | "subnetIds" | "clusterSecurityGroupId"> & Partial<Pick<DnsRegistrarArgs, ZoneFields>>;

/** Maps the parsed section to DnsRegistrar's args (pure). */
export function registrarArgs(cfg: RegistrarConfig, common: CommonSettings): RegistrarArgsFromConfig {
    return {
        ...(cfg.thanosZone?.id ? { thanosZoneId: cfg.thanosZone.id, thanosZoneName: cfg.thanosZone.name } : {}),
        ...(cfg.prometheusZone?.id ? { prometheusZoneId: cfg.prometheusZone.id, prometheusZoneName: cfg.prometheusZone.name } : {}),
        ...(cfg.installationsZone ? { installationsZoneId: cfg.installationsZone.id, installationsZoneName: cfg.installationsZone.name } : {}),
        grpcPort: cfg.grpcPort,
        prometheusPort: cfg.prometheusPort,
        ...(cfg.thanosNamePattern ? { thanosNamePattern: cfg.thanosNamePattern } : {}),
        ...(cfg.prometheusNamePattern ? { prometheusNamePattern: cfg.prometheusNamePattern } : {}),
        ...(cfg.installationsNamePattern ? { installationsNamePattern: cfg.installationsNamePattern } : {}),
        exclusions: [...cfg.exclusions],
        shrinkFloorPercent: cfg.shrinkFloorPercent,
        scheduleExpression: cfg.scheduleExpression,
        memorySize: cfg.memorySize,
        timeout: cfg.timeout,
        logRetentionDays: cfg.logRetentionDays,
        ...(cfg.alarmTopicArn ? { alarmTopicArn: cfg.alarmTopicArn } : {}),
        kubernetesGroup: cfg.kubernetesGroup,
        allowConfigMapCreate: cfg.allowConfigMapCreate,
        namespace: cfg.namespace,
        tags: { ...common.tags },
    };
}
