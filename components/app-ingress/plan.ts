// AppIngress's decisions as pure functions: the table of hosts (Ingresses, certificate names and
// DNS records all come from it), the Ingress objects, the LB controller's secret Role, the WAF
// rules, Headlamp's read-only RBAC and chart values. index.ts only creates what these return.
import { ALB_GROUPS, ALB_INGRESS_CLASS, LBC_SERVICE_ACCOUNT, albIngressAnnotations } from "../common/ingress";
import type { AppIngressSettings, AppSettings } from "./schema";
import { versions } from "../common/versions";

/** Headlamp's chart and image (pinned, with their source, in components/common/versions.ts). */
export const PINS = { headlampChart: versions.appIngress.headlampChart, headlampImage: versions.appIngress.headlampImage } as const;

export const NAMES = {
    /** Secret with clientID/clientSecret in every namespace holding an OIDC Ingress (LBC format: pkg/shared_constants/secret_keys.go). */
    oidcSecret: "alb-oidc",
    /** Role/RoleBinding giving the LB controller get/list/watch on exactly that secret. */
    oidcSecretReader: "alb-oidc-secret-reader",
    headlampNamespace: "headlamp",
    headlampRelease: "headlamp",
    headlampServiceAccount: "headlamp",
    headlampClusterRole: "headlamp-read-only",
    headlampAdminBinding: "headlamp-admin-groups",
} as const;

/** Seconds Pulumi waits for an Ingress's status (first ALB + target registration can exceed its default 10 min). */
export const INGRESS_TIMEOUT_SECONDS = "900";

/** The Headlamp app entry headlamp.enabled adds to the table (chart Service <fullname>:80 -> container 4466). */
export const HEADLAMP_APP: AppSettings = { name: "headlamp", namespace: NAMES.headlampNamespace, service: "headlamp", port: 80, healthcheckPath: "/", public: false, oidc: true, onUnauthenticated: "authenticate" };

/** The one table of hosts: the configured apps, plus Headlamp when enabled. */
export function appTable(s: Pick<AppIngressSettings, "apps" | "headlamp">): AppSettings[] {
    return s.headlamp.enabled ? [...s.apps, HEADLAMP_APP] : [...s.apps];
}

export function hostOf(app: Pick<AppSettings, "name">, domain: string): string {
    return `${app.name}.${domain}`;
}

/** The certificate's names: the wildcard for every app host and the apex as a SAN. */
export function certificateNames(domain: string): { domainName: string; subjectAlternativeNames: string[] } {
    return { domainName: `*.${domain}`, subjectAlternativeNames: [domain] };
}

/**
 * Whether a certificate name covers a host the way TLS clients match it (RFC 6125 6.4.3): a
 * leading `*` label matches exactly one label, so `*.apps.x` covers `grafana.apps.x` but neither
 * `apps.x` nor `a.b.apps.x`.
 */
export function nameCovers(certName: string, host: string): boolean {
    const n = certName.toLowerCase();
    const h = host.toLowerCase();
    if (!n.startsWith("*.")) return n === h;
    const [first, ...rest] = h.split(".");
    return first.length > 0 && rest.join(".") === n.slice(2);
}

export function certificateCovers(names: { domainName: string; subjectAlternativeNames: string[] }, host: string): boolean {
    return [names.domainName, ...names.subjectAlternativeNames].some((n) => nameCovers(n, host));
}

/** Namespaces that hold at least one OIDC Ingress (each gets the Secret and the controller's Role). */
export function oidcNamespaces(apps: readonly AppSettings[]): string[] {
    return [...new Set(apps.filter((a) => a.oidc).map((a) => a.namespace))].sort();
}

export type GroupKind = keyof typeof ALB_GROUPS;

/** The Ingresses of one group, in table order: every app internally; only public apps publicly. */
export function groupApps(apps: readonly AppSettings[], group: GroupKind): AppSettings[] {
    return group === "internal" ? [...apps] : apps.filter((a) => a.public);
}

export function ingressName(app: Pick<AppSettings, "name">, group: GroupKind): string {
    return `${app.name}-${group}`;
}

/** What an Ingress needs that is only known at deployment (the certificate and WebACL ARNs). */
export interface IngressRuntime {
    certificateArn: string;
    wafAclArn?: string;
}

/** One app's Ingress in one group (a plain object; index.ts fills the ARNs in from Outputs). */
export function renderIngress(s: AppIngressSettings, app: AppSettings, index: number, group: GroupKind, rt: IngressRuntime) {
    const isPublic = group === "public";
    if (isPublic && !app.oidc) throw new Error(`app ${app.name}: a public Ingress without OIDC`);
    const annotations = albIngressAnnotations({
        group: ALB_GROUPS[group],
        groupOrder: 10 * (index + 1),
        scheme: isPublic ? "internet-facing" : "internal",
        certificateArn: rt.certificateArn,
        sslPolicy: s.sslPolicy,
        // Identical on every Ingress of the group (the controller refuses differing values).
        inboundCidrs: isPublic ? ["0.0.0.0/0"] : s.allowedCidrs,
        wafAclArn: isPublic ? rt.wafAclArn : undefined,
        healthcheckPath: app.healthcheckPath,
        successCodes: app.successCodes,
        oidc: app.oidc
            ? {
                  issuer: s.oidc.issuer,
                  authorizationEndpoint: s.oidc.authorizationEndpoint,
                  tokenEndpoint: s.oidc.tokenEndpoint,
                  userInfoEndpoint: s.oidc.userInfoEndpoint,
                  secretName: NAMES.oidcSecret,
                  scope: s.oidc.scope,
                  sessionTimeoutSeconds: s.oidc.sessionTimeoutSeconds,
                  onUnauthenticated: app.onUnauthenticated,
              }
            : undefined,
        tags: s.tags,
    });
    return {
        metadata: {
            name: ingressName(app, group),
            namespace: app.namespace,
            labels: { "app.kubernetes.io/part-of": "cloud-cnc", "app.kubernetes.io/component": "app-ingress", "app.kubernetes.io/name": app.name },
            annotations: { ...annotations, "pulumi.com/timeoutSeconds": INGRESS_TIMEOUT_SECONDS },
        },
        spec: {
            ingressClassName: ALB_INGRESS_CLASS,
            rules: [{ host: hostOf(app, s.domain), http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: app.service, port: { number: app.port } } } }] } }],
        },
    };
}

/**
 * The controller's least-privilege access to one namespace's OIDC secret: get (uncached read)
 * plus list/watch (its per-secret reflector sends a metadata.name field selector, which RBAC
 * authorizes against resourceNames). pkg/k8s/secrets_manager.go newReflector @ v2.17.1; chart
 * 1.17.1 clusterSecretsPermissions.allowAllSecrets defaults to false.
 */
export function oidcSecretReaderRole(namespace: string) {
    return {
        metadata: { name: NAMES.oidcSecretReader, namespace },
        rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [NAMES.oidcSecret], verbs: ["get", "list", "watch"] }],
    };
}

export function oidcSecretReaderBinding(namespace: string) {
    return {
        metadata: { name: NAMES.oidcSecretReader, namespace },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: NAMES.oidcSecretReader },
        subjects: [{ kind: "ServiceAccount", name: LBC_SERVICE_ACCOUNT.name, namespace: LBC_SERVICE_ACCOUNT.namespace }],
    };
}

/** CloudWatch metric names: letters, digits, '-' and '_' (wafv2 visibilityConfig.metricName). */
function metricName(base: string): string {
    return base.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 128);
}

/**
 * The public group's WebACL rules (@pulumi/aws 7.x wafv2/webAcl.d.ts WebAclArgs.rules):
 * AWS managed common and known-bad-inputs groups with their own actions (overrideAction none),
 * then a rate-based block per client IP over 5 minutes.
 */
export function wafRules(metricPrefix: string, rateLimit: number) {
    const visibility = (n: string) => ({ cloudwatchMetricsEnabled: true, metricName: metricName(`${metricPrefix}-${n}`), sampledRequestsEnabled: true });
    const managed = (name: string, ruleName: string, priority: number) => ({
        name: ruleName,
        priority,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
        visibilityConfig: visibility(ruleName),
    });
    return [
        managed("AWSManagedRulesCommonRuleSet", "aws-common", 10),
        managed("AWSManagedRulesKnownBadInputsRuleSet", "aws-known-bad-inputs", 20),
        {
            name: "rate-limit-ip",
            priority: 30,
            action: { block: {} },
            statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
            visibilityConfig: visibility("rate-limit-ip"),
        },
    ];
}

/**
 * Headlamp's read-only ClusterRole: get/list/watch on enumerated resources (no wildcard:
 * checkov CKV_K8S_49), no secrets (CKV2_K8S_5), no pods/exec, pods/attach, pods/portforward,
 * nodes/proxy or serviceaccounts/token. Close to Kubernetes' built-in `view`, plus cluster-scoped
 * reads (nodes, namespaces, storage classes, CRDs) a cluster UI needs.
 */
export const HEADLAMP_READ_ONLY_RULES: ReadonlyArray<{ apiGroups: string[]; resources: string[]; verbs: string[] }> = [
    { apiGroups: [""], resources: ["configmaps", "endpoints", "events", "limitranges", "namespaces", "nodes", "persistentvolumeclaims", "persistentvolumes", "pods", "pods/log", "replicationcontrollers", "resourcequotas", "serviceaccounts", "services"] },
    { apiGroups: ["apps"], resources: ["controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets"] },
    { apiGroups: ["batch"], resources: ["cronjobs", "jobs"] },
    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"] },
    { apiGroups: ["networking.k8s.io"], resources: ["ingressclasses", "ingresses", "networkpolicies"] },
    { apiGroups: ["policy"], resources: ["poddisruptionbudgets"] },
    { apiGroups: ["storage.k8s.io"], resources: ["csidrivers", "csinodes", "storageclasses", "volumeattachments"] },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"] },
    { apiGroups: ["events.k8s.io"], resources: ["events"] },
    { apiGroups: ["coordination.k8s.io"], resources: ["leases"] },
    { apiGroups: ["scheduling.k8s.io"], resources: ["priorityclasses"] },
    { apiGroups: ["node.k8s.io"], resources: ["runtimeclasses"] },
    { apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterrolebindings", "clusterroles", "rolebindings", "roles"] },
    { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"] },
    { apiGroups: ["metrics.k8s.io"], resources: ["nodes", "pods"] },
    { apiGroups: ["monitoring.coreos.com"], resources: ["alertmanagers", "podmonitors", "probes", "prometheuses", "prometheusrules", "scrapeconfigs", "servicemonitors", "thanosrulers"] },
].map((r) => ({ ...r, verbs: ["get", "list", "watch"] }));

export function headlampClusterRole() {
    return { metadata: { name: NAMES.headlampClusterRole, labels: { "app.kubernetes.io/part-of": "cloud-cnc" } }, rules: HEADLAMP_READ_ONLY_RULES.map((r) => ({ ...r })) };
}

export function headlampClusterRoleBinding() {
    return {
        metadata: { name: NAMES.headlampClusterRole, labels: { "app.kubernetes.io/part-of": "cloud-cnc" } },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: NAMES.headlampClusterRole },
        subjects: [{ kind: "ServiceAccount", name: NAMES.headlampServiceAccount, namespace: NAMES.headlampNamespace }],
    };
}

/**
 * Optional admin mapping: IdP groups bound to cluster-admin. Only effective when users reach the
 * API server with their own IdP token (Headlamp's own OIDC + an EKS OIDC identity provider
 * config); behind the ALB with the shared service account it grants nothing (README: limits).
 */
export function headlampAdminBinding(groups: readonly string[]) {
    return {
        metadata: { name: NAMES.headlampAdminBinding, labels: { "app.kubernetes.io/part-of": "cloud-cnc" } },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
        subjects: groups.map((g) => ({ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: g })),
    };
}

/**
 * Headlamp chart values (keys from charts/headlamp/values.yaml @ headlamp-helm-0.45.0): our own
 * ServiceAccount binding (clusterRoleBinding.create false; the chart's default binds
 * cluster-admin), in-cluster with the service account's token for every user
 * (config.unsafeUseServiceAccountToken: "only safe behind an auth proxy", here the ALB OIDC),
 * hardened container (readOnlyRootFilesystem makes the chart mount an emptyDir at /tmp).
 */
export function headlampValues(replicas: number): Record<string, unknown> {
    const seccomp = { type: "RuntimeDefault" };
    return {
        fullnameOverride: NAMES.headlampRelease,
        replicaCount: replicas,
        image: { ...PINS.headlampImage, pullPolicy: "IfNotPresent" },
        serviceAccount: { create: true, name: NAMES.headlampServiceAccount },
        clusterRoleBinding: { create: false },
        config: { inCluster: true, unsafeUseServiceAccountToken: true },
        podSecurityContext: { runAsNonRoot: true, runAsUser: 100, runAsGroup: 101, fsGroup: 101, seccompProfile: seccomp },
        securityContext: {
            runAsNonRoot: true,
            runAsUser: 100,
            runAsGroup: 101,
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: seccomp,
        },
        service: { type: "ClusterIP", port: 80 },
        resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    };
}

/** The DNS names of the record set (no targets): one private per app, one public per public app. */
export function recordNames(apps: readonly AppSettings[], domain: string): Array<{ name: string; zone: "private" | "public" }> {
    return [...groupApps(apps, "internal").map((a) => ({ name: hostOf(a, domain), zone: "private" as const })), ...groupApps(apps, "public").map((a) => ({ name: hostOf(a, domain), zone: "public" as const }))];
}
