// DnsRegistrar decisions as pure functions: validation, defaults, IAM documents, the EventBridge
// pattern, RBAC rules, the handler's environment, bundling options and alarm definitions.
// Tests call these without Pulumi mocks; the class in index.ts only wires them to resources.
import { Problem } from "../common/errors";
import { PolicyDocument, PolicyStatement, denyInsecureTransport, policyDocument } from "../common/iam";
import { FEDERATION_TARGETS, PROBE_TARGETS, REGISTRATION_NAMESPACE, THANOS_ENDPOINTS } from "../../functions/dns-registrar/contract";
import { DEFAULT_PLAN_OPTIONS, patternProblems } from "../../functions/dns-registrar/planner";

/** A Pulumi Output (or other promise-like value) whose contents are not known yet. */
function isOutputLike(v: unknown): boolean {
    return v !== null && typeof v === "object" && typeof (v as { apply?: unknown }).apply === "function";
}

/**
 * Whether the function runs in a VPC: subnetIds given as a non-empty list, or as an Output of a
 * list (its length is known only at deployment; an Output means the caller wants a VPC).
 */
export function runsInVpc(subnetIds: unknown): boolean {
    if (subnetIds === undefined) return false;
    return Array.isArray(subnetIds) ? subnetIds.length > 0 : isOutputLike(subnetIds);
}
import { DEFAULT_SHRINK_FLOOR_PERCENT, ENV, normalizeZoneId } from "../../functions/dns-registrar/settings";
import { K8S_NAME, LOG_RETENTION_DAYS, isLogRetentionDays } from "../common/formats";
import { NEVER_BUNDLED_PACKAGES, lambdaVpcStatement } from "../common/lambda";

export { LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME, lambdaTrustPolicy } from "../common/lambda";
/** Route 53 API calls reach EventBridge (via CloudTrail) only in this region. */
export const ROUTE53_EVENTS_REGION = "us-east-1";

export const DEFAULTS = {
    grpcPort: DEFAULT_PLAN_OPTIONS.grpcPort,
    prometheusPort: DEFAULT_PLAN_OPTIONS.prometheusPort,
    namespace: REGISTRATION_NAMESPACE,
    thanosEndpointsConfigMap: THANOS_ENDPOINTS.configMap,
    federationTargetsConfigMap: FEDERATION_TARGETS.configMap,
    probeTargetsConfigMap: PROBE_TARGETS.configMap,
    shrinkFloorPercent: DEFAULT_SHRINK_FLOOR_PERCENT,
    scheduleExpression: "rate(5 minutes)",
    memorySize: 512,
    timeout: 60,
    maximumRetryAttempts: 2,
    maximumEventAgeSeconds: 3600,
    logRetentionDays: 30,
    kubernetesGroup: "cloud-cnc:dns-registrar",
    allowConfigMapCreate: false,
    /** DLQ messages are kept for the SQS maximum: 14 days. */
    dlqRetentionSeconds: 1_209_600,
} as const;

/** The plain (non-Output) view of DnsRegistrarArgs that validation looks at. */
export interface RegistrarArgsView {
    clusterName?: unknown;
    thanosZoneId?: unknown;
    thanosZoneName?: unknown;
    prometheusZoneId?: unknown;
    prometheusZoneName?: unknown;
    installationsZoneId?: unknown;
    installationsZoneName?: unknown;
    grpcPort?: unknown;
    prometheusPort?: unknown;
    thanosNamePattern?: unknown;
    prometheusNamePattern?: unknown;
    installationsNamePattern?: unknown;
    exclusions?: unknown;
    selfPrometheusTarget?: unknown;
    selfClusterId?: unknown;
    namespace?: unknown;
    thanosEndpointsConfigMap?: unknown;
    federationTargetsConfigMap?: unknown;
    probeTargetsConfigMap?: unknown;
    allowConfigMapCreate?: unknown;
    shrinkFloorPercent?: unknown;
    scheduleExpression?: unknown;
    memorySize?: unknown;
    timeout?: unknown;
    maximumRetryAttempts?: unknown;
    maximumEventAgeSeconds?: unknown;
    logRetentionDays?: unknown;
    alarmTopicArn?: unknown;
    vpcId?: unknown;
    subnetIds?: unknown;
    clusterSecurityGroupId?: unknown;
    kubernetesGroup?: unknown;
    tags?: unknown;
}

const ZONE_ID = /^(\/?hostedzone\/)?[A-Z0-9]{1,32}$/;
const DNS_NAME = /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/;
const SCHEDULE = /^(rate\((1 (minute|hour|day)|([2-9]|[1-9][0-9]+) (minutes|hours|days))\)|cron\(\S+( \S+){5}\))$/;
const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
/** CloudWatch Logs accepted retention values. */
export { LOG_RETENTION_DAYS } from "../common/formats";

function isInt(v: unknown, min: number, max: number): boolean {
    return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
}

/**
 * Every problem with the args, each naming the field, the expected form and the value found.
 * Values that are Outputs (not plain strings) are checked when they resolve, by AWS.
 */
export function validateRegistrarArgs(args: RegistrarArgsView): Problem[] {
    const problems: Problem[] = [];
    const add = (field: string, expected: string, found: unknown) => problems.push({ field, expected, found });
    const plainString = (v: unknown): v is string => typeof v === "string";

    const required = (field: keyof RegistrarArgsView, expected: string, re?: RegExp) => {
        const v = args[field];
        if (v === undefined || v === null || v === "") add(field, `${expected} (required)`, v);
        else if (plainString(v) && re && !re.test(v)) add(field, expected, v);
        else if (!plainString(v) && typeof v !== "object") add(field, expected, v);
    };
    required("clusterName", "an EKS cluster name", EKS_CLUSTER_NAME);
    required("thanosZoneId", "a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ", ZONE_ID);
    required("thanosZoneName", "a DNS zone name such as thanos.fleet.internal", DNS_NAME);
    required("prometheusZoneId", "a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ", ZONE_ID);
    required("prometheusZoneName", "a DNS zone name such as prometheus.fleet.internal", DNS_NAME);

    const hasInstId = args.installationsZoneId !== undefined && args.installationsZoneId !== "";
    const hasInstName = args.installationsZoneName !== undefined && args.installationsZoneName !== "";
    if (hasInstId !== hasInstName) {
        add(hasInstId ? "installationsZoneName" : "installationsZoneId", "to be set together with " + (hasInstId ? "installationsZoneId" : "installationsZoneName"), hasInstId ? args.installationsZoneName : args.installationsZoneId);
    }
    if (hasInstId && plainString(args.installationsZoneId) && !ZONE_ID.test(args.installationsZoneId)) add("installationsZoneId", "a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ", args.installationsZoneId);
    if (hasInstName && plainString(args.installationsZoneName) && !DNS_NAME.test(args.installationsZoneName)) add("installationsZoneName", "a DNS zone name such as cloud.example.com", args.installationsZoneName);

    for (const f of ["grpcPort", "prometheusPort"] as const) {
        if (args[f] !== undefined && !isInt(args[f], 1, 65535)) add(f, "a port number from 1 to 65535", args[f]);
    }
    for (const f of ["thanosNamePattern", "prometheusNamePattern", "installationsNamePattern"] as const) {
        const v = args[f];
        if (v === undefined) continue;
        const issues = plainString(v) ? patternProblems(v) : ["a string"];
        if (issues.length > 0) add(f, `a relative name pattern with ${issues.join(" and ")}, such as "{id}-grpc"`, v);
    }
    if (args.exclusions !== undefined) {
        if (!Array.isArray(args.exclusions)) add("exclusions", "a list of cluster IDs or DNS names", args.exclusions);
        else
            args.exclusions.forEach((e, i) => {
                if (!plainString(e) || e.includes(",") || !DNS_NAME.test(e.toLowerCase())) add(`exclusions[${i}]`, "a cluster ID or DNS name", e);
            });
    }
    if (args.selfPrometheusTarget !== undefined && !(plainString(args.selfPrometheusTarget) && (args.selfPrometheusTarget === "" || /^[a-z0-9.-]+:[0-9]{1,5}$/.test(args.selfPrometheusTarget)))) {
        add("selfPrometheusTarget", 'host:port such as "prometheus-operated.monitoring.svc:9090", or "" for none', args.selfPrometheusTarget);
    }
    if (args.selfClusterId !== undefined && !(plainString(args.selfClusterId) && /^[A-Za-z0-9._-]{1,63}$/.test(args.selfClusterId))) add("selfClusterId", "a label value such as command-control", args.selfClusterId);

    const names: Record<string, unknown> = {};
    for (const f of ["namespace", "thanosEndpointsConfigMap", "federationTargetsConfigMap", "probeTargetsConfigMap"] as const) {
        const v = args[f];
        if (v === undefined) continue;
        if (!plainString(v) || !K8S_NAME.test(v) || v.length > (f === "namespace" ? 63 : 253)) add(f, "a Kubernetes name (lowercase letters, digits, '-')", v);
        else if (f !== "namespace") names[f] = v;
    }
    const cmNames = [
        args.thanosEndpointsConfigMap ?? DEFAULTS.thanosEndpointsConfigMap,
        args.federationTargetsConfigMap ?? DEFAULTS.federationTargetsConfigMap,
        args.probeTargetsConfigMap ?? DEFAULTS.probeTargetsConfigMap,
    ];
    if (new Set(cmNames).size !== cmNames.length) add("probeTargetsConfigMap", "three different ConfigMap names for the three files", cmNames);

    if (args.allowConfigMapCreate !== undefined && typeof args.allowConfigMapCreate !== "boolean") add("allowConfigMapCreate", "a boolean", args.allowConfigMapCreate);
    if (args.shrinkFloorPercent !== undefined && !isInt(args.shrinkFloorPercent, 0, 100)) add("shrinkFloorPercent", "an integer percentage from 0 to 100", args.shrinkFloorPercent);
    if (args.scheduleExpression !== undefined && !(plainString(args.scheduleExpression) && SCHEDULE.test(args.scheduleExpression))) {
        add("scheduleExpression", 'an EventBridge schedule such as "rate(5 minutes)" or "cron(0/5 * * * ? *)"', args.scheduleExpression);
    }
    if (args.memorySize !== undefined && !isInt(args.memorySize, 128, 10240)) add("memorySize", "an integer number of MB from 128 to 10240", args.memorySize);
    if (args.timeout !== undefined && !isInt(args.timeout, 1, 900)) add("timeout", "an integer number of seconds from 1 to 900", args.timeout);
    if (args.maximumRetryAttempts !== undefined && !isInt(args.maximumRetryAttempts, 0, 2)) add("maximumRetryAttempts", "0, 1 or 2", args.maximumRetryAttempts);
    if (args.maximumEventAgeSeconds !== undefined && !isInt(args.maximumEventAgeSeconds, 60, 21600)) add("maximumEventAgeSeconds", "an integer number of seconds from 60 to 21600", args.maximumEventAgeSeconds);
    if (args.logRetentionDays !== undefined && !isLogRetentionDays(args.logRetentionDays)) {
        add("logRetentionDays", `one of ${LOG_RETENTION_DAYS.join(", ")}`, args.logRetentionDays);
    }
    if (args.alarmTopicArn !== undefined && plainString(args.alarmTopicArn) && !SNS_ARN.test(args.alarmTopicArn)) add("alarmTopicArn", "an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:alerts", args.alarmTopicArn);

    if (args.subnetIds !== undefined && !Array.isArray(args.subnetIds) && !isOutputLike(args.subnetIds)) add("subnetIds", "a list of subnet IDs (empty: not in a VPC)", args.subnetIds);
    const inVpc = runsInVpc(args.subnetIds);
    if (inVpc) {
        (Array.isArray(args.subnetIds) ? (args.subnetIds as unknown[]) : []).forEach((s, i) => {
            if (plainString(s) && !/^subnet-[0-9a-z]+$/.test(s)) add(`subnetIds[${i}]`, "a subnet ID such as subnet-0123abcd", s);
        });
        if (args.vpcId === undefined || args.vpcId === "") add("vpcId", "the VPC of subnetIds (required when subnetIds is not empty)", args.vpcId);
        else if (plainString(args.vpcId) && !/^vpc-[0-9a-z]+$/.test(args.vpcId)) add("vpcId", "a VPC ID such as vpc-0123abcd", args.vpcId);
        if (args.clusterSecurityGroupId === undefined || args.clusterSecurityGroupId === "") add("clusterSecurityGroupId", "the cluster security group (required when subnetIds is not empty)", args.clusterSecurityGroupId);
        else if (plainString(args.clusterSecurityGroupId) && !/^sg-[0-9a-z]+$/.test(args.clusterSecurityGroupId)) add("clusterSecurityGroupId", "a security group ID such as sg-0123abcd", args.clusterSecurityGroupId);
    }
    if (args.kubernetesGroup !== undefined && !(plainString(args.kubernetesGroup) && /^[A-Za-z0-9:._-]{1,255}$/.test(args.kubernetesGroup) && !args.kubernetesGroup.startsWith("system:"))) {
        add("kubernetesGroup", "a Kubernetes group name not starting with system:", args.kubernetesGroup);
    }
    if (args.tags !== undefined && (args.tags === null || typeof args.tags !== "object" || Array.isArray(args.tags) || Object.values(args.tags).some((v) => typeof v !== "string"))) {
        add("tags", "a map of string tag values", args.tags);
    }
    return problems;
}


export interface FunctionPolicyInputs {
    partition: string;
    region: string;
    accountId: string;
    clusterName: string;
    /** Watched hosted zone IDs (with or without /hostedzone/); duplicates are merged. */
    zoneIds: string[];
    logGroupArn: string;
    dlqArn: string;
    inVpc: boolean;
}

/** The ARN of a hosted zone (Route 53 ARNs have no region or account). */
export function hostedZoneArn(partition: string, zoneId: string): string {
    return `arn:${partition}:route53:::hostedzone/${normalizeZoneId(zoneId)}`;
}

/** The function role's only policy: exact actions on exact resources. */
export function functionPolicy(p: FunctionPolicyInputs): PolicyDocument {
    const zones = [...new Set(p.zoneIds.map(normalizeZoneId))].sort();
    const statements: PolicyStatement[] = [
        { Sid: "ListWatchedZones", Effect: "Allow", Action: "route53:ListResourceRecordSets", Resource: zones.map((z) => hostedZoneArn(p.partition, z)) },
        { Sid: "DescribeCluster", Effect: "Allow", Action: "eks:DescribeCluster", Resource: `arn:${p.partition}:eks:${p.region}:${p.accountId}:cluster/${p.clusterName}` },
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${p.logGroupArn.replace(/:\*$/, "")}:*` },
        { Sid: "SendToDeadLetterQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: p.dlqArn },
    ];
    if (p.inVpc) {
        statements.push(lambdaVpcStatement());
    }
    return policyDocument(statements);
}

/**
 * The EventBridge pattern: successful ChangeResourceRecordSets calls (CloudTrail) on the watched
 * zones. CloudTrail records `hostedZoneId` without the /hostedzone/ prefix.
 */
export function route53EventPattern(zoneIds: string[]): Record<string, unknown> {
    return {
        source: ["aws.route53"],
        "detail-type": ["AWS API Call via CloudTrail"],
        detail: {
            eventSource: ["route53.amazonaws.com"],
            eventName: ["ChangeResourceRecordSets"],
            errorCode: [{ exists: false }],
            requestParameters: { hostedZoneId: [...new Set(zoneIds.map(normalizeZoneId))].sort() },
        },
    };
}

/** The default event bus of a region (the cross-region target of the us-east-1 rule). */
export function defaultBusArn(partition: string, region: string, accountId: string): string {
    return `arn:${partition}:events:${region}:${accountId}:event-bus/default`;
}

/** Trust policy of the forwarding role: EventBridge, only for the one us-east-1 rule. */
export function forwardTrustPolicy(accountId: string, ruleArn: string): PolicyDocument {
    return policyDocument([
        {
            Sid: "EventBridgeAssumeForRule",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": accountId, "aws:SourceArn": ruleArn } },
        },
    ]);
}

/** The forwarding role may put events on the stack region's default bus only. */
export function forwardPolicy(busArn: string): PolicyDocument {
    return policyDocument([{ Sid: "PutEventsOnStackRegionBus", Effect: "Allow", Action: "events:PutEvents", Resource: busArn }]);
}

/** How Route 53 events reach the function for a stack in `region`. */
export function eventRouting(region: string): "direct" | "cross-region-bus" {
    return region === ROUTE53_EVENTS_REGION ? "direct" : "cross-region-bus";
}

/** A Kubernetes RBAC policy rule (rbac.authorization.k8s.io/v1 PolicyRule). */
export interface RbacRule {
    apiGroups: string[];
    resources: string[];
    verbs: string[];
    resourceNames?: string[];
}

/**
 * The registrar's Role rules. Kubernetes RBAC cannot limit `create` by resourceNames (a create
 * request carries no name in its URL, so a rule with resourceNames never matches it): allowing
 * create means allowing ANY ConfigMap to be created in the namespace, which could plant, for
 * example, a Grafana datasource or dashboard ConfigMap a sidecar picks up. So by default the
 * registrar gets get/update/patch on exactly its ConfigMaps, and relies on ThanosFederation
 * seeding them; `allowCreate` adds a separate create rule without resourceNames.
 */
export function rbacRules(configMapNames: string[], allowCreate: boolean): RbacRule[] {
    const rules: RbacRule[] = [{ apiGroups: [""], resources: ["configmaps"], resourceNames: [...configMapNames].sort(), verbs: ["get", "patch", "update"] }];
    if (allowCreate) rules.push({ apiGroups: [""], resources: ["configmaps"], verbs: ["create"] });
    return rules;
}

/** Whether the rules allow `verb` on the ConfigMap `name` ("" for create), as the RBAC authorizer decides. */
export function rbacAllows(rules: RbacRule[], verb: string, name: string): boolean {
    return rules.some(
        (r) =>
            r.apiGroups.includes("") &&
            r.resources.includes("configmaps") &&
            (r.verbs.includes(verb) || r.verbs.includes("*")) &&
            (r.resourceNames === undefined || r.resourceNames.length === 0 || (name !== "" && r.resourceNames.includes(name))),
    );
}

/** A Kubernetes object name derived from the component name. */
export function kubernetesName(componentName: string, suffix: string): string {
    const base = componentName
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/^-+|-+$/g, "");
    return `${base || "dns-registrar"}-${suffix}`.slice(0, 63).replace(/-+$/, "");
}

/** Resolved values the handler environment is built from (strings may be Outputs in the class). */
export interface EnvironmentInputs<S> {
    clusterName: S;
    thanosZoneId: S;
    thanosZoneName: S;
    prometheusZoneId: S;
    prometheusZoneName: S;
    installationsZoneId?: S;
    installationsZoneName?: S;
    grpcPort: number;
    prometheusPort: number;
    thanosNamePattern?: string;
    prometheusNamePattern?: string;
    installationsNamePattern?: string;
    exclusions: string[];
    selfPrometheusTarget?: string;
    selfClusterId?: string;
    namespace: string;
    configMaps: { thanos: string; prometheus: string; probes: string };
    shrinkFloorPercent: number;
}

/** The handler's environment variables (names from functions/dns-registrar/settings.ts ENV). */
export function handlerEnvironment<S>(e: EnvironmentInputs<S>): Record<string, S | string> {
    const env: Record<string, S | string> = {
        [ENV.clusterName]: e.clusterName,
        [ENV.namespace]: e.namespace,
        [ENV.thanosZoneId]: e.thanosZoneId,
        [ENV.thanosZoneName]: e.thanosZoneName,
        [ENV.prometheusZoneId]: e.prometheusZoneId,
        [ENV.prometheusZoneName]: e.prometheusZoneName,
        [ENV.grpcPort]: String(e.grpcPort),
        [ENV.prometheusPort]: String(e.prometheusPort),
        [ENV.exclusions]: e.exclusions.map((x) => x.toLowerCase()).join(","),
        [ENV.thanosConfigMap]: e.configMaps.thanos,
        [ENV.prometheusConfigMap]: e.configMaps.prometheus,
        [ENV.probesConfigMap]: e.configMaps.probes,
        [ENV.shrinkFloorPercent]: String(e.shrinkFloorPercent),
        POWERTOOLS_SERVICE_NAME: "dns-registrar",
        POWERTOOLS_METRICS_NAMESPACE: "CloudCnc/DnsRegistrar",
        NODE_OPTIONS: "--enable-source-maps",
    };
    if (e.installationsZoneId !== undefined && e.installationsZoneName !== undefined) {
        env[ENV.installationsZoneId] = e.installationsZoneId;
        env[ENV.installationsZoneName] = e.installationsZoneName;
    }
    if (e.thanosNamePattern !== undefined) env[ENV.thanosPattern] = e.thanosNamePattern;
    if (e.prometheusNamePattern !== undefined) env[ENV.prometheusPattern] = e.prometheusNamePattern;
    if (e.installationsNamePattern !== undefined) env[ENV.installationsPattern] = e.installationsNamePattern;
    if (e.selfPrometheusTarget !== undefined) env[ENV.selfPrometheusTarget] = e.selfPrometheusTarget;
    if (e.selfClusterId !== undefined) env[ENV.selfClusterId] = e.selfClusterId;
    return env;
}

/** Packages the handler loads at run time: bundled whatever the program's package.json lists. */
export const HANDLER_PACKAGES = [
    "@aws-crypto/sha256-js",
    "@aws-lambda-powertools/logger",
    "@aws-lambda-powertools/metrics",
    "@kubernetes/client-node",
    "@smithy/protocol-http",
    "@smithy/signature-v4",
    "yaml",
];

/** Packages never bundled into the registrar's archive. */
export const EXCLUDED_PACKAGES = [...NEVER_BUNDLED_PACKAGES];

/** The codePathOptions of the registrar's CallbackFunction (fresh arrays: CallbackFunction appends to them). */
export function registrarCodePathOptions(): { extraIncludePackages: string[]; extraExcludePackages: string[] } {
    return { extraIncludePackages: [...HANDLER_PACKAGES], extraExcludePackages: [...EXCLUDED_PACKAGES] };
}

export interface AlarmSpec {
    role: "errors" | "throttles" | "dlq-depth";
    namespace: string;
    metricName: string;
    statistic: string;
    period: number;
    evaluationPeriods: number;
    threshold: number;
    comparisonOperator: string;
    treatMissingData: string;
    description: string;
}

/** The three alarms: any error, any throttle, any message in the DLQ (5-minute periods). */
export function alarmSpecs(): AlarmSpec[] {
    const base = { period: 300, evaluationPeriods: 1, threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold", treatMissingData: "notBreaching" };
    return [
        { role: "errors", namespace: "AWS/Lambda", metricName: "Errors", statistic: "Sum", ...base, description: "DNS registrar invocations failed (listing incomplete, shrink refused, or Kubernetes errors): check its logs." },
        { role: "throttles", namespace: "AWS/Lambda", metricName: "Throttles", statistic: "Sum", ...base, description: "DNS registrar invocations were throttled." },
        { role: "dlq-depth", namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", statistic: "Maximum", ...base, description: "DNS registrar events failed all retries and are in its dead-letter queue." },
    ];
}

/** The DLQ's resource policy: deny any request not sent over TLS. */
export function dlqPolicy(queueArn: string): PolicyDocument {
    return policyDocument([
        denyInsecureTransport(queueArn, "sqs:*"),
    ]);
}
