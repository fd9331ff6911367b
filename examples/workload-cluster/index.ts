// The fleet side of cloud-cnc for one existing workload cluster: Prometheus + Thanos sidecar to the
// environment's bucket, the leaf Query behind an internal NLB, its registration records in the
// C&C's monitoring zone, Fluent Bit to the central OpenSearch domain, Mattermost scraping.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { WorkloadClusterMonitoring, WorkloadClusterMonitoringArgs } from "cloud-cnc";

const config = new pulumi.Config();
const region = new pulumi.Config("aws").require("region");

// The existing cluster, given by its kubeconfig (a secret).
const kubernetes = new k8s.Provider("workload-cluster", { kubeconfig: config.requireSecret("kubeconfig") });
const awsProvider = new aws.Provider("workload-account", { region });
// The monitoring zone may sit in the C&C's account: its records go through that account's role.
const dnsRoleArn = config.get("dnsRoleArn");
const dnsProvider = dnsRoleArn ? new aws.Provider("zone-account", { region, assumeRoles: [{ roleArn: dnsRoleArn, sessionName: "fleet-registration" }] }) : undefined;

const args: WorkloadClusterMonitoringArgs = {
    clusterId: config.require("clusterId"),
    environment: config.require("environment"),
    prefix: config.get("prefix") ?? "cloud",
    profile: config.require("profile"),
    mode: config.get("mode") ?? "thanos",
    metricsBucket: config.requireObject("metricsBucket"),
    identity: config.requireObject("identity"),
    registrationZone: config.requireObject("registrationZone"),
    allowedCidrs: config.requireObject("allowedCidrs"),
    ...(config.getObject("logging") ? { logging: config.requireObject("logging") } : {}),
};

const monitoring = new WorkloadClusterMonitoring("monitoring", args, { providers: { aws: awsProvider, kubernetes }, ...(dnsProvider ? { dnsProvider } : {}) });

export const registrationNames = monitoring.registrationNames;
export const loadBalancerHostname = monitoring.loadBalancerHostname;
export const sidecarRoleArn = monitoring.sidecarRoleArn;
