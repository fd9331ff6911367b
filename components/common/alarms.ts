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
