// Pure decisions of ProvisionerServer: physical names, the database settings, the kops state
// bucket's policy and lifecycle, the provisioner's IAM policies, the connection string. Rules,
// messages and defaults of the args live in schema.ts (the rule book).
// No Pulumi resources here: tests call these functions directly.
import type * as aws from "@pulumi/aws";
import { denyInsecureTransport, PolicyDocument, policyDocument, PolicyStatement } from "../common/iam";
import { iamRoleNamePrefix, physicalName } from "../common/naming";
import { CLOUD_PREFIX, ProtectedArnKind, ProvisionerSettings, postgresMajor, protectedArnKind } from "./schema";

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/**
 * The IAM name pattern of a provisioner-managed resource: `cloud-` and a 26-character
 * installation ID (model.NewID; the API routes match `[A-Za-z0-9]{26}`), with IAM's `?` wildcard.
 * Tighter than `cloud-*`, which would also match other stacks' buckets such as the metrics bucket
 * `cloud-<env>-prometheus-metrics`.
 */
export const CLOUD_ID_PATTERN = `${CLOUD_PREFIX}${"?".repeat(26)}`;

/**
 * The IAM name pattern of a kops cluster the provisioner creates: `<cluster id>-kops.k8s.local`
 * (kops_provisioner.go: `fmt.Sprintf("%s-kops.k8s.local", cluster.ID)`, the ID from
 * model.ClusterNewID, 26 characters).
 */
export const KOPS_CLUSTER_PATTERN = `${"?".repeat(26)}-kops.k8s.local`;

/**
 * The pre-created managed policies mattermost-cloud attaches to kops roles (constants.go
 * CustomNodePolicyName, VeleroNodePolicyName; provisioner_utils.go attachPolicyRoles).
 */
export const KOPS_NODE_POLICIES = ["cloud-provisioning-node-policy", "cloud-provisioning-node-policy-velero"] as const;

/** The tag mattermost-cloud puts on each installation database key at creation (constants.go DefaultRDSEncryptionTagKey; value `cloud-<installation id>`). */
export const RDS_KEY_TAG = "rds-encryption-key";

/** ScheduleKeyDeletion's window mattermost-cloud asks for (constants.go KMSMaxTimeEncryptionKeyDeletion), also KMS's maximum. */
export const KEY_DELETION_WINDOW_DAYS = 30;

/** Kubernetes names of the in-cluster objects. */
export const NAMES = {
    serviceAccount: "provisioner",
    deployment: "provisioner",
    supervisors: "provisioner-installations",
    service: "provisioner",
    ingress: "provisioner",
    secret: "provisioner",
    sshSecret: "provisioner-ssh",
    caBundle: "provisioner-rds-ca",
} as const;

/** The RDS CA bundle (rds-ca-bundle.ts) as the pods see it: a ConfigMap key mounted read-only. */
export const CA_BUNDLE = { key: "rds-ca-bundle.pem", mountPath: "/etc/rds-ca" } as const;
export const CA_BUNDLE_PATH = `${CA_BUNDLE.mountPath}/${CA_BUNDLE.key}`;

/** The database and its owner inside the RDS instance. */
export const DATABASE_NAME = "provisioner";
export const DATABASE_USER = "provisioner";
export const DATABASE_PORT = 5432;

/** Days the RDS log groups (postgresql, upgrade) keep their events. */
export const DB_LOG_RETENTION_DAYS = 90;
/** The RDS logs exported to CloudWatch Logs (their groups are created first, with retention). */
export const DB_LOG_EXPORTS = ["postgresql", "upgrade"] as const;
/** Performance Insights retention in days (7 is the free tier). */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;
/** The RDS CA every new instance should use (RSA 2048, valid to 2061). */
export const RDS_CA = "rds-ca-rsa2048-g1";

/** Days a noncurrent version of a kops state object is kept. */
export const STATE_NONCURRENT_DAYS = 90;
/** Noncurrent versions kept regardless of age (the last few edits of each cluster spec). */
export const STATE_NONCURRENT_KEEP = 10;
/** Days after which an incomplete multipart upload is aborted. */
export const ABORT_INCOMPLETE_MULTIPART_DAYS = 7;

// ---------------------------------------------------------------------------------------------
// Physical names (what an operator sees in the AWS console)
// ---------------------------------------------------------------------------------------------

/** The provisioner's customer-managed policies, one per concern (the set is over IAM's inline budget). */
export const PROVISIONER_POLICY_GROUPS = ["dns", "kops", "iam", "installations", "storage"] as const;
export type ProvisionerPolicyGroup = (typeof PROVISIONER_POLICY_GROUPS)[number];

/** A `namePrefix` for resources AWS suffixes uniquely (replacements never collide): `<prefix>-<env>-<role>-`. */
function namePrefixOf(s: Pick<ProvisionerSettings, "prefix" | "environment">, role: string, maxLength: number): string {
    return `${physicalName(s.prefix, s.environment, role, maxLength - 1)}-`;
}

/**
 * The physical names of the AWS resources the component names itself, each saying what it is
 * for: `<prefix>-<env>-provisioner...`. Roles, policies, the subnet group, the security group and
 * the parameter group take a `namePrefix` (a replacement never collides with the old one). The
 * KMS aliases stay under `alias/provisioner/`: the provisioner's own KMS grants follow
 * `alias/cloud-<installation id>`. The RDS identifier (settings.db.identifier) never starts with
 * cloud-, and the RDS log groups are named by RDS after it.
 */
export function physicalNames(s: Pick<ProvisionerSettings, "prefix" | "environment">) {
    return {
        roleNamePrefix: iamRoleNamePrefix(s.prefix, s.environment, "provisioner"),
        policyNamePrefixes: Object.fromEntries(PROVISIONER_POLICY_GROUPS.map((g) => [g, namePrefixOf(s, `provisioner-${g}`, 102)])) as Record<ProvisionerPolicyGroup, string>,
        dbSubnetGroupNamePrefix: namePrefixOf(s, "provisioner-db", 229),
        dbSecurityGroupNamePrefix: namePrefixOf(s, "provisioner-db", 229),
        dbParameterGroupNamePrefix: namePrefixOf(s, "provisioner-db-tls", 229),
        /** Exact name (not a prefix): the documents name the boundary's ARN, which must be known before it exists. */
        boundaryPolicyName: physicalName(s.prefix, s.environment, "provisioner-boundary", 128),
        dbKeyAlias: `alias/provisioner/${physicalName(s.prefix, s.environment, "provisioner-db")}`,
        stateKeyAlias: `alias/provisioner/${physicalName(s.prefix, s.environment, "provisioner-kops-state")}`,
    };
}

// ---------------------------------------------------------------------------------------------
// Database
// ---------------------------------------------------------------------------------------------

/** Parameters of the DB parameter group: TLS only, and the logs an operator needs. */
export function dbParameters(): { name: string; value: string }[] {
    return [
        { name: "rds.force_ssl", value: "1" },
        { name: "log_connections", value: "1" },
        { name: "log_disconnections", value: "1" },
        { name: "log_lock_waits", value: "1" },
        { name: "log_min_duration_statement", value: "1000" },
        { name: "log_statement", value: "ddl" },
    ];
}

/** The RDS parameter group family of a PostgreSQL engine version. */
export function parameterGroupFamily(engineVersion: string): string {
    return `postgres${postgresMajor(engineVersion)}`;
}

/** CloudWatch log group of an RDS log export. */
export function dbLogGroupName(identifier: string, log: string): string {
    return `/aws/rds/instance/${identifier}/${log}`;
}

/**
 * The primary instance's plain settings (everything except the IDs of its KMS key, subnet group,
 * security group, parameter group and its password, which the class wires in).
 */
export function primaryDbSettings(s: ProvisionerSettings) {
    const protect = s.deletionProtection;
    return {
        identifier: s.db.identifier,
        engine: "postgres",
        engineVersion: s.db.engineVersion,
        // No paid RDS Extended Support by surprise: a major past standard support must be upgraded.
        engineLifecycleSupport: "open-source-rds-extended-support-disabled",
        instanceClass: s.db.instanceClass,
        allocatedStorage: s.db.allocatedStorageGiB,
        maxAllocatedStorage: s.db.maxAllocatedStorageGiB,
        storageType: "gp3",
        storageEncrypted: true,
        dbName: DATABASE_NAME,
        username: DATABASE_USER,
        port: DATABASE_PORT,
        publiclyAccessible: false,
        multiAz: s.db.multiAz,
        backupRetentionPeriod: s.db.backupRetentionDays,
        backupWindow: "02:00-03:00",
        maintenanceWindow: "sun:03:30-sun:04:30",
        autoMinorVersionUpgrade: true,
        allowMajorVersionUpgrade: false,
        // Dev applies changes at once; prod waits for the maintenance window.
        applyImmediately: !protect,
        copyTagsToSnapshot: true,
        deletionProtection: protect,
        skipFinalSnapshot: !protect,
        ...(protect ? { finalSnapshotIdentifier: `${s.db.identifier}-final` } : {}),
        deleteAutomatedBackups: !protect,
        performanceInsightsEnabled: true,
        performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
        enabledCloudwatchLogsExports: [...DB_LOG_EXPORTS],
        iamDatabaseAuthenticationEnabled: s.db.iamDatabaseAuthentication,
        caCertIdentifier: RDS_CA,
    } satisfies Partial<aws.rds.InstanceArgs>;
}

/** The read replica's plain settings (same region: it inherits the source's subnet group). */
export function replicaDbSettings(s: ProvisionerSettings) {
    return {
        identifier: `${s.db.identifier}-replica`,
        instanceClass: s.db.instanceClass,
        maxAllocatedStorage: s.db.maxAllocatedStorageGiB,
        storageType: "gp3",
        storageEncrypted: true,
        publiclyAccessible: false,
        multiAz: false,
        autoMinorVersionUpgrade: true,
        applyImmediately: !s.deletionProtection,
        copyTagsToSnapshot: true,
        deletionProtection: s.deletionProtection,
        // RDS takes no final snapshot of a read replica.
        skipFinalSnapshot: true,
        backupRetentionPeriod: 0,
        performanceInsightsEnabled: true,
        performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
        caCertIdentifier: RDS_CA,
    } satisfies Partial<aws.rds.InstanceArgs>;
}

/**
 * The connection string the provisioner's `--database` flag takes (lib/pq URL form): TLS with the
 * server's certificate verified against the RDS CA bundle and its name against the host
 * (verify-full), so nothing on the path can stand in for the database.
 */
export function databaseUrl(host: string, password: string, port: number = DATABASE_PORT): string {
    return `postgres://${DATABASE_USER}:${encodeURIComponent(password)}@${host}:${port}/${DATABASE_NAME}?sslmode=verify-full&sslrootcert=${CA_BUNDLE_PATH}`;
}

// ---------------------------------------------------------------------------------------------
// kops state bucket
// ---------------------------------------------------------------------------------------------

export function bucketArn(partition: string, bucket: string): string {
    return `arn:${partition}:s3:::${bucket}`;
}

/**
 * Object-level actions nobody but the provisioner and the admin roles may use on the state
 * bucket. A Deny: wildcards here widen the protection, never the access.
 */
export const STATE_OBJECT_ACTIONS = ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*", "s3:RestoreObject", "s3:ListBucket*", "s3:ReplicateObject"] as const;

/**
 * The state bucket's policy: TLS only, and a deny-with-exceptions on object access. The
 * exception is on `aws:PrincipalArn` (the role ARN behind any assumed-role session) with
 * `ArnNotEquals`: a negated operator with several values denies only when the principal matches
 * none of them. Bucket-level management (the deployer's Pulumi role) is not object access and
 * stays governed by IAM.
 */
export function stateBucketPolicy(arn: string, provisionerRoleArn: string, adminRoleArns: string[]): PolicyDocument {
    return policyDocument([
        denyInsecureTransport([arn, `${arn}/*`]),
        {
            Sid: "DenyObjectAccessExceptProvisionerAndAdmins",
            Effect: "Deny",
            Principal: "*",
            Action: [...STATE_OBJECT_ACTIONS],
            Resource: [arn, `${arn}/*`],
            Condition: { ArnNotEquals: { "aws:PrincipalArn": [provisionerRoleArn, ...adminRoleArns] } },
        },
    ]);
}

/** Lifecycle rules of the (versioned) state bucket. */
export function stateBucketLifecycleRules() {
    return [
        {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: { prefix: "" },
            noncurrentVersionExpiration: { noncurrentDays: STATE_NONCURRENT_DAYS, newerNoncurrentVersions: STATE_NONCURRENT_KEEP },
            expiration: { expiredObjectDeleteMarker: true },
        },
        {
            id: "abort-incomplete-multipart-uploads",
            status: "Enabled",
            filter: { prefix: "" },
            abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_MULTIPART_DAYS },
        },
    ];
}

// ---------------------------------------------------------------------------------------------
// The provisioner's IAM permissions (IRSA)
// ---------------------------------------------------------------------------------------------

/** What the policies are built from (all resolved). */
export interface ProvisionerPolicyContext {
    partition: string;
    region: string;
    accountId: string;
    zoneIds: string[];
    stateBucket: string;
    stateKeyArn: string;
    /** ARN of the permissions boundary this component creates (policyArn of boundaryPolicyName). */
    boundaryArn: string;
    /** Allow creating users and roles (and changing their policies) only under that boundary. */
    requireBoundaryOnCreatedPrincipals: boolean;
}

/** IAM's size limit of a customer-managed policy (characters, whitespace not counted). */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/** The size IAM counts of a document: its JSON without whitespace outside strings (JSON.stringify adds none). */
export function policySize(doc: PolicyDocument): number {
    return JSON.stringify(doc).length;
}

/** ARN of a customer-managed policy at the default path `/`. */
export function policyArn(partition: string, accountId: string, name: string): string {
    return `arn:${partition}:iam::${accountId}:policy/${name}`;
}

/** The exact IAM names of what the provisioner creates: kops roles and instance profiles, installation users and policies. */
function managedPrincipals(p: string, a: string) {
    const iam = (kind: string, pattern: string) => `arn:${p}:iam::${a}:${kind}/${pattern}`;
    return {
        roles: [iam("role", `masters.${KOPS_CLUSTER_PATTERN}`), iam("role", `nodes.${KOPS_CLUSTER_PATTERN}`)],
        profiles: [iam("instance-profile", `masters.${KOPS_CLUSTER_PATTERN}`), iam("instance-profile", `nodes.${KOPS_CLUSTER_PATTERN}`)],
        /** Per-installation users and their S3 policies: exactly cloud-<26>. */
        users: [iam("user", CLOUD_ID_PATTERN)],
        policies: [iam("policy", CLOUD_ID_PATTERN)],
    };
}

/** S3 actions kops and terraform use on the state bucket, and on its objects. */
export const STATE_BUCKET_ACTIONS = ["s3:GetBucketLocation", "s3:GetEncryptionConfiguration", "s3:ListBucket", "s3:ListBucketVersions"] as const;
export const STATE_OBJECT_READ_WRITE = ["s3:DeleteObject", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"] as const;
/** What SSE-KMS needs of the state key when S3 reads and writes objects for the provisioner. */
export const STATE_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"] as const;

/**
 * The provisioner's permissions, in five documents (each a customer-managed policy: IAM allows
 * 6,144 characters per managed policy and 10,240 for all inline policies of a role together,
 * which this set exceeds). Every statement has a Sid and says why; no Allow has a wildcard
 * action; Resource "*" appears only for actions AWS does not scope to a resource. The denies
 * that hold whatever else is attached to the role live in its permissions boundary
 * (provisionerBoundary); these documents deny only what is specific to this role.
 */
export function provisionerPolicies(c: ProvisionerPolicyContext): Record<ProvisionerPolicyGroup, PolicyDocument> {
    const { partition: p, region: r, accountId: a } = c;
    const iam = (kind: string, pattern: string) => `arn:${p}:iam::${a}:${kind}/${pattern}`;
    const ec2 = (type: string) => `arn:${p}:ec2:${r}:${a}:${type}/*`;
    const elb = (type: string) => `arn:${p}:elasticloadbalancing:${r}:${a}:${type}/*`;
    const rds = (type: string, name: string) => `arn:${p}:rds:${r}:${a}:${type}:${name}`;
    const kms = `arn:${p}:kms:${r}:${a}:key/*`;
    const managed = managedPrincipals(p, a);
    const cloudPolicyArn = iam("policy", CLOUD_ID_PATTERN);
    const state = bucketArn(p, c.stateBucket);
    // With requireBoundaryOnCreatedPrincipals: the user or role created or changed carries this component's boundary.
    const underBoundary = c.requireBoundaryOnCreatedPrincipals ? { ArnEquals: { "iam:PermissionsBoundary": c.boundaryArn } } : undefined;
    // Merged per operator: both keys must hold.
    const withBoundary = (condition: NonNullable<PolicyStatement["Condition"]>): PolicyStatement["Condition"] =>
        underBoundary ? { ...condition, ArnEquals: { ...(condition.ArnEquals ?? {}), ...underBoundary.ArnEquals } } : condition;
    const cond = (condition: PolicyStatement["Condition"] | undefined) => (condition ? { Condition: condition } : {});
    const installationKeyTag = { StringLike: { [`aws:ResourceTag/${RDS_KEY_TAG}`]: CLOUD_ID_PATTERN } };

    const dns: PolicyStatement[] = [
        {
            // Installations' CNAMEs (and the tags the AWS client reads to find its zones) live in these zones only.
            Sid: "Route53OwnZones",
            Effect: "Allow",
            Action: ["route53:ChangeResourceRecordSets", "route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:ListTagsForResource", "route53:ListTagsForResources"],
            Resource: c.zoneIds.map((id) => `arn:${p}:route53:::hostedzone/${id}`),
        },
        {
            // Listing zones has no resource; the AWS client lists them at start-up to find its own by the MattermostCloudDNS tag.
            Sid: "Route53ListZones",
            Effect: "Allow",
            Action: ["route53:ListHostedZones", "route53:ListHostedZonesByName"],
            Resource: "*",
        },
        {
            // Waiting for record changes to reach INSYNC.
            Sid: "Route53ChangeStatus",
            Effect: "Allow",
            Action: ["route53:GetChange"],
            Resource: `arn:${p}:route53:::change/*`,
        },
        {
            // The account ID for ARNs it builds; STS has no resource for this call.
            Sid: "StsCallerIdentity",
            Effect: "Allow",
            Action: ["sts:GetCallerIdentity"],
            Resource: "*",
        },
        {
            // mattermost-cloud, kops and terraform never assume another role (no AssumeRole call in v0.93.1): no role
            // chaining out of this one. IRSA's AssumeRoleWithWebIdentity is an unsigned call identity policies do not govern.
            Sid: "DenyAssumeRole",
            Effect: "Deny",
            Action: ["sts:AssumeRole", "sts:AssumeRoot"],
            Resource: "*",
        },
        {
            // The environment name comes from the account alias (mattermost-cloud-<env>); no resource-level support.
            Sid: "IamAccountAlias",
            Effect: "Allow",
            Action: ["iam:ListAccountAliases"],
            Resource: "*",
        },
        {
            // Installation TLS certificates are found by tag; listing certificates has no resource.
            Sid: "AcmListCertificates",
            Effect: "Allow",
            Action: ["acm:ListCertificates"],
            Resource: "*",
        },
        {
            // ...and their tags are read per certificate in this account and region.
            Sid: "AcmCertificateTags",
            Effect: "Allow",
            Action: ["acm:ListTagsForCertificate"],
            Resource: `arn:${p}:acm:${r}:${a}:certificate/*`,
        },
        {
            // Installation resources (databases, buckets) are found by tag; the tagging API has no resource-level permissions.
            Sid: "TaggingLookup",
            Effect: "Allow",
            Action: ["tag:GetResources"],
            Resource: "*",
        },
    ];

    const kops: PolicyStatement[] = [
        {
            // kops (terraform target) creates and deletes the control-plane and node roles masters.<cluster> and
            // nodes.<cluster> (cluster = <26-character id>-kops.k8s.local), their instance profiles and tags.
            Sid: "IamKopsRolesAndProfiles",
            Effect: "Allow",
            Action: [
                "iam:AddRoleToInstanceProfile",
                "iam:CreateInstanceProfile",
                "iam:DeleteInstanceProfile",
                "iam:DeleteRole",
                "iam:DeleteRolePolicy",
                "iam:GetInstanceProfile",
                "iam:GetRole",
                "iam:GetRolePolicy",
                "iam:ListAttachedRolePolicies",
                "iam:ListInstanceProfilesForRole",
                "iam:ListRolePolicies",
                "iam:RemoveRoleFromInstanceProfile",
                "iam:TagInstanceProfile",
                "iam:TagRole",
                "iam:UntagRole",
            ],
            Resource: [...managed.roles, ...managed.profiles],
        },
        {
            // ...the roles themselves and the inline policies kops writes (README: residual risk). Under
            // requirePermissionsBoundaryOnCreatedPrincipals only with this component's boundary on the role.
            Sid: "IamKopsRolesCreate",
            Effect: "Allow",
            Action: ["iam:CreateRole", "iam:PutRolePolicy"],
            Resource: managed.roles,
            ...cond(underBoundary),
        },
        {
            // AttachPolicyToRole adds the two pre-created node policies to kops roles, and nothing else (never AdministratorAccess).
            Sid: "IamKopsRolesNodePoliciesOnly",
            Effect: "Allow",
            Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
            Resource: managed.roles,
            Condition: withBoundary({ ArnEquals: { "iam:PolicyARN": KOPS_NODE_POLICIES.map((n) => policyArn(p, a, n)) } }),
        },
        {
            // Launch templates hand the kops roles to EC2 instances, and to nothing else.
            Sid: "IamPassKopsRolesToEc2",
            Effect: "Allow",
            Action: ["iam:PassRole"],
            Resource: managed.roles,
            Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
        },
        {
            // EC2 Describe calls do not support resource-level permissions: read-only, account-wide.
            Sid: "Ec2Describe",
            Effect: "Allow",
            Action: [
                "ec2:DescribeAccountAttributes",
                "ec2:DescribeAddresses",
                "ec2:DescribeAvailabilityZones",
                "ec2:DescribeImages",
                "ec2:DescribeInstanceStatus",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeInstances",
                "ec2:DescribeInternetGateways",
                "ec2:DescribeKeyPairs",
                "ec2:DescribeLaunchTemplateVersions",
                "ec2:DescribeLaunchTemplates",
                "ec2:DescribeNatGateways",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeRegions",
                "ec2:DescribeRouteTables",
                "ec2:DescribeSecurityGroupRules",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSnapshots",
                "ec2:DescribeSubnets",
                "ec2:DescribeTags",
                "ec2:DescribeVolumeStatus",
                "ec2:DescribeVolumes",
                "ec2:DescribeVpcAttribute",
                "ec2:DescribeVpcs",
            ],
            Resource: "*",
        },
        {
            // kops cluster resources: instances, etcd volumes, security groups, key pair, launch templates, and
            // the VPC/subnet claim tags. EC2 ARNs carry IDs, not names: scoped to this account and region.
            Sid: "Ec2KopsResources",
            Effect: "Allow",
            Action: [
                "ec2:AttachVolume",
                "ec2:AuthorizeSecurityGroupEgress",
                "ec2:AuthorizeSecurityGroupIngress",
                "ec2:CreateLaunchTemplate",
                "ec2:CreateLaunchTemplateVersion",
                "ec2:CreateNetworkInterface",
                "ec2:CreateSecurityGroup",
                "ec2:CreateTags",
                "ec2:CreateVolume",
                "ec2:DeleteKeyPair",
                "ec2:DeleteLaunchTemplate",
                "ec2:DeleteNetworkInterface",
                "ec2:DeleteSecurityGroup",
                "ec2:DeleteTags",
                "ec2:DeleteVolume",
                "ec2:DetachVolume",
                "ec2:ImportKeyPair",
                "ec2:ModifyLaunchTemplate",
                "ec2:ModifyVolume",
                "ec2:RevokeSecurityGroupEgress",
                "ec2:RevokeSecurityGroupIngress",
                "ec2:RunInstances",
                "ec2:StartInstances",
                "ec2:StopInstances",
                "ec2:TerminateInstances",
            ],
            Resource: [
                ec2("instance"),
                ec2("volume"),
                ec2("security-group"),
                ec2("security-group-rule"),
                ec2("key-pair"),
                ec2("launch-template"),
                ec2("network-interface"),
                ec2("subnet"),
                ec2("vpc"),
                // AMIs and their snapshots belong to their publisher's account.
                `arn:${p}:ec2:${r}::image/*`,
                `arn:${p}:ec2:${r}::snapshot/*`,
            ],
        },
        {
            // ELB Describe calls do not support resource-level permissions.
            Sid: "ElbDescribe",
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:DescribeListeners",
                "elasticloadbalancing:DescribeLoadBalancerAttributes",
                "elasticloadbalancing:DescribeLoadBalancers",
                "elasticloadbalancing:DescribeTags",
                "elasticloadbalancing:DescribeTargetGroupAttributes",
                "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeTargetHealth",
            ],
            Resource: "*",
        },
        {
            // The kops API load balancer (NLB, or classic on older clusters); kops names it api-<cluster>, not cloud-*.
            Sid: "ElbKopsApiLoadBalancer",
            Effect: "Allow",
            Action: [
                "elasticloadbalancing:AddTags",
                "elasticloadbalancing:ApplySecurityGroupsToLoadBalancer",
                "elasticloadbalancing:AttachLoadBalancerToSubnets",
                "elasticloadbalancing:ConfigureHealthCheck",
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:CreateLoadBalancer",
                "elasticloadbalancing:CreateLoadBalancerListeners",
                "elasticloadbalancing:CreateTargetGroup",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:DeleteLoadBalancer",
                "elasticloadbalancing:DeleteTargetGroup",
                "elasticloadbalancing:DeregisterTargets",
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:ModifyLoadBalancerAttributes",
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                "elasticloadbalancing:RegisterTargets",
                "elasticloadbalancing:RemoveTags",
                "elasticloadbalancing:SetSecurityGroups",
            ],
            Resource: [elb("loadbalancer"), elb("targetgroup"), elb("listener")],
        },
        {
            // Auto Scaling Describe calls do not support resource-level permissions.
            Sid: "AutoscalingDescribe",
            Effect: "Allow",
            Action: ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags"],
            Resource: "*",
        },
        {
            // kops instance groups: <ig>.masters.<cluster> (control plane) and nodes-<zone>.<cluster>.
            Sid: "AutoscalingKopsGroups",
            Effect: "Allow",
            Action: [
                "autoscaling:AttachLoadBalancerTargetGroups",
                "autoscaling:AttachLoadBalancers",
                "autoscaling:CreateAutoScalingGroup",
                "autoscaling:CreateOrUpdateTags",
                "autoscaling:DeleteAutoScalingGroup",
                "autoscaling:DeleteTags",
                "autoscaling:DetachLoadBalancerTargetGroups",
                "autoscaling:DetachLoadBalancers",
                "autoscaling:DisableMetricsCollection",
                "autoscaling:EnableMetricsCollection",
                "autoscaling:ResumeProcesses",
                "autoscaling:SetDesiredCapacity",
                "autoscaling:SuspendProcesses",
                "autoscaling:TerminateInstanceInAutoScalingGroup",
                "autoscaling:UpdateAutoScalingGroup",
            ],
            Resource: [
                `arn:${p}:autoscaling:${r}:${a}:autoScalingGroup:*:autoScalingGroupName/*.masters.${KOPS_CLUSTER_PATTERN}`,
                `arn:${p}:autoscaling:${r}:${a}:autoScalingGroup:*:autoScalingGroupName/nodes-*.${KOPS_CLUSTER_PATTERN}`,
            ],
        },
    ];

    const installations: PolicyStatement[] = [
        {
            // Installation databases are cloud-<id> clusters, cloud-<id>-master / -replica-<n> instances and
            // cloud-<id>-snapshot-<n> snapshots (database.go, rds.go); creating one also authorizes on its subnet
            // group (mattermost-*) and the default parameter groups.
            Sid: "RdsInstallationDatabases",
            Effect: "Allow",
            Action: [
                "rds:AddTagsToResource",
                "rds:CreateDBCluster",
                "rds:CreateDBClusterSnapshot",
                "rds:CreateDBInstance",
                "rds:DeleteDBCluster",
                "rds:DeleteDBInstance",
                "rds:ModifyDBCluster",
                "rds:ModifyDBInstance",
                "rds:RemoveTagsFromResource",
            ],
            Resource: [
                rds("cluster", CLOUD_ID_PATTERN),
                rds("db", `${CLOUD_ID_PATTERN}-*`),
                rds("cluster-snapshot", `${CLOUD_ID_PATTERN}-snapshot-*`),
                rds("subgrp", "mattermost-*"),
                rds("cluster-pg", "default.*"),
                rds("pg", "default.*"),
                // CreateDBCluster is also authorized against the (default) option group it uses.
                rds("og", "default:*"),
            ],
        },
        {
            // Lookups by tag describe every cluster of the region: read-only, this account and region.
            Sid: "RdsDescribe",
            Effect: "Allow",
            Action: ["rds:DescribeDBClusterSnapshots", "rds:DescribeDBClusters", "rds:DescribeDBInstances", "rds:DescribeDBSubnetGroups", "rds:ListTagsForResource"],
            Resource: [rds("cluster", "*"), rds("db", "*"), rds("subgrp", "*"), rds("cluster-snapshot", "*")],
        },
        {
            // Installation filestores are cloud-<id> buckets (exactly: see CLOUD_ID_PATTERN).
            Sid: "S3InstallationBuckets",
            Effect: "Allow",
            Action: [
                "s3:CreateBucket",
                "s3:DeleteBucket",
                "s3:GetBucketLocation",
                "s3:GetBucketPublicAccessBlock",
                "s3:GetBucketTagging",
                "s3:GetBucketVersioning",
                "s3:GetEncryptionConfiguration",
                "s3:ListBucket",
                "s3:ListBucketVersions",
                "s3:PutBucketPublicAccessBlock",
                "s3:PutBucketTagging",
                "s3:PutBucketVersioning",
                "s3:PutEncryptionConfiguration",
            ],
            Resource: `arn:${p}:s3:::${CLOUD_ID_PATTERN}`,
        },
        {
            // ...and their objects (emptied before a bucket is deleted).
            Sid: "S3InstallationObjects",
            Effect: "Allow",
            Action: ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
            Resource: `arn:${p}:s3:::${CLOUD_ID_PATTERN}/*`,
        },
        {
            // Listing buckets has no resource.
            Sid: "S3ListAllBuckets",
            Effect: "Allow",
            Action: ["s3:ListAllMyBuckets"],
            Resource: "*",
        },
        {
            // Per-installation IAM users (cloud-<id>) and their access keys for the filestore.
            Sid: "IamInstallationUsers",
            Effect: "Allow",
            Action: ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:DeleteUser", "iam:GetUser", "iam:ListAccessKeys", "iam:ListAttachedUserPolicies", "iam:TagUser"],
            Resource: managed.users,
        },
        {
            // iamEnsureUserCreated calls CreateUser without a boundary; under requirePermissionsBoundaryOnCreatedPrincipals only with this component's.
            Sid: "IamInstallationUserCreate",
            Effect: "Allow",
            Action: ["iam:CreateUser"],
            Resource: managed.users,
            ...cond(underBoundary),
        },
        {
            // Those users get their cloud-<id> policies only.
            Sid: "IamInstallationUsersCloudPoliciesOnly",
            Effect: "Allow",
            Action: ["iam:AttachUserPolicy", "iam:DetachUserPolicy"],
            Resource: managed.users,
            Condition: withBoundary({ ArnLike: { "iam:PolicyARN": cloudPolicyArn } }),
        },
        {
            // The per-installation S3 policies (cloud-<id>).
            Sid: "IamInstallationPolicies",
            Effect: "Allow",
            Action: ["iam:CreatePolicy", "iam:DeletePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions"],
            Resource: cloudPolicyArn,
        },
        {
            // Installation credentials are stored as cloud-<id>-iam and cloud-<id>-rds secrets (Secrets Manager appends -XXXXXX).
            Sid: "SecretsManagerInstallationSecrets",
            Effect: "Allow",
            Action: [
                "secretsmanager:CreateSecret",
                "secretsmanager:DeleteSecret",
                "secretsmanager:DescribeSecret",
                "secretsmanager:GetSecretValue",
                "secretsmanager:PutSecretValue",
                "secretsmanager:TagResource",
                "secretsmanager:UpdateSecret",
            ],
            Resource: ["iam", "rds"].map((suffix) => `arn:${p}:secretsmanager:${r}:${a}:secret:${CLOUD_ID_PATTERN}-${suffix}-??????`),
        },
    ];

    const storage: PolicyStatement[] = [
        {
            // kops reads the state store's region and lists cluster specs.
            Sid: "S3StateBucket",
            Effect: "Allow",
            Action: [...STATE_BUCKET_ACTIONS],
            Resource: state,
        },
        {
            // kops and terraform state objects.
            Sid: "S3StateObjects",
            Effect: "Allow",
            Action: [...STATE_OBJECT_READ_WRITE],
            Resource: `${state}/*`,
        },
        {
            // Whatever else a grant matches (the default state bucket has the cloud-<26> shape of an installation bucket
            // with a 15-character environment), the state bucket is Pulumi's: nothing but the state store's reads and writes.
            Sid: "DenyStateBucketExceptStateStore",
            Effect: "Deny",
            NotAction: [...STATE_BUCKET_ACTIONS, ...STATE_OBJECT_READ_WRITE],
            Resource: [state, `${state}/*`],
        },
        {
            // SSE-KMS on the state bucket: data keys to write, decrypt to read.
            Sid: "KmsStateBucketKey",
            Effect: "Allow",
            Action: [...STATE_KEY_ACTIONS],
            Resource: c.stateKeyArn,
        },
        {
            // ...and nothing else on that key, whatever tags it is given.
            Sid: "DenyStateKeyExceptSse",
            Effect: "Deny",
            NotAction: [...STATE_KEY_ACTIONS],
            Resource: c.stateKeyArn,
        },
        {
            // One key per installation database (database.go kmsCreateSymmetricKey), tagged rds-encryption-key=cloud-<id>
            // at creation and with no other tag; a key has no ARN before it exists. Only the default key shape.
            Sid: "KmsCreateInstallationKeys",
            Effect: "Allow",
            Action: ["kms:CreateKey"],
            Resource: "*",
            Condition: {
                StringLike: { [`aws:RequestTag/${RDS_KEY_TAG}`]: CLOUD_ID_PATTERN },
                "ForAllValues:StringEquals": { "aws:TagKeys": [RDS_KEY_TAG] },
                StringEquals: { "kms:KeySpec": "SYMMETRIC_DEFAULT", "kms:KeyUsage": "ENCRYPT_DECRYPT", "kms:KeyOrigin": "AWS_KMS" },
                Bool: { "kms:MultiRegion": "false" },
            },
        },
        {
            // Tags on create need kms:TagResource on every key of the account (AWS KMS "Controlling access to tags"): that
            // one tag only. IAM cannot tell a create from tagging an existing key: README, "Tag forging".
            Sid: "KmsTagInstallationKeys",
            Effect: "Allow",
            Action: ["kms:TagResource"],
            Resource: kms,
            Condition: {
                StringLike: { [`aws:RequestTag/${RDS_KEY_TAG}`]: CLOUD_ID_PATTERN },
                "ForAllValues:StringEquals": { "aws:TagKeys": [RDS_KEY_TAG] },
            },
        },
        {
            // Keys found by that tag (tag:GetResources) are described before use (getEnabledEncryptionKeys).
            Sid: "KmsDescribeInstallationKeys",
            Effect: "Allow",
            Action: ["kms:DescribeKey"],
            Resource: kms,
            Condition: installationKeyTag,
        },
        {
            // Teardown schedules their deletion with the maximum window, 30 days (an operator can still cancel it).
            Sid: "KmsRetireInstallationKeys",
            Effect: "Allow",
            Action: ["kms:ScheduleKeyDeletion"],
            Resource: kms,
            Condition: { ...installationKeyTag, NumericGreaterThanEquals: { "kms:ScheduleKeyDeletionPendingWindowInDays": String(KEY_DELETION_WINDOW_DAYS) } },
        },
        {
            // RDS creates grants on those keys when it encrypts an installation database, for AWS resources only.
            Sid: "KmsGrantsForRds",
            Effect: "Allow",
            Action: ["kms:CreateGrant"],
            Resource: kms,
            Condition: { ...installationKeyTag, Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
    ];

    // The IAM statements of kops clusters and of installations share a document of their own (size).
    const isIam = (st: PolicyStatement) => st.Sid !== undefined && /^Iam(Kops|Installation|Pass)/.test(st.Sid);
    return {
        dns: policyDocument(dns),
        kops: policyDocument(kops.filter((st) => !isIam(st))),
        iam: policyDocument([...kops, ...installations].filter(isIam)),
        installations: policyDocument(installations.filter((st) => !isIam(st))),
        storage: policyDocument(storage),
    };
}

// ---------------------------------------------------------------------------------------------
// The permissions boundary

/** IAM actions that change something (used in Denies: wildcards widen them). */
export const IAM_WRITE_ACTIONS = [
    "iam:Add*",
    "iam:Attach*",
    "iam:Change*",
    "iam:Create*",
    "iam:Deactivate*",
    "iam:Delete*",
    "iam:Detach*",
    "iam:Enable*",
    "iam:PassRole",
    "iam:Put*",
    "iam:Remove*",
    "iam:Reset*",
    "iam:Resync*",
    "iam:Set*",
    "iam:Tag*",
    "iam:Untag*",
    "iam:Update*",
    "iam:Upload*",
] as const;

/** Account-wide settings a provisioner has no business with. */
export const ACCOUNT_SETTINGS_ACTIONS = [
    "account:*",
    "organizations:*",
    "iam:CreateAccountAlias",
    "iam:DeleteAccountAlias",
    "iam:DeleteAccountPasswordPolicy",
    "iam:UpdateAccountPasswordPolicy",
    "iam:SetSecurityTokenServicePreferences",
    "iam:CreateOpenIDConnectProvider",
    "iam:CreateSAMLProvider",
] as const;

/** Services clusters and installations use: the boundary allows them and nothing else. */
export const BOUNDARY_SERVICES = ["acm", "autoscaling", "ec2", "ecr", "elasticloadbalancing", "iam", "kms", "rds", "route53", "s3", "secretsmanager"] as const;

/** Sid, action and resources of the by-ARN Deny of each kind of protected resource. */
const PROTECTED_DENIES: Record<ProtectedArnKind, { sid: string; action: string; resources: (arn: string) => string[] }> = {
    kms: { sid: "DenyCncKeys", action: "kms:*", resources: (arn) => [arn] },
    s3: { sid: "DenyCncBuckets", action: "s3:*", resources: (arn) => [arn, `${arn}/*`] },
    sns: { sid: "DenyCncTopics", action: "sns:*", resources: (arn) => [arn] },
    sqs: { sid: "DenyCncQueues", action: "sqs:*", resources: (arn) => [arn] },
};

/**
 * One Deny per kind of protected ARN, with every action of its service: for a key that includes
 * its aliases (alias calls authorize on the key too), tags and grants.
 */
export function protectedResourceDenies(arns: string[]): PolicyStatement[] {
    const unique = [...new Set(arns)];
    const unknown = unique.filter((arn) => protectedArnKind(arn) === undefined);
    if (unknown.length > 0) throw new Error(`protected ARNs of no known kind (KMS key, S3 bucket, SNS topic, SQS queue): ${unknown.join(", ")}`);
    return (Object.keys(PROTECTED_DENIES) as ProtectedArnKind[]).flatMap((kind): PolicyStatement[] => {
        const of = unique.filter((arn) => protectedArnKind(arn) === kind);
        if (of.length === 0) return [];
        const d = PROTECTED_DENIES[kind];
        return [{ Sid: d.sid, Effect: "Deny", Action: d.action, Resource: of.flatMap(d.resources) }];
    });
}

/**
 * The ARNs denied outright: the given ones plus the provisioner's own database key, less its own
 * state bucket and state key (denied all but their use in provisionerPolicies: a full Deny would
 * stop the state store).
 */
export function protectedArnsOf(given: string[], own: { dbKeyArn: string; stateKeyArn: string; stateBucketArn: string }): string[] {
    return [...new Set([own.dbKeyArn, ...given])].filter((arn) => arn !== own.stateKeyArn && arn !== own.stateBucketArn);
}

/** What the boundary is built from (all resolved). */
export interface ProvisionerBoundaryContext {
    partition: string;
    accountId: string;
    prefix: string;
    environment: string;
    /**
     * The C&C's keys, buckets, topics and queues: every action on them denied (the provisioner's own
     * database key among them; its state bucket and state key, which it uses, are denied all but
     * that use in provisionerPolicies instead).
     */
    protectedArns: string[];
}

/**
 * The permissions boundary of the provisioner's role (and, with
 * requirePermissionsBoundaryOnCreatedPrincipals, of every user and role it creates): the services
 * clusters and installations use, minus IAM writes outside the names the provisioner manages
 * (cloud-<26> users and policies, the kops roles and instance profiles), its own role, policies
 * and boundary, the removal or replacement of boundaries, account and Organizations settings,
 * and every action on the C&C's own keys, buckets, topics and queues.
 */
export function provisionerBoundary(c: ProvisionerBoundaryContext): PolicyDocument {
    const { partition: p, accountId: a } = c;
    const managed = managedPrincipals(p, a);
    const boundaryArn = policyArn(p, a, physicalNames(c).boundaryPolicyName);
    const own = `${c.prefix}-${c.environment}-provisioner-`;
    const doc = policyDocument([
        {
            // A cap, not a grant: the identity policies decide within it.
            Sid: "ServicesOfClustersAndInstallations",
            Effect: "Allow",
            Action: [...BOUNDARY_SERVICES.map((svc) => `${svc}:*`), "sts:GetCallerIdentity", "tag:GetResources"],
            Resource: "*",
        },
        {
            // IAM writes only on what the provisioner manages; other roles, users and policies, and the account's
            // identity providers and settings, are off limits.
            Sid: "DenyIamWritesOutsideManagedNames",
            Effect: "Deny",
            Action: [...IAM_WRITE_ACTIONS],
            NotResource: [...managed.users, ...managed.policies, ...managed.roles, ...managed.profiles],
        },
        {
            // Its own role, policies and this boundary, even where a name has the cloud-<26> shape (a 5-character
            // environment gives cloud-<env>-provisioner-boundary exactly that shape): not even reads.
            Sid: "DenyOwnIam",
            Effect: "Deny",
            Action: "iam:*",
            Resource: [boundaryArn, `arn:${p}:iam::${a}:policy/${own}*`, `arn:${p}:iam::${a}:role/${own}*`],
        },
        {
            // A boundary, once set, stays...
            Sid: "DenyBoundaryRemoval",
            Effect: "Deny",
            Action: ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"],
            Resource: "*",
        },
        {
            // ...and can only be this one.
            Sid: "DenyOtherBoundaries",
            Effect: "Deny",
            Action: ["iam:PutRolePermissionsBoundary", "iam:PutUserPermissionsBoundary"],
            Resource: "*",
            Condition: { ArnNotEquals: { "iam:PermissionsBoundary": boundaryArn } },
        },
        {
            Sid: "DenyAccountAndOrganizations",
            Effect: "Deny",
            Action: [...ACCOUNT_SETTINGS_ACTIONS],
            Resource: "*",
        },
        ...protectedResourceDenies(c.protectedArns),
    ]);
    const size = policySize(doc);
    if (size > MANAGED_POLICY_MAX_CHARS) {
        throw new Error(`the provisioner's boundary policy would be ${size} characters, more than IAM's ${MANAGED_POLICY_MAX_CHARS}: list fewer or shorter protectedResourceArns`);
    }
    return doc;
}
