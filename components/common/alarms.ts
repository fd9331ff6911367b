// The SNS topic CloudWatch alarms notify: encrypted with a customer-managed KMS key whose policy
// lets CloudWatch use it. CloudWatch cannot publish to a topic under the AWS-managed key
// `alias/aws/sns` (that key's policy cannot grant cloudwatch.amazonaws.com, and AWS-managed key
// policies cannot be edited): the alarm history then says "CloudWatch Alarms does not have
// authorization to access the SNS topic encryption key" and nobody is notified.
// Sources: SNS Developer Guide "Key management: compatibility with AWS services"; AWS re:Post
// knowledge-center "cloudwatch-configure-alarm-sns" and "cloudwatch-receive-sns-for-alarm-trigger".
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, policyDocument } from "./iam";
import { createKmsKey } from "./storage";

/** The account and region a policy is scoped to. */
export interface AlarmScope {
    partition: string;
    region: string;
    accountId: string;
}

/** Any CloudWatch alarm of this account and region. */
function alarmArnPattern(s: AlarmScope): string {
    return `arn:${s.partition}:cloudwatch:${s.region}:${s.accountId}:alarm:*`;
}

/** CloudWatch, acting for this account's alarms in this region (confused-deputy conditions). */
function fromOwnAlarms(s: AlarmScope) {
    return { StringEquals: { "aws:SourceAccount": s.accountId }, ArnLike: { "aws:SourceArn": alarmArnPattern(s) } };
}

/**
 * The key policy of the alarm topic's key: the account administers the key through IAM (KMS's
 * default statement, without which the key is unmanageable), and CloudWatch may generate data keys
 * and decrypt, only for this account's alarms. Nothing else.
 */
export function alarmTopicKeyPolicy(s: AlarmScope): PolicyDocument {
    return policyDocument([
        {
            Sid: "AccountAdministersKeyThroughIam",
            Effect: "Allow",
            Principal: { AWS: `arn:${s.partition}:iam::${s.accountId}:root` },
            Action: "kms:*",
            Resource: "*",
        },
        {
            Sid: "CloudWatchAlarmsEncryptNotifications",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: fromOwnAlarms(s),
        },
    ]);
}

/** The topic policy: CloudWatch may publish, only for this account's alarms; nothing over plain HTTP. */
export function alarmTopicPolicy(topicArn: string, s: AlarmScope): PolicyDocument {
    return policyDocument([
        {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: fromOwnAlarms(s),
        },
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
    ]);
}

export interface AlarmTopicArgs {
    /** Physical topic name, e.g. `cloud-prod-alarms`; the key's alias is `alias/<topicName>`. */
    topicName: string;
    /** The stack's region (alarms and topic live there). */
    region: string;
    tags?: Record<string, string>;
    /** Protect and retain the key. */
    protect?: boolean;
}

/** The alarm topic and the key that encrypts it. */
export interface AlarmTopic {
    topic: aws.sns.Topic;
    key: aws.kms.Key;
}

/**
 * The alarm topic with its customer-managed key and policies. Children: `${name}-key` (+ alias),
 * `${name}`, `${name}-policy`.
 */
export function createAlarmTopic(name: string, args: AlarmTopicArgs, opts: pulumi.CustomResourceOptions): AlarmTopic {
    const invoke = { ...(opts.provider ? { provider: opts.provider } : {}), ...(opts.parent ? { parent: opts.parent } : {}) };
    const scope = pulumi
        .all([aws.getPartitionOutput({}, invoke).partition, aws.getCallerIdentityOutput({}, invoke).accountId])
        .apply(([partition, accountId]): AlarmScope => ({ partition, accountId, region: args.region }));
    const key = createKmsKey(
        `${name}-key`,
        {
            description: `SNS topic ${args.topicName}: CloudWatch alarm notifications`,
            alias: `alias/${args.topicName}`,
            policy: scope.apply((s) => JSON.stringify(alarmTopicKeyPolicy(s))),
            tags: args.tags,
            protect: args.protect,
        },
        opts,
    );
    const topic = new aws.sns.Topic(name, { name: args.topicName, kmsMasterKeyId: key.arn, tags: args.tags }, opts);
    new aws.sns.TopicPolicy(`${name}-policy`, { arn: topic.arn, policy: pulumi.all([topic.arn, scope]).apply(([arn, s]) => JSON.stringify(alarmTopicPolicy(arn, s))) }, opts);
    return { topic, key };
}

// ---------------------------------------------------------------------------------------------
// CloudWatch alarms of the components: plain specs (testable without mocks) and one creator.

/** How an alarm treats periods without data (CloudWatch `TreatMissingData`). */
export type MissingData = "breaching" | "notBreaching" | "ignore" | "missing";

/** One metric of an alarm: namespace, name and statistic; its dimensions come from `dimensions[dimension]` at creation. */
export interface AlarmMetric {
    namespace: string;
    metricName: string;
    statistic: "Sum" | "Maximum" | "Minimum" | "Average" | "SampleCount";
    /** Which of the creator's dimension sets applies (e.g. `function`, `queue`, `domain`). */
    dimension: string;
}

/** One alarm, as plain data: a single metric, or metric math over named metrics. */
export interface MetricAlarmSpec {
    /** The alarm's role, the last part of its physical name (`<component name>-<role>`). */
    role: string;
    description: string;
    /** A single metric; or `math` with its inputs. */
    metric?: AlarmMetric;
    /** Metric math: `expression` over `inputs` (id -> metric); the expression's result is compared. */
    math?: { expression: string; label: string; inputs: Record<string, AlarmMetric> };
    /** Seconds per period (60 or a multiple of 60). */
    period: number;
    evaluationPeriods: number;
    /** Periods out of evaluationPeriods that must breach (default: all of them). */
    datapointsToAlarm?: number;
    threshold: number;
    comparisonOperator: "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";
    treatMissingData: MissingData;
}

export interface MetricAlarmsArgs {
    /** Physical alarm name of a role, e.g. `cloud-prod-dns-registrar-errors`. */
    physicalName: (role: string) => string;
    /** Dimension sets by the key the specs name in `AlarmMetric.dimension`. */
    dimensions: Record<string, Record<string, pulumi.Input<string>>>;
    /** SNS topic notified on ALARM and OK; unset: alarms without actions. */
    topicArn?: pulumi.Input<string>;
    tags?: Record<string, string>;
}

/** The alarms of `specs`: children `${name}-${role}-alarm`. */
export function createMetricAlarms(name: string, specs: readonly MetricAlarmSpec[], args: MetricAlarmsArgs, opts: pulumi.CustomResourceOptions): aws.cloudwatch.MetricAlarm[] {
    const actions = args.topicArn !== undefined ? [args.topicArn] : [];
    const dimensionsOf = (m: AlarmMetric) => {
        const d = args.dimensions[m.dimension];
        if (d === undefined) throw new Error(`alarm ${name}: no dimensions for "${m.dimension}"`);
        return d;
    };
    return specs.map((spec) => {
        const common = {
            name: args.physicalName(spec.role),
            alarmDescription: spec.description,
            evaluationPeriods: spec.evaluationPeriods,
            ...(spec.datapointsToAlarm !== undefined ? { datapointsToAlarm: spec.datapointsToAlarm } : {}),
            threshold: spec.threshold,
            comparisonOperator: spec.comparisonOperator,
            treatMissingData: spec.treatMissingData,
            alarmActions: actions,
            okActions: actions,
            tags: args.tags,
        };
        const single = spec.metric
            ? { namespace: spec.metric.namespace, metricName: spec.metric.metricName, statistic: spec.metric.statistic, dimensions: dimensionsOf(spec.metric), period: spec.period }
            : undefined;
        const math = spec.math
            ? {
                  metricQueries: [
                      ...Object.entries(spec.math.inputs).map(([id, m]) => ({
                          id,
                          returnData: false,
                          metric: { namespace: m.namespace, metricName: m.metricName, stat: m.statistic, dimensions: dimensionsOf(m), period: spec.period },
                      })),
                      { id: "result", expression: spec.math.expression, label: spec.math.label, returnData: true },
                  ],
              }
            : undefined;
        if ((single === undefined) === (math === undefined)) throw new Error(`alarm ${name}-${spec.role}: exactly one of metric and math`);
        return new aws.cloudwatch.MetricAlarm(`${name}-${spec.role}-alarm`, { ...common, ...(single ?? math) }, opts);
    });
}
