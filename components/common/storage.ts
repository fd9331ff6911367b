// The encrypted-storage building blocks several components need, written once: a customer-managed
// KMS key with its alias, and an S3 bucket locked down the same way everywhere.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { statefulOptions } from "./stateful";

export interface KmsKeyArgs {
    /** What the key encrypts. */
    description: string;
    /** Alias name, with the `alias/` prefix. */
    alias: string;
    /** Region of the key (default: the provider's); SSE-KMS needs the key in the bucket's region. */
    region?: string;
    /** Key policy (JSON); default: KMS's default policy (the account's IAM policies decide). */
    policy?: pulumi.Input<string>;
    tags?: Record<string, string>;
    /** Protect and retain the key (stateful). */
    protect?: boolean;
}

/** A KMS key with rotation on and a 30-day deletion window, plus its alias `${name}-alias`. */
export function createKmsKey(name: string, args: KmsKeyArgs, opts: pulumi.CustomResourceOptions): aws.kms.Key {
    const region = args.region === undefined ? {} : { region: args.region };
    const key = new aws.kms.Key(
        name,
        { description: args.description, ...region, ...(args.policy !== undefined ? { policy: args.policy } : {}), enableKeyRotation: true, deletionWindowInDays: 30, tags: args.tags },
        statefulOptions(args.protect, opts),
    );
    new aws.kms.Alias(`${name}-alias`, { name: args.alias, targetKeyId: key.keyId, ...region }, opts);
    return key;
}

export interface SecureBucketArgs {
    /** Bucket name. */
    bucket: string;
    /** Region of the bucket (default: the provider's). */
    region?: string;
    /** ARN of the KMS key for default SSE-KMS encryption (bucket keys on). */
    kmsKeyArn: pulumi.Input<string>;
    /** Bucket policy document (JSON) given the bucket's ARN; it should include denyInsecureTransport. */
    policy: (bucketArn: pulumi.Output<string>) => pulumi.Input<string>;
    /** Lifecycle rules. */
    lifecycleRules: aws.types.input.s3.BucketLifecycleConfigurationRule[];
    /** Turn versioning on (the lifecycle then waits for it). */
    versioned?: boolean;
    tags?: Record<string, string>;
    /** Protect and retain the bucket (stateful). */
    protect?: boolean;
}

/**
 * An S3 bucket with SSE-KMS by default, all four public-access blocks, BucketOwnerEnforced (no
 * ACLs), a policy applied after the public-access block, lifecycle rules and optional versioning.
 * Children are `${name}-sse`, `-versioning`, `-public-access`, `-ownership`, `-policy`, `-lifecycle`.
 */
export function createSecureBucket(name: string, args: SecureBucketArgs, opts: pulumi.CustomResourceOptions): aws.s3.Bucket {
    const region = args.region === undefined ? {} : { region: args.region };
    const bucket = new aws.s3.Bucket(name, { bucket: args.bucket, ...region, tags: args.tags }, statefulOptions(args.protect, opts));
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-sse`,
        { bucket: bucket.id, ...region, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }] },
        opts,
    );
    const versioning = args.versioned
        ? [new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, ...region, versioningConfiguration: { status: "Enabled" } }, opts)]
        : [];
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        `${name}-public-access`,
        { bucket: bucket.id, ...region, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        opts,
    );
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, ...region, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    new aws.s3.BucketPolicy(`${name}-policy`, { bucket: bucket.id, ...region, policy: args.policy(bucket.arn) }, { ...opts, dependsOn: [publicAccess] });
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, ...region, rules: args.lifecycleRules }, { ...opts, dependsOn: versioning });
    return bucket;
}
