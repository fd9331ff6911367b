// Pure decisions of ThanosFederation: names, in-cluster endpoints and IAM documents (the args,
// their defaults and rules are in schema.ts). No Pulumi resources here; tests call these
// functions directly.
import { PolicyDocument, denyInsecureTransport, policyDocument } from "../common/iam";
import { DEFAULT_GRPC_PORT, FEDERATION_TARGETS, LEAF_QUERY_TARGETS, PROBE_TARGETS, REGISTRATION_NAMESPACE, THANOS_ENDPOINTS } from "../../functions/dns-registrar/contract";

/** The clusterID label value the C&C's own Prometheus carries in the federation mode. */
export const CNC_CLUSTER_ID = "C&C";

/** External label naming the Prometheus replica; Thanos Query deduplicates along it. */
export const PROMETHEUS_REPLICA_LABEL = "prometheus_replica";
/** External label naming the Thanos Ruler replica; dropped from alerts, deduplicated by Query. */
export const RULER_REPLICA_LABEL = "rule_replica";
/** External label every Prometheus of the fleet carries (the provisioner's cluster ID). */
export const CLUSTER_ID_LABEL = "clusterID";
/**
 * The Ruler's own external label naming the C&C it runs in. Deliberately NOT `clusterID`:
 * Thanos v0.42.4 overwrites an alert's labels with the Ruler's `--label`s before sending
 * (pkg/alert/alert.go Queue.Push: `b.Set` of every external label) and its StoreAPI overwrites
 * series labels with external labels (pkg/store/tsdb.go Series -> labelpb.ExtendSortedLabels), so
 * a Ruler labelled `clusterID=<cnc>` would stamp the C&C's id on every fleet alert and on every
 * recorded series (`count by (clusterID) (up)` read back as one series of the C&C).
 */
export const RULER_CLUSTER_LABEL = "rule_cluster";

/** The Kubernetes cluster DNS domain used for in-cluster service names. */
export const CLUSTER_DOMAIN = "cluster.local";

/** Helm release name (and fullnameOverride) of kube-prometheus-stack: keeps chart names short and fixed. */
export const KPS_RELEASE = "kps";

export const HTTP_PORT = 10902;
export const GRPC_PORT = DEFAULT_GRPC_PORT;
/** Thanos Query, Query Frontend and the federation Prometheus serve HTTP on the Prometheus port. */
export const QUERY_HTTP_PORT = 9090;

/** Fixed in-cluster names. The registrar's ConfigMaps come from its contract. */
export const names = {
    namespace: REGISTRATION_NAMESPACE,
    endpointsConfigMap: THANOS_ENDPOINTS.configMap,
    federationTargetsConfigMap: FEDERATION_TARGETS.configMap,
    probeTargetsConfigMap: PROBE_TARGETS.configMap,
    leafQueryTargetsConfigMap: LEAF_QUERY_TARGETS.configMap,
    objstoreSecret: "thanos-objstore",
    objstoreKey: "objstore.yml",
    grafanaAdminSecret: "grafana-admin",
    rulesConfigMap: "thanos-ruler-rules",
    query: "thanos-query",
    queryGrpc: "thanos-query-grpc",
    queryFrontend: "thanos-query-frontend",
    store: "thanos-store",
    compactor: "thanos-compactor",
    ruler: "thanos-ruler",
    federation: "prometheus-federation",
    /** kube-prometheus-stack objects (release `kps`, fullnameOverride `kps`). */
    kpsPrometheus: `${KPS_RELEASE}-prometheus`,
    kpsPrometheusServiceAccount: `${KPS_RELEASE}-prometheus`,
    kpsAlertmanager: `${KPS_RELEASE}-alertmanager`,
    kpsGrafana: `${KPS_RELEASE}-grafana`,
    /**
     * The service account the grafana subchart creates: `grafana.serviceAccountName` is the
     * subchart's fullname, `<release>-grafana` (grafana-12.11.1 templates/_helpers.tpl; kps does
     * not pass its fullnameOverride down). The values pin it anyway: the IRSA trust names it.
     */
    kpsGrafanaServiceAccount: `${KPS_RELEASE}-grafana`,
    kpsThanosDiscovery: `${KPS_RELEASE}-thanos-discovery`,
} as const;

export function federationGroupName(index: number): string {
    return `${names.federation}-group-${index}`;
}

/** `<svc>.<ns>.svc` */
export function serviceHost(service: string, namespace: string = names.namespace): string {
    return `${service}.${namespace}.svc`;
}

/** `dnssrv+_<port>._tcp.<svc>.<ns>.svc.cluster.local`: one address per ready pod of a headless service. */
export function dnsSrvEndpoint(service: string, portName: string, namespace: string = names.namespace): string {
    return `dnssrv+_${portName}._tcp.${service}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

// ---------------------------------------------------------------------------------------------
// Identity: exactly the service accounts that touch the bucket, each with exactly its actions

/** One IRSA identity: a service account and the bucket/key actions it needs. */
export interface BucketIdentity {
    /** Role key (child name suffix). */
    role: string;
    serviceAccount: string;
    /** Object-level actions on `<bucket>/*`. */
    objectActions: string[];
    /** Bucket-level actions on the bucket. */
    bucketActions: string[];
    /** Actions on the metrics KMS key. */
    kmsActions: string[];
}

/**
 * The four service accounts that read or write the metrics bucket:
 * - Prometheus' Thanos sidecar uploads 2h blocks (write, no delete);
 * - the Store Gateway only reads;
 * - the Compactor reads, writes compacted/downsampled blocks and deletes (retention, deletion marks);
 * - the Ruler uploads the blocks of its own TSDB (write, no delete).
 * Writers may abort their own failed multipart uploads. KMS: writers encrypt (GenerateDataKey)
 * and read (Decrypt, also needed to complete multipart uploads); the reader only decrypts.
 */
export function bucketIdentities(): BucketIdentity[] {
    const write = ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"];
    return [
        { role: "prometheus", serviceAccount: names.kpsPrometheusServiceAccount, objectActions: write, bucketActions: ["s3:ListBucket"], kmsActions: ["kms:Decrypt", "kms:GenerateDataKey"] },
        { role: "store", serviceAccount: names.store, objectActions: ["s3:GetObject"], bucketActions: ["s3:ListBucket"], kmsActions: ["kms:Decrypt"] },
        {
            role: "compactor",
            serviceAccount: names.compactor,
            objectActions: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
            bucketActions: ["s3:ListBucket"],
            kmsActions: ["kms:Decrypt", "kms:GenerateDataKey"],
        },
        { role: "ruler", serviceAccount: names.ruler, objectActions: write, bucketActions: ["s3:ListBucket"], kmsActions: ["kms:Decrypt", "kms:GenerateDataKey"] },
    ];
}

/** The inline policy of one identity on exactly this bucket and key. */
export function bucketAccessPolicy(identity: BucketIdentity, bucketArn: string, kmsKeyArn: string): PolicyDocument {
    return policyDocument([
        { Sid: "ListMetricsBucket", Effect: "Allow", Action: identity.bucketActions, Resource: bucketArn },
        { Sid: "MetricsObjects", Effect: "Allow", Action: identity.objectActions, Resource: `${bucketArn}/*` },
        { Sid: "MetricsKey", Effect: "Allow", Action: identity.kmsActions, Resource: kmsKeyArn },
    ]);
}

/** The bucket policy: refuse every request not sent over TLS. */
export function metricsBucketPolicy(bucketArn: string): PolicyDocument {
    return policyDocument([denyInsecureTransport([bucketArn, `${bucketArn}/*`])]);
}

/** Days after which incomplete multipart uploads (failed block uploads) are aborted. */
export const ABORT_INCOMPLETE_MULTIPART_DAYS = 7;

// ---------------------------------------------------------------------------------------------
// Grafana: dashboard folders, the CloudWatch datasource and its identity

/**
 * The annotation whose value names a dashboard ConfigMap's Grafana folder: the dashboard sidecar
 * (`sidecar.dashboards.folderAnnotation`) writes the ConfigMap's files into that subdirectory and
 * the provider (`foldersFromFilesStructure: true`) makes one folder per subdirectory.
 */
export const GRAFANA_FOLDER_ANNOTATION = "grafana_folder";

/** The label (and value) the dashboard sidecar selects dashboard ConfigMaps by. */
export const GRAFANA_DASHBOARD_LABEL = { key: "grafana_dashboard", value: "1" } as const;

/** Fixed datasource uids dashboards refer to. */
export const DATASOURCE_UIDS = { thanos: "thanos", cloudwatch: "cloudwatch" } as const;

/**
 * Read-only CloudWatch access for Grafana's CloudWatch datasource: the actions of the AWS managed
 * policy AmazonGrafanaCloudWatchAccess (metrics, alarms, Logs Insights queries, EC2 and tag
 * lookups for dimension values), without its `oam:*` cross-account actions: the C&C reads its
 * own account only.
 */
export const GRAFANA_CLOUDWATCH_ACTIONS = {
    metrics: [
        "cloudwatch:DescribeAlarmHistory",
        "cloudwatch:DescribeAlarms",
        "cloudwatch:DescribeAlarmsForMetric",
        "cloudwatch:GetInsightRuleReport",
        "cloudwatch:GetMetricData",
        "cloudwatch:GetMetricStatistics",
        "cloudwatch:ListMetrics",
    ],
    logs: ["logs:DescribeLogGroups", "logs:GetLogEvents", "logs:GetLogGroupFields", "logs:GetQueryResults", "logs:StartQuery", "logs:StopQuery"],
    lookups: ["ec2:DescribeInstances", "ec2:DescribeRegions", "ec2:DescribeTags", "tag:GetResources"],
} as const;

/**
 * The inline policy of Grafana's IRSA role: read only, no write action. Every statement is on
 * `*`: the listing calls (ListMetrics, GetMetricData, DescribeLogGroups, ec2:Describe*,
 * tag:GetResources) take no narrower resource, and the dashboards read whichever namespaces and
 * log groups (OpenSearch, RDS, Lambda, SQS, AWS/Usage) an operator points them at.
 */
export function grafanaCloudWatchPolicy(): PolicyDocument {
    return policyDocument([
        { Sid: "CloudWatchMetricsRead", Effect: "Allow", Action: [...GRAFANA_CLOUDWATCH_ACTIONS.metrics], Resource: "*" },
        { Sid: "CloudWatchLogsRead", Effect: "Allow", Action: [...GRAFANA_CLOUDWATCH_ACTIONS.logs], Resource: "*" },
        { Sid: "DimensionLookups", Effect: "Allow", Action: [...GRAFANA_CLOUDWATCH_ACTIONS.lookups], Resource: "*" },
    ]);
}

// ---------------------------------------------------------------------------------------------
// ConfigMaps mounted into the C&C Prometheus (prometheusSpec.configMaps)

/** Where prometheus-operator mounts each `configMaps` entry (pkg/prometheus/common.go `configmapsDir`). */
export const PROMETHEUS_CONFIGMAPS_DIR = "/etc/prometheus/configmaps";

/** The path of one key of a ConfigMap listed in `prometheus.configMaps`, as the C&C Prometheus sees it (e.g. for file_sd). */
export function prometheusConfigMapFile(configMap: string, key: string): string {
    return `${PROMETHEUS_CONFIGMAPS_DIR}/${configMap}/${key}`;
}

/** A UI this component serves, as a row of AppIngress's table of hosts. */
export interface UiBackend {
    name: "grafana" | "thanos" | "alertmanager" | "prometheus";
    namespace: string;
    service: string;
    port: number;
    healthcheckPath: string;
}

/**
 * The UIs behind the internal ALB: Grafana (kps-grafana:80, /api/health), Thanos (the Query
 * Frontend when enabled, else Query, 9090), Alertmanager (kps-alertmanager:9093) and, in
 * prometheus-federation mode, the central federation Prometheus (9090; the headless Service's
 * endpoints are what the controller's ip targets use anyway).
 */
export function uiBackends(s: { thanos: { queryFrontend: { enabled: boolean } }; federation: { mode: string } }): UiBackend[] {
    const ns = names.namespace;
    return [
        { name: "grafana", namespace: ns, service: names.kpsGrafana, port: 80, healthcheckPath: "/api/health" },
        { name: "thanos", namespace: ns, service: s.thanos.queryFrontend.enabled ? names.queryFrontend : names.query, port: QUERY_HTTP_PORT, healthcheckPath: "/-/healthy" },
        { name: "alertmanager", namespace: ns, service: names.kpsAlertmanager, port: 9093, healthcheckPath: "/-/healthy" },
        ...(s.federation.mode === "prometheus-federation" ? [{ name: "prometheus" as const, namespace: ns, service: names.federation, port: QUERY_HTTP_PORT, healthcheckPath: "/-/healthy" }] : []),
    ];
}
