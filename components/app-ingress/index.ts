import * as aws from "@pulumi/aws";
import { IngressCertificate } from "./certificate";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { DnsRecordEntry } from "../common/dns";
import { ALB_GROUPS } from "../common/ingress";
import { physicalName } from "../common/naming";
import { parseArgs } from "../common/schema";
import {
    GroupKind,
    NAMES,
    PINS,
    appTable,
    groupApps,
    headlampAdminBinding,
    headlampClusterRole,
    headlampClusterRoleBinding,
    headlampValues,
    hostOf,
    oidcNamespaces,
    oidcSecretReaderBinding,
    oidcSecretReaderRole,
    recordNames,
    renderIngress,
    wafRules,
} from "./plan";
import { appIngressSchema } from "./schema";

export type { DnsRecordEntry } from "../common/dns";
export { IngressCertificate, IngressCertificateArgs, IngressCertificateSourceArgs } from "./certificate";

/** One UI behind the ALB (a row of the one table of hosts). */
export interface AppIngressAppArgs {
    /** DNS label of the app: the host is <name>.<domain>, the Ingress <name>-internal (and <name>-public). */
    name: string;
    /** Namespace of the app's Service; the Ingress (and, for OIDC apps, the alb-oidc Secret) go there. */
    namespace: string;
    /** Name of the backend Service. */
    service: string;
    /** Port number of the backend Service. */
    port: number;
    /** Path the ALB health-checks on the pods. Default /. */
    healthcheckPath?: string;
    /** HTTP codes the health check accepts (success-codes), e.g. 200-399. Default: the controller's 200. */
    successCodes?: string;
    /** Also expose the app on the internet-facing group cnc-public (with WAF and OIDC). Default false. */
    public?: boolean;
    /** ALB OIDC sign-in in front of the app. Default true; a public app must keep it. */
    oidc?: boolean;
    /** What the ALB answers a request without a session: "authenticate" (browsers) or "deny" (401, API clients). Default authenticate. */
    onUnauthenticated?: string;
}

/** The ACM certificate of every host (*.<domain> plus <domain>). */
export interface AppIngressCertificateArgs {
    /** "dns" (DNS-validated in a public parent zone), "private-ca" (AWS Private CA, USD 400/month per CA) or "existing". */
    mode: string;
    /** mode dns: the public hosted zone that holds the validation record. */
    publicZoneId?: string;
    /** mode dns: that zone's name; the apps domain must lie under it. */
    publicZoneName?: string;
    /** mode private-ca: the GENERAL_PURPOSE Private CA that issues the certificate. */
    certificateAuthorityArn?: string;
    /** mode existing: an issued ACM certificate covering *.<domain> (an IngressCertificate's certificateArn). */
    certificateArn?: pulumi.Input<string>;
}

/** The OIDC identity provider the ALB signs users in with. */
export interface AppIngressOidcArgs {
    /** Issuer URL (https). */
    issuer: string;
    /** Authorization endpoint (https). */
    authorizationEndpoint: string;
    /** Token endpoint (https); the ALB must reach it (NAT for an internal ALB). */
    tokenEndpoint: string;
    /** User info endpoint (https); the ALB must reach it. */
    userInfoEndpoint: string;
    /** Client id registered at the IdP. */
    clientId: string;
    /** Space-separated scopes. Default "openid email profile". */
    scope?: string;
    /** ALB session timeout in seconds. Default 28800 (8 h). */
    sessionTimeoutSeconds?: number;
}

/** The internet-facing group (only when an app is public). */
export interface AppIngressPublicAccessArgs {
    /** WAF rate limit: requests per 5 minutes per client IP. Default 2000, minimum 100. */
    wafRateLimit?: number;
}

/** Headlamp, the read-only cluster UI. */
export interface AppIngressHeadlampArgs {
    /** Install Headlamp (namespace headlamp) and add the app headlamp to the table. Default false. */
    enabled?: boolean;
    /** IdP groups bound to cluster-admin; effective only with Headlamp's own OIDC and an EKS OIDC identity provider (see README). */
    adminGroups?: string[];
}

/** Args of AppIngress (rules, messages and defaults: components/app-ingress/schema.ts). */
export interface AppIngressArgs {
    /** Environment name, part of physical names (dev, prod). */
    environment: string;
    /** Name prefix of physical names (cloud). */
    prefix: string;
    /** Sizing profile, "production" or "development": Headlamp runs 2 replicas under production. */
    profile: string;
    /** Tags of the AWS resources (certificate, WebACL, and the ALBs via the controller). */
    tags?: Record<string, string>;
    /** The apps domain (the internal zone's name): hosts are <app>.<domain>. */
    domain: string;
    /** The one table of hosts. */
    apps: AppIngressAppArgs[];
    /** Private CIDR blocks allowed to reach the internal ALB: the VPC's, then workload and office networks. */
    allowedCidrs: string[];
    /** TLS policy of the HTTPS listeners (ELBSecurityPolicy-TLS13-1-2-* or -1-3-*). Default ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09. */
    sslPolicy?: string;
    /** Where the certificate comes from. */
    certificate: AppIngressCertificateArgs;
    /** The OIDC identity provider. */
    oidc: AppIngressOidcArgs;
    /** The OIDC client secret: a secret (config.requireSecret), never a plain value. */
    oidcClientSecret: pulumi.Input<string>;
    /** Settings of the public group. */
    publicAccess?: AppIngressPublicAccessArgs;
    /** The optional Headlamp UI. */
    headlamp?: AppIngressHeadlampArgs;
}

/** Pulumi's Ingress await waits for status.loadBalancer; an empty one means the controller never answered. */
function noHostname(name: string, group: GroupKind): never {
    throw new Error(`${name}: the Ingress of group ${ALB_GROUPS[group]} has no load balancer hostname (is the AWS Load Balancer Controller running?)`);
}

/** Plain record entries per component (kept out of the class's properties: the analyzer only takes Outputs). */
const RECORDS = new WeakMap<AppIngress, DnsRecordEntry[]>();

/**
 * Every UI reachable and signed in: one internal ALB (IngressGroup cnc-internal) with an ACM
 * certificate for *.<domain>, HTTPS only (HTTP redirected), a TLS 1.2+ policy, inbound limited to
 * private CIDRs and ALB OIDC per app; an optional internet-facing group cnc-public with WAF for the
 * apps marked public; the OIDC client secret per namespace with the LB controller's access to
 * exactly it; optionally Headlamp bound read-only. The DNS layer writes `records` last.
 */
export class AppIngress extends pulumi.ComponentResource {
    /** ARN of the certificate the listeners use (validated/issued before any Ingress references it). */
    public readonly certificateArn: pulumi.Output<string>;
    /** https URL per app name (https://<name>.<domain>). */
    public readonly urls: pulumi.Output<Record<string, string>>;
    /** https URL per public app name (empty when no app is public). */
    public readonly publicUrls: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: AppIngressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloud-cnc:index:AppIngress", name, {}, opts);
        const s = parseArgs(`AppIngress ${name}`, appIngressSchema, args);
        const parent = { parent: this };
        const apps = appTable(s);
        const awsTags = { ...s.tags };

        // Certificate: an existing one (the stack creates its IngressCertificate first and passes its ARN), else a child.
        const certificateArn =
            s.certificate.mode === "existing"
                ? pulumi.output(args.certificate.certificateArn!)
                : new IngressCertificate(name, { tags: awsTags, domain: s.domain, certificate: args.certificate }, parent).certificateArn;

        // WAF for the public group, associated by the controller through the wafv2-acl-arn annotation only.
        const publicApps = groupApps(apps, "public");
        const waf =
            publicApps.length > 0
                ? new aws.wafv2.WebAcl(
                      `${name}-waf`,
                      {
                          name: physicalName(s.prefix, s.environment, "public-uis", 128),
                          description: "cloud-cnc public UIs: AWS managed common + known bad inputs, rate limit per IP",
                          scope: "REGIONAL",
                          defaultAction: { allow: {} },
                          rules: wafRules(physicalName(s.prefix, s.environment, "public-uis"), s.publicAccess.wafRateLimit),
                          visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: physicalName(s.prefix, s.environment, "public-uis"), sampledRequestsEnabled: true },
                          tags: awsTags,
                      },
                      parent,
                  )
                : undefined;

        // Headlamp: namespace, read-only RBAC of its ServiceAccount, the chart.
        const appDeps = new Map<string, pulumi.Resource[]>();
        const namespaceDeps = new Map<string, pulumi.Resource[]>();
        if (s.headlamp.enabled) {
            const ns = new k8s.core.v1.Namespace(
                `${name}-headlamp-namespace`,
                { metadata: { name: NAMES.headlampNamespace, labels: { "pod-security.kubernetes.io/enforce": "restricted", "app.kubernetes.io/part-of": "cloud-cnc" } } },
                parent,
            );
            namespaceDeps.set(NAMES.headlampNamespace, [ns]);
            const role = new k8s.rbac.v1.ClusterRole(`${name}-headlamp-read-only`, headlampClusterRole(), parent);
            const binding = new k8s.rbac.v1.ClusterRoleBinding(`${name}-headlamp-read-only-binding`, headlampClusterRoleBinding(), { ...parent, dependsOn: [role] });
            if (s.headlamp.adminGroups && s.headlamp.adminGroups.length > 0) {
                new k8s.rbac.v1.ClusterRoleBinding(`${name}-headlamp-admin-groups`, headlampAdminBinding(s.headlamp.adminGroups), parent);
                void pulumi.log.warn(`${name}: headlamp.adminGroups are bound to cluster-admin, but Headlamp here signs every user in as its read-only ServiceAccount; the groups take effect only with Headlamp's own OIDC and an EKS OIDC identity provider (README: limits)`, this);
            }
            const release = new k8s.helm.v3.Release(
                `${name}-headlamp`,
                {
                    name: NAMES.headlampRelease,
                    namespace: NAMES.headlampNamespace,
                    chart: PINS.headlampChart.chart,
                    version: PINS.headlampChart.version,
                    repositoryOpts: { repo: PINS.headlampChart.repo },
                    values: headlampValues(s.profile === "production" ? 2 : 1),
                    createNamespace: false,
                    atomic: true,
                    cleanupOnFail: true,
                    timeout: 600,
                    maxHistory: 10,
                },
                { ...parent, dependsOn: [ns, binding] },
            );
            appDeps.set("headlamp", [release]);
        }

        // The OIDC client secret per namespace, readable by the LB controller and nobody else.
        const clientSecret = pulumi.secret(args.oidcClientSecret);
        for (const ns of oidcNamespaces(apps)) {
            const deps = { ...parent, dependsOn: namespaceDeps.get(ns) ?? [] };
            const secret = new k8s.core.v1.Secret(
                `${name}-oidc-${ns}`,
                { metadata: { name: NAMES.oidcSecret, namespace: ns, labels: { "app.kubernetes.io/part-of": "cloud-cnc" } }, type: "Opaque", stringData: { clientID: s.oidc.clientId, clientSecret } },
                deps,
            );
            const role = new k8s.rbac.v1.Role(`${name}-oidc-reader-${ns}`, oidcSecretReaderRole(ns), deps);
            const binding = new k8s.rbac.v1.RoleBinding(`${name}-oidc-reader-binding-${ns}`, oidcSecretReaderBinding(ns), { ...parent, dependsOn: [role] });
            namespaceDeps.set(ns, [...(namespaceDeps.get(ns) ?? []), secret, binding]);
        }

        // One Ingress per app and group; the first Ingress of each group carries the ALB's hostname.
        const wafArn = waf ? waf.arn : pulumi.output(undefined as string | undefined);
        const firstIngress: Partial<Record<GroupKind, k8s.networking.v1.Ingress>> = {};
        for (const group of ["internal", "public"] as const) {
            groupApps(apps, group).forEach((app, i) => {
                const rendered = pulumi.all([certificateArn, wafArn]).apply(([cert, acl]) => renderIngress(s, app, i, group, { certificateArn: cert, wafAclArn: acl }));
                const ingress = new k8s.networking.v1.Ingress(
                    `${name}-${app.name}-${group}`,
                    { metadata: rendered.metadata, spec: rendered.spec },
                    { ...parent, dependsOn: [...(app.oidc ? (namespaceDeps.get(app.namespace) ?? []) : []), ...(appDeps.get(app.name) ?? [])] },
                );
                firstIngress[group] ??= ingress;
            });
        }

        // Records: names known now; alias targets from the group's ALB.
        const zoneId = aws.lb.getHostedZoneIdOutput({ loadBalancerType: "application" }, parent).id;
        const hostname = (group: GroupKind) =>
            firstIngress[group]!.status.apply((st) => {
                const h = st?.loadBalancer?.ingress?.[0]?.hostname;
                return h ? h : noHostname(name, group);
            });
        const aliases: Partial<Record<GroupKind, { dnsName: pulumi.Output<string>; zoneId: pulumi.Output<string> }>> = {};
        const aliasOf = (group: GroupKind) => (aliases[group] ??= { dnsName: hostname(group), zoneId });
        RECORDS.set(
            this,
            recordNames(apps, s.domain).map((r) => ({ name: r.name, zone: r.zone, alias: aliasOf(r.zone === "private" ? "internal" : "public") })),
        );

        this.certificateArn = certificateArn;
        this.urls = pulumi.output(Object.fromEntries(apps.map((a) => [a.name, `https://${hostOf(a, s.domain)}`])));
        this.publicUrls = pulumi.output(Object.fromEntries(publicApps.map((a) => [a.name, `https://${hostOf(a, s.domain)}`])));
        this.registerOutputs({ certificateArn: this.certificateArn, urls: this.urls, publicUrls: this.publicUrls });
    }

    /**
     * The DNS records of every host, known at construction (plain data for ServiceDnsRecords):
     * one private entry per app, one public entry per public app, each aliasing its group's ALB.
     * A getter, so Pulumi's component analyzer (Outputs only) does not see it.
     */
    get records(): DnsRecordEntry[] {
        return RECORDS.get(this) ?? [];
    }
}
