// Account quotas (uid cnc-quotas): service quota usage of the account, through CloudWatch.
// - AWS/Usage ResourceCount (statistic Maximum) for the quotas that publish a usage metric, each
//   against SERVICE_QUOTA() in metric math (percent of the applied quota): EC2 On-Demand and Spot
//   Standard vCPUs, and Elastic Load Balancing's ALBs, NLBs, Classic LBs and target groups per region.
// - EBS, Elastic IP and VPC quotas publish no AWS/Usage metric; Trusted Advisor's service-limit
//   check covers them (AWS/TrustedAdvisor ServiceLimitUsage, a percentage, published in us-east-1
//   with dimensions ServiceName, ServiceLimit, Region).
// The dimension values are in README.md ("Account quotas") with their sources.
import { CloudWatchTarget, DashboardOptions, FOLDERS, FleetDashboard, GridLayout, cloudwatchDatasourceVariable, cloudwatchPanel, newDashboard, toFleetDashboard } from "./common";

export const QUOTAS_UID = "cnc-quotas";

/** A quota with an AWS/Usage usage metric (dimensions Service, Type, Resource, Class). */
export interface UsageQuota {
    title: string;
    service: string;
    resource: string;
    class: string;
}

export const USAGE_QUOTAS: UsageQuota[] = [
    { title: "EC2 On-Demand Standard vCPUs (L-1216C47A)", service: "EC2", resource: "vCPU", class: "Standard/OnDemand" },
    { title: "EC2 Spot Standard vCPUs (L-34B43A08)", service: "EC2", resource: "vCPU", class: "Standard/Spot" },
    { title: "Application Load Balancers per region", service: "Elastic Load Balancing", resource: "ApplicationLoadBalancersPerRegion", class: "None" },
    { title: "Network Load Balancers per region", service: "Elastic Load Balancing", resource: "NetworkLoadBalancersPerRegion", class: "None" },
    { title: "Classic Load Balancers per region", service: "Elastic Load Balancing", resource: "ClassicLoadBalancersPerRegion", class: "None" },
    { title: "Target groups per region", service: "Elastic Load Balancing", resource: "TargetGroupsPerRegion", class: "None" },
];

/** A Trusted Advisor service-limit check (AWS/TrustedAdvisor ServiceLimitUsage). */
export interface TrustedAdvisorLimit {
    title: string;
    serviceName: string;
    serviceLimit: string;
}

export const TRUSTED_ADVISOR_LIMITS: TrustedAdvisorLimit[] = [
    { title: "Elastic IP addresses (VPC)", serviceName: "VPC", serviceLimit: "EC2-VPC Elastic IP addresses (EIPs)" },
    { title: "VPCs", serviceName: "VPC", serviceLimit: "VPCs" },
    { title: "Internet gateways", serviceName: "VPC", serviceLimit: "Internet gateways" },
    { title: "EBS gp3 volume storage", serviceName: "EBS", serviceLimit: "General Purpose SSD (gp3) volume storage" },
    { title: "EBS snapshots", serviceName: "EBS", serviceLimit: "Active snapshots" },
];

/** Trusted Advisor publishes its metrics in us-east-1 only. */
export const TRUSTED_ADVISOR_REGION = "us-east-1";

export function quotasDashboard(o: DashboardOptions): FleetDashboard {
    const d = newDashboard(QUOTAS_UID, "Account quotas", "Service quota usage: AWS/Usage against SERVICE_QUOTA(), and Trusted Advisor service limits for EBS, Elastic IPs and VPC.").withVariable(
        cloudwatchDatasourceVariable(o),
    );
    const g = new GridLayout(d);

    g.row(`AWS/Usage against the applied quota (${o.region})`);
    for (const q of USAGE_QUOTAS) {
        const targets: CloudWatchTarget[] = [
            { namespace: "AWS/Usage", metricName: "ResourceCount", statistic: "Maximum", dimensions: { Service: q.service, Type: "Resource", Resource: q.resource, Class: q.class }, id: "usage", label: "in use" },
            { expression: "usage / SERVICE_QUOTA(usage) * 100", id: "percent", label: "% of quota" },
        ];
        g.add(cloudwatchPanel("timeseries", q.title, targets, o.region, { description: "Resources in use (ResourceCount, Maximum) and their percent of the applied quota (SERVICE_QUOTA metric math).", thresholds: [{ value: 80, color: "red" }] }), 8, 7);
    }

    g.row(`Trusted Advisor service limits (percent used, ${o.region})`);
    for (const l of TRUSTED_ADVISOR_LIMITS) {
        const targets: CloudWatchTarget[] = [
            {
                namespace: "AWS/TrustedAdvisor",
                metricName: "ServiceLimitUsage",
                statistic: "Maximum",
                dimensions: { ServiceName: l.serviceName, ServiceLimit: l.serviceLimit, Region: o.region },
                region: TRUSTED_ADVISOR_REGION,
                label: "% of limit",
            },
        ];
        g.add(cloudwatchPanel("timeseries", l.title, targets, o.region, { unit: "percent", min: 0, max: 100, thresholds: [{ value: 80, color: "red" }] }), 8, 7);
    }

    return toFleetDashboard(FOLDERS.aws, d);
}
