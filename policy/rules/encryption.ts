// Queues, topics and logs: encrypted, retained for a known time; the alarm topic readable by CloudWatch.
import { Rule, doc, list, ofType, resourceRule, stackRule } from "./util";

export const ENCRYPTION_RULES: Rule[] = [
    resourceRule("sqs-encrypted", "Every SQS queue is encrypted at rest (SSE-SQS or a KMS key).", ["aws:sqs/queue:Queue"], (p) => (p.kmsMasterKeyId || p.sqsManagedSseEnabled === true ? [] : ["neither kmsMasterKeyId nor sqsManagedSseEnabled"])),
    resourceRule("sns-encrypted", "Every SNS topic is encrypted at rest with a KMS key.", ["aws:sns/topic:Topic"], (p) => (p.kmsMasterKeyId ? [] : ["no kmsMasterKeyId"])),
    resourceRule("log-group-retention", "Every CloudWatch log group has a retention (never kept, and paid for, forever).", ["aws:cloudwatch/logGroup:LogGroup"], (p) => (typeof p.retentionInDays === "number" && p.retentionInDays > 0 ? [] : ["no retentionInDays"])),
    resourceRule(
        "log-group-cmk",
        "Log groups encrypted with a customer-managed key. Advisory: CloudWatch Logs encrypts every log group at rest with a service key already; a CMK adds key-policy control and needs the logs service in the key policy of each log group's key, which no component sets up yet.",
        ["aws:cloudwatch/logGroup:LogGroup"],
        (p) => (p.kmsKeyId ? [] : ["encrypted with the CloudWatch Logs service key, not a customer-managed key"]),
        "advisory",
    ),
    stackRule(
        "sns-alarm-topic-cmk",
        "A topic CloudWatch alarms publish to is encrypted with a customer-managed key (not alias/aws/sns, which CloudWatch cannot use) whose policy lets cloudwatch.amazonaws.com GenerateDataKey and Decrypt.",
        ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:sns/topic:Topic", "aws:kms/key:Key"],
        (rs) => {
            const alarms = ofType(rs, "aws:cloudwatch/metricAlarm:MetricAlarm");
            const targets = alarms.flatMap((a) => [...list(a.props.alarmActions), ...list(a.props.okActions)]).map(String);
            const targetUrns = new Set(alarms.flatMap((a) => [...(a.propertyDependencies?.alarmActions ?? []), ...(a.propertyDependencies?.okActions ?? [])]).map((d) => d.urn));
            const keys = ofType(rs, "aws:kms/key:Key");
            return ofType(rs, "aws:sns/topic:Topic")
                .filter((t) => targetUrns.has(t.urn) || (t.props.name !== undefined && targets.some((x) => x.endsWith(`:${t.props.name}`))))
                .flatMap((t) => {
                    const keyRef = String(t.props.kmsMasterKeyId ?? "");
                    if (!keyRef || /alias\/aws\/sns$/.test(keyRef)) return [{ message: `alarm topic ${t.props.name ?? t.name}: not encrypted with a customer-managed key`, urn: t.urn }];
                    const key = keys.find((k) => (t.propertyDependencies?.kmsMasterKeyId ?? []).some((d) => d.urn === k.urn) || k.props.arn === keyRef);
                    const allows = (doc(key?.props.policy)?.Statement ?? []).some(
                        (s) => s.Effect === "Allow" && list(s.Principal?.Service).includes("cloudwatch.amazonaws.com") && ["kms:GenerateDataKey*", "kms:GenerateDataKey"].some((a) => list(s.Action).includes(a)) && list(s.Action).includes("kms:Decrypt"),
                    );
                    return allows ? [] : [{ message: `alarm topic ${t.props.name ?? t.name}: its key's policy does not let CloudWatch GenerateDataKey and Decrypt`, urn: t.urn }];
                });
        },
    ),
];
