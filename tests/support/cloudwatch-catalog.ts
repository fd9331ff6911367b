// The CloudWatch metrics the dashboards may query, written down from AWS documentation (and, for
// quota usage metrics, from a published list of metrics that answered SERVICE_QUOTA() in
// GetMetricData). No AWS account is reachable here, so a CloudWatch target is checked against this
// table: namespace, metric name, statistic, dimension names, and (where AWS fixes them) values.
import * as fs from "fs";
import * as path from "path";

export interface NamespaceEntry {
    /** Where the names come from. */
    source: string;
    /** Metric name -> statistics that make sense for it. */
    metrics: Record<string, string[]>;
    /** Dimension name sets a query may use (exactly one of them). */
    dimensionSets: string[][];
    /** Allowed value combinations, when AWS fixes the values (quota metrics). */
    fixedValues?: Record<string, string>[];
}

/** The registrar's EMF metric names, read from its code (functions/dns-registrar/registrar.ts `telemetry.metric("<Name>", ...)`). */
export function registrarMetricNames(): string[] {
    const file = path.join(__dirname, "..", "..", "functions", "dns-registrar", "registrar.ts");
    return [...fs.readFileSync(file, "utf8").matchAll(/telemetry\.metric\("([A-Za-z]+)"/g)].map((m) => m[1]);
}

const SUM = ["Sum"];

export function cloudwatchCatalog(): Record<string, NamespaceEntry> {
    return {
        "AWS/RDS": {
            source: "docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html (instance-level metrics, dimension DBInstanceIdentifier; not re-read in this session)",
            metrics: {
                CPUUtilization: ["Average", "Maximum"],
                FreeStorageSpace: ["Minimum", "Average"],
                DatabaseConnections: ["Maximum", "Average"],
                ReadLatency: ["Average", "Maximum"],
                WriteLatency: ["Average", "Maximum"],
                FreeableMemory: ["Minimum", "Average"],
                ReadIOPS: ["Average", "Maximum"],
                WriteIOPS: ["Average", "Maximum"],
            },
            dimensionSets: [["DBInstanceIdentifier"]],
        },
        "AWS/Lambda": {
            source: "docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html (Invocations, Errors, Throttles: statistic Sum; dimension FunctionName; not re-read in this session)",
            metrics: { Invocations: SUM, Errors: SUM, Throttles: SUM },
            dimensionSets: [["FunctionName"]],
        },
        "AWS/SQS": {
            source: "docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html (dimension QueueName; not re-read in this session)",
            metrics: { ApproximateNumberOfMessagesVisible: ["Maximum", "Average"] },
            dimensionSets: [["QueueName"]],
        },
        "AWS/ES": {
            source:
                "docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-cloudwatchmetrics.html and cloudwatch-alarms.html (dimensions DomainName, ClientId; ClusterStatus.* Maximum, FreeStorageSpace Minimum in MiB, JVMMemoryPressure Maximum)",
            metrics: {
                "ClusterStatus.red": ["Maximum"],
                "ClusterStatus.yellow": ["Maximum"],
                "ClusterStatus.green": ["Minimum", "Maximum"],
                FreeStorageSpace: ["Minimum"],
                JVMMemoryPressure: ["Maximum"],
            },
            dimensionSets: [["DomainName", "ClientId"], ["DomainName"]],
        },
        "AWS/Usage": {
            source:
                "docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Usage-Metrics.html (ResourceCount, dimensions Service/Type/Resource/Class, statistic Maximum); values: deliveryhero/terraform-aws-service-quota-alarms modules/usage_alarms/supported-metrics.yaml @4ff37be3 (metrics that answered SERVICE_QUOTA)",
            metrics: { ResourceCount: ["Maximum"] },
            dimensionSets: [["Service", "Type", "Resource", "Class"]],
            fixedValues: [
                { Service: "EC2", Type: "Resource", Resource: "vCPU", Class: "Standard/OnDemand" },
                { Service: "EC2", Type: "Resource", Resource: "vCPU", Class: "Standard/Spot" },
                { Service: "Elastic Load Balancing", Type: "Resource", Resource: "ApplicationLoadBalancersPerRegion", Class: "None" },
                { Service: "Elastic Load Balancing", Type: "Resource", Resource: "NetworkLoadBalancersPerRegion", Class: "None" },
                { Service: "Elastic Load Balancing", Type: "Resource", Resource: "ClassicLoadBalancersPerRegion", Class: "None" },
                { Service: "Elastic Load Balancing", Type: "Resource", Resource: "TargetGroupsPerRegion", Class: "None" },
            ],
        },
        "AWS/TrustedAdvisor": {
            source:
                "docs.aws.amazon.com/awssupport/latest/user/cloudwatch-metrics-ta.html (ServiceLimitUsage, dimensions ServiceName/ServiceLimit/Region, us-east-1; not re-read in this session); names and values as listed by deliveryhero/terraform-aws-service-quota-alarms modules/trusted_advisor_alarms/supported-metrics.yaml @4ff37be3",
            metrics: { ServiceLimitUsage: ["Maximum"] },
            dimensionSets: [["ServiceName", "ServiceLimit", "Region"]],
            fixedValues: [
                { ServiceName: "VPC", ServiceLimit: "EC2-VPC Elastic IP addresses (EIPs)" },
                { ServiceName: "VPC", ServiceLimit: "VPCs" },
                { ServiceName: "VPC", ServiceLimit: "Internet gateways" },
                { ServiceName: "EBS", ServiceLimit: "General Purpose SSD (gp3) volume storage" },
                { ServiceName: "EBS", ServiceLimit: "Active snapshots" },
            ],
        },
        "CloudCnc/DnsRegistrar": {
            source: "functions/dns-registrar/telemetry.ts (namespace, Powertools `service` dimension) and registrar.ts (metric names)",
            metrics: Object.fromEntries(registrarMetricNames().map((n) => [n, ["Sum", "Maximum", "Average"]])),
            dimensionSets: [["service"]],
        },
    };
}

/** Why a CloudWatch target is wrong, or undefined when the catalog allows it. */
export function catalogProblem(target: Record<string, unknown>, catalog = cloudwatchCatalog()): string | undefined {
    if (target.metricEditorMode === 1) {
        const expression = String(target.expression ?? "");
        return expression.trim() === "" ? "code-mode target without an expression" : undefined;
    }
    const ns = String(target.namespace ?? "");
    const entry = catalog[ns];
    if (!entry) return `namespace ${ns} is not in the catalog`;
    const metric = String(target.metricName ?? "");
    const statistics = entry.metrics[metric];
    if (!statistics) return `${ns} has no metric ${metric}`;
    const statistic = String(target.statistic ?? "");
    if (!statistics.includes(statistic)) return `${ns} ${metric} with statistic ${statistic} (expected one of ${statistics.join(", ")})`;
    const dims = (target.dimensions ?? {}) as Record<string, string | string[]>;
    const names = Object.keys(dims).sort();
    if (!entry.dimensionSets.some((set) => set.length === names.length && [...set].sort().every((n, i) => n === names[i]))) {
        return `${ns} ${metric} with dimensions [${names.join(", ")}] (expected one of ${entry.dimensionSets.map((s) => `[${s.join(", ")}]`).join(" ")})`;
    }
    if (entry.fixedValues && !entry.fixedValues.some((combo) => Object.entries(combo).every(([k, v]) => dims[k] === v))) {
        return `${ns} ${metric} dimension values ${JSON.stringify(dims)} are not a known combination`;
    }
    return undefined;
}
