import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { EMPTY_SINCE_ANNOTATION, FEDERATION_TARGETS, LEAF_QUERY_TARGETS, PROBE_TARGETS, THANOS_ENDPOINTS, renderFileSd, renderThanosEndpointConfig } from "../../functions/dns-registrar/contract";
import { createIrsaRole, irsaServiceAccountAnnotations } from "../common/irsa";
import { iamRoleNamePrefix } from "../common/naming";
import { parseArgs } from "../common/schema";
import { createKmsKey, createSecureBucket } from "../common/storage";
import { versions } from "../common/versions";
import {
    ABORT_INCOMPLETE_MULTIPART_DAYS,
    KPS_RELEASE,
    QUERY_HTTP_PORT,
    bucketAccessPolicy,
    bucketIdentities,
    grafanaCloudWatchPolicy,
    metricsBucketPolicy,
    names,
    serviceHost,
} from "./plan";
import {
    ALERT_WEBHOOK_SECRET,
    GRAFANA_OIDC_SECRET,
    DEAD_MANS_SWITCH_SECRET,
    ServicePlan,
    WorkloadManifest,
    compactorWorkload,
    federationServers,
    federationWorkload,
    inClusterStoreEndpoints,
    kubePrometheusStackValues,
    podDisruptionBudget,
    queryFrontendWorkload,
    queryWorkload,
    renderObjstoreConfig,
    renderRuleFile,
    ruleGroups,
    rulerWorkload,
    service,
    servicePlans,
    serviceMonitor,
    sha256,
    storeWorkload,
    workloadSpec,
} from "./render";
import { BUILTIN_RULE_FILE, thanosFederationSchema } from "./schema";

/** CPU and memory requests/limits of one container (Kubernetes quantities). */
export interface ThanosFederationResourcesArgs {
    /** CPU request, e.g. 250m. */
    cpuRequest?: string;
    /** Memory request, e.g. 512Mi. */
    memoryRequest?: string;
    /** CPU limit, e.g. 1. */
    cpuLimit?: string;
    /** Memory limit, e.g. 2Gi. */
    memoryLimit?: string;
}

/** The C&C Prometheus (kube-prometheus-stack) and, in the federation mode, the federation servers' storage. */
export interface ThanosFederationPrometheusArgs {
    /** Local retention (Prometheus duration, at least 2h), e.g. 7d; older data is served from the bucket. Default 7d. */
    retention?: string;
    /** Size of each Prometheus volume, e.g. 100Gi. Default 100Gi. */
    storageSize?: string;
    /** Replicas (HA pairs deduplicated by Thanos Query on prometheus_replica). Default 2 under the production profile, else 1. */
    replicas?: number;
    /** Resources of the prometheus container. */
    resources?: ThanosFederationResourcesArgs;
    /**
     * ConfigMaps of the namespace mounted into the C&C Prometheus at /etc/prometheus/configmaps/<name>/
     * (kubelet refreshes them, no restart), e.g. the registrar's file_sd targets ("thanos-query-targets",
     * "blackbox-probe-targets") that ScrapeConfigs read. Each must exist: the pod waits for it. Default none.
     */
    configMaps?: string[];
    /**
     * Alerts of kube-prometheus-stack's default rules not to create (the chart's `defaultRules.disabled`),
     * e.g. those another rule set replaces fleet-wide (the stack passes FleetObservability's
     * REPLACED_DEFAULT_ALERTS). Default none.
     */
    disabledDefaultAlerts?: string[];
}

/** Alertmanager (routing and receivers are configured by the alerting component). */
export interface ThanosFederationAlertmanagerArgs {
    /** Replicas (gossip cluster). Default 3 under the production profile, else 1. */
    replicas?: number;
    /** Size of each Alertmanager volume. Default 5Gi. */
    storageSize?: string;
}

/** Grafana. */
export interface ThanosFederationGrafanaArgs {
    /** Size of Grafana's volume. Default 10Gi. */
    storageSize?: string;
    /** Default region of the CloudWatch datasource (uid "cloudwatch", read through Grafana's IRSA role), e.g. eu-west-1. Default: bucketRegion. */
    cloudWatchRegion?: string;
    /** Grafana's own OIDC sign-in (generic OAuth) with IdP groups mapped to roles; needs grafanaOidcClientSecret. Unset: the admin form only. */
    sso?: ThanosFederationGrafanaSsoArgs;
}

/** Grafana's own OIDC sign-in, against the IdP the ALB in front of it uses. */
export interface ThanosFederationGrafanaSsoArgs {
    /** Grafana's public URL with a trailing slash (https://grafana.<apps domain>/): the redirect URI is <rootUrl>login/generic_oauth. */
    rootUrl: string;
    /** The IdP's issuer (https). */
    issuer: string;
    /** Authorization endpoint (https). */
    authorizationEndpoint: string;
    /** Token endpoint (https). */
    tokenEndpoint: string;
    /** User info endpoint (https). */
    userInfoEndpoint: string;
    /** Client id registered at the IdP. */
    clientId: string;
    /** Space-separated scopes. Default "openid email profile groups". */
    scopes?: string;
    /** The claim holding the user's groups. Default groups. */
    groupsAttributePath?: string;
    /** Groups whose members are Grafana Admins (at least one). */
    adminGroups: string[];
    /** Groups whose members are Editors. Default none. */
    editorGroups?: string[];
    /** Groups whose members are Viewers. Default none. A user in no configured group cannot sign in (role_attribute_strict). */
    viewerGroups?: string[];
}

/** Central Thanos Query. */
export interface ThanosFederationQueryArgs {
    /** Replicas. Default 2 under the production profile (with a PodDisruptionBudget), else 1. */
    replicas?: number;
    /** Per-store response timeout (--store.response-timeout): a store silent this long is skipped with a partial response. Default 30s. */
    responseTimeout?: string;
    /** Resources of the query container. */
    resources?: ThanosFederationResourcesArgs;
}

/** Thanos Store Gateway. */
export interface ThanosFederationStoreArgs {
    /** In-memory index cache size in megabytes (64-65536). Default 512. */
    indexCacheSizeMb?: number;
    /** Size of the Store Gateway's volume (index headers). Default 20Gi. */
    storageSize?: string;
    /** Resources of the store container. */
    resources?: ThanosFederationResourcesArgs;
}

/** Thanos Compactor (a singleton). */
export interface ThanosFederationCompactorArgs {
    /** Retention of raw data: 0d (forever) or at least 3d. Default 30d. */
    retentionRaw?: string;
    /** Retention of 5m-downsampled data: 0d (forever) or at least 15d. Default 90d. */
    retention5m?: string;
    /** Retention of 1h-downsampled data: 0d (forever) or at least the 5m retention. Default 1y. */
    retention1h?: string;
    /** Size of the compactor's scratch volume. Default 100Gi. */
    storageSize?: string;
    /** Resources of the compactor container. */
    resources?: ThanosFederationResourcesArgs;
}

/** Thanos Ruler. */
export interface ThanosFederationRulerArgs {
    /** Replicas. Default 2 under the production profile, else 1. */
    replicas?: number;
    /** Size of the Ruler's volume. Default 10Gi. */
    storageSize?: string;
    /** Rule evaluation interval. Default 1m. */
    evaluationInterval?: string;
    /** Names of extra ConfigMaps in the namespace whose keys are rule files (`*.yaml`), mounted optionally. The Ruler does not notice when they change (restart it). */
    ruleConfigMaps?: string[];
    /**
     * The built-in meta-monitoring alerts (ThanosCompactHalted, ThanosBucketOperationsFailing) in the
     * Ruler's own rule file. Default true. Set false when other rules cover them (the stack does,
     * because FleetObservability's cnc-monitoring group alerts on both from the C&C Prometheus): two
     * copies would notify twice. The `clusterID:up:count` recording rule stays either way.
     */
    metaAlerts?: boolean;
    /** Extra rule files (file name such as fleet-alerts.yaml -> its YAML), written next to the built-in rules: the Ruler restarts when they change. FleetObservability renders its fleet-wide rules for this (fleetRulerRuleFiles). */
    ruleFiles?: Record<string, string>;
    /** Resources of the ruler container. */
    resources?: ThanosFederationResourcesArgs;
}

/** Optional Thanos Query Frontend with an in-memory results cache. */
export interface ThanosFederationQueryFrontendArgs {
    /** Deploy it (Grafana and queryUrl then use it). Default false. */
    enabled?: boolean;
    /** Replicas. Default 2 under the production profile, else 1. */
    replicas?: number;
    /** Results cache size in megabytes. Default 256. */
    cacheSizeMb?: number;
    /** Resources of the query-frontend container. */
    resources?: ThanosFederationResourcesArgs;
}

/** The Thanos components. */
export interface ThanosFederationThanosArgs {
    /** Central Thanos Query. */
    query?: ThanosFederationQueryArgs;
    /** Store Gateway. */
    store?: ThanosFederationStoreArgs;
    /** Compactor. */
    compactor?: ThanosFederationCompactorArgs;
    /** Ruler. */
    ruler?: ThanosFederationRulerArgs;
    /** Query Frontend. */
    queryFrontend?: ThanosFederationQueryFrontendArgs;
}

/** The federation mode's settings. */
export interface ThanosFederationFederationArgs {
    /** "thanos" (default: central Query fans out to every cluster's Query) or "prometheus-federation" (a central Prometheus scrapes every cluster's /federate). */
    mode?: string;
    /** `match[]` selectors of the federate job. Default {job="prometheus"} and {__name__=~"job:.*"}. */
    match?: string[];
    /** prometheus-federation mode: number of group federators, each scraping a hashmod shard of the clusters (0 = the central server scrapes every cluster). Default 0. */
    groups?: number;
    /** Resources of each federation Prometheus container. */
    resources?: ThanosFederationResourcesArgs;
}

/** Arguments of ThanosFederation. */
export interface ThanosFederationArgs {
    /** This (C&C) cluster's id: the `clusterID` external label of its Prometheus and Ruler. */
    clusterId: string;
    /** Environment name, e.g. dev or prod: part of the default bucket name and of physical names. */
    environment: string;
    /** Name prefix of physical names and of the default bucket name `<prefix>-<env>-prometheus-metrics`. */
    prefix: string;
    /** Sizing profile, "production" or "development": production defaults to HA replica counts (with PodDisruptionBudgets) and deletion protection. */
    profile: string;
    /** Bucket name instead of the default. */
    bucketName?: string;
    /** Region of the metrics bucket (written into the objstore config), e.g. eu-west-1. */
    bucketRegion: string;
    /** ARN of the cluster's IAM OIDC provider (IRSA). */
    oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL (with or without https://). */
    oidcProviderUrl: pulumi.Input<string>;
    /** StorageClass of every volume; default: the cluster's default StorageClass. */
    storageClassName?: string;
    /** Create the `monitoring` namespace (set false when another component owns it). Default true. */
    createNamespace?: boolean;
    /** The C&C Prometheus (kube-prometheus-stack). */
    prometheus?: ThanosFederationPrometheusArgs;
    /** Alertmanager. */
    alertmanager?: ThanosFederationAlertmanagerArgs;
    /** Mattermost (Slack-format) incoming webhook URL Alertmanager sends alerts to; pass a secret. Unset: no receiver. */
    alertWebhookUrl?: pulumi.Input<string>;
    /**
     * Heartbeat URL of a dead man's switch service (e.g. a healthchecks.io check); pass a secret. Set: the
     * always-firing Watchdog is posted to it every minute, so the service alarms when alerting stops. Needs alertWebhookUrl.
     */
    deadMansSwitchUrl?: pulumi.Input<string>;
    /** Grafana. */
    grafana?: ThanosFederationGrafanaArgs;
    /** The OIDC client secret of grafana.sso (pass a secret; required with it): kept in the Secret grafana-oidc, read by Grafana from its environment. */
    grafanaOidcClientSecret?: pulumi.Input<string>;
    /** Thanos components. */
    thanos?: ThanosFederationThanosArgs;
    /** Federation mode, `match[]` and group federators. */
    federation?: ThanosFederationFederationArgs;
    /** Protect and retain the bucket and its KMS key. Default: true under the production profile. */
    deletionProtection?: boolean;
    /** Tags for the AWS resources. */
    tags?: { [key: string]: string };
}

/**
 * Fleet metrics for the C&C cluster: the metrics bucket (SSE-KMS, TLS only) with IRSA roles,
 * kube-prometheus-stack (Prometheus + Thanos sidecar, Alertmanager, Grafana), Thanos Query /
 * Store Gateway / Compactor / Ruler (+ optional Query Frontend) as our own workloads, the
 * registrar's discovery ConfigMaps, and the prometheus-federation mode.
 */
export class ThanosFederation extends pulumi.ComponentResource {
    /** Name of the metrics bucket. */
    public readonly metricsBucketName: pulumi.Output<string>;
    /** ARN of the metrics bucket. */
    public readonly metricsBucketArn: pulumi.Output<string>;
    /** ARN of the KMS key that encrypts the metrics bucket (SSE-KMS). */
    public readonly metricsKeyArn: pulumi.Output<string>;
    /** Namespace of the monitoring stack (and of the registrar's ConfigMaps). */
    public readonly namespace: pulumi.Output<string>;
    /** In-cluster URL of the query entry point (the Query Frontend when enabled, else Thanos Query). */
    public readonly queryUrl: pulumi.Output<string>;
    /** In-cluster URL of Grafana. */
    public readonly grafanaUrl: pulumi.Output<string>;
    /** In-cluster URL of Alertmanager. */
    public readonly alertmanagerUrl: pulumi.Output<string>;
    /** Grafana's admin password (secret). */
    public readonly grafanaAdminPassword: pulumi.Output<string>;
    /** ConfigMap holding Thanos Query's endpoint SD file (written by the DnsRegistrar). */
    public readonly endpointsConfigMapName: pulumi.Output<string>;
    /** ConfigMap holding the federation file_sd targets (written by the DnsRegistrar). */
    public readonly federationTargetsConfigMapName: pulumi.Output<string>;
    /** ConfigMap holding the blackbox probe targets (written by the DnsRegistrar). */
    public readonly probeTargetsConfigMapName: pulumi.Output<string>;
    /** ConfigMap holding the leaf Thanos Query HTTP file_sd targets (written by the DnsRegistrar; scraped by the C&C Prometheus for the drift alerts). */
    public readonly leafQueryTargetsConfigMapName: pulumi.Output<string>;
    /** Service exposing Thanos Query's gRPC StoreAPI (port 10901). */
    public readonly queryGrpcServiceName: pulumi.Output<string>;
    /** The C&C's in-cluster StoreAPI endpoints (sidecars, Store Gateway, Ruler, federation Prometheus): the static entries of the endpoints file; pass them to DnsRegistrar's thanosStaticEndpoints. */
    public readonly inClusterEndpoints: pulumi.Output<string[]>;

    constructor(name: string, args: ThanosFederationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloud-cnc:index:ThanosFederation", name, {}, opts);

        const settings = parseArgs(`ThanosFederation ${name}`, thanosFederationSchema, args);
        const ns = names.namespace;
        const federationMode = settings.federation.mode === "prometheus-federation";
        const child = { parent: this };

        // --- Storage: KMS key and bucket -------------------------------------------------------
        // SSE-KMS needs the key in the bucket's region.
        const key = createKmsKey(
            `${name}-metrics-key`,
            { description: `Thanos metrics bucket ${settings.bucketName}`, alias: `alias/${settings.bucketName}`, region: settings.bucketRegion, tags: settings.tags, protect: settings.deletionProtection },
            child,
        );
        const bucket = createSecureBucket(
            `${name}-metrics`,
            {
                bucket: settings.bucketName,
                region: settings.bucketRegion,
                kmsKeyArn: key.arn,
                policy: (arn) => arn.apply((a) => JSON.stringify(metricsBucketPolicy(a))),
                lifecycleRules: [
                    {
                        id: "abort-incomplete-multipart-uploads",
                        status: "Enabled",
                        filter: { prefix: "" },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_MULTIPART_DAYS },
                    },
                ],
                tags: settings.tags,
                protect: settings.deletionProtection,
            },
            child,
        );
        // Versioning stays off: the compactor deletes and rewrites blocks (see README).

        // --- IRSA: exactly the four service accounts that touch the bucket --------------------
        const roleArns: Record<string, pulumi.Output<string>> = {};
        for (const identity of bucketIdentities()) {
            const role = createIrsaRole(
                `${name}-irsa-${identity.role}`,
                {
                    oidcProviderArn: args.oidcProviderArn,
                    oidcProviderUrl: args.oidcProviderUrl,
                    namespace: ns,
                    serviceAccount: identity.serviceAccount,
                    inlinePolicies: {
                        bucket: pulumi.all([bucket.arn, key.arn]).apply(([b, k]) => JSON.stringify(bucketAccessPolicy(identity, b, k))),
                    },
                    description: `Thanos ${identity.role}: metrics bucket ${settings.bucketName}`,
                    namePrefix: iamRoleNamePrefix(settings.prefix, settings.environment, `thanos-${identity.role}`),
                    tags: settings.tags,
                },
                child,
            );
            roleArns[identity.role] = role.arn;
        }
        // Grafana's CloudWatch datasource: read-only CloudWatch, assumable only by the chart's Grafana service account.
        const grafanaRole = createIrsaRole(
            `${name}-irsa-grafana`,
            {
                oidcProviderArn: args.oidcProviderArn,
                oidcProviderUrl: args.oidcProviderUrl,
                namespace: ns,
                serviceAccount: names.kpsGrafanaServiceAccount,
                inlinePolicies: { cloudwatch: JSON.stringify(grafanaCloudWatchPolicy()) },
                description: "Grafana: CloudWatch datasource (read only)",
                namePrefix: iamRoleNamePrefix(settings.prefix, settings.environment, "grafana"),
                tags: settings.tags,
            },
            child,
        );

        // --- Namespace, registrar ConfigMaps, objstore secret, Grafana admin -------------------
        const namespaceResource = settings.createNamespace
            ? new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: ns, labels: { "app.kubernetes.io/part-of": "thanos-federation" } } }, child)
            : undefined;
        const inNs = { parent: this, dependsOn: namespaceResource ? [namespaceResource] : [] };
        const meta = (n: string, labels: Record<string, string> = {}) => ({ name: n, namespace: ns, labels: { "app.kubernetes.io/part-of": "thanos-federation", ...labels } });

        // Seeded empty; the DnsRegistrar owns `data` (and its empty-since annotation) from then on,
        // so Pulumi never reverts its writes.
        const registrarOwned = ["data", `metadata.annotations["${EMPTY_SINCE_ANNOTATION}"]`];
        const seeded = (role: string, cmName: string, key: string, content: string) =>
            new k8s.core.v1.ConfigMap(`${name}-${role}`, { metadata: meta(cmName), data: { [key]: content } }, { ...inNs, ignoreChanges: registrarOwned });
        // The in-cluster StoreAPIs are static entries of the same file (the registrar keeps them:
        // DnsRegistrar's thanosStaticEndpoints), so Query needs no deprecated --endpoint flag.
        const inClusterEndpoints = inClusterStoreEndpoints(settings.federation.mode);
        const endpointsCm = seeded("endpoints", names.endpointsConfigMap, THANOS_ENDPOINTS.key, renderThanosEndpointConfig(inClusterEndpoints));
        const federationTargetsCm = seeded("federation-targets", names.federationTargetsConfigMap, FEDERATION_TARGETS.key, renderFileSd([]));
        const probeTargetsCm = seeded("probe-targets", names.probeTargetsConfigMap, PROBE_TARGETS.key, renderFileSd([]));
        // Mounted into the C&C Prometheus (prometheusSpec.configMaps): it must exist before the pod starts.
        const leafQueryTargetsCm = seeded("leaf-query-targets", names.leafQueryTargetsConfigMap, LEAF_QUERY_TARGETS.key, renderFileSd([]));

        const objstoreSecret = new k8s.core.v1.Secret(
            `${name}-objstore`,
            {
                metadata: meta(names.objstoreSecret),
                type: "Opaque",
                stringData: { [names.objstoreKey]: key.arn.apply((arn) => renderObjstoreConfig(settings.bucketName, settings.bucketRegion, arn)) },
            },
            inNs,
        );

        const grafanaPassword = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, child);
        const grafanaSecret = new k8s.core.v1.Secret(
            `${name}-grafana-admin`,
            { metadata: meta(names.grafanaAdminSecret), type: "Opaque", stringData: { "admin-user": "admin", "admin-password": grafanaPassword.result } },
            inNs,
        );

        // The alert webhook URL only ever lives in this Secret (mounted into Alertmanager).
        const alertWebhookSecret =
            args.alertWebhookUrl === undefined
                ? undefined
                : new k8s.core.v1.Secret(
                      `${name}-alert-webhook`,
                      { metadata: meta(ALERT_WEBHOOK_SECRET.name), type: "Opaque", stringData: { [ALERT_WEBHOOK_SECRET.key]: pulumi.secret(args.alertWebhookUrl) } },
                      inNs,
                  );
        const deadMansSwitchSecret =
            args.deadMansSwitchUrl === undefined
                ? undefined
                : new k8s.core.v1.Secret(
                      `${name}-dead-mans-switch`,
                      { metadata: meta(DEAD_MANS_SWITCH_SECRET.name), type: "Opaque", stringData: { [DEAD_MANS_SWITCH_SECRET.key]: pulumi.secret(args.deadMansSwitchUrl) } },
                      inNs,
                  );
        // Grafana's OIDC client secret only ever lives in this Secret (an env var of Grafana's pod).
        const grafanaOidcSecret =
            args.grafanaOidcClientSecret === undefined || !settings.grafana.sso
                ? undefined
                : new k8s.core.v1.Secret(
                      `${name}-grafana-oidc`,
                      { metadata: meta(GRAFANA_OIDC_SECRET.name), type: "Opaque", stringData: { [GRAFANA_OIDC_SECRET.key]: pulumi.secret(args.grafanaOidcClientSecret) } },
                      inNs,
                  );
        // ConfigMaps this component seeds that the C&C Prometheus mounts: the release waits for them
        // (a pod whose ConfigMap volume is missing does not start).
        const seededConfigMaps = new Map<string, pulumi.Resource>([[names.probeTargetsConfigMap, probeTargetsCm], [names.federationTargetsConfigMap, federationTargetsCm], [names.endpointsConfigMap, endpointsCm]]);
        const mountedConfigMaps = settings.prometheus.configMaps.flatMap((cm) => seededConfigMaps.get(cm) ?? []);

        // --- kube-prometheus-stack -------------------------------------------------------------
        const queryUrl = `http://${serviceHost(settings.thanos.queryFrontend.enabled ? names.queryFrontend : names.query)}:${QUERY_HTTP_PORT}`;
        const chart = versions.thanosFederation.kubePrometheusStack;
        const kps = new k8s.helm.v3.Release(
            `${name}-kube-prometheus-stack`,
            {
                name: KPS_RELEASE,
                namespace: ns,
                chart: chart.chart,
                version: chart.version,
                repositoryOpts: { repo: chart.repo },
                values: pulumi.all([roleArns.prometheus, grafanaRole.arn]).apply(([prometheusRoleArn, grafanaRoleArn]) =>
                    kubePrometheusStackValues({
                        settings,
                        prometheusRoleArn,
                        grafanaRoleArn,
                        queryUrl,
                        alertWebhook: alertWebhookSecret !== undefined,
                        deadMansSwitch: deadMansSwitchSecret !== undefined,
                    }),
                ),
                createNamespace: false,
                atomic: true,
                cleanupOnFail: true,
                timeout: 900,
                maxHistory: 10,
            },
            {
                ...inNs,
                dependsOn: [...inNs.dependsOn, objstoreSecret, grafanaSecret, ...(alertWebhookSecret ? [alertWebhookSecret] : []), ...(deadMansSwitchSecret ? [deadMansSwitchSecret] : []), ...(grafanaOidcSecret ? [grafanaOidcSecret] : []), ...mountedConfigMaps],
            },
        );

        // --- Our own Thanos and federation workloads -------------------------------------------
        const rulesYaml = renderRuleFile(ruleGroups({ metaAlerts: settings.thanos.ruler.metaAlerts }));
        const ruleFiles = { [BUILTIN_RULE_FILE]: rulesYaml, ...settings.thanos.ruler.ruleFiles };
        new k8s.core.v1.ConfigMap(`${name}-ruler-rules`, { metadata: meta(names.rulesConfigMap), data: ruleFiles }, inNs);

        const serviceAccount = (sa: string, roleArn?: pulumi.Output<string>) =>
            new k8s.core.v1.ServiceAccount(
                `${name}-sa-${sa}`,
                {
                    metadata: { ...meta(sa), ...(roleArn ? { annotations: irsaServiceAccountAnnotations(roleArn) } : {}) },
                    // IRSA does not need it (the webhook projects its own token); nothing here calls the Kubernetes API.
                    automountServiceAccountToken: false,
                },
                inNs,
            );

        const deploy = (w: WorkloadManifest, deps: pulumi.Resource[], services: ServicePlan[]) => {
            const metadata = meta(w.name, w.labels);
            const spec = workloadSpec(w) as any;
            const opts = { ...inNs, dependsOn: [...inNs.dependsOn, ...deps] };
            const resource =
                w.kind === "Deployment"
                    ? new k8s.apps.v1.Deployment(`${name}-${w.name}`, { metadata, spec }, opts)
                    : new k8s.apps.v1.StatefulSet(`${name}-${w.name}`, { metadata, spec }, opts);
            const pdb = podDisruptionBudget(w);
            if (pdb) new k8s.policy.v1.PodDisruptionBudget(`${name}-${w.name}-pdb`, { metadata: meta(w.name, w.labels), spec: pdb }, inNs);
            for (const plan of services) {
                const m = service(plan.name, w.selector, { ...w.selector }, plan.ports, plan.headless);
                new k8s.core.v1.Service(`${name}-svc-${plan.name}`, { metadata: meta(m.name, m.labels), spec: m.spec }, inNs);
                if (plan.monitorPorts.length > 0) monitors.push([plan.name, w.selector, plan.monitorPorts]);
            }
            return resource;
        };
        const monitors: [string, Record<string, string>, string[]][] = [];

        const query = queryWorkload(settings);
        deploy(query, [serviceAccount(names.query), endpointsCm], servicePlans("query", query.name));

        if (settings.thanos.queryFrontend.enabled) {
            const frontend = queryFrontendWorkload(settings);
            deploy(frontend, [serviceAccount(names.queryFrontend)], servicePlans("queryFrontend", frontend.name));
        }

        const store = storeWorkload(settings);
        deploy(store, [serviceAccount(names.store, roleArns.store), objstoreSecret], servicePlans("store", store.name));

        const compactor = compactorWorkload(settings);
        deploy(compactor, [serviceAccount(names.compactor, roleArns.compactor), objstoreSecret], servicePlans("compactor", compactor.name));

        // Every file of the ConfigMap in the checksum: a changed rule rolls the Ruler (it does not watch its files).
        const ruler = rulerWorkload(settings, sha256(Object.entries(ruleFiles).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([f, text]) => `${f}\n${text}`).join("\n")));
        deploy(ruler, [serviceAccount(names.ruler, roleArns.ruler), objstoreSecret], servicePlans("ruler", ruler.name));

        if (federationMode) {
            const fedSa = serviceAccount(names.federation);
            for (const f of federationServers(settings)) {
                const configMap = `${f.name}-config`;
                const cm = new k8s.core.v1.ConfigMap(`${name}-${configMap}`, { metadata: meta(configMap), data: { "prometheus.yml": f.config } }, inNs);
                const w = federationWorkload(settings, { name: f.name, configMap, configChecksum: sha256(f.config), sidecar: f.sidecar });
                deploy(w, [fedSa, cm, federationTargetsCm], servicePlans("federation", w.name, f.sidecar));
            }
        }

        // ServiceMonitors need the CRDs the chart installs.
        for (const [svcName, selector, ports] of monitors) {
            const sm = serviceMonitor(svcName, selector, ports);
            new k8s.apiextensions.CustomResource(`${name}-monitor-${svcName}`, sm as any, { ...inNs, dependsOn: [...inNs.dependsOn, kps] });
        }

        // --- Outputs ---------------------------------------------------------------------------
        this.metricsBucketName = bucket.bucket;
        this.metricsBucketArn = bucket.arn;
        this.metricsKeyArn = key.arn;
        this.namespace = pulumi.output(namespaceResource ? namespaceResource.metadata.name : ns);
        this.queryUrl = pulumi.output(queryUrl);
        this.grafanaUrl = pulumi.output(`http://${serviceHost(names.kpsGrafana)}:80`);
        this.alertmanagerUrl = pulumi.output(`http://${serviceHost(names.kpsAlertmanager)}:9093`);
        this.grafanaAdminPassword = pulumi.secret(grafanaPassword.result);
        this.endpointsConfigMapName = endpointsCm.metadata.name;
        this.federationTargetsConfigMapName = federationTargetsCm.metadata.name;
        this.probeTargetsConfigMapName = probeTargetsCm.metadata.name;
        this.leafQueryTargetsConfigMapName = leafQueryTargetsCm.metadata.name;
        this.queryGrpcServiceName = pulumi.output(names.queryGrpc);
        this.inClusterEndpoints = pulumi.output(inClusterEndpoints);
        this.registerOutputs({
            metricsBucketName: this.metricsBucketName,
            metricsBucketArn: this.metricsBucketArn,
            metricsKeyArn: this.metricsKeyArn,
            namespace: this.namespace,
            queryUrl: this.queryUrl,
            grafanaUrl: this.grafanaUrl,
            alertmanagerUrl: this.alertmanagerUrl,
            grafanaAdminPassword: this.grafanaAdminPassword,
            endpointsConfigMapName: this.endpointsConfigMapName,
            federationTargetsConfigMapName: this.federationTargetsConfigMapName,
            probeTargetsConfigMapName: this.probeTargetsConfigMapName,
            leafQueryTargetsConfigMapName: this.leafQueryTargetsConfigMapName,
            queryGrpcServiceName: this.queryGrpcServiceName,
            inClusterEndpoints: this.inClusterEndpoints,
        });
    }
}
