// DnsRegistrar decisions as pure functions: IAM documents, the EventBridge pattern and routing,
// RBAC rules, the handler's environment, bundling options, alarm definitions and the us-east-1
// provider. The args, their rules and defaults are in schema.ts. Tests call these without Pulumi
// mocks; the class in index.ts only wires them to resources.
import type { AlarmMetric, MetricAlarmSpec } from "../common/alarms";
import { rateIntervalSeconds } from "../common/schedule";
import type * as aws from "@pulumi/aws";
import { PolicyDocument, PolicyStatement, denyInsecureTransport, policyDocument } from "../common/iam";
import { NEVER_BUNDLED_PACKAGES, lambdaVpcStatement } from "../common/lambda";
import { isUnknownInput } from "../common/schema";
import type { FileKind } from "../../functions/dns-registrar/planner";
import { ENV, normalizeZoneId } from "../../functions/dns-registrar/settings";

export { LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME, lambdaTrustPolicy } from "../common/lambda";

/** Route 53 API calls reach EventBridge (via CloudTrail) only in this region. */
export const ROUTE53_EVENTS_REGION = "us-east-1";

/** DLQ messages are kept for the SQS maximum: 14 days. */
export const DLQ_RETENTION_SECONDS = 1_209_600;

/**
 * Whether the function runs in a VPC: subnetIds given as a non-empty list, or as an Output of a
 * list (its length is known only at deployment; an Output means the caller wants a VPC).
 */
export function runsInVpc(subnetIds: unknown): boolean {
    if (subnetIds === undefined) return false;
    return Array.isArray(subnetIds) ? subnetIds.length > 0 : isUnknownInput(subnetIds);
}

/** The physical-name roles (`<prefix>-<env>-<role>`) of what the registrar creates in AWS. */
export const PHYSICAL_ROLES = {
    function: "dns-registrar",
    dlq: "dns-registrar-dlq",
    forwardRole: "dns-registrar-forward",
    securityGroup: "dns-registrar",
    schedule: "dns-registrar-schedule",
    route53Changes: "dns-registrar-route53-changes",
    route53Forwarded: "dns-registrar-route53-forwarded",
} as const;

/** The stack's AWS provider settings the us-east-1 provider copies (credentials). */
export interface StackAwsConfig {
    /** `aws:profile`. */
    profile?: string;
    /** `aws:assumeRoles`. */
    assumeRoles?: aws.types.input.ProviderAssumeRole[];
}

/**
 * The explicit us-east-1 provider takes its credentials like the default provider does: from the
 * environment, plus the stack's `aws:profile` and `aws:assumeRoles` when set.
 */
export function usEast1ProviderArgs(stack: StackAwsConfig): aws.ProviderArgs {
    return {
        region: ROUTE53_EVENTS_REGION as aws.Region,
        ...(stack.profile ? { profile: stack.profile } : {}),
        ...(stack.assumeRoles ? { assumeRoles: stack.assumeRoles } : {}),
    };
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
    queryHttpPort: number;
    thanosNamePattern?: string;
    queryNamePattern?: string;
    prometheusNamePattern?: string;
    installationsNamePattern?: string;
    exclusions: string[];
    selfPrometheusTarget?: string;
    selfClusterId?: string;
    thanosStaticEndpoints: string[];
    namespace: string;
    configMaps: Record<FileKind, string>;
    shrinkFloorPercent: number;
    shrinkMaxRemovals: number;
    shrinkAlwaysAllowed: number;
    emptyConfirmSeconds: number;
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
        [ENV.queryHttpPort]: String(e.queryHttpPort),
        [ENV.exclusions]: e.exclusions.map((x) => x.toLowerCase()).join(","),
        [ENV.thanosStaticEndpoints]: e.thanosStaticEndpoints.join(","),
        [ENV.thanosConfigMap]: e.configMaps.thanos,
        [ENV.prometheusConfigMap]: e.configMaps.prometheus,
        [ENV.probesConfigMap]: e.configMaps.probes,
        [ENV.queriesConfigMap]: e.configMaps.queries,
        [ENV.shrinkFloorPercent]: String(e.shrinkFloorPercent),
        [ENV.shrinkMaxRemovals]: String(e.shrinkMaxRemovals),
        [ENV.shrinkAlwaysAllowed]: String(e.shrinkAlwaysAllowed),
        [ENV.emptyConfirmSeconds]: String(e.emptyConfirmSeconds),
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
    if (e.queryNamePattern !== undefined) env[ENV.queryPattern] = e.queryNamePattern;
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

/** The registrar's Lambda metrics (dimension `function`: FunctionName) and its DLQ's (dimension `queue`: QueueName). */
const lambdaMetric = (metricName: string): AlarmMetric => ({ namespace: "AWS/Lambda", metricName, statistic: "Sum", dimension: "function" });

/** The three alarms on what went wrong: any error, any throttle, any message in the DLQ (5-minute periods). */
export function alarmSpecs(): MetricAlarmSpec[] {
    const base = { period: 300, evaluationPeriods: 1, threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold", treatMissingData: "notBreaching" } as const;
    return [
        { role: "errors", metric: lambdaMetric("Errors"), ...base, description: "DNS registrar invocations failed (listing incomplete, shrink refused, or Kubernetes errors): check its logs." },
        { role: "throttles", metric: lambdaMetric("Throttles"), ...base, description: "DNS registrar invocations were throttled." },
        {
            role: "dlq-depth",
            metric: { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", statistic: "Maximum", dimension: "queue" },
            ...base,
            description: "DNS registrar events failed all retries and are in its dead-letter queue.",
        },
    ];
}

/** The slowest schedule the liveness alarm watches: three runs must fit in CloudWatch's one-day evaluation limit. */
export const LIVENESS_MAX_INTERVAL_SECONDS = 8 * 3600;

/**
 * "No successful run in the window": successful invocations (Invocations - Errors, AWS/Lambda, Sum)
 * below 1 over three schedule intervals (at least 15 minutes), missing data breaching (no
 * datapoints at all means the schedule stopped). One period the length of the window: a run that
 * slips a little past its interval does not alarm, three missed runs do. Undefined for a cron
 * schedule or a rate slower than every 8 hours (three intervals exceed CloudWatch's one-day
 * limit on period x evaluation periods): the component then warns that nothing watches liveness.
 */
export function livenessAlarmSpec(scheduleExpression: string): MetricAlarmSpec | undefined {
    const interval = rateIntervalSeconds(scheduleExpression);
    if (interval === undefined || interval > LIVENESS_MAX_INTERVAL_SECONDS) return undefined;
    const window = Math.max(900, 3 * interval);
    return {
        role: "no-successful-run",
        description: `DNS registrar: no successful invocation in ${window / 60} minutes (three runs of its schedule ${scheduleExpression}): new clusters are not registered. Check its schedule rule, logs and errors.`,
        math: {
            expression: "FILL(invocations, 0) - FILL(errors, 0)",
            label: "successful invocations",
            inputs: { invocations: lambdaMetric("Invocations"), errors: lambdaMetric("Errors") },
        },
        period: window,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "breaching",
    };
}

/** The DLQ's resource policy: deny any request not sent over TLS. */
export function dlqPolicy(queueArn: string): PolicyDocument {
    return policyDocument([
        denyInsecureTransport(queueArn, "sqs:*"),
    ]);
}
