// The stack's own named AWS resources, as a built stack registers them: their physical names and
// the ARNs AWS gives them (a `namePrefix` completed with a 26-character suffix of the shape AWS and
// Terraform append). Used to check, for any environment name and prefix, that no provisioner Allow
// reaches them unless a Deny does too.
import type { Recorder, RecordedResource } from "./pulumi-harness";

export interface Scope {
    partition: string;
    region: string;
    accountId: string;
}

export interface NamedResource {
    type: string;
    /** Logical name (which component and role). */
    name: string;
    /** The ARNs a request on it names (a bucket's objects too). */
    arns: string[];
}

/** What AWS appends to a `namePrefix`: 26 characters (a timestamp and a counter). */
export const NAME_SUFFIX = "20260101000000000000000001";

const physical = (r: RecordedResource): string | undefined => {
    const i = r.inputs;
    return i.name ?? (i.namePrefix !== undefined ? `${i.namePrefix}${NAME_SUFFIX}` : undefined) ?? i.bucket ?? i.domainName ?? i.identifier;
};

/** ARNs of a resource from its type and physical name (AWS's formats; keys by their ARN, which has no name). */
const ARNS: Record<string, (name: string, s: Scope, r: RecordedResource) => string[]> = {
    "aws:s3/bucket:Bucket": (n, s) => [`arn:${s.partition}:s3:::${n}`, `arn:${s.partition}:s3:::${n}/*`],
    "aws:s3/bucketV2:BucketV2": (n, s) => [`arn:${s.partition}:s3:::${n}`, `arn:${s.partition}:s3:::${n}/*`],
    "aws:kms/key:Key": (_n, _s, r) => [r.state.arn],
    "aws:kms/alias:Alias": (n, s) => [`arn:${s.partition}:kms:${s.region}:${s.accountId}:${n}`],
    "aws:sns/topic:Topic": (n, s) => [`arn:${s.partition}:sns:${s.region}:${s.accountId}:${n}`],
    "aws:sqs/queue:Queue": (n, s) => [`arn:${s.partition}:sqs:${s.region}:${s.accountId}:${n}`],
    "aws:cloudwatch/logGroup:LogGroup": (n, s) => [`arn:${s.partition}:logs:${s.region}:${s.accountId}:log-group:${n}`, `arn:${s.partition}:logs:${s.region}:${s.accountId}:log-group:${n}:*`],
    "aws:iam/role:Role": (n, s) => [`arn:${s.partition}:iam::${s.accountId}:role/${n}`],
    "aws:iam/policy:Policy": (n, s) => [`arn:${s.partition}:iam::${s.accountId}:policy/${n}`],
    "aws:lambda/function:Function": (n, s) => [`arn:${s.partition}:lambda:${s.region}:${s.accountId}:function:${n}`],
    "aws:opensearch/domain:Domain": (n, s) => [`arn:${s.partition}:es:${s.region}:${s.accountId}:domain/${n}`, `arn:${s.partition}:es:${s.region}:${s.accountId}:domain/${n}/*`],
    "aws:rds/instance:Instance": (n, s) => [`arn:${s.partition}:rds:${s.region}:${s.accountId}:db:${n}`],
    "aws:rds/parameterGroup:ParameterGroup": (n, s) => [`arn:${s.partition}:rds:${s.region}:${s.accountId}:pg:${n}`],
    "aws:rds/subnetGroup:SubnetGroup": (n, s) => [`arn:${s.partition}:rds:${s.region}:${s.accountId}:subgrp:${n}`],
    "aws:cloudwatch/eventRule:EventRule": (n, s) => [`arn:${s.partition}:events:${s.region}:${s.accountId}:rule/${n}`],
    "aws:cloudwatch/metricAlarm:MetricAlarm": (n, s) => [`arn:${s.partition}:cloudwatch:${s.region}:${s.accountId}:alarm:${n}`],
    "aws:secretsmanager/secret:Secret": (n, s) => [`arn:${s.partition}:secretsmanager:${s.region}:${s.accountId}:secret:${n}-AbCdEf`],
};

/** The resource types addressed by name (and KMS keys); EC2, ELB and Route 53 resources are addressed by ID. */
export const NAMED_TYPES = Object.keys(ARNS);

/** Every named resource the recorder saw, with its ARNs. */
export function namedResources(rec: Recorder, scope: Scope): NamedResource[] {
    return rec.resources
        .filter((r) => r.custom && r.type in ARNS)
        .map((r) => {
            const n = physical(r);
            if (n === undefined && r.type !== "aws:kms/key:Key") throw new Error(`${r.type} ${r.name} has no physical name`);
            return { type: r.type, name: r.name, arns: ARNS[r.type](n ?? "", scope, r) };
        });
}

/** The same resources for another prefix and environment: the markers of the template build replaced. */
export function instantiate(template: NamedResource[], markers: { prefix?: string; environment: string }, prefix: string, environment: string): NamedResource[] {
    // One pass, so a marker inside the new names is never replaced again.
    const values: Record<string, string> = { [markers.environment]: environment, ...(markers.prefix ? { [markers.prefix]: prefix } : {}) };
    const re = new RegExp(Object.keys(values).join("|"), "g");
    const sub = (s: string) => s.replace(re, (m) => values[m]);
    return template.map((r) => ({ ...r, arns: r.arns.map(sub) }));
}
