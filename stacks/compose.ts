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
import { FleetObservability } from "../components/fleet-observability";
import { AppIngress, IngressCertificate } from "../components/app-ingress";
import { ServiceDnsRecords } from "../components/service-dns";
import { defaultDbIdentifier } from "../components/provisioner/schema";
import { createAlarmTopic } from "../components/common/alarms";
import { physicalName } from "../components/common/naming";
import { appsDomain, certificateArgs, ingressPlaceholderWarnings, openSearchHostname, clusterArgs, cncOwnedArns, configuredAlarmTopicArn, defaultTags, dnsArgs, ingressArgs, loggingArgs, monitoringArgs, networkArgs, observabilityArgs, provisionerArgs, registrarArgs } from "./args";
import { StackConfig, readSecrets } from "./config";
import { NAMESPACE } from "./config/validate";

export { clusterName, defaultTags } from "./args";

/** Builds the stack from validated config and returns its outputs. */
export function composeStack(cfg: StackConfig): Record<string, pulumi.Output<unknown>> {
    const awsProvider = new aws.Provider("aws", { region: cfg.region as aws.Region, defaultTags: { tags: defaultTags(cfg) } });
    const secrets = readSecrets(new pulumi.Config(NAMESPACE));

    // Layer 1: cluster.
    const network = new CommandControlNetwork("network", networkArgs(cfg), { providers: { aws: awsProvider } });
    const cluster = new CommandControlCluster("cluster", clusterArgs(cfg, network), { providers: { aws: awsProvider }, dependsOn: [network] });
    // Every in-cluster resource of the later layers goes through this provider (resource options).
    const kubernetes = kubernetesProvider("kubernetes", cluster, { dependsOn: [cluster] });
    const providers = { aws: awsProvider, kubernetes };

    // Alarms need somewhere to go: the configured topic, else one the stack owns (subscribe the
    // on-call endpoint to it after the first deployment).
    const configuredTopicArn = configuredAlarmTopicArn(cfg);
    const alarmTopic = configuredTopicArn
        ? undefined
        : createAlarmTopic(
              "alarms",
              { topicName: physicalName(cfg.prefix, cfg.environment, "alarms", 256), region: cfg.region, protect: cfg.deletionProtection },
              { provider: awsProvider },
          );
    const alarmTopicArn = alarmTopic ? alarmTopic.topic.arn : pulumi.output(configuredTopicArn!);

    // The certificate of every UI host, before the apps: the Ingresses and OpenSearch's custom endpoint use it.
    const ingressCfg = cfg.ingress ? { ...cfg, ingress: cfg.ingress } : undefined;
    const certificate = ingressCfg ? new IngressCertificate("apps-certificate", certificateArgs(ingressCfg), { providers }) : undefined;

    // Layer 2: post-installation.
    const monitoring = new ThanosFederation("monitoring", monitoringArgs(cfg, cluster, secrets), { providers, dependsOn: [cluster] });
    const logging = new LoggingPipeline("logging", loggingArgs(cfg, network, cluster, alarmTopicArn, certificate?.certificateArn), { providers, dependsOn: [cluster] });

    // Layer 3: DNS registration.
    const registrar = new DnsRegistrar("registrar", registrarArgs(cfg, network, cluster, alarmTopicArn), { providers, dependsOn: [monitoring] });

    // The provisioner (layer 2: it depends on the cluster only) comes last in the program so that it
    // is denied, by ARN, every key, bucket, topic and queue the stack owns.
    const owned = cncOwnedArns({
        clusterSecretsKeyArn: cluster.secretsKmsKeyArn,
        metricsBucketArn: monitoring.metricsBucketArn,
        metricsKeyArn: monitoring.metricsKeyArn,
        loggingKeyArn: logging.kmsKeyArn,
        registrarDlqArn: registrar.dlqArn,
        alarmTopicArn,
        ...(alarmTopic ? { alarmKeyArn: alarmTopic.key.arn } : {}),
    });
    const provisioner = new ProvisionerServer("provisioner", provisionerArgs(cfg, network, cluster, secrets, owned), { providers, dependsOn: [cluster] });

    // The cockpit (layer 2, after the monitoring stack whose CRDs and Grafana it uses): dashboards,
    // alert rules, probes and the provisioned/registered/reporting comparison.
    const observability = new FleetObservability(
        "observability",
        observabilityArgs(cfg, {
            provisionerApiUrl: provisioner.internalUrl,
            openSearchDomainName: logging.domainName,
            provisionerDatabaseId: cfg.provisioner.db.identifier ?? defaultDbIdentifier(cfg.prefix, cfg.environment),
            registrarFunctionName: registrar.functionName,
            registrarDlqName: registrar.dlqArn.apply((arn) => arn.split(":").pop()!),
        }),
        { providers, dependsOn: [monitoring, provisioner, registrar] },
    );

    // Every UI on the internal ALB with sign-in (after the components whose Services it routes to),
    // then the DNS layer last: the records' targets exist only once the load balancers do.
    let urls: Record<string, pulumi.Output<unknown>> = {};
    if (ingressCfg && certificate) {
        for (const warning of ingressPlaceholderWarnings(cfg.ingress)) pulumi.log.warn(warning);
        const ingress = new AppIngress("ingress", ingressArgs(ingressCfg, { vpcCidr: cfg.network.vpcCidr }, secrets.oidcClientSecret!, certificate.certificateArn), {
            providers,
            dependsOn: [monitoring, provisioner],
        });
        // OpenSearch's custom endpoint: a CNAME to the domain's VPC endpoint (the domain serves the certificate).
        const dns = new ServiceDnsRecords("dns", dnsArgs(ingressCfg, network, ingress.records, { hostname: openSearchHostname(cfg), endpoint: logging.domainEndpoint }), {
            providers,
            dependsOn: [ingress, logging],
        });
        const url = (app: string) => ingress.urls.apply((u) => u[app]);
        urls = {
            grafanaUrl: url("grafana"),
            thanosQueryUrl: url("thanos"),
            alertmanagerUrl: url("alertmanager"),
            provisionerUrl: url("provisioner"),
            ...(cfg.ingress?.headlamp?.enabled ? { headlampUrl: url("headlamp") } : {}),
            ...(cfg.monitoring.federation.mode === "prometheus-federation" ? { prometheusUrl: url("prometheus") } : {}),
            publicUrls: ingress.publicUrls,
            dnsRecords: dns.fqdns,
            certificateArn: certificate.certificateArn,
            appsDomain: pulumi.output(appsDomain(cfg)),
        };
    }

    // What the config decided without being told, and what it warns about: shown in every preview.
    for (const note of cfg.notes) pulumi.log.info(`config: ${note}`);
    for (const warning of cfg.warnings) pulumi.log.warn(`config: ${warning}`);

    return {
        profile: pulumi.output(cfg.profile),
        configNotes: pulumi.output(cfg.notes),
        configWarnings: pulumi.output(cfg.warnings),
        clusterName: cluster.clusterName,
        kubeconfig: cluster.kubeconfig,
        clusterEndpoint: cluster.endpoint,
        grafanaUrl: monitoring.grafanaUrl,
        dashboards: observability.dashboardUids,
        alertNames: observability.alertNames,
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
        // With the ingress section: the https URLs every operator signs in at (they replace the in-cluster ones above).
        ...urls,
    };
}
