// WorkloadClusterMonitoring's rule book: the one definition of its args (field rules, messages,
// defaults, cross-field rules). The component parses its args with it before creating any child.
import { z } from "zod";
import { awsRegion, bucketName, dnsName, eksClusterName, format, hostedZoneId, internalCidr, matches, namePrefix, environmentName, oidcProviderArn, roleArn, tags, duration, k8sName } from "../common/formats";
import { addIssue, allRules, input, profileSchema } from "../common/schema";

export const WORKLOAD_EXPECTED = {
    clusterId: "a cluster ID that is a DNS label: 1-63 lowercase letters, digits and '-' (it becomes <clusterID>-grpc.<zone>)",
    kmsKeyArn: "a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/0b2b5c5e-7f0a-4c6e-9a51-2f6f0a1b2c3d",
    mode: 'the federation mode of the C&C: "thanos" or "prometheus-federation"',
    identity: 'how the Thanos sidecar gets AWS credentials: "irsa" or "pod-identity"',
    storageSize: "a volume size such as 50Gi",
} as const;

const KMS_KEY_ARN_RE = /^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;

export const workloadMonitoringArgsSchema = z
    .object({
        clusterId: format(WORKLOAD_EXPECTED.clusterId, matches(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/)),
        environment: environmentName(),
        prefix: namePrefix(),
        profile: profileSchema,
        tags: tags().default({}),
        mode: z.enum(["thanos", "prometheus-federation"], { message: WORKLOAD_EXPECTED.mode }).default("thanos"),
        metricsBucket: z
            .object({
                name: bucketName(),
                region: awsRegion(),
                kmsKeyArn: input(format(WORKLOAD_EXPECTED.kmsKeyArn, matches(KMS_KEY_ARN_RE))),
            })
            .strict(),
        identity: z
            .object({
                kind: z.enum(["irsa", "pod-identity"], { message: WORKLOAD_EXPECTED.identity }),
                oidcProviderArn: input(oidcProviderArn()).optional(),
                oidcProviderUrl: input(z.string().min(1, "the cluster's OIDC issuer URL")).optional(),
                clusterName: eksClusterName().optional(),
                targetRoleArn: roleArn().optional(),
            })
            .strict(),
        registrationZone: z.object({ zoneId: input(hostedZoneId()), zoneName: dnsName() }).strict(),
        allowedCidrs: z.array(internalCidr(), "a list of IPv4 CIDR blocks").min(1, "a list of at least one private CIDR block (the C&C VPC's, then the workload networks)"),
        logging: z
            .object({
                endpoint: input(z.string().min(1, "the OpenSearch domain's endpoint host")),
                region: awsRegion(),
                domainArn: input(z.string().min(1, "the OpenSearch domain's ARN")),
                roleArn: roleArn().optional(),
            })
            .strict()
            .optional(),
        prometheus: z
            .object({
                retention: duration("a duration such as 24h (blocks live in the bucket after 2h)", 1).default("24h"),
                storageSize: format(WORKLOAD_EXPECTED.storageSize, matches(/^[1-9]\d*(Gi|Ti)$/)).default("50Gi"),
            })
            .strict()
            .prefault({}),
        namespace: k8sName().default("monitoring"),
        scrapeMattermost: z.boolean("true or false").default(true),
    })
    .strict();

function rules(a: z.output<typeof workloadMonitoringArgsSchema>, ctx: z.RefinementCtx): void {
    const id = a.identity;
    if (id && typeof id === "object") {
        if (id.kind === "irsa") {
            if (id.oidcProviderArn === undefined) addIssue(ctx, ["identity", "oidcProviderArn"], "the cluster's IAM OIDC provider ARN (required with kind irsa)", undefined);
            if (id.oidcProviderUrl === undefined) addIssue(ctx, ["identity", "oidcProviderUrl"], "the cluster's OIDC issuer URL (required with kind irsa)", undefined);
            if (id.clusterName !== undefined) addIssue(ctx, ["identity", "clusterName"], "nothing with kind irsa (the cluster name is for a Pod Identity association)", id.clusterName);
            if (id.targetRoleArn !== undefined) addIssue(ctx, ["identity", "targetRoleArn"], "nothing with kind irsa (a cross-account target role needs pod-identity; with IRSA create the role in the bucket's account with that account's provider)", id.targetRoleArn);
        } else if (id.kind === "pod-identity") {
            if (id.clusterName === undefined) addIssue(ctx, ["identity", "clusterName"], "the EKS cluster's name (required with kind pod-identity)", undefined);
            for (const f of ["oidcProviderArn", "oidcProviderUrl"] as const) if (id[f] !== undefined) addIssue(ctx, ["identity", f], "nothing with kind pod-identity", "(set)");
        }
    }
}

export const workloadMonitoringSchema = workloadMonitoringArgsSchema.superRefine(...allRules(rules));
export type WorkloadMonitoringSettings = z.output<typeof workloadMonitoringSchema>;
