// S3 and RDS: data at rest encrypted with the stack's keys, never public, recoverable.
import { Rule, StackCheck, doc, list, ofType, references, resourceRule, stackRule } from "./util";

const BUCKETS = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const bucketName = (b: { props: Record<string, any> }) => b.props.bucket;

/** For every bucket, the configurations of `type` that point at it. */
function perBucket(type: string, missing: string, ok: (c: { props: Record<string, any> }) => boolean, only?: (b: { props: Record<string, any>; name: string }) => boolean): StackCheck {
    return (rs) =>
        ofType(rs, ...BUCKETS)
            .filter((b) => !only || only(b))
            .flatMap((b) => {
                const configs = ofType(rs, type).filter((c) => references(c, "bucket", b, [bucketName(b)]));
                return configs.some(ok) ? [] : [{ message: `bucket ${bucketName(b) ?? b.name}: ${missing}`, urn: b.urn }];
            });
}

export const S3_RULES: Rule[] = [
    stackRule(
        "s3-public-access-block",
        "Every S3 bucket has a public access block with all four settings on (no public ACL or policy can ever apply).",
        [...BUCKETS, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
        perBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "no public access block with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true", (c) =>
            ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => c.props[k] === true),
        ),
    ),
    stackRule(
        "s3-sse-kms",
        "Every S3 bucket encrypts by default with SSE-KMS and a key of the stack (not SSE-S3, not the AWS-managed aws/s3 key).",
        [...BUCKETS, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"],
        perBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "no default encryption with aws:kms and a customer-managed key", (c) =>
            list(c.props.rules).some((r) => r?.applyServerSideEncryptionByDefault?.sseAlgorithm === "aws:kms" && typeof r.applyServerSideEncryptionByDefault.kmsMasterKeyId === "string" && !/alias\/aws\/s3$/.test(r.applyServerSideEncryptionByDefault.kmsMasterKeyId)),
        ),
    ),
    stackRule(
        "s3-tls-only",
        "Every S3 bucket's policy denies any request not sent over TLS (aws:SecureTransport false).",
        [...BUCKETS, "aws:s3/bucketPolicy:BucketPolicy"],
        perBucket("aws:s3/bucketPolicy:BucketPolicy", "no bucket policy denying requests without TLS (aws:SecureTransport = false)", (c) =>
            (doc(c.props.policy)?.Statement ?? []).some((s) => s.Effect === "Deny" && String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false"),
        ),
    ),
    stackRule(
        "s3-state-versioning",
        "A bucket that holds state (its name contains one of stateBucketPatterns: the kops state) has versioning enabled or object lock, so an overwrite or delete can be undone.",
        [...BUCKETS, "aws:s3/bucketVersioning:BucketVersioning"],
        (rs, cfg) =>
            perBucket(
                "aws:s3/bucketVersioning:BucketVersioning",
                "holds state but has neither versioning Enabled nor object lock",
                (c) => c.props.versioningConfiguration?.status === "Enabled",
                (b) => b.props.objectLockEnabled !== true && cfg.stateBucketPatterns.some((p) => String(b.props.bucket ?? b.name).includes(p)),
            )(rs, cfg),
    ),
];

const RDS = ["aws:rds/instance:Instance"];

export const RDS_RULES: Rule[] = [
    resourceRule("rds-encrypted", "Every RDS instance encrypts its storage (storageEncrypted).", RDS, (p) => (p.storageEncrypted === true ? [] : ["storageEncrypted is not true"])),
    resourceRule("rds-not-public", "No RDS instance is publicly accessible.", RDS, (p) => (p.publiclyAccessible === true ? ["publiclyAccessible is true"] : [])),
    resourceRule("rds-backups", "Every RDS instance keeps automated backups for 7 days or more.", RDS, (p) => (typeof p.backupRetentionPeriod === "number" && p.backupRetentionPeriod >= 7 ? [] : [`backupRetentionPeriod ${p.backupRetentionPeriod ?? "unset"} is below 7 days`])),
    resourceRule("rds-deletion-protection", "Under the production profile (policy config productionProfile), every RDS instance has deletion protection.", RDS, (p, cfg) =>
        cfg.productionProfile && p.deletionProtection !== true ? ["deletionProtection is not true in a production stack"] : [],
    ),
    stackRule("rds-force-ssl", "Every RDS PostgreSQL instance uses a parameter group with rds.force_ssl = 1 (no plaintext connection is accepted).", [...RDS, "aws:rds/parameterGroup:ParameterGroup"], (rs) =>
        ofType(rs, ...RDS)
            .filter((i) => String(i.props.engine ?? "postgres").startsWith("postgres"))
            .flatMap((i) => {
                const groups = ofType(rs, "aws:rds/parameterGroup:ParameterGroup").filter((g) => references(i, "parameterGroupName", g, [g.props.name]));
                const forced = groups.some((g) => list(g.props.parameters).some((x) => x?.name === "rds.force_ssl" && String(x.value) === "1"));
                return forced ? [] : [{ message: `instance ${i.props.identifier ?? i.name}: its parameter group does not set rds.force_ssl = 1`, urn: i.urn }];
            }),
    ),
];
