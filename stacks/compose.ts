// The per-environment composition: the original system's three layers with explicit
// dependencies — cluster -> post-installation -> DNS registration. It composes the components
// that exist; each later layer depends on the one before it.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CommandControlCluster, kubernetesProvider } from "../components/cluster";
import { DnsRegistrar } from "../components/dns-registrar";
import { LoggingPipeline } from "../components/logging";
import { CommandControlNetwork } from "../components/network";
import { ProvisionerServer } from "../components/provisioner";
import { ThanosFederation } from "../components/thanos-federation";
import { physicalName } from "../components/common/naming";
import { known } from "../components/common/schema";
import { StackConfig } from "./config";
import { NAMESPACE } from "./config/validate";
import { provisionerSecrets } from "./config/provisioner";

/** Tags every AWS resource of the stack carries (the provider's default tags). */
export function defaultTags(cfg: StackConfig): Record<string, string> {
    return { ...cfg.tags, Environment: cfg.environment, Project: "cloud-cnc", ManagedBy: "pulumi" };
}

/** The C&C cluster's name, `<prefix>-<env>-cnc`: also the clusterID of its own metrics. */
export function clusterName(cfg: Pick<StackConfig, "prefix" | "environment">): string {
    return `${cfg.prefix}-${cfg.environment}-cnc`;
}

/** Builds the stack from validated config and returns its outputs. */
export function composeStack(cfg: StackConfig): Record<string, pulumi.Output<unknown>> {
    const awsProvider = new aws.Provider("aws", { region: cfg.region as aws.Region, defaultTags: { tags: defaultTags(cfg) } });

    // Layer 1: cluster.
    const network = new CommandControlNetwork(
        "network",
        { ...cfg.network, environment: cfg.environment, prefix: cfg.prefix, profile: cfg.profile, deletionProtection: cfg.deletionProtection },
        { providers: { aws: awsProvider } },
    );
    const cluster = new CommandControlCluster(
        "cluster",
        {
            ...cfg.cluster,
            clusterName: clusterName(cfg),
            profile: cfg.profile,
            deletionProtection: cfg.deletionProtection,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            publicSubnetIds: network.publicSubnetIds,
        },
        { providers: { aws: awsProvider }, dependsOn: [network] },
    );
    // Every in-cluster resource of the later layers goes through this provider (resource options).
    const kubernetes = kubernetesProvider("kubernetes", cluster, { dependsOn: [cluster] });
    const providers = { aws: awsProvider, kubernetes };

    // Layer 2: post-installation.
    const monitoring = new ThanosFederation(
        "monitoring",
        {
            ...cfg.monitoring,
            clusterId: cfg.monitoring.clusterId ?? clusterName(cfg),
            bucketRegion: cfg.monitoring.bucketRegion ?? cfg.region,
            environment: cfg.environment,
            prefix: cfg.prefix,
            profile: cfg.profile,
            deletionProtection: cfg.deletionProtection,
            tags: { ...cfg.tags },
            oidcProviderArn: cluster.oidcProviderArn,
            oidcProviderUrl: cluster.oidcProviderUrl,
            alertWebhookUrl: new pulumi.Config(NAMESPACE).requireSecret("alertWebhookUrl"),
        },
        { providers, dependsOn: [cluster] },
    );

    const logging = new LoggingPipeline(
        "logging",
        {
            ...cfg.logging,
            clusterId: cfg.logging.clusterId ?? clusterName(cfg),
            environment: cfg.environment,
            prefix: cfg.prefix,
            profile: cfg.profile,
            deletionProtection: cfg.deletionProtection,
            tags: { ...cfg.tags },
            vpcId: network.vpcId,
            subnetIds: network.privateSubnetIds,
            allowedSecurityGroupIds: [cluster.clusterSecurityGroupId],
            oidcProviderArn: cluster.oidcProviderArn,
            oidcProviderUrl: cluster.oidcProviderUrl,
        },
        { providers, dependsOn: [cluster] },
    );

    const provisioner = new ProvisionerServer(
        "provisioner",
        {
            ...cfg.provisioner,
            // Config holds plain values only (never an Output): the zone IDs are a plain list.
            route53ZoneIds: cfg.provisioner.route53ZoneIds as string[],
            environment: cfg.environment,
            prefix: cfg.prefix,
            profile: cfg.profile,
            region: cfg.region,
            deletionProtection: cfg.deletionProtection,
            // Tags come through the provider's defaultTags.
            // The Git token (required) and SSH private key (optional) come only from secret config.
            ...provisionerSecrets(new pulumi.Config(NAMESPACE)),
            vpcId: network.vpcId,
            subnetIds: network.privateSubnetIds,
            allowedSecurityGroupIds: [cluster.clusterSecurityGroupId],
            internalDomain: network.internalZoneName,
            oidcProviderArn: cluster.oidcProviderArn,
            oidcProviderUrl: cluster.oidcProviderUrl,
        },
        { providers, dependsOn: [cluster] },
    );

    // Alarms need somewhere to go: the configured topic, else one the stack owns (subscribe the
    // on-call endpoint to it after the first deployment).
    const { inVpc, ...registrarConfig } = cfg.registrar;
    const configuredTopicArn = known(registrarConfig.alarmTopicArn);
    const alarmTopicArn = configuredTopicArn
        ? pulumi.output(configuredTopicArn)
        : new aws.sns.Topic("alarms", { name: physicalName(cfg.prefix, cfg.environment, "alarms", 256), kmsMasterKeyId: "alias/aws/sns" }, { provider: awsProvider }).arn;

    // Layer 3: DNS registration. Workload clusters register in the monitoring zone by default.
    const registrar = new DnsRegistrar(
        "registrar",
        {
            ...registrarConfig,
            thanosZoneId: known(registrarConfig.thanosZoneId) ?? network.monitoringZoneId,
            thanosZoneName: known(registrarConfig.thanosZoneName) ?? network.monitoringZoneName,
            prometheusZoneId: known(registrarConfig.prometheusZoneId) ?? network.monitoringZoneId,
            prometheusZoneName: known(registrarConfig.prometheusZoneName) ?? network.monitoringZoneName,
            installationsZoneId: known(registrarConfig.installationsZoneId),
            installationsZoneName: known(registrarConfig.installationsZoneName),
            environment: cfg.environment,
            prefix: cfg.prefix,
            profile: cfg.profile,
            region: cfg.region,
            clusterName: cluster.clusterName,
            alarmTopicArn,
            // ThanosFederation federates the C&C's own Prometheus itself (job federate-cnc,
            // clusterID "C&C"): the registrar must not list it a second time.
            selfPrometheusTarget: "",
            // Its us-east-1 resources use the registrar's own provider: tag them like the rest.
            tags: defaultTags(cfg),
            ...(inVpc ? { vpcId: network.vpcId, subnetIds: network.privateSubnetIds, clusterSecurityGroupId: cluster.clusterSecurityGroupId } : {}),
        },
        { providers, dependsOn: [monitoring] },
    );

    return {
        clusterName: cluster.clusterName,
        kubeconfig: cluster.kubeconfig,
        clusterEndpoint: cluster.endpoint,
        grafanaUrl: monitoring.grafanaUrl,
        thanosQueryUrl: monitoring.queryUrl,
        alertmanagerUrl: monitoring.alertmanagerUrl,
        grafanaAdminPassword: monitoring.grafanaAdminPassword,
        metricsBucket: monitoring.metricsBucketName,
        openSearchDashboardsUrl: logging.dashboardsUrl,
        openSearchEndpoint: logging.domainEndpoint,
        provisionerUrl: provisioner.internalUrl,
        provisionerHost: provisioner.host,
        provisionerDatabaseEndpoint: provisioner.databaseEndpoint,
        kopsStateBucket: provisioner.stateBucketName,
        registrarFunctionName: registrar.functionName,
        registrarDlqUrl: registrar.dlqUrl,
        alarmTopicArn,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        monitoringZoneName: network.monitoringZoneName,
        internalZoneName: network.internalZoneName,
    };
}
