// What each component of the stack is given: its config section plus the keys the composition
// supplies (stack-level settings, outputs of earlier layers, secrets). Pure functions: the
// composition calls them with real outputs; the config check calls them with unknown
// placeholders and parses the result with each component's own schema, so a mistake that only
// shows with the profile's defaults (or across stack-level keys) stops `pulumi preview` before
// anything is registered.
import type * as pulumi from "@pulumi/pulumi";
import type { CommandControlClusterArgs } from "../components/cluster";
import type { DnsRegistrarArgs } from "../components/dns-registrar";
import type { LoggingPipelineArgs } from "../components/logging";
import type { CommandControlNetworkArgs } from "../components/network";
import type { ProvisionerServerArgs } from "../components/provisioner";
import type { ThanosFederationArgs } from "../components/thanos-federation";
import type { AppIngressAppArgs, AppIngressArgs, IngressCertificateArgs } from "../components/app-ingress";
import type { DnsRecordEntry, ServiceDnsRecordsArgs } from "../components/service-dns";
import { API_PORT, ALB_HEALTHCHECK_PATH } from "../components/provisioner/render";
import { NAMES as PROVISIONER_NAMES } from "../components/provisioner/plan";
import { uiBackends } from "../components/thanos-federation/plan";
import { isReservedExampleHost } from "../components/common/formats";
import { FleetObservabilityArgs, withFleetObservability } from "../components/fleet-observability";
import { argsProblems, known } from "../components/common/schema";
import { fleetObservabilityArgsSchema } from "../components/fleet-observability/schema";
import { inClusterStoreEndpoints } from "../components/thanos-federation/render";
import type { StackConfig } from "./config";

/** Tags every AWS resource of the stack carries (the provider's default tags). */
export function defaultTags(cfg: Pick<StackConfig, "tags" | "environment">): Record<string, string> {
    return { ...cfg.tags, Environment: cfg.environment, Project: "cloud-cnc", ManagedBy: "pulumi" };
}

/** The C&C cluster's name, `<prefix>-<env>-cnc`: also the clusterID of its own metrics and logs. */
export function clusterName(cfg: Pick<StackConfig, "prefix" | "environment">): string {
    return `${cfg.prefix}-${cfg.environment}-cnc`;
}

/** What the later layers take from CommandControlNetwork. */
export interface NetworkOutputs {
    vpcId: pulumi.Input<string>;
    privateSubnetIds: pulumi.Input<string[]>;
    publicSubnetIds: pulumi.Input<string[]>;
    monitoringZoneId: pulumi.Input<string>;
    monitoringZoneName: pulumi.Input<string>;
    internalZoneName: pulumi.Input<string>;
}

/** What the later layers take from CommandControlCluster. */
export interface ClusterOutputs {
    clusterName: pulumi.Input<string>;
    oidcProviderArn: pulumi.Input<string>;
    oidcProviderUrl: pulumi.Input<string>;
    clusterSecurityGroupId: pulumi.Input<string>;
}

/** The secrets the composition reads from secret config. */
export interface StackSecrets {
    alertWebhookUrl: pulumi.Input<string>;
    deadMansSwitchUrl?: pulumi.Input<string>;
    provisionerGitToken: pulumi.Input<string>;
    provisionerSshPrivateKey?: pulumi.Input<string>;
    /** The OIDC client secret (with cloud-cnc:ingress only). */
    oidcClientSecret?: pulumi.Input<string>;
}

/** Stack-level settings every component with physical names and sizing takes. */
function stackLevel(cfg: StackConfig) {
    return { environment: cfg.environment, prefix: cfg.prefix, profile: cfg.profile, deletionProtection: cfg.deletionProtection };
}

export function networkArgs(cfg: StackConfig): CommandControlNetworkArgs {
    return { ...cfg.network, ...stackLevel(cfg) };
}

export function clusterArgs(cfg: StackConfig, network: NetworkOutputs): CommandControlClusterArgs {
    return {
        ...cfg.cluster,
        clusterName: clusterName(cfg),
        profile: cfg.profile,
        deletionProtection: cfg.deletionProtection,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        publicSubnetIds: network.publicSubnetIds,
    };
}

/** Grafana's own sign-in, from the ingress section: the same issuer and client as the ALB, the configured groups. */
export function grafanaSso(cfg: StackConfig & { ingress: NonNullable<StackConfig["ingress"]> }): NonNullable<NonNullable<ThanosFederationArgs["grafana"]>["sso"]> {
    const { oidc, groups } = cfg.ingress;
    return {
        rootUrl: `https://grafana.${appsDomain(cfg)}/`,
        issuer: oidc.issuer,
        authorizationEndpoint: oidc.authorizationEndpoint,
        tokenEndpoint: oidc.tokenEndpoint,
        userInfoEndpoint: oidc.userInfoEndpoint,
        clientId: oidc.clientId,
        // Grafana maps roles from the groups claim: ask for it even if the ALB's scope does not.
        scopes: oidc.scope.split(" ").includes("groups") ? oidc.scope : `${oidc.scope} groups`,
        adminGroups: groups.admin,
        editorGroups: groups.editor,
        viewerGroups: groups.viewer,
    };
}

export function monitoringArgs(cfg: StackConfig, cluster: ClusterOutputs, secrets: Pick<StackSecrets, "alertWebhookUrl" | "deadMansSwitchUrl" | "oidcClientSecret">): ThanosFederationArgs {
    const args: ThanosFederationArgs = {
        ...cfg.monitoring,
        clusterId: cfg.monitoring.clusterId ?? clusterName(cfg),
        bucketRegion: cfg.monitoring.bucketRegion ?? cfg.region,
        // CloudWatch (RDS, OpenSearch, Lambda, quotas) lives in the stack's region, whatever the bucket's.
        grafana: {
            ...cfg.monitoring.grafana,
            cloudWatchRegion: cfg.monitoring.grafana.cloudWatchRegion ?? cfg.region,
            ...(cfg.ingress ? { sso: grafanaSso({ ...cfg, ingress: cfg.ingress }) } : {}),
        },
        ...stackLevel(cfg),
        tags: { ...cfg.tags },
        oidcProviderArn: cluster.oidcProviderArn,
        oidcProviderUrl: cluster.oidcProviderUrl,
        alertWebhookUrl: secrets.alertWebhookUrl,
        ...(secrets.deadMansSwitchUrl !== undefined ? { deadMansSwitchUrl: secrets.deadMansSwitchUrl } : {}),
        // Grafana's sign-in uses the ALB's OIDC client (one client, two redirect URIs).
        ...(cfg.ingress && secrets.oidcClientSecret !== undefined ? { grafanaOidcClientSecret: secrets.oidcClientSecret } : {}),
    };
    // FleetObservability's scrape ConfigMaps, Ruler rules and replaced default alerts. With invalid
    // observability config the stack reports that section's problems and registers nothing.
    const observability = observabilityPlainArgs(cfg);
    return argsProblems(fleetObservabilityArgsSchema.partial({ provisionerApiUrl: true }), observability).length === 0 ? withFleetObservability(args, observability) : args;
}

/** OpenSearch's custom endpoint: opensearch.<apps domain>, with the apps certificate. */
export function openSearchHostname(cfg: StackConfig): string {
    return `opensearch.${appsDomain(cfg)}`;
}

export function loggingArgs(cfg: StackConfig, network: NetworkOutputs, cluster: ClusterOutputs, alarmTopicArn: pulumi.Input<string>, certificateArn?: pulumi.Input<string>): LoggingPipelineArgs {
    const { saml, ...logging } = cfg.logging;
    const groups = cfg.ingress?.groups;
    return {
        ...logging,
        ...(cfg.ingress && certificateArn !== undefined ? { customEndpoint: { hostname: openSearchHostname(cfg), certificateArn } } : {}),
        // OpenSearch takes one master backend role: the first admin group; editors and viewers read.
        ...(saml && groups ? { saml: { ...saml, adminGroup: groups.admin[0], readerGroups: [...new Set([...groups.editor, ...groups.viewer])] } } : {}),
        clusterId: cfg.logging.clusterId ?? clusterName(cfg),
        ...stackLevel(cfg),
        tags: { ...cfg.tags },
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        allowedSecurityGroupIds: [cluster.clusterSecurityGroupId],
        oidcProviderArn: cluster.oidcProviderArn,
        oidcProviderUrl: cluster.oidcProviderUrl,
        alarmTopicArn,
    };
}

/** The C&C's own KMS keys, S3 buckets, SNS topics and SQS queues that the other components and the stack create. */
export interface CncOwnedResources {
    clusterSecretsKeyArn: pulumi.Input<string>;
    metricsBucketArn: pulumi.Input<string>;
    metricsKeyArn: pulumi.Input<string>;
    loggingKeyArn: pulumi.Input<string>;
    registrarDlqArn: pulumi.Input<string>;
    alarmTopicArn: pulumi.Input<string>;
    /** Absent when the config names an existing alarm topic (the stack then creates no key for it). */
    alarmKeyArn?: pulumi.Input<string>;
}

/** Their ARNs, for ProvisionerServer's protectedResourceArns: the provisioner is denied every action on them (it adds its own). */
export function cncOwnedArns(r: CncOwnedResources): pulumi.Input<string>[] {
    return [r.clusterSecretsKeyArn, r.metricsBucketArn, r.metricsKeyArn, r.loggingKeyArn, r.registrarDlqArn, r.alarmTopicArn, ...(r.alarmKeyArn !== undefined ? [r.alarmKeyArn] : [])];
}

export function provisionerArgs(
    cfg: StackConfig,
    network: NetworkOutputs,
    cluster: ClusterOutputs,
    secrets: Pick<StackSecrets, "provisionerGitToken" | "provisionerSshPrivateKey">,
    protectedResourceArns: pulumi.Input<string>[],
): ProvisionerServerArgs {
    return {
        ...cfg.provisioner,
        // Config holds plain values only (never an Output): the zone IDs are a plain list.
        route53ZoneIds: cfg.provisioner.route53ZoneIds as string[],
        ...stackLevel(cfg),
        region: cfg.region,
        // Tags come through the provider's defaultTags.
        // The Git token (required) and SSH private key (optional) come only from secret config.
        utilitiesGitToken: secrets.provisionerGitToken,
        ...(secrets.provisionerSshPrivateKey !== undefined ? { sshPrivateKey: secrets.provisionerSshPrivateKey } : {}),
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        allowedSecurityGroupIds: [cluster.clusterSecurityGroupId],
        internalDomain: network.internalZoneName,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcProviderUrl: cluster.oidcProviderUrl,
        protectedResourceArns,
        // With the ingress section, AppIngress serves provisioner.<domain> behind OIDC instead.
        ...(cfg.ingress ? { ownIngress: false } : {}),
    };
}

/** The alarm topic the config names, if any (else the stack creates one). */
export function configuredAlarmTopicArn(cfg: StackConfig): string | undefined {
    return known(cfg.registrar.alarmTopicArn);
}

export function registrarArgs(cfg: StackConfig, network: NetworkOutputs, cluster: ClusterOutputs, alarmTopicArn: pulumi.Input<string>): DnsRegistrarArgs {
    const { inVpc, ...registrar } = cfg.registrar;
    return {
        ...registrar,
        // Workload clusters register in the monitoring zone unless other zones are configured.
        thanosZoneId: known(registrar.thanosZoneId) ?? network.monitoringZoneId,
        thanosZoneName: known(registrar.thanosZoneName) ?? network.monitoringZoneName,
        prometheusZoneId: known(registrar.prometheusZoneId) ?? network.monitoringZoneId,
        prometheusZoneName: known(registrar.prometheusZoneName) ?? network.monitoringZoneName,
        installationsZoneId: known(registrar.installationsZoneId),
        installationsZoneName: known(registrar.installationsZoneName),
        environment: cfg.environment,
        prefix: cfg.prefix,
        profile: cfg.profile,
        region: cfg.region,
        clusterName: cluster.clusterName,
        alarmTopicArn,
        // ThanosFederation federates the C&C's own Prometheus itself (job federate-cnc,
        // clusterID "C&C"): the registrar must not list it a second time.
        selfPrometheusTarget: "",
        // The C&C's own StoreAPIs stay in the Thanos endpoint file next to the workload clusters.
        thanosStaticEndpoints: inClusterStoreEndpoints(cfg.monitoring.federation.mode),
        // Its us-east-1 resources use the registrar's own provider: tag them like the rest.
        tags: defaultTags(cfg),
        ...(inVpc ? { vpcId: network.vpcId, subnetIds: network.privateSubnetIds, clusterSecurityGroupId: cluster.clusterSecurityGroupId } : {}),
    };
}

/** Outputs of the other components FleetObservability reads. */
export interface ObservedOutputs {
    provisionerApiUrl: pulumi.Input<string>;
    openSearchDomainName: pulumi.Input<string>;
    provisionerDatabaseId: pulumi.Input<string>;
    registrarFunctionName: pulumi.Input<string>;
    registrarDlqName: pulumi.Input<string>;
}

/**
 * FleetObservability's Ruler file for ThanosFederation; none while the observability args are
 * invalid (the config check reports those at cloud-cnc:observability, and nothing deploys).
 */
/** FleetObservability's plain args (what its rule files depend on). */
function observabilityPlainArgs(cfg: StackConfig): Omit<FleetObservabilityArgs, "provisionerApiUrl"> {
    return {
        ...cfg.observability,
        profile: cfg.profile,
        region: cfg.region,
        clusterId: cfg.monitoring.clusterId ?? clusterName(cfg),
    };
}

export function observabilityArgs(cfg: StackConfig, o: ObservedOutputs): FleetObservabilityArgs {
    return {
        ...observabilityPlainArgs(cfg),
        provisionerApiUrl: o.provisionerApiUrl,
        openSearchDomainName: o.openSearchDomainName,
        rdsInstanceIds: [o.provisionerDatabaseId],
        registrarFunctionName: o.registrarFunctionName,
        registrarDlqName: o.registrarDlqName,
    };
}

/** The apps domain: the internal zone's name (hosts are <app>.<domain>). */
export function appsDomain(cfg: StackConfig): string {
    return cfg.network.internalZone.name;
}

/** The certificate of every host: the stack creates it before the apps so that OpenSearch's custom endpoint can use it too. */
export function certificateArgs(cfg: StackConfig & { ingress: NonNullable<StackConfig["ingress"]> }): IngressCertificateArgs {
    // Config holds plain values only (never an Output): an existing certificate's ARN is a string.
    return { tags: { ...cfg.tags }, domain: appsDomain(cfg), certificate: cfg.ingress.certificate as IngressCertificateArgs["certificate"] };
}

/** The one table of hosts: every UI of the stack's components (AppIngress adds Headlamp when enabled). */
export function ingressApps(cfg: StackConfig & { ingress: NonNullable<StackConfig["ingress"]> }): AppIngressAppArgs[] {
    const publicApps = new Set<string>(cfg.ingress.publicApps);
    const monitoring = uiBackends({ thanos: { queryFrontend: { enabled: cfg.monitoring.thanos?.queryFrontend?.enabled === true } }, federation: { mode: cfg.monitoring.federation?.mode ?? "thanos" } });
    const provisioner: AppIngressAppArgs = {
        name: "provisioner",
        namespace: cfg.provisioner.namespace ?? "provisioner",
        service: PROVISIONER_NAMES.service,
        port: API_PORT,
        healthcheckPath: ALB_HEALTHCHECK_PATH,
        // An API: a request without a session gets 401, not a redirect to the IdP's login page.
        onUnauthenticated: "deny",
    };
    return [...monitoring, provisioner].map((app) => ({ ...app, ...(publicApps.has(app.name) ? { public: true } : {}) }));
}

export function ingressArgs(
    cfg: StackConfig & { ingress: NonNullable<StackConfig["ingress"]> },
    network: { vpcCidr: string },
    oidcClientSecret: pulumi.Input<string>,
    certificateArn: pulumi.Input<string>,
): AppIngressArgs {
    // publicApps and groups are the stack's (the table's public flags; Grafana's and OpenSearch's role mappings).
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { publicApps, groups, allowedCidrs, certificate, ...rest } = cfg.ingress;
    return {
        ...rest,
        environment: cfg.environment,
        prefix: cfg.prefix,
        profile: cfg.profile,
        tags: { ...cfg.tags },
        domain: appsDomain(cfg),
        apps: ingressApps(cfg),
        // The VPC first (the C&C's own clients, the runner), then the workload and office networks.
        allowedCidrs: [network.vpcCidr, ...allowedCidrs.filter((c) => c !== network.vpcCidr)],
        certificate: { mode: "existing", certificateArn },
        oidcClientSecret,
    };
}

/** The DNS layer: AppIngress's records, plus the OpenSearch custom endpoint's CNAME to the domain's VPC endpoint. */
export function dnsArgs(
    cfg: StackConfig & { ingress: NonNullable<StackConfig["ingress"]> },
    network: { internalZoneId: pulumi.Input<string> },
    records: DnsRecordEntry[],
    openSearch?: { hostname: string; endpoint: pulumi.Input<string> },
): ServiceDnsRecordsArgs {
    const c = cfg.ingress.certificate;
    return {
        privateZoneId: network.internalZoneId,
        privateZoneName: appsDomain(cfg),
        // Public records go to the public zone the certificate is validated in (publicApps need certificate.mode dns).
        ...(cfg.ingress.publicApps.length > 0 && c.publicZoneId && c.publicZoneName ? { publicZoneId: c.publicZoneId, publicZoneName: c.publicZoneName } : {}),
        records: [...records, ...(openSearch ? [{ name: openSearch.hostname, zone: "private" as const, cname: openSearch.endpoint }] : [])],
    };
}

/**
 * Warnings about the ingress section's placeholders (the stack files ship example.com ones): the
 * stack deploys, but nobody can sign in, or the certificate never validates.
 */
export function ingressPlaceholderWarnings(ingress: StackConfig["ingress"]): string[] {
    if (!ingress) return [];
    const warnings: string[] = [];
    if (isReservedExampleHost(new URL(ingress.oidc.issuer).hostname)) {
        warnings.push(`cloud-cnc:ingress.oidc.issuer ${ingress.oidc.issuer} is on a reserved example domain (RFC 2606), a placeholder: nobody can sign in to any UI. Set your IdP's issuer, endpoints and client id`);
    }
    const zone = ingress.certificate.publicZoneName;
    if (zone !== undefined && isReservedExampleHost(zone)) {
        warnings.push(`cloud-cnc:ingress.certificate.publicZoneName ${zone} is a reserved example domain, a placeholder: ACM can never validate the certificate, and the deployment waits for it until it times out. Set your public zone's name and id`);
    }
    return warnings;
}
