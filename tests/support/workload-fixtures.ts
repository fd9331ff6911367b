// WorkloadClusterMonitoring fixtures: prod-like args and a build under mocks (aws + kubernetes
// providers; optionally a second aws provider for the registration zone's account).
import * as aws from "@pulumi/aws";
import { WorkloadClusterMonitoring, WorkloadClusterMonitoringArgs } from "../../components/workload-monitoring";
import { ACCOUNT_ID, Recorder, settle } from "./pulumi-harness";
import { OIDC_ARN, OIDC_URL, setupThanosPulumi } from "./thanos-harness";

export const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/0b2b5c5e-7f0a-4c6e-9a51-2f6f0a1b2c3d`;
export const ZONE = "monitoring.cnc.internal";
export const ENDPOINT = "vpc-cloud-prod-logs-abc.eu-west-1.es.amazonaws.com";
export const DOMAIN_ARN = `arn:aws:es:eu-west-1:${ACCOUNT_ID}:domain/cloud-prod-logs`;

export function args(overrides: Partial<WorkloadClusterMonitoringArgs> = {}): WorkloadClusterMonitoringArgs {
    return {
        clusterId: "k3x7a9p2m4q8r1t5w6y0z2b4c6",
        environment: "prod",
        prefix: "cloud",
        profile: "production",
        metricsBucket: { name: "cloud-prod-prometheus-metrics", region: "eu-west-1", kmsKeyArn: KEY },
        identity: { kind: "irsa", oidcProviderArn: OIDC_ARN, oidcProviderUrl: OIDC_URL },
        registrationZone: { zoneId: "Z0MONITORING000000001", zoneName: ZONE },
        allowedCidrs: ["10.80.0.0/16", "10.100.0.0/14"],
        logging: { endpoint: ENDPOINT, region: "eu-west-1", domainArn: DOMAIN_ARN },
        ...overrides,
    };
}

export async function build(a: WorkloadClusterMonitoringArgs, dnsProvider?: boolean): Promise<{ rec: Recorder; component: WorkloadClusterMonitoring }> {
    const h = await setupThanosPulumi();
    const component = new WorkloadClusterMonitoring("workload", a, { ...h.opts, ...(dnsProvider ? { dnsProvider: new aws.Provider("dns-account", { region: "eu-west-1" }) } : {}) });
    await settle();
    return { rec: h.rec, component };
}

