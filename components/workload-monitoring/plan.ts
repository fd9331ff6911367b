// WorkloadClusterMonitoring's decisions as pure functions: the registration names (from the
// registrar's contract), the leaf Query and its internal NLB, the workload cluster's
// kube-prometheus-stack values, the Mattermost ServiceMonitor, the sidecar's IAM documents.
import { DEFAULT_GRPC_PORT, DEFAULT_PROMETHEUS_PORT, DEFAULT_QUERY_HTTP_PORT, NAME_PATTERNS, registrationName, renderThanosEndpointConfig } from "../../functions/dns-registrar/contract";
import { PolicyDocument, policyDocument } from "../common/iam";
import { versions } from "../common/versions";
import { CLUSTER_ID_LABEL, GRPC_PORT, KPS_RELEASE, PROMETHEUS_REPLICA_LABEL, QUERY_HTTP_PORT, bucketAccessPolicy, bucketIdentities, dnsSrvEndpoint, names as thanosNames } from "../thanos-federation/plan";
import { KPS_ON_EKS, SMALL, WorkloadManifest, imageValues, k8sResources, thanosContainer, thanosSidecarSpec, thanosWorkload } from "../thanos-federation/render";
import type { WorkloadMonitoringSettings } from "./schema";

export const WORKLOAD_NAMES = {
    leafQuery: "thanos-query-leaf",
    /** The internal NLB Service: the leaf Query (thanos mode) or the Prometheus (federation mode). */
    registrationService: "fleet-registration",
    mattermostServiceMonitor: "mattermost-installations",
    prometheusServiceAccount: thanosNames.kpsPrometheusServiceAccount,
    objstoreSecret: thanosNames.objstoreSecret,
    objstoreKey: thanosNames.objstoreKey,
} as const;

/** The records the DNS layer writes for this cluster: exactly the names the registrar's planner expects. */
export function registrationNames(s: Pick<WorkloadMonitoringSettings, "mode" | "clusterId" | "registrationZone">): string[] {
    const zone = s.registrationZone.zoneName;
    return s.mode === "thanos"
        ? [registrationName(NAME_PATTERNS.thanos, s.clusterId, zone), registrationName(NAME_PATTERNS.query, s.clusterId, zone)]
        : [registrationName(NAME_PATTERNS.prometheus, s.clusterId, zone)];
}

/** The leaf Query: every local Prometheus sidecar (SRV on kps' thanos-discovery Service), nothing else. */
export function leafQueryArgs(namespace: string): string[] {
    return [
        "query",
        "--log.level=info",
        "--log.format=logfmt",
        `--http-address=0.0.0.0:${QUERY_HTTP_PORT}`,
        `--grpc-address=0.0.0.0:${GRPC_PORT}`,
        `--query.replica-label=${PROMETHEUS_REPLICA_LABEL}`,
        // Inline endpoint config (the --endpoint flag is deprecated in v0.42): the local sidecars only.
        `--endpoint.sd-config=${renderThanosEndpointConfig([dnsSrvEndpoint(thanosNames.kpsThanosDiscovery, "grpc", namespace)]).trim()}`,
    ];
}

export function leafQueryWorkload(namespace: string, replicas: number): WorkloadManifest {
    return thanosWorkload({
        kind: "Deployment",
        name: WORKLOAD_NAMES.leafQuery,
        component: "query",
        replicas,
        serviceAccountName: WORKLOAD_NAMES.leafQuery,
        container: thanosContainer("thanos-query", leafQueryArgs(namespace), { cpuRequest: "100m", memoryRequest: "256Mi", cpuLimit: "1", memoryLimit: "1Gi" }, QUERY_HTTP_PORT, true, []),
        volumes: [],
    });
}

/**
 * The internal NLB (AWS Load Balancer Controller v2.17.1, docs/guide/service/annotations.md):
 * type external + ip targets, scheme internal; the controller's own security group admits only
 * spec.loadBalancerSourceRanges (the C&C VPC and the workload networks). Thanos mode: the leaf
 * Query's gRPC (10901) and HTTP /metrics (80 -> 9090, the port the registrar's planner
 * scrapes); federation mode: the Prometheus' /federate (9090).
 */
export function registrationService(s: Pick<WorkloadMonitoringSettings, "mode" | "namespace" | "allowedCidrs" | "clusterId">) {
    const thanos = s.mode === "thanos";
    return {
        metadata: {
            name: WORKLOAD_NAMES.registrationService,
            namespace: s.namespace,
            labels: { "app.kubernetes.io/part-of": "cloud-cnc", "cloud-cnc.io/cluster-id": s.clusterId },
            annotations: {
                "service.beta.kubernetes.io/aws-load-balancer-type": "external",
                "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
                "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
            },
        },
        spec: {
            type: "LoadBalancer",
            loadBalancerClass: "service.k8s.aws/nlb",
            loadBalancerSourceRanges: [...s.allowedCidrs],
            selector: (thanos ? { "app.kubernetes.io/name": WORKLOAD_NAMES.leafQuery, "app.kubernetes.io/instance": WORKLOAD_NAMES.leafQuery } : { "app.kubernetes.io/name": "prometheus", "operator.prometheus.io/name": `${KPS_RELEASE}-prometheus` }) as Record<string, string>,
            ports: thanos
                ? [
                      { name: "grpc", port: DEFAULT_GRPC_PORT, targetPort: GRPC_PORT, protocol: "TCP" },
                      { name: "http", port: DEFAULT_QUERY_HTTP_PORT, targetPort: QUERY_HTTP_PORT, protocol: "TCP" },
                  ]
                : [{ name: "federate", port: DEFAULT_PROMETHEUS_PORT, targetPort: 9090, protocol: "TCP" }],
        },
    };
}

/** The workload cluster's kube-prometheus-stack: Prometheus + Thanos sidecar to the bucket; no Grafana, no Alertmanager (the C&C alerts). */
export function workloadKpsValues(s: WorkloadMonitoringSettings, roleArnAnnotation: Record<string, string>, replicas: number): Record<string, unknown> {
    return {
        ...KPS_ON_EKS,
        grafana: { enabled: false },
        alertmanager: { enabled: false },
        "prometheus-node-exporter": { resources: k8sResources(SMALL) },
        prometheus: {
            serviceAccount: { create: true, name: WORKLOAD_NAMES.prometheusServiceAccount, annotations: roleArnAnnotation },
            thanosService: { enabled: true },
            prometheusSpec: {
                image: imageValues(versions.thanosFederation.prometheusImage),
                replicas,
                retention: s.prometheus.retention,
                // clusterID keeps each cluster's blocks one Compactor stream; the replica label is deduplicated.
                externalLabels: { [CLUSTER_ID_LABEL]: s.clusterId },
                replicaExternalLabelName: PROMETHEUS_REPLICA_LABEL,
                disableCompaction: true,
                walCompression: true,
                storageSpec: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: s.prometheus.storageSize } } } } },
                thanos: thanosSidecarSpec(),
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
            },
        },
    };
}

/**
 * Mattermost installations' metrics (port 8067, /metrics): the installation Services the
 * Mattermost operator labels app=mattermost, in every namespace. Services carrying the newer
 * operator's `mattermost.com/scrape-metrics` label are left out: that operator then scrapes them
 * with its own ServiceMonitor (pkg/mattermost/monitoring.go), and two would double every series.
 * Health probes of /api/v4/system/ping on 8065 stay with the C&C's blackbox exporter
 * (FleetObservability), which probes every installation the registrar lists.
 */
export function mattermostServiceMonitor(namespace: string) {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: WORKLOAD_NAMES.mattermostServiceMonitor, namespace, labels: { "app.kubernetes.io/part-of": "cloud-cnc" } },
        spec: {
            namespaceSelector: { any: true },
            selector: { matchLabels: { app: "mattermost" }, matchExpressions: [{ key: "mattermost.com/scrape-metrics", operator: "DoesNotExist" }] },
            endpoints: [{ targetPort: 8067, path: "/metrics", interval: "30s" }],
        },
    };
}

/** The sidecar's bucket policy: the C&C's own sidecar identity (write, no delete) on exactly this bucket and key. */
export function sidecarPolicy(bucketName: string, kmsKeyArn: string): PolicyDocument {
    const sidecar = bucketIdentities().find((i) => i.role === "prometheus")!;
    return bucketAccessPolicy(sidecar, `arn:aws:s3:::${bucketName}`, kmsKeyArn);
}

/** Trust of a Pod Identity role (EKS Pod Identity: pods.eks.amazonaws.com, AssumeRole + TagSession). */
export function podIdentityTrustPolicy(): PolicyDocument {
    return policyDocument([{ Sid: "EksPodIdentity", Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }]);
}
