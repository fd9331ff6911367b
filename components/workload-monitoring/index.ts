import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { DnsRecordEntry } from "../common/dns";
import { IRSA_ROLE_ANNOTATION, createIrsaRole } from "../common/irsa";
import { iamRoleNamePrefix } from "../common/naming";
import { parseArgs } from "../common/schema";
import { versions } from "../common/versions";
import { FLUENT_BIT_SERVICE_ACCOUNT, LOGGING_NAMESPACE, fluentBitPolicy } from "../logging/plan";
import { buildFluentBitConfig, fluentBitChartValues, fluentBitReleaseArgs, serializeFluentBitConfig } from "../logging/render";
import { ServiceDnsRecords } from "../service-dns";
import { renderObjstoreConfig, workloadSpec } from "../thanos-federation/render";
import { WORKLOAD_NAMES, leafQueryWorkload, mattermostServiceMonitor, podIdentityTrustPolicy, registrationNames, registrationService, sidecarPolicy, workloadKpsValues } from "./plan";
import { workloadMonitoringSchema } from "./schema";

/** The environment's metrics bucket (ThanosFederation's). */
export interface WorkloadMetricsBucketArgs {
    /** Bucket name. */
    name: string;
    /** Its region. */
    region: string;
    /** Its KMS key (SSE-KMS). */
    kmsKeyArn: pulumi.Input<string>;
}

/** Where the Thanos sidecar's (and Fluent Bit's) AWS credentials come from. */
export interface WorkloadIdentityArgs {
    /** "irsa" (IAM role for the service account through the cluster's OIDC provider) or "pod-identity" (EKS Pod Identity). */
    kind: string;
    /** irsa: the cluster's IAM OIDC provider ARN. */
    oidcProviderArn?: pulumi.Input<string>;
    /** irsa: the cluster's OIDC issuer URL. */
    oidcProviderUrl?: pulumi.Input<string>;
    /** pod-identity: the EKS cluster's name. */
    clusterName?: string;
    /** pod-identity: a role in the bucket's account the association chains to (cross-account); it must allow this cluster's role. */
    targetRoleArn?: string;
}

/** The private zone the registration records go in (the C&C's monitoring zone). */
export interface WorkloadRegistrationZoneArgs {
    /** Hosted zone id. */
    zoneId: pulumi.Input<string>;
    /** Its name. */
    zoneName: string;
}

/** The central OpenSearch domain Fluent Bit ships to (LoggingPipeline's). */
export interface WorkloadLoggingArgs {
    /** Domain endpoint host (LoggingPipeline.domainEndpoint). */
    endpoint: pulumi.Input<string>;
    /** Its region. */
    region: string;
    /** Its ARN (the shipping policy's resource). */
    domainArn: pulumi.Input<string>;
    /** A writer role in the domain's account to assume (cross-account; list it in the C&C's logging.additionalWriterRoleArns). */
    roleArn?: string;
}

/** The local Prometheus. */
export interface WorkloadPrometheusArgs {
    /** Local retention (blocks are in the bucket after 2h). Default 24h. */
    retention?: string;
    /** Volume size. Default 50Gi. */
    storageSize?: string;
}

/** Args of WorkloadClusterMonitoring (rules: components/workload-monitoring/schema.ts). */
export interface WorkloadClusterMonitoringArgs {
    /** The cluster's ID: external label clusterID and the registration names <clusterID>-grpc.<zone>, <clusterID>.<zone>. */
    clusterId: string;
    /** Environment name (physical names). */
    environment: string;
    /** Name prefix (physical names). */
    prefix: string;
    /** Sizing profile: production runs 2 Prometheus and 2 leaf Query replicas. */
    profile: string;
    /** AWS tags. */
    tags?: Record<string, string>;
    /** The C&C's federation mode: "thanos" (default; leaf Query behind the NLB) or "prometheus-federation" (/federate behind the NLB). */
    mode?: string;
    /** The environment's metrics bucket. */
    metricsBucket: WorkloadMetricsBucketArgs;
    /** AWS credentials of the sidecar (and Fluent Bit). */
    identity: WorkloadIdentityArgs;
    /** The monitoring private zone the registration records go in. */
    registrationZone: WorkloadRegistrationZoneArgs;
    /** Private CIDRs allowed through the NLB's security group: the C&C VPC, then the workload networks. */
    allowedCidrs: string[];
    /** Ship logs to the central OpenSearch domain. Unset: no Fluent Bit. */
    logging?: WorkloadLoggingArgs;
    /** The local Prometheus. */
    prometheus?: WorkloadPrometheusArgs;
    /** Namespace of the monitoring stack. Default monitoring. */
    namespace?: string;
    /** ServiceMonitor for Mattermost installations (8067). Default true. */
    scrapeMattermost?: boolean;
}

/** Resource options of WorkloadClusterMonitoring: `dnsProvider` writes the registration records (a zone in another account). */
export interface WorkloadClusterMonitoringOptions extends pulumi.ComponentResourceOptions {
    /** The AWS provider of the registration zone's account; default: the component's aws provider. */
    dnsProvider?: aws.Provider;
}

const RECORDS = new WeakMap<WorkloadClusterMonitoring, DnsRecordEntry[]>();

/** Pulumi's Service await waits for status.loadBalancer; an empty one means the controller never answered. */
function noHostname(name: string): never {
    throw new Error(`${name}: the Service ${WORKLOAD_NAMES.registrationService} has no load balancer hostname (is the AWS Load Balancer Controller running?)`);
}

/**
 * The fleet side of the C&C for one workload cluster: Prometheus with a Thanos sidecar shipping to
 * the environment's bucket, a leaf Thanos Query (or the Prometheus' /federate) behind an internal
 * NLB open to the C&C and workload networks only, the registration records the DnsRegistrar's
 * planner expects, Fluent Bit shipping to the central OpenSearch domain, and Mattermost scraping.
 */
export class WorkloadClusterMonitoring extends pulumi.ComponentResource {
    /** The registration names (what the DnsRegistrar picks up). */
    public readonly registrationNames: pulumi.Output<string[]>;
    /** The internal NLB's DNS name. */
    public readonly loadBalancerHostname: pulumi.Output<string>;
    /** The sidecar's IAM role ARN (in the cluster's account). */
    public readonly sidecarRoleArn: pulumi.Output<string>;

    constructor(name: string, args: WorkloadClusterMonitoringArgs, opts?: WorkloadClusterMonitoringOptions) {
        // Refused before anything is registered, the component included.
        const s = parseArgs(`WorkloadClusterMonitoring ${name}`, workloadMonitoringSchema, args);
        super("cloud-cnc:index:WorkloadClusterMonitoring", name, {}, opts);
        const parent = { parent: this };
        const replicas = s.profile === "production" ? 2 : 1;
        const tags = { ...s.tags };

        // --- Identity of the sidecar (and Fluent Bit) ---------------------------------------------
        const bucketPolicy = pulumi.output(args.metricsBucket.kmsKeyArn).apply((key) => JSON.stringify(sidecarPolicy(s.metricsBucket.name, key)));
        /** A role for one service account, with one inline policy; its ARN resolves once the policy is attached. */
        const roleFor = (role: string, namespace: string, serviceAccount: string, policy: pulumi.Input<string>, description: string): pulumi.Output<string> => {
            if (s.identity.kind === "irsa") {
                return createIrsaRole(
                    `${name}-${role}`,
                    {
                        oidcProviderArn: args.identity.oidcProviderArn!,
                        oidcProviderUrl: args.identity.oidcProviderUrl!,
                        namespace,
                        serviceAccount,
                        inlinePolicies: { access: policy },
                        description,
                        namePrefix: iamRoleNamePrefix(s.prefix, s.environment, `${s.clusterId}-${role}`.slice(0, 20)),
                        tags,
                    },
                    parent,
                ).arn;
            }
            const r = new aws.iam.Role(`${name}-${role}`, { description, namePrefix: iamRoleNamePrefix(s.prefix, s.environment, `${s.clusterId}-${role}`.slice(0, 20)), assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy()), tags }, parent);
            const attached = new aws.iam.RolePolicy(`${name}-${role}-access`, { role: r.name, policy }, parent);
            new aws.eks.PodIdentityAssociation(
                `${name}-${role}`,
                { clusterName: s.identity.clusterName!, namespace, serviceAccount, roleArn: r.arn, ...(role === "sidecar" && s.identity.targetRoleArn ? { targetRoleArn: s.identity.targetRoleArn } : {}), tags },
                parent,
            );
            return pulumi.all([r.arn, attached.id]).apply(([arn]) => arn);
        };
        // Cross-account Pod Identity: this role only chains to the target role, which holds the bucket access.
        const sidecarAccess = s.identity.targetRoleArn
            ? JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "ChainToBucketAccount", Effect: "Allow", Action: ["sts:AssumeRole", "sts:TagSession"], Resource: s.identity.targetRoleArn }] })
            : bucketPolicy;
        const sidecarRole = roleFor("sidecar", s.namespace, WORKLOAD_NAMES.prometheusServiceAccount, sidecarAccess, `Thanos sidecar of ${s.clusterId}: upload blocks to ${s.metricsBucket.name}`);
        const irsaAnnotation: pulumi.Output<Record<string, string>> = sidecarRole.apply((arn): Record<string, string> => (s.identity.kind === "irsa" ? { [IRSA_ROLE_ANNOTATION]: arn } : {}));

        // --- Namespace, objstore secret, kube-prometheus-stack ------------------------------------
        // node-exporter needs host namespaces and hostPath: the privileged Pod Security level.
        const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: s.namespace, labels: { "app.kubernetes.io/part-of": "cloud-cnc", "pod-security.kubernetes.io/enforce": "privileged" } } }, parent);
        const inNs = { parent: this, dependsOn: [namespace] };
        const objstore = new k8s.core.v1.Secret(
            `${name}-objstore`,
            {
                metadata: { name: WORKLOAD_NAMES.objstoreSecret, namespace: s.namespace },
                type: "Opaque",
                stringData: { [WORKLOAD_NAMES.objstoreKey]: pulumi.output(args.metricsBucket.kmsKeyArn).apply((key) => renderObjstoreConfig(s.metricsBucket.name, s.metricsBucket.region, key)) },
            },
            inNs,
        );
        const chart = versions.thanosFederation.kubePrometheusStack;
        const kps = new k8s.helm.v3.Release(
            `${name}-kube-prometheus-stack`,
            {
                name: "kps",
                namespace: s.namespace,
                chart: chart.chart,
                version: chart.version,
                repositoryOpts: { repo: chart.repo },
                values: irsaAnnotation.apply((a) => workloadKpsValues(s, a, replicas)),
                createNamespace: false,
                atomic: true,
                cleanupOnFail: true,
                timeout: 900,
                maxHistory: 10,
            },
            { parent: this, dependsOn: [namespace, objstore] },
        );

        // --- Leaf Query (thanos mode) and the internal NLB ---------------------------------------
        if (s.mode === "thanos") {
            const sa = new k8s.core.v1.ServiceAccount(`${name}-leaf-query`, { metadata: { name: WORKLOAD_NAMES.leafQuery, namespace: s.namespace }, automountServiceAccountToken: false }, inNs);
            const w = leafQueryWorkload(s.namespace, replicas);
            new k8s.apps.v1.Deployment(`${name}-leaf-query`, { metadata: { name: w.name, namespace: s.namespace, labels: w.labels }, spec: workloadSpec(w) as unknown as k8s.types.input.apps.v1.DeploymentSpec }, { parent: this, dependsOn: [sa, kps] });
        }
        const svc = registrationService(s);
        const nlb = new k8s.core.v1.Service(`${name}-registration`, { metadata: svc.metadata, spec: svc.spec }, { parent: this, dependsOn: [kps] });
        if (s.scrapeMattermost) {
            const sm = mattermostServiceMonitor(s.namespace);
            new k8s.apiextensions.CustomResource(`${name}-mattermost`, sm, { parent: this, dependsOn: [kps] });
        }

        // --- Registration records (the DNS layer for this cluster) --------------------------------
        this.loadBalancerHostname = nlb.status.apply((st) => {
            const h = st?.loadBalancer?.ingress?.[0]?.hostname;
            return h ? h : noHostname(name);
        });
        const dnsOpts = { parent: this, dependsOn: [nlb], ...(opts?.dnsProvider ? { provider: opts.dnsProvider } : {}) };
        const zoneId = aws.lb.getHostedZoneIdOutput({ loadBalancerType: "network" }, { parent: this }).id;
        const records: DnsRecordEntry[] = registrationNames(s).map((n) => ({ name: n, zone: "private", alias: { dnsName: this.loadBalancerHostname, zoneId } }));
        RECORDS.set(this, records);
        new ServiceDnsRecords(`${name}-registration`, { privateZoneId: args.registrationZone.zoneId, privateZoneName: s.registrationZone.zoneName, records }, dnsOpts);

        // --- Fluent Bit to the central OpenSearch domain -----------------------------------------
        if (s.logging) {
            const l = s.logging;
            const access = l.roleArn
                ? JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "AssumeLogWriter", Effect: "Allow", Action: "sts:AssumeRole", Resource: l.roleArn }] })
                : pulumi.output(args.logging!.domainArn).apply((d) => JSON.stringify(fluentBitPolicy(d)));
            const fbRole = roleFor("fluent-bit", LOGGING_NAMESPACE, FLUENT_BIT_SERVICE_ACCOUNT, access, `Fluent Bit of ${s.clusterId}: ship logs to OpenSearch`);
            const fbNs = new k8s.core.v1.Namespace(`${name}-logging-namespace`, { metadata: { name: LOGGING_NAMESPACE, labels: { "app.kubernetes.io/part-of": "cloud-cnc", "pod-security.kubernetes.io/enforce": "privileged" } } }, parent);
            const configYaml = pulumi
                .output(args.logging!.endpoint)
                .apply((endpoint) => serializeFluentBitConfig(buildFluentBitConfig({ endpoint, region: l.region, clusterId: s.clusterId, namespace: LOGGING_NAMESPACE, ...(l.roleArn ? { awsRoleArn: l.roleArn } : {}) })));
            new k8s.helm.v3.Release(
                `${name}-fluent-bit`,
                fluentBitReleaseArgs(
                    LOGGING_NAMESPACE,
                    pulumi.all([configYaml, fbRole]).apply(([yaml, roleArn]) => {
                        const v = fluentBitChartValues({ configYaml: yaml, roleArn });
                        // Pod Identity: no IRSA annotation (the SDK would try that web identity first, and fail).
                        return s.identity.kind === "irsa" ? v : { ...v, serviceAccount: { ...(v.serviceAccount as object), annotations: {} } };
                    }),
                ),
                { parent: this, dependsOn: [fbNs] },
            );
        }

        this.registrationNames = pulumi.output(registrationNames(s));
        this.sidecarRoleArn = sidecarRole;
        this.registerOutputs({ registrationNames: this.registrationNames, loadBalancerHostname: this.loadBalancerHostname, sidecarRoleArn: this.sidecarRoleArn });
    }

    /** The registration records (plain names, alias targets as Outputs): what the DNS layer wrote. */
    get records(): DnsRecordEntry[] {
        return RECORDS.get(this) ?? [];
    }
}
