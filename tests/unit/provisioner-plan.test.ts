// ProvisionerServer's pure decisions: validation messages (the rule book), IAM documents, the state
// bucket policy (evaluated), database settings, the connection string and the rendered Kubernetes objects.
import { strict as assert } from "assert";
import { X509Certificate, createHash } from "crypto";
import { output } from "@pulumi/pulumi";
import { renderProblem } from "../../components/common/errors";
import { EXPECTED } from "../../components/common/formats";
import { argsProblems } from "../../components/common/schema";
import { versions } from "../../components/common/versions";
import type { ProvisionerServerArgs } from "../../components/provisioner";
import { PolicyDocument, policyDocument } from "../../components/common/iam";
import { RDS_CA_BUNDLE_PEM, RDS_CA_BUNDLE_REGIONS, RDS_CA_BUNDLE_SHA256 } from "../../components/provisioner/rds-ca-bundle";
import {
    CA_BUNDLE_PATH,
    CLOUD_ID_PATTERN,
    KOPS_NODE_POLICIES,
    MANAGED_POLICY_MAX_CHARS,
    databaseUrl,
    dbParameters,
    parameterGroupFamily,
    physicalNames,
    policyArn,
    policySize,
    primaryDbSettings,
    protectedArnsOf,
    RDS_CA,
    protectedResourceDenies,
    provisionerBoundary,
    provisionerPolicies,
    ProvisionerPolicyContext,
    replicaDbSettings,
    stateBucketLifecycleRules,
    stateBucketPolicy,
} from "../../components/provisioner/plan";
import { MAX_PROTECTED_ARNS, defaultDbIdentifier, defaultStateBucketName, isDbIdentifier, provisionerSchema } from "../../components/provisioner/schema";
import { deployment, ingress, ingressAnnotations, internalUrl, migrateArgs, serverArgs, service } from "../../components/provisioner/render";
import { ADMIN_ROLES, decide, explicitlyDenied, provisionerArgs, statementCovers } from "../support/provisioner-harness";

const ID26 = "?".repeat(26);
const ctx: ProvisionerPolicyContext = {
    partition: "aws",
    region: "eu-west-1",
    accountId: "123456789012",
    zoneIds: ["Z0123456789ABCDEFGHIJ", "Z0987654321KLMNOPQRST"],
    stateBucket: "cloud-test-kops-state",
    stateKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/state",
    boundaryArn: "arn:aws:iam::123456789012:policy/cloud-test-provisioner-boundary",
    requireBoundaryOnCreatedPrincipals: false,
};

function problems(overrides: Partial<ProvisionerServerArgs>): string[] {
    return argsProblems(provisionerSchema, provisionerArgs(overrides)).map(renderProblem);
}

/** The settings the component works from: the args after every default. */
const settingsWithDefaults = (args: ProvisionerServerArgs) => provisionerSchema.parse(args);

describe("ProvisionerServer plan: validation", () => {
    it("accepts the fixture args", () => {
        assert.deepEqual(problems({}), []);
    });

    it("rejects latest and unpinned image tags, naming the field and the value", () => {
        assert.deepEqual(problems({ imageTag: "latest" }), ['imageTag: expected a pinned release tag such as v0.93.1 (never latest), found "latest"']);
        assert.deepEqual(problems({ imageTag: "main" }), ['imageTag: expected a pinned release tag such as v0.93.1 (never latest), found "main"']);
        assert.deepEqual(problems({ image: "mattermost/mattermost-cloud:latest" }), ['image: expected an image repository without tag or digest, such as mattermost/mattermost-cloud, found "mattermost/mattermost-cloud:latest"']);
        assert.deepEqual(problems({ imageTag: "v0.94.0-rc.1" }), []);
    });

    it("rejects a state bucket outside the cloud- prefix with that reason", () => {
        assert.deepEqual(problems({ stateBucketName: "mattermost-kops-state-dev" }), [
            'stateBucketName: expected an S3 bucket name starting with "cloud-" (the provisioner requires it for its kops state store) of at most 63 lowercase letters, digits and \'-\', such as cloud-dev-kops-state, found "mattermost-kops-state-dev"',
        ]);
        assert.equal(problems({ stateBucketName: "cloud-Dev_state" }).length, 1);
        assert.deepEqual(problems({ stateBucketName: "cloud-prod-kops-state" }), []);
    });

    it("requires the utilities repository path (cloud server exits without --utilities-git-path) as a path on the Git host", () => {
        const expected = "utilitiesGitPath: expected a repository path on that Git host starting with '/', such as /cloud/gitops.git";
        const { utilitiesGitPath: _p, ...noPath } = provisionerArgs();
        void _p;
        assert.deepEqual(argsProblems(provisionerSchema, noPath).map(renderProblem), [`${expected}, found nothing`]);
        for (const bad of ["", "cloud/gitops.git", "https://gitlab.example.com/cloud/gitops.git", "/cloud/../gitops.git", "/cloud//gitops.git", "/cloud/gitops.git/", "/cloud gitops"]) {
            assert.deepEqual(problems({ utilitiesGitPath: bad }), [`${expected}, found ${JSON.stringify(bad)}`], bad);
        }
        for (const good of ["/cloud/gitops.git", "/gitops/gitops.git", "/group/sub-group/repo_1.git", "/repo"]) assert.deepEqual(problems({ utilitiesGitPath: good }), [], good);
    });

    it("keeps the provisioner's own database out of the cloud-* names it may delete", () => {
        assert.deepEqual(problems({ db: { identifier: "cloud-dev-provisioner" } }), [
            'db.identifier: expected an RDS identifier of 2-63 lowercase letters, digits and \'-\' starting with a letter, not starting with "cloud-" (the provisioner may delete cloud-* databases), found "cloud-dev-provisioner"',
        ]);
    });

    it("reports every problem at once with exact messages", () => {
        const msgs = problems({
            namespace: "Provisioner",
            utilitiesGitUrl: "http://gitlab.example.com",
            sshPublicKey: "ecdsa-sha2-nistp256 AAAA",
            adminRoleArns: ["arn:aws:iam::123456789012:user/bob", ADMIN_ROLES[0], ADMIN_ROLES[0]],
            subnetIds: ["subnet-0a1b2c3d4e5f60001"],
            allowedSecurityGroupIds: [],
            route53ZoneIds: ["zone-1"],
            internalDomain: "Apps.Internal",
            db: { identifier: "provisioner-test", engineVersion: "15", allocatedStorageGiB: 100, maxAllocatedStorageGiB: 105, backupRetentionDays: 0 },
            flags: { poll: 0, clusterResourceThreshold: 120 },
            replicas: 0,
            resources: { memoryLimit: "2GB" },
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/nope",
        });
        // Field by field in the schema's order, then the rules across fields (the storage ceiling).
        assert.deepEqual(msgs, [
            'namespace: expected a Kubernetes namespace name of 1-63 lowercase letters, digits and \'-\', found "Provisioner"',
            'utilitiesGitUrl: expected an https URL of the Git host with the utility values, such as https://gitlab.example.com, found "http://gitlab.example.com"',
            'sshPublicKey: expected an OpenSSH public key starting with ssh-ed25519 or ssh-rsa (cloud server refuses to start without one in ~/.ssh), found "ecdsa-sha2-nistp256 AAAA"',
            'adminRoleArns[0]: expected an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin, found "arn:aws:iam::123456789012:user/bob"',
            'adminRoleArns[2]: expected a role not already listed (same as adminRoleArns[1]), found "arn:aws:iam::123456789012:role/platform-admin"',
            'subnetIds: expected at least 2 private subnets in different AZs (an RDS subnet group needs two), found ["subnet-0a1b2c3d4e5f60001"]',
            "allowedSecurityGroupIds: expected at least 1 security group (the cluster's) allowed to reach Postgres on 5432, found []",
            `route53ZoneIds[0]: expected ${EXPECTED.zoneId}, found "zone-1"`,
            'internalDomain: expected a lowercase DNS domain such as apps.cnc.internal, found "Apps.Internal"',
            'certificateArn: expected an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/0b2b5c5e-7f0a-4c6e-9a51-2f6f0a1b2c3d, found "arn:aws:acm:eu-west-1:123456789012:certificate/nope"',
            "replicas: expected a whole number of replicas from 1 to 10, found 0",
            'resources.memoryLimit: expected a memory quantity such as 512Mi or 2Gi, found "2GB"',
            'db.engineVersion: expected a PostgreSQL version whose major is one of 16, 17, such as 17, found "15"',
            "db.backupRetentionDays: expected a whole number of days between 1 and 35, found 0",
            "flags.poll: expected a whole number of seconds between 1 and 3600, found 0",
            "flags.clusterResourceThreshold: expected a whole number (percent) between 1 and 100, found 120",
            "db.maxAllocatedStorageGiB: expected at least 110 (RDS storage autoscaling needs 10% above allocatedStorageGiB 100), found 105",
        ]);
    });

    it("takes only KMS key, bucket, topic and queue ARNs as protectedResourceArns, at most 20", () => {
        const key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assert.deepEqual(problems({ protectedResourceArns: [key, "arn:aws:s3:::cloud-dev-prometheus-metrics", "arn:aws:sns:eu-west-1:123456789012:cloud-dev-alarms", "arn:aws:sqs:eu-west-1:123456789012:q.fifo"] }), []);
        assert.deepEqual(problems({ protectedResourceArns: [key, "arn:aws:kms:eu-west-1:123456789012:alias/cloud-dev-alarms", "arn:aws:s3:::bucket/*"] }), [
            'protectedResourceArns[1]: expected the ARN of a KMS key, S3 bucket, SNS topic or SQS queue, such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab, found "arn:aws:kms:eu-west-1:123456789012:alias/cloud-dev-alarms"',
            'protectedResourceArns[2]: expected the ARN of a KMS key, S3 bucket, SNS topic or SQS queue, such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab, found "arn:aws:s3:::bucket/*"',
        ]);
        assert.equal(problems({ protectedResourceArns: Array.from({ length: 21 }, () => key) }).length, 1);
        // Outputs (the other components' ARNs) are judged when they resolve, by the plan (protectedResourceDenies).
        assert.deepEqual(problems({ protectedResourceArns: [output(key)] }), []);
    });

    it("refuses a resource limit below its request, the profile's request when only one side is set, and zero quantities", () => {
        assert.deepEqual(problems({ resources: { cpuRequest: "2", cpuLimit: "1500m", memoryRequest: "4Gi", memoryLimit: "3Gi" } }), [
            'resources.cpuLimit: expected a cpu limit no lower than cpuRequest (2), found "1500m"',
            'resources.memoryLimit: expected a memory limit no lower than memoryRequest (4Gi), found "3Gi"',
        ]);
        // Only the limit set: judged against the profile's request (development: 250m, 512Mi).
        assert.deepEqual(problems({ profile: "development", resources: { cpuLimit: "200m" } }), ['resources.cpuLimit: expected a cpu limit no lower than cpuRequest (250m), found "200m"']);
        // Only the request set: judged against the profile's limit (development: 1 CPU, 2Gi), reported at the request.
        assert.deepEqual(problems({ profile: "development", resources: { memoryRequest: "3Gi" } }), ['resources.memoryRequest: expected a request no higher than memoryLimit (2Gi), found "3Gi"']);
        assert.deepEqual(problems({ profile: "production", resources: { memoryRequest: "3Gi", cpuLimit: "500m" } }), []);
        assert.equal(problems({ resources: { memoryRequest: "0Mi" } }).length, 1);
    });

    it("refuses a hosted zone listed twice in route53ZoneIds", () => {
        assert.deepEqual(problems({ route53ZoneIds: ["Z0123456789ABCDEFGHIJ", "Z0987654321KLMNOPQRST", "Z0123456789ABCDEFGHIJ"] }), [
            'route53ZoneIds[2]: expected a hosted zone not already listed (same as route53ZoneIds[0]), found "Z0123456789ABCDEFGHIJ"',
        ]);
    });

    it("requires the Git token and skips Inputs that are still Outputs", () => {
        assert.deepEqual(problems({ utilitiesGitToken: "" }), ['utilitiesGitToken: expected a secret Input with the Git token (config.requireSecret), found a value (hidden)']);
        // Outputs (vpcId from the network, SGs from the cluster) are not judged at construction time.
        assert.deepEqual(problems({ vpcId: output("vpc-x"), subnetIds: output(["a"]), allowedSecurityGroupIds: [output("sg-x")], internalDomain: output("X") }), []);
    });
});

describe("ProvisionerServer plan: physical names", () => {
    it("names what it creates <prefix>-<env>-provisioner-..., each saying what it is for", () => {
        assert.deepEqual(physicalNames({ prefix: "cloud", environment: "prod" }), {
            roleNamePrefix: "cloud-prod-provisioner-",
            policyNamePrefixes: {
                dns: "cloud-prod-provisioner-dns-",
                kops: "cloud-prod-provisioner-kops-",
                iam: "cloud-prod-provisioner-iam-",
                installations: "cloud-prod-provisioner-installations-",
                storage: "cloud-prod-provisioner-storage-",
            },
            dbSubnetGroupNamePrefix: "cloud-prod-provisioner-db-",
            dbSecurityGroupNamePrefix: "cloud-prod-provisioner-db-",
            dbParameterGroupNamePrefix: "cloud-prod-provisioner-db-tls-",
            boundaryPolicyName: "cloud-prod-provisioner-boundary",
            dbKeyAlias: "alias/provisioner/cloud-prod-provisioner-db",
            stateKeyAlias: "alias/provisioner/cloud-prod-provisioner-kops-state",
        });
    });

    it("keeps IAM role name prefixes within the provider's 38 characters and out of the names the provisioner manages", () => {
        const longest = physicalNames({ prefix: "p".repeat(16), environment: "e".repeat(16) });
        assert.ok(longest.roleNamePrefix.length <= 38 && longest.roleNamePrefix.endsWith("-"), longest.roleNamePrefix);
        for (const n of Object.values(longest.policyNamePrefixes)) assert.ok(n.length + 26 <= 128 && n.endsWith("-"), n);
        // The provisioner may manage IAM policies and users named exactly cloud-<26 characters>: the
        // shortest name prefix plus AWS's 26-character unique suffix never has that shape.
        const iamPattern = new RegExp(`^${CLOUD_ID_PATTERN.replace(/\?/g, ".")}$`);
        assert.match(`cloud-${"a".repeat(26)}`, iamPattern, "the pattern check itself");
        const shortest = physicalNames({ prefix: "cloud", environment: "xy" });
        for (const n of [shortest.roleNamePrefix, ...Object.values(shortest.policyNamePrefixes)]) assert.doesNotMatch(`${n}${"0".repeat(26)}`, iamPattern, n);
        // KMS aliases stay out of alias/cloud-*, whatever the prefix.
        assert.match(physicalNames({ prefix: "cloud", environment: "dev" }).dbKeyAlias, /^alias\/provisioner\//);
    });

    it("defaults the database identifier outside cloud-* and the kops bucket inside it, for any prefix", () => {
        const s = (prefix: string, environment: string, extra: Partial<ProvisionerServerArgs> = {}) =>
            settingsWithDefaults(provisionerArgs({ prefix, environment, db: {}, stateBucketName: undefined, ...extra }));
        assert.deepEqual([s("cloud", "prod").db.identifier, s("cloud", "prod").stateBucketName], ["provisioner-prod", "cloud-prod-kops-state"]);
        assert.deepEqual([s("acme", "prod").db.identifier, s("acme", "prod").stateBucketName], ["provisioner-acme-prod", "cloud-acme-prod-kops-state"]);
        assert.equal(defaultDbIdentifier("cloud", "dev"), "provisioner-dev");
        // Names RDS would refuse (the parameter group's, the default identifier) are reported where they come from.
        assert.deepEqual(problems({ environment: "qa--1", db: {} }), ["environment: expected an environment name without '--' (RDS refuses it in the database's names), found \"qa--1\""]);
        assert.equal(problems({ environment: "qa--1", db: { identifier: "provisioner-qa1" } }).length, 1, "the parameter group is named after it too");
        assert.deepEqual(problems({ prefix: "ac--me", db: {} }), ["prefix: expected a prefix without '--' (RDS refuses it in the database's names), found \"ac--me\""]);
        // Every accepted prefix and environment gives a valid default identifier.
        for (const [prefix, environment] of [["cloud", "a1"], ["p".repeat(16), "e".repeat(16)], ["a-b", "c-d-e"]]) {
            assert.deepEqual(problems({ prefix, environment, db: {} }), [], `${prefix}/${environment}`);
            assert.ok(isDbIdentifier(settingsWithDefaults(provisionerArgs({ prefix, environment, db: {} })).db.identifier));
        }
    });
});

describe("ProvisionerServer plan: IAM (IRSA) policies", () => {
    const docs = provisionerPolicies(ctx);
    const identity = Object.values(docs);
    const all = identity.flatMap((d) => d.Statement);
    const allows = all.filter((st) => st.Effect === "Allow");
    const by = (sid: string) => all.find((s) => s.Sid === sid)!;
    const A = "arn:aws:iam::123456789012";
    const KOPS = `${ID26}-kops.k8s.local`;
    const allowed = (action: string, resource: string, keys: Record<string, string | string[]> = {}, d: PolicyDocument[] = identity) => decide(d, undefined, { action, resource, keys });

    it("has exactly these statements, each with a Sid, in five documents", () => {
        assert.deepEqual(
            Object.fromEntries(Object.entries(docs).map(([k, d]) => [k, d.Statement.map((s) => s.Sid)])),
            {
                dns: ["Route53OwnZones", "Route53ListZones", "Route53ChangeStatus", "StsCallerIdentity", "DenyAssumeRole", "IamAccountAlias", "AcmListCertificates", "AcmCertificateTags", "TaggingLookup"],
                kops: [
                    "Ec2Describe",
                    "Ec2KopsResources",
                    "ElbDescribe",
                    "ElbKopsApiLoadBalancer",
                    "AutoscalingDescribe",
                    "AutoscalingKopsGroups",
                ],
                iam: [
                    "IamKopsRolesAndProfiles",
                    "IamKopsRolesCreate",
                    "IamKopsRolesNodePoliciesOnly",
                    "IamPassKopsRolesToEc2",
                    "IamInstallationUsers",
                    "IamInstallationUserCreate",
                    "IamInstallationUsersCloudPoliciesOnly",
                    "IamInstallationPolicies",
                ],
                installations: ["RdsInstallationDatabases", "RdsDescribe", "S3InstallationBuckets", "S3InstallationObjects", "S3ListAllBuckets", "SecretsManagerInstallationSecrets"],
                storage: [
                    "S3StateBucket",
                    "S3StateObjects",
                    "DenyStateBucketExceptStateStore",
                    "KmsStateBucketKey",
                    "DenyStateKeyExceptSse",
                    "KmsCreateInstallationKeys",
                    "KmsTagInstallationKeys",
                    "KmsDescribeInstallationKeys",
                    "KmsRetireInstallationKeys",
                    "KmsGrantsForRds",
                ],
            },
        );
        for (const d of identity) assert.equal(d.Version, "2012-10-17");
    });

    it("never allows a wildcard action, and allows Resource * only where AWS has no resource", () => {
        for (const st of allows) {
            for (const action of [st.Action].flat()) assert.ok(action && !action.includes("*"), `${st.Sid}: ${action}`);
        }
        const star = allows.filter((st) => st.Resource === "*").map((st) => [st.Sid, st.Action]);
        assert.deepEqual(star, [
            ["Route53ListZones", ["route53:ListHostedZones", "route53:ListHostedZonesByName"]],
            ["StsCallerIdentity", ["sts:GetCallerIdentity"]],
            ["IamAccountAlias", ["iam:ListAccountAliases"]],
            ["AcmListCertificates", ["acm:ListCertificates"]],
            ["TaggingLookup", ["tag:GetResources"]],
            ["Ec2Describe", by("Ec2Describe").Action],
            ["ElbDescribe", by("ElbDescribe").Action],
            ["AutoscalingDescribe", ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags"]],
            ["S3ListAllBuckets", ["s3:ListAllMyBuckets"]],
            ["KmsCreateInstallationKeys", ["kms:CreateKey"]],
        ]);
        for (const [sid, actions] of star) {
            for (const a of actions as string[]) assert.match(a, /:(Describe|List|Get)[A-Za-z]*$|^kms:CreateKey$/, `${sid}: ${a}`);
        }
    });

    it("scopes Route 53 to the given zones and kops IAM to the exact names kops gives a cluster's roles", () => {
        assert.deepEqual(by("Route53OwnZones").Resource, ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ", "arn:aws:route53:::hostedzone/Z0987654321KLMNOPQRST"]);
        const roles = [`${A}:role/masters.${KOPS}`, `${A}:role/nodes.${KOPS}`];
        assert.deepEqual(by("IamKopsRolesAndProfiles").Resource, [...roles, `${A}:instance-profile/masters.${KOPS}`, `${A}:instance-profile/nodes.${KOPS}`]);
        assert.deepEqual(by("IamKopsRolesCreate"), { Sid: "IamKopsRolesCreate", Effect: "Allow", Action: ["iam:CreateRole", "iam:PutRolePolicy"], Resource: roles });
        assert.deepEqual(by("IamPassKopsRolesToEc2"), {
            Sid: "IamPassKopsRolesToEc2",
            Effect: "Allow",
            Action: ["iam:PassRole"],
            Resource: roles,
            Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
        });
        assert.deepEqual(by("AutoscalingKopsGroups").Resource, [
            `arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:*:autoScalingGroupName/*.masters.${KOPS}`,
            `arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:*:autoScalingGroupName/nodes-*.${KOPS}`,
        ]);
        // A cluster's roles are masters.<26-character id>-kops.k8s.local (kops_provisioner.go); any other role is out of reach.
        const cluster = "a1b2c3d4e5f6g7h8i9j0k1l2m3-kops.k8s.local";
        assert.equal(allowed("iam:CreateRole", `${A}:role/masters.${cluster}`), "allow");
        for (const other of ["masters.evil", "nodes.x.k8s.local", `masters.${cluster}-x`, "cloud-prod-provisioner-20240101"]) {
            assert.equal(allowed("iam:PutRolePolicy", `${A}:role/${other}`), "implicit-deny", other);
        }
        assert.equal(allowed("autoscaling:DeleteAutoScalingGroup", `arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:u-1:autoScalingGroupName/nodes-eu-west-1a.${cluster}`), "allow");
        assert.equal(allowed("autoscaling:DeleteAutoScalingGroup", "arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:u-1:autoScalingGroupName/eks-system-1234"), "implicit-deny");
    });

    it("attaches exactly the two node policies mattermost-cloud attaches to kops roles (cloud-provisioning-node-policy, -velero), nothing else", () => {
        const role = `${A}:role/nodes.a1b2c3d4e5f6g7h8i9j0k1l2m3-kops.k8s.local`;
        for (const policy of KOPS_NODE_POLICIES) {
            assert.equal(allowed("iam:AttachRolePolicy", role, { "iam:PolicyARN": `${A}:policy/${policy}` }), "allow", policy);
            assert.equal(allowed("iam:DetachRolePolicy", role, { "iam:PolicyARN": `${A}:policy/${policy}` }), "allow", policy);
        }
        for (const policy of ["arn:aws:iam::aws:policy/AdministratorAccess", `${A}:policy/cloud-abcdefghijklmnopqrstuvwxyz`, `${A}:policy/cloud-provisioning-node-policy-x`]) {
            assert.equal(allowed("iam:AttachRolePolicy", role, { "iam:PolicyARN": policy }), "implicit-deny", policy);
        }
    });

    it("scopes RDS, S3, IAM users, Secrets Manager to the exact cloud-<installation id> names mattermost-cloud uses", () => {
        assert.equal(CLOUD_ID_PATTERN, `cloud-${ID26}`);
        assert.deepEqual(by("RdsInstallationDatabases").Resource, [
            `arn:aws:rds:eu-west-1:123456789012:cluster:cloud-${ID26}`,
            `arn:aws:rds:eu-west-1:123456789012:db:cloud-${ID26}-*`,
            `arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:cloud-${ID26}-snapshot-*`,
            "arn:aws:rds:eu-west-1:123456789012:subgrp:mattermost-*",
            "arn:aws:rds:eu-west-1:123456789012:cluster-pg:default.*",
            "arn:aws:rds:eu-west-1:123456789012:pg:default.*",
            "arn:aws:rds:eu-west-1:123456789012:og:default:*",
        ]);
        assert.deepEqual(by("S3InstallationBuckets").Resource, `arn:aws:s3:::cloud-${ID26}`);
        assert.deepEqual(by("S3InstallationObjects").Resource, `arn:aws:s3:::cloud-${ID26}/*`);
        assert.deepEqual(by("IamInstallationUsersCloudPoliciesOnly").Condition, { ArnLike: { "iam:PolicyARN": `${A}:policy/cloud-${ID26}` } });
        assert.deepEqual(by("SecretsManagerInstallationSecrets").Resource, [
            `arn:aws:secretsmanager:eu-west-1:123456789012:secret:cloud-${ID26}-iam-??????`,
            `arn:aws:secretsmanager:eu-west-1:123456789012:secret:cloud-${ID26}-rds-??????`,
        ]);
        const id = "cloud-abcdefghijklmnopqrstuvwxyz";
        assert.equal(allowed("rds:DeleteDBInstance", `arn:aws:rds:eu-west-1:123456789012:db:${id}-master`), "allow");
        assert.equal(allowed("secretsmanager:GetSecretValue", `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${id}-rds-AbC123`), "allow");
        // Longer names that start the same way are not installations (the old cloud-<26>* reached them).
        assert.equal(allowed("rds:DeleteDBInstance", "arn:aws:rds:eu-west-1:123456789012:db:cloud-staging-prometheus-metricsdb"), "implicit-deny");
        assert.equal(allowed("secretsmanager:GetSecretValue", `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${id}-other-AbC123`), "implicit-deny");
    });

    it("KMS: creates only default keys tagged rds-encryption-key=cloud-<id> and no other tag, and uses and retires only keys so tagged", () => {
        const key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const tag = { "aws:RequestTag/rds-encryption-key": "cloud-abcdefghijklmnopqrstuvwxyz", "aws:TagKeys": ["rds-encryption-key"] };
        const shape = { "kms:KeySpec": "SYMMETRIC_DEFAULT", "kms:KeyUsage": "ENCRYPT_DECRYPT", "kms:KeyOrigin": "AWS_KMS", "kms:MultiRegion": "false" };
        // database.go: CreateKey with Tags [rds-encryption-key=cloud-<id>] (kms:TagResource authorizes the tags).
        assert.equal(allowed("kms:CreateKey", "*", { ...tag, ...shape }), "allow");
        assert.equal(allowed("kms:TagResource", key, tag), "allow");
        assert.equal(allowed("kms:CreateKey", "*", shape), "implicit-deny", "untagged");
        assert.equal(allowed("kms:CreateKey", "*", { ...tag, ...shape, "aws:TagKeys": ["rds-encryption-key", "Owner"] }), "implicit-deny", "another tag");
        assert.equal(allowed("kms:CreateKey", "*", { ...tag, ...shape, "aws:RequestTag/rds-encryption-key": "cloud-prod" }), "implicit-deny", "not an installation");
        assert.equal(allowed("kms:CreateKey", "*", { ...tag, ...shape, "kms:MultiRegion": "true" }), "implicit-deny", "multi-Region");
        assert.equal(allowed("kms:TagResource", key, { "aws:RequestTag/Owner": "x", "aws:TagKeys": ["Owner"] }), "implicit-deny");
        const tagged = { "aws:ResourceTag/rds-encryption-key": "cloud-abcdefghijklmnopqrstuvwxyz" };
        assert.equal(allowed("kms:DescribeKey", key, tagged), "allow");
        assert.equal(allowed("kms:ScheduleKeyDeletion", key, { ...tagged, "kms:ScheduleKeyDeletionPendingWindowInDays": "30" }), "allow");
        assert.equal(allowed("kms:ScheduleKeyDeletion", key, { ...tagged, "kms:ScheduleKeyDeletionPendingWindowInDays": "7" }), "implicit-deny", "a short window");
        assert.equal(allowed("kms:CreateGrant", key, { ...tagged, "kms:GrantIsForAWSResource": "true" }), "allow");
        for (const action of ["kms:DescribeKey", "kms:ScheduleKeyDeletion", "kms:CreateGrant", "kms:Decrypt", "kms:DisableKey"]) {
            assert.equal(allowed(action, key, { "kms:ScheduleKeyDeletionPendingWindowInDays": "30", "kms:GrantIsForAWSResource": "true" }), "implicit-deny", `${action} on an untagged key`);
        }
        // mattermost-cloud v0.93.1 never creates, updates or deletes an alias: no alias action at all.
        for (const action of ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"]) {
            for (const resource of [key, `arn:aws:kms:eu-west-1:123456789012:alias/cloud-abcdefghijklmnopqrstuvwxyz-rds`]) assert.equal(allowed(action, resource, tagged), "implicit-deny", `${action} ${resource}`);
        }
        assert.equal(all.some((st) => JSON.stringify(st).includes("kms:ResourceAliases")), false);
    });

    it("leaves the state bucket and its key nothing but the state store's use, whatever else matches them", () => {
        // With a 15-character environment the default state bucket has the installation-bucket shape cloud-<26>.
        const bucket = defaultStateBucketName("cloud", "abcdefghijklmno");
        assert.match(bucket, new RegExp(`^${CLOUD_ID_PATTERN.replace(/\?/g, ".")}$`));
        const d = Object.values(provisionerPolicies({ ...ctx, stateBucket: bucket }));
        const arn = `arn:aws:s3:::${bucket}`;
        assert.equal(allowed("s3:GetObject", `${arn}/cluster/config`, {}, d), "allow");
        assert.equal(allowed("s3:ListBucket", arn, {}, d), "allow");
        for (const action of ["s3:DeleteBucket", "s3:PutBucketPolicy", "s3:PutBucketVersioning", "s3:PutEncryptionConfiguration", "s3:PutBucketPublicAccessBlock", "s3:PutBucketTagging", "s3:GetBucketTagging"]) {
            assert.equal(allowed(action, arn, {}, d), "explicit-deny", action);
        }
        assert.equal(allowed("kms:Decrypt", ctx.stateKeyArn, {}, d), "allow");
        for (const action of ["kms:ScheduleKeyDeletion", "kms:CreateGrant", "kms:DisableKey", "kms:TagResource"]) {
            assert.equal(allowed(action, ctx.stateKeyArn, { "aws:ResourceTag/rds-encryption-key": "cloud-abcdefghijklmnopqrstuvwxyz", "aws:TagKeys": ["rds-encryption-key"], "aws:RequestTag/rds-encryption-key": "cloud-abcdefghijklmnopqrstuvwxyz", "kms:ScheduleKeyDeletionPendingWindowInDays": "30", "kms:GrantIsForAWSResource": "true" }, d), "explicit-deny", action);
        }
    });

    it("never assumes another role", () => {
        assert.equal(allowed("sts:AssumeRole", "arn:aws:iam::123456789012:role/OrganizationAccountAccessRole"), "explicit-deny");
        assert.equal(allowed("sts:GetCallerIdentity", "*"), "allow");
    });

    it("requires its boundary on the users and roles it creates only when asked (upstream creates them without one)", () => {
        const user = `${A}:user/cloud-abcdefghijklmnopqrstuvwxyz`;
        const role = `${A}:role/masters.a1b2c3d4e5f6g7h8i9j0k1l2m3-kops.k8s.local`;
        const withB = { "iam:PermissionsBoundary": ctx.boundaryArn };
        assert.equal(allowed("iam:CreateUser", user), "allow", "default: as upstream calls it");
        const strict = Object.values(provisionerPolicies({ ...ctx, requireBoundaryOnCreatedPrincipals: true }));
        assert.equal(allowed("iam:CreateUser", user, {}, strict), "implicit-deny");
        assert.equal(allowed("iam:CreateUser", user, { "iam:PermissionsBoundary": `${A}:policy/other` }, strict), "implicit-deny");
        assert.equal(allowed("iam:CreateUser", user, withB, strict), "allow");
        assert.equal(allowed("iam:CreateRole", role, {}, strict), "implicit-deny");
        assert.equal(allowed("iam:CreateRole", role, withB, strict), "allow");
        assert.equal(allowed("iam:PutRolePolicy", role, withB, strict), "allow");
        assert.equal(allowed("iam:AttachRolePolicy", role, { "iam:PolicyARN": `${A}:policy/cloud-provisioning-node-policy` }, strict), "implicit-deny");
        assert.equal(allowed("iam:AttachRolePolicy", role, { "iam:PolicyARN": `${A}:policy/cloud-provisioning-node-policy`, ...withB }, strict), "allow");
        assert.equal(allowed("iam:AttachRolePolicy", role, { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess", ...withB }, strict), "implicit-deny", "both conditions hold together");
        assert.equal(allowed("iam:AttachUserPolicy", user, { "iam:PolicyARN": `${A}:policy/cloud-abcdefghijklmnopqrstuvwxyz`, ...withB }, strict), "allow");
        // Deleting what it created needs no boundary condition.
        assert.equal(allowed("iam:DeleteUser", user, {}, strict), "allow");
    });

    it("fits each document in IAM's managed-policy size limit (the whole set would not fit inline)", () => {
        const long = provisionerPolicies({ ...ctx, partition: "aws-us-gov", region: "us-gov-west-1", zoneIds: Array.from({ length: 6 }, (_, i) => `Z0123456789ABCDEFGHI${i}`), requireBoundaryOnCreatedPrincipals: true });
        const sizes = Object.values(long).map(policySize);
        for (const n of sizes) assert.ok(n <= MANAGED_POLICY_MAX_CHARS, `${n} > ${MANAGED_POLICY_MAX_CHARS}`);
        assert.ok(sizes.reduce((a, b) => a + b, 0) > 10240, "the set is larger than a role's inline budget");
    });
});

describe("ProvisionerServer plan: permissions boundary", () => {
    const A = "arn:aws:iam::123456789012";
    const KOPS_ROLE = `${A}:role/masters.a1b2c3d4e5f6g7h8i9j0k1l2m3-kops.k8s.local`;
    const cnc = {
        key: "arn:aws:kms:eu-west-1:123456789012:key/c772b4bf-0000-4000-8000-cd92a9bc0000",
        bucket: "arn:aws:s3:::cloud-staging-prometheus-metrics",
        topic: "arn:aws:sns:eu-west-1:123456789012:cloud-staging-alarms",
        queue: "arn:aws:sqs:eu-west-1:123456789012:cloud-staging-dns-registrar-dlq",
    };
    const bctx = { partition: "aws", accountId: "123456789012", prefix: "cloud", environment: "test", protectedArns: [ctx.stateKeyArn.replace("state", "db"), ...Object.values(cnc)] };
    const boundary = provisionerBoundary(bctx);
    const identity = Object.values(provisionerPolicies(ctx));
    const bsid = (sid: string) => boundary.Statement.find((s) => s.Sid === sid)!;
    const decideWith = (action: string, resource: string, keys: Record<string, string | string[]> = {}) => decide(identity, boundary, { action, resource, keys });

    it("is named <prefix>-<env>-provisioner-boundary and has exactly these statements", () => {
        assert.equal(physicalNames({ prefix: "cloud", environment: "test" }).boundaryPolicyName, "cloud-test-provisioner-boundary");
        assert.equal(ctx.boundaryArn, policyArn("aws", "123456789012", "cloud-test-provisioner-boundary"));
        assert.deepEqual(
            boundary.Statement.map((s) => s.Sid),
            ["ServicesOfClustersAndInstallations", "DenyIamWritesOutsideManagedNames", "DenyOwnIam", "DenyBoundaryRemoval", "DenyOtherBoundaries", "DenyAccountAndOrganizations", "DenyCncKeys", "DenyCncBuckets", "DenyCncTopics", "DenyCncQueues"],
        );
        assert.deepEqual(bsid("DenyCncBuckets").Resource, [cnc.bucket, `${cnc.bucket}/*`]);
        assert.deepEqual(bsid("DenyCncKeys").Resource, [bctx.protectedArns[0], cnc.key]);
    });

    it("allows every action the identity policies grant (a cap, not a cut)", () => {
        const capped = boundary.Statement.filter((s) => s.Effect === "Allow");
        for (const st of identity.flatMap((d) => d.Statement).filter((s) => s.Effect === "Allow")) {
            for (const action of [st.Action].flat() as string[]) assert.ok(capped.some((b) => statementCovers(b, action, "*")), `${st.Sid}: ${action} is outside the boundary`);
        }
    });

    it("lets upstream v0.93.1's calls through identity policies and boundary together", () => {
        const id = "cloud-abcdefghijklmnopqrstuvwxyz";
        const calls: Array<[string, string, Record<string, string | string[]>?]> = [
            ["iam:CreateUser", `${A}:user/${id}`],
            ["iam:CreatePolicy", `${A}:policy/${id}`],
            ["iam:AttachUserPolicy", `${A}:user/${id}`, { "iam:PolicyARN": `${A}:policy/${id}` }],
            ["iam:CreateAccessKey", `${A}:user/${id}`],
            ["iam:DeletePolicy", `${A}:policy/${id}`],
            ["iam:AttachRolePolicy", KOPS_ROLE, { "iam:PolicyARN": `${A}:policy/cloud-provisioning-node-policy` }],
            ["iam:CreateRole", KOPS_ROLE],
            ["iam:PutRolePolicy", KOPS_ROLE],
            ["iam:PassRole", KOPS_ROLE, { "iam:PassedToService": "ec2.amazonaws.com" }],
            ["iam:ListAccountAliases", "*"],
            ["kms:CreateKey", "*", { "aws:RequestTag/rds-encryption-key": id, "aws:TagKeys": ["rds-encryption-key"], "kms:KeySpec": "SYMMETRIC_DEFAULT", "kms:KeyUsage": "ENCRYPT_DECRYPT", "kms:KeyOrigin": "AWS_KMS", "kms:MultiRegion": "false" }],
            ["kms:ScheduleKeyDeletion", "arn:aws:kms:eu-west-1:123456789012:key/abcd", { "aws:ResourceTag/rds-encryption-key": id, "kms:ScheduleKeyDeletionPendingWindowInDays": "30" }],
            ["s3:CreateBucket", `arn:aws:s3:::${id}`],
            ["s3:PutObject", "arn:aws:s3:::cloud-test-kops-state/cluster/config"],
            ["kms:GenerateDataKey", ctx.stateKeyArn],
            ["rds:CreateDBCluster", `arn:aws:rds:eu-west-1:123456789012:cluster:${id}`],
            ["secretsmanager:CreateSecret", `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${id}-rds-AbC123`],
            ["route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"],
            ["ec2:RunInstances", "arn:aws:ec2:eu-west-1:123456789012:instance/*"],
            ["sts:GetCallerIdentity", "*"],
            ["tag:GetResources", "*"],
        ];
        for (const [action, resource, keys] of calls) assert.equal(decideWith(action, resource, keys), "allow", `${action} ${resource}`);
    });

    it("caps whatever else is attached: IAM writes outside the managed names, its own IAM, boundaries, account settings, the C&C's resources", () => {
        const admin = [policyDocument([{ Effect: "Allow", Action: "*", Resource: "*" }])];
        const denied = (action: string, resource: string, keys: Record<string, string | string[]> = {}) => decide(admin, boundary, { action, resource, keys });
        for (const [action, resource] of [
            ["iam:CreateRole", `${A}:role/admin`],
            ["iam:AttachRolePolicy", `${A}:role/cloud-test-provisioner-20260101000000000000000001`],
            ["iam:CreatePolicyVersion", `${A}:policy/cloud-test-provisioner-boundary`],
            ["iam:DeletePolicy", `${A}:policy/cloud-test-provisioner-dns-20260101000000000000000001`],
            ["iam:CreateUser", `${A}:user/alice`],
            ["iam:CreateAccessKey", `${A}:user/ci-deployer`],
            ["iam:PassRole", `${A}:role/cloud-test-provisioner-20260101000000000000000001`],
            ["iam:CreateOpenIDConnectProvider", `${A}:oidc-provider/example.com`],
            ["iam:DeleteRolePermissionsBoundary", KOPS_ROLE],
            ["iam:UpdateAccountPasswordPolicy", "*"],
            ["organizations:LeaveOrganization", "*"],
            ["account:PutAlternateContact", "*"],
            ["kms:ScheduleKeyDeletion", cnc.key],
            ["kms:CreateAlias", cnc.key],
            ["kms:TagResource", cnc.key],
            ["s3:GetObject", `${cnc.bucket}/raw/chunk`],
            ["s3:PutBucketPolicy", cnc.bucket],
            ["sns:Publish", cnc.topic],
            ["sqs:PurgeQueue", cnc.queue],
        ]) {
            assert.equal(denied(action, resource), "explicit-deny", `${action} ${resource}`);
        }
        // Services outside clusters and installations are simply not in the boundary.
        assert.equal(denied("lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:123456789012:function:cloud-test-dns-registrar"), "implicit-deny");
        assert.equal(denied("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x"), "allow", "the boundary caps services; the identity policies scope names");
        // Boundaries can be set to this one only.
        assert.equal(denied("iam:PutUserPermissionsBoundary", `${A}:user/cloud-abcdefghijklmnopqrstuvwxyz`, { "iam:PermissionsBoundary": `${A}:policy/other` }), "explicit-deny");
        assert.equal(denied("iam:PutUserPermissionsBoundary", `${A}:user/cloud-abcdefghijklmnopqrstuvwxyz`, { "iam:PermissionsBoundary": ctx.boundaryArn }), "allow");
    });

    it("denies each kind of protected ARN by its service, refuses other kinds, and fails loudly past IAM's size limit", () => {
        assert.deepEqual(protectedResourceDenies([]), []);
        assert.deepEqual(
            protectedResourceDenies([cnc.queue, cnc.key, cnc.key]).map((s) => [s.Sid, s.Action, s.Resource]),
            [
                ["DenyCncKeys", "kms:*", [cnc.key]],
                ["DenyCncQueues", "sqs:*", [cnc.queue]],
            ],
        );
        assert.throws(() => protectedResourceDenies(["arn:aws:kms:eu-west-1:123456789012:alias/cloud-prod-alarms"]), /no known kind/);
        const many = Array.from({ length: MAX_PROTECTED_ARNS }, (_, i) => `arn:aws-us-gov:s3:::${"b".repeat(58)}-${String(i).padStart(3, "0")}`);
        assert.ok(policySize(provisionerBoundary({ ...bctx, partition: "aws-us-gov", protectedArns: [bctx.protectedArns[0], ...many] })) <= MANAGED_POLICY_MAX_CHARS, "the schema's maximum of 63-character buckets fits");
        const tooMany = Array.from({ length: 40 }, (_, i) => `arn:aws:sns:eu-west-1:123456789012:${"t".repeat(200)}${i}`);
        assert.throws(() => provisionerBoundary({ ...bctx, protectedArns: tooMany }), /boundary policy would be \d+ characters, more than IAM's 6144/);
    });

    it("adds its own database key and leaves out its state bucket and key (denied all but their use instead)", () => {
        const own = { dbKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/db", stateKeyArn: ctx.stateKeyArn, stateBucketArn: "arn:aws:s3:::cloud-test-kops-state" };
        assert.deepEqual(protectedArnsOf([cnc.bucket, own.stateBucketArn, own.stateKeyArn, cnc.bucket], own), [own.dbKeyArn, cnc.bucket]);
    });
});

describe("ProvisionerServer plan: state bucket policy (evaluated)", () => {
    const arn = "arn:aws:s3:::cloud-test-kops-state";
    const role = "arn:aws:iam::123456789012:role/cnc-role-1a2b3c";
    const policy = stateBucketPolicy(arn, role, ADMIN_ROLES);
    const req = (principalArn: string, action = "s3:GetObject", resource = `${arn}/cluster.spec`, secureTransport = true) => ({ principalArn, action, resource, secureTransport });

    it("is TLS-only plus one deny-with-exceptions on aws:PrincipalArn", () => {
        assert.deepEqual(policy, {
            Version: "2012-10-17",
            Statement: [
                { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
                {
                    Sid: "DenyObjectAccessExceptProvisionerAndAdmins",
                    Effect: "Deny",
                    Principal: "*",
                    Action: ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject*", "s3:RestoreObject", "s3:ListBucket*", "s3:ReplicateObject"],
                    Resource: [arn, `${arn}/*`],
                    Condition: { ArnNotEquals: { "aws:PrincipalArn": [role, ...ADMIN_ROLES] } },
                },
            ],
        });
    });

    it("lets the provisioner and each admin role at the objects, and denies everyone else", () => {
        for (const p of [role, ...ADMIN_ROLES]) {
            for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObjectVersion"]) assert.equal(explicitlyDenied(policy, req(p, action)), false, `${p} ${action}`);
            assert.equal(explicitlyDenied(policy, req(p, "s3:ListBucket", arn)), false);
        }
        for (const other of ["arn:aws:iam::123456789012:role/deployer", "arn:aws:iam::123456789012:role/nodes.cluster-1", "arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:root"]) {
            assert.equal(explicitlyDenied(policy, req(other)), true, other);
            assert.equal(explicitlyDenied(policy, req(other, "s3:PutObject")), true, other);
            assert.equal(explicitlyDenied(policy, req(other, "s3:ListBucketVersions", arn)), true, other);
        }
    });

    it("denies plain HTTP even for the provisioner, and leaves bucket management (not object access) to IAM", () => {
        assert.equal(explicitlyDenied(policy, req(role, "s3:GetObject", `${arn}/x`, false)), true);
        assert.equal(explicitlyDenied(policy, req("arn:aws:iam::123456789012:role/deployer", "s3:PutBucketTagging", arn)), false);
        assert.equal(explicitlyDenied(policy, req("arn:aws:iam::123456789012:role/deployer", "s3:GetBucketPolicy", arn)), false);
    });

    it("would be wrong with a non-negated operator: the evaluator tells the difference", () => {
        const wrong = { ...policy, Statement: [policy.Statement[0], { ...policy.Statement[1], Condition: { ArnEquals: { "aws:PrincipalArn": [role, ...ADMIN_ROLES] } } }] };
        assert.equal(explicitlyDenied(wrong, req(role)), true);
        assert.equal(explicitlyDenied(wrong, req("arn:aws:iam::123456789012:role/deployer")), false);
    });

    it("keeps versions, expires old ones and aborts stale uploads", () => {
        assert.deepEqual(stateBucketLifecycleRules(), [
            {
                id: "expire-noncurrent-versions",
                status: "Enabled",
                filter: { prefix: "" },
                noncurrentVersionExpiration: { noncurrentDays: 90, newerNoncurrentVersions: 10 },
                expiration: { expiredObjectDeleteMarker: true },
            },
            { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: { prefix: "" }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        ]);
    });
});

describe("ProvisionerServer plan: database", () => {
    it("forces TLS in the parameter group of the pinned major", () => {
        assert.deepEqual(dbParameters()[0], { name: "rds.force_ssl", value: "1" });
        assert.equal(parameterGroupFamily("17"), "postgres17");
        assert.equal(parameterGroupFamily("16.9"), "postgres16");
        assert.equal(parameterGroupFamily(versions.provisioner.postgresEngineVersion), `postgres${versions.provisioner.postgresEngineVersion}`);
    });

    it("protects prod (final snapshot, deletion protection) and keeps dev disposable", () => {
        const base = provisionerArgs();
        const dev = primaryDbSettings(settingsWithDefaults(base));
        const prod = primaryDbSettings(settingsWithDefaults({ ...base, deletionProtection: true }));
        assert.equal(dev.deletionProtection, false);
        assert.equal(dev.skipFinalSnapshot, true);
        assert.equal("finalSnapshotIdentifier" in dev, false);
        assert.equal(prod.deletionProtection, true);
        assert.equal(prod.skipFinalSnapshot, false);
        assert.equal(prod.finalSnapshotIdentifier, "provisioner-test-final");
        assert.equal(prod.deleteAutomatedBackups, false);
        for (const d of [dev, prod]) {
            assert.equal(d.storageEncrypted, true);
            assert.equal(d.storageType, "gp3");
            assert.equal(d.publiclyAccessible, false);
            assert.equal(d.performanceInsightsEnabled, true);
            assert.equal(d.autoMinorVersionUpgrade, true);
            assert.equal(d.copyTagsToSnapshot, true);
        }
        const replica = replicaDbSettings(settingsWithDefaults({ ...base, deletionProtection: true }));
        assert.equal(replica.identifier, "provisioner-test-replica");
        assert.equal(replica.skipFinalSnapshot, true);
        assert.equal(replica.deletionProtection, true);
    });

    it("builds the lib/pq URL verifying the server (verify-full against the mounted RDS CA bundle), the password escaped", () => {
        const url = databaseUrl("db.example.internal", "pa ss/word");
        assert.equal(url, "postgres://provisioner:pa%20ss%2Fword@db.example.internal:5432/provisioner?sslmode=verify-full&sslrootcert=/etc/rds-ca/rds-ca-bundle.pem");
        // What store.New hands lib/pq: the query survives Go-style URL parsing unchanged.
        assert.deepEqual(Object.fromEntries(new URL(url).searchParams), { sslmode: "verify-full", sslrootcert: CA_BUNDLE_PATH });
    });

    it("ships the RDS global CA bundle verbatim: its stated SHA-256, 115 certificates, the rds-ca-rsa2048-g1 root of every region it lists", () => {
        assert.equal(createHash("sha256").update(RDS_CA_BUNDLE_PEM, "utf8").digest("hex"), RDS_CA_BUNDLE_SHA256);
        assert.equal(RDS_CA_BUNDLE_PEM.length, 174184);
        const certs = RDS_CA_BUNDLE_PEM.split(/(?<=-----END CERTIFICATE-----\n)/).filter((p) => p.trim() !== "").map((p) => new X509Certificate(p));
        assert.equal(certs.length, 115);
        const g1 = certs.filter((c) => / Root CA RSA2048 G1$/m.test(c.subject) && !/Beta|Preview/.test(c.subject));
        const regions = g1.map((c) => /CN=Amazon RDS (\S+) Root CA RSA2048 G1/.exec(c.subject)![1]).sort();
        assert.deepEqual(regions, [...RDS_CA_BUNDLE_REGIONS].sort());
        for (const c of g1) {
            assert.ok(c.ca && c.verify(c.publicKey), `${c.subject}: a self-signed root`);
            assert.ok(new Date(c.validTo) > new Date("2060-01-01"), `${c.subject}: valid to ${c.validTo}`);
        }
        // The stacks' region, with the fingerprint cross-checked against a second copy of global-bundle.pem (rds-ca-bundle.ts).
        const euWest1 = g1.find((c) => c.subject.includes("CN=Amazon RDS eu-west-1 Root CA RSA2048 G1"))!;
        assert.equal(euWest1.fingerprint256, "6F:7E:01:B6:2A:F2:40:58:41:71:30:B2:1E:5F:B9:AD:9F:29:B2:9C:77:5C:51:07:B6:57:41:90:10:97:58:86");
        assert.equal(RDS_CA, "rds-ca-rsa2048-g1", "the CA every instance of this component uses");
    });

    it("refuses a region whose RDS root CA the shipped bundle lacks", () => {
        assert.deepEqual(problems({ region: "il-central-1" }), [
            'region: expected a region whose RDS root CA is in the bundle the provisioner verifies its database with (components/provisioner/rds-ca-bundle.ts; replace it with a newer global-bundle.pem for a newer region), found "il-central-1"',
        ]);
        for (const region of ["eu-west-1", "us-east-1", "ap-southeast-4"]) assert.deepEqual(problems({ region }), [], region);
    });
});

describe("ProvisionerServer render: Kubernetes objects", () => {
    const s = settingsWithDefaults(provisionerArgs({ flags: { keepDatabaseData: false, keepFilestoreData: true, poll: 45, clusterResourceThreshold: 70, dev: true }, supervisors: { enabled: true, replicas: 3 }, replicas: 2 }));
    const server = deployment(s, false);
    const sup = deployment(s, true);

    it("runs `cloud server` with exactly the flags from the args", () => {
        const expected = [
            "server",
            "--state-store=cloud-test-kops-state",
            "--utilities-git-url=https://gitlab.example.com",
            "--utilities-git-path=/cloud/gitops.git",
            "--database=$(DATABASE)",
            "--installation-enable-route53=true",
            "--listen=:8075",
            "--metrics-port=8076",
            "--keep-database-data=false",
            "--keep-filestore-data=true",
            "--poll=45",
            "--cluster-resource-threshold=70",
            "--dev=true",
            "--machine-readable-logs=true",
        ];
        assert.deepEqual(serverArgs(s), expected);
        assert.deepEqual(server.spec.template.spec.containers[0].args, expected);
        assert.deepEqual(sup.spec.template.spec.containers[0].args, [...expected, "--cluster-supervisor=false"]);
    });

    it("migrates the schema in an init container before the server starts", () => {
        assert.deepEqual(migrateArgs(), ["schema", "migrate", "--database", "$(DATABASE)"]);
        for (const d of [server, sup]) {
            const init = d.spec.template.spec.initContainers;
            assert.equal(init.length, 1);
            assert.deepEqual(init[0].args, ["schema", "migrate", "--database", "$(DATABASE)"]);
            assert.deepEqual(init[0].env.find((e) => e.name === "DATABASE"), { name: "DATABASE", valueFrom: { secretKeyRef: { name: "provisioner", key: "DATABASE" } } });
            assert.equal(init[0].image, d.spec.template.spec.containers[0].image);
        }
    });

    it("pins the image, never latest", () => {
        assert.equal(server.spec.template.spec.containers[0].image, `mattermost/mattermost-cloud:${versions.provisioner.imageTag}`);
        assert.doesNotMatch(JSON.stringify([server, sup]), /latest/);
        assert.notEqual(versions.provisioner.imageTag, "latest");
    });

    it("hardens every container: non-root, read-only root, no capabilities, RuntimeDefault seccomp, resources", () => {
        for (const d of [server, sup]) {
            const pod = d.spec.template.spec;
            assert.deepEqual(pod.securityContext, { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } });
            // No Kubernetes API token in the pod: cloud server never calls the C&C cluster's API (IRSA's token is the webhook's own volume).
            assert.equal(pod.automountServiceAccountToken, false);
            for (const c of [...pod.initContainers, ...pod.containers]) {
                assert.deepEqual(c.securityContext, {
                    allowPrivilegeEscalation: false,
                    privileged: false,
                    readOnlyRootFilesystem: true,
                    runAsNonRoot: true,
                    runAsUser: 10001,
                    runAsGroup: 10001,
                    capabilities: { drop: ["ALL"] },
                    seccompProfile: { type: "RuntimeDefault" },
                });
                assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.cpu && c.resources.limits.memory, c.name);
            }
        }
    });

    it("gives the tools writable scratch space and the kops key, and probes the API port", () => {
        const pod = server.spec.template.spec;
        assert.deepEqual(pod.volumes, [
            { name: "tmp", emptyDir: { sizeLimit: "4Gi" } },
            { name: "home", emptyDir: { sizeLimit: "2Gi" } },
            { name: "ssh", secret: { secretName: "provisioner-ssh", defaultMode: 0o440 } },
            { name: "rds-ca", configMap: { name: "provisioner-rds-ca", defaultMode: 0o444 } },
        ]);
        const c = pod.containers[0];
        assert.deepEqual(c.volumeMounts, [
            { name: "tmp", mountPath: "/tmp" },
            { name: "home", mountPath: "/home/cloud" },
            { name: "ssh", mountPath: "/home/cloud/.ssh", readOnly: true },
            { name: "rds-ca", mountPath: "/etc/rds-ca", readOnly: true },
        ]);
        // The schema migration connects to the database too: it verifies the server the same way.
        assert.deepEqual(pod.initContainers[0].volumeMounts, [{ name: "tmp", mountPath: "/tmp" }, { name: "rds-ca", mountPath: "/etc/rds-ca", readOnly: true }]);
        const env = Object.fromEntries(c.env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
        assert.equal(env.HOME, "/home/cloud");
        assert.equal(env.HELM_CACHE_HOME, "/home/cloud/.cache/helm");
        assert.equal(env.HELM_CONFIG_HOME, "/home/cloud/.config/helm");
        assert.equal(env.AWS_REGION, "eu-west-1");
        assert.deepEqual(c.env.find((e) => e.name === "GITLAB_OAUTH_TOKEN"), { name: "GITLAB_OAUTH_TOKEN", valueFrom: { secretKeyRef: { name: "provisioner", key: "GITLAB_OAUTH_TOKEN" } } });
        assert.deepEqual(c.ports, [
            { name: "api", containerPort: 8075, protocol: "TCP" },
            { name: "metrics", containerPort: 8076, protocol: "TCP" },
        ]);
        assert.deepEqual(c.readinessProbe, { httpGet: { path: "/api/clusters?page=0&per_page=1", port: "api" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
        assert.deepEqual(c.livenessProbe, { tcpSocket: { port: "api" }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 });
        assert.deepEqual(c.startupProbe?.tcpSocket, { port: "api" });
        assert.equal(server.spec.replicas, 2);
        assert.equal(sup.spec.replicas, 3);
        assert.ok(pod.topologySpreadConstraints && pod.topologySpreadConstraints.length === 2);
    });

    it("serves the API Deployment only through the Service and an internal ALB Ingress", () => {
        assert.deepEqual(service("provisioner").spec.selector, { "app.kubernetes.io/name": "provisioner", "app.kubernetes.io/instance": "provisioner" });
        assert.deepEqual(server.spec.selector.matchLabels, { "app.kubernetes.io/name": "provisioner", "app.kubernetes.io/instance": "provisioner" });
        assert.deepEqual(sup.spec.selector.matchLabels, { "app.kubernetes.io/name": "provisioner", "app.kubernetes.io/instance": "provisioner-installations" });
        assert.equal(internalUrl("provisioner"), "http://provisioner.provisioner.svc:8075");
        const cert = "arn:aws:acm:eu-west-1:123456789012:certificate/0b2b5c5e-7f0a-4c6e-9a51-2f6f0a1b2c3d";
        assert.deepEqual(ingressAnnotations("cnc-internal", cert), {
            "alb.ingress.kubernetes.io/scheme": "internal",
            "alb.ingress.kubernetes.io/target-type": "ip",
            "alb.ingress.kubernetes.io/group.name": "cnc-internal",
            "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
            "alb.ingress.kubernetes.io/certificate-arn": cert,
            "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
            "alb.ingress.kubernetes.io/ssl-redirect": "443",
            "alb.ingress.kubernetes.io/load-balancer-attributes": "routing.http.drop_invalid_header_fields.enabled=true",
            "alb.ingress.kubernetes.io/backend-protocol": "HTTP",
            "alb.ingress.kubernetes.io/healthcheck-path": "/api/clusters",
            "alb.ingress.kubernetes.io/success-codes": "200",
        });
        const http = ingressAnnotations("cnc-internal");
        assert.equal(http["alb.ingress.kubernetes.io/listen-ports"], '[{"HTTP":80}]');
        assert.equal("alb.ingress.kubernetes.io/certificate-arn" in http, false);
        const ing = ingress("provisioner", "provisioner.apps.internal", "cnc-internal");
        assert.equal(ing.spec.ingressClassName, "alb");
        assert.deepEqual(ing.spec.rules[0], {
            host: "provisioner.apps.internal",
            http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "provisioner", port: { name: "api" } } } }] },
        });
    });
});
