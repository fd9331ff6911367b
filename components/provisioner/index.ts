import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { createIrsaRole, irsaServiceAccountAnnotations } from "../common/irsa";
import { parseArgs } from "../common/schema";
import { createKmsKey, createSecureBucket } from "../common/storage";
import { statefulOptions } from "../common/stateful";
import {
    PROVISIONER_POLICY_GROUPS,
    bucketArn,
    CA_BUNDLE,
    DATABASE_NAME,
    DATABASE_PORT,
    DB_LOG_EXPORTS,
    DB_LOG_RETENTION_DAYS,
    databaseUrl,
    dbLogGroupName,
    dbParameters,
    NAMES,
    parameterGroupFamily,
    physicalNames,
    policyArn,
    primaryDbSettings,
    protectedArnsOf,
    provisionerBoundary,
    provisionerPolicies,
    replicaDbSettings,
    stateBucketLifecycleRules,
    stateBucketPolicy,
} from "./plan";
import { RDS_CA_BUNDLE_PEM } from "./rds-ca-bundle";
import { deployment, ingress, ingressHost, internalUrl, podDisruptionBudget, SECRET_KEYS, service, SSH_FILES } from "./render";
import { provisionerSchema } from "./schema";

/** The provisioner's RDS PostgreSQL instance. */
export interface ProvisionerDatabaseArgs {
    /** RDS identifier (2-63 lowercase letters, digits, '-'; not starting with "cloud-", the prefix the provisioner manages and may delete). Default `provisioner-<environment>` (`provisioner-<prefix>-<environment>` for a prefix other than cloud). */
    identifier?: string;
    /** PostgreSQL version: a major (16 or 17) or major.minor. Default the pinned major in components/common/versions.ts; minors upgrade automatically. */
    engineVersion?: string;
    /** Instance class, e.g. db.t4g.small. Default db.m7g.large under the production profile, db.t4g.small under development. */
    instanceClass?: string;
    /** Initial gp3 storage in GiB (20-65536). Default 100 under the production profile, 20 under development. */
    allocatedStorageGiB?: number;
    /** Storage autoscaling ceiling in GiB (at least 10% above allocatedStorageGiB). Default 500 under the production profile, 100 under development (lifted to 10% above allocatedStorageGiB when that is larger). */
    maxAllocatedStorageGiB?: number;
    /** Multi-AZ standby. Default true under the production profile, false under development. */
    multiAz?: boolean;
    /** Automated backup retention in days (1-35). Default 30 under the production profile, 7 under development. */
    backupRetentionDays?: number;
    /** Create a same-region read replica. Default false. */
    readReplica?: boolean;
    /** Turn on IAM database authentication (the provisioner itself still uses the password). Default false. */
    iamDatabaseAuthentication?: boolean;
}

/** `cloud server` flags. */
export interface ProvisionerFlagsArgs {
    /** `--keep-database-data`: keep an installation's database when it is deleted. Default true under the production profile, false under development. */
    keepDatabaseData?: boolean;
    /** `--keep-filestore-data`: keep an installation's filestore when it is deleted. Default true under the production profile, false under development. */
    keepFilestoreData?: boolean;
    /** `--poll`: seconds between supervisor passes (1-3600). Default 30. */
    poll?: number;
    /** `--cluster-resource-threshold`: percent of a cluster's resources above which no installation is scheduled on it (1-100). Default 80. */
    clusterResourceThreshold?: number;
    /** `--dev`: development defaults (debug logs). Default true under the development profile, false under production. */
    dev?: boolean;
}

/** The optional second Deployment that runs installation supervisors only (`--cluster-supervisor=false`). */
export interface ProvisionerSupervisorsArgs {
    /** Create it. Default true under the production profile, false under development. */
    enabled?: boolean;
    /** Its replicas (1-10). Default 3 under the production profile (as the original ran), 1 under development. */
    replicas?: number;
}

/** CPU and memory of the provisioner container (Kubernetes quantities); unset fields take the profile's. */
export interface ProvisionerResourcesArgs {
    /** CPU request. Default 500m under the production profile, 250m under development. */
    cpuRequest?: string;
    /** Memory request (binary units: Mi, Gi). Default 1Gi under the production profile, 512Mi under development. */
    memoryRequest?: string;
    /** CPU limit. Default 2 under the production profile, 1 under development. */
    cpuLimit?: string;
    /** Memory limit (binary units: Mi, Gi); kops and terraform runs need headroom. Default 4Gi under the production profile, 2Gi under development. */
    memoryLimit?: string;
}

/** Arguments of ProvisionerServer. Providers (aws, kubernetes, random) come through resource options. */
export interface ProvisionerServerArgs {
    /** Environment name, e.g. dev or prod: part of physical names, of the default database identifier and of the default kops state bucket. */
    environment: string;
    /** Name prefix of physical names (`<prefix>-<environment>-provisioner...`), e.g. cloud. */
    prefix: string;
    /** Sizing profile, "production" or "development": database size and availability, backups, replicas, supervisors, kept data, `--dev`, deletion protection. */
    profile: string;
    /** The AWS region the component deploys to (the aws provider's), e.g. eu-west-1: the pods' AWS_REGION and the region of the IAM policies' ARNs. */
    region: string;
    /** Kubernetes namespace, created by the component. Default `provisioner`. */
    namespace?: string;
    /** Image repository without tag. Default mattermost/mattermost-cloud. */
    image?: string;
    /** Image tag, a pinned release such as v0.93.1 (never latest). Default the tag pinned in components/common/versions.ts. */
    imageTag?: string;
    /** `--utilities-git-url`: https URL of the Git host with the utility values, e.g. https://gitlab.example.com. */
    utilitiesGitUrl: string;
    /** `--utilities-git-path`: the path of the utilities (gitops) repository on that host, e.g. /cloud/gitops.git. `cloud server` refuses to start without it. */
    utilitiesGitPath: string;
    /** Token for that Git host (GITLAB_OAUTH_TOKEN). Pass a secret, e.g. config.requireSecret("provisionerGitToken"). */
    utilitiesGitToken: pulumi.Input<string>;
    /** OpenSSH public key (ssh-ed25519 or ssh-rsa) kops installs on cluster nodes; cloud server refuses to start without one in ~/.ssh. */
    sshPublicKey: string;
    /** The matching private key (optional; the provisioner never logs in to nodes). Pass a secret. */
    sshPrivateKey?: pulumi.Input<string>;
    /** kops state bucket (`--state-store`), created here: must start with "cloud-". Default `cloud-<environment>-kops-state` (`cloud-<prefix>-<environment>-kops-state` for a prefix other than cloud). */
    stateBucketName?: string;
    /** IAM role ARNs (at least one) that may read and write the state bucket's objects besides the provisioner: break-glass admins. */
    adminRoleArns: string[];
    /** VPC of the database. */
    vpcId: pulumi.Input<string>;
    /** Private subnets (two or more AZs) of the database's subnet group. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Security groups allowed to reach Postgres on 5432 (the cluster's security group). */
    allowedSecurityGroupIds: pulumi.Input<string>[];
    /** Route 53 hosted zones (at least one) the provisioner writes installation records to. */
    route53ZoneIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The internal DNS domain; the Ingress host is provisioner.<internalDomain>. */
    internalDomain: pulumi.Input<string>;
    /** ARNs of the C&C's own KMS keys, S3 buckets, SNS topics and SQS queues (at most 20): the provisioner is explicitly denied every action on them, in its permissions boundary. Its own database key is always added; its own state bucket and state key, which it uses, are denied all but that use instead. Default none. */
    protectedResourceArns?: pulumi.Input<pulumi.Input<string>[]>;
    /** Allow the provisioner to create IAM users and roles (and change their policies) only with its permissions boundary set on them. mattermost-cloud v0.93.1 and kops create them without one, so this breaks installation and cluster creation with them: turn it on only with a build that sets the boundary (see README). Default false. */
    requirePermissionsBoundaryOnCreatedPrincipals?: boolean;
    /** IngressGroup (alb.ingress.kubernetes.io/group.name) shared with the other private UIs. Default cnc-internal. */
    ingressGroupName?: string;
    /** ACM certificate for the HTTPS listener; without it the ALB listens on HTTP 80. */
    certificateArn?: string;
    /** Create the provisioner's own Ingress (no sign-in in front of it). Default true; false when an AppIngress serves provisioner.<internalDomain> behind OIDC (the stack does this): two Ingresses for one host on one group would let the one without sign-in win. */
    ownIngress?: boolean;
    /** ARN of the cluster's IAM OIDC provider (IRSA). */
    oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL (with or without https://). */
    oidcProviderUrl: pulumi.Input<string>;
    /** Replicas of the API/cluster-supervisor Deployment (1-10; they coordinate through database locks). Default 2 under the production profile, 1 under development. */
    replicas?: number;
    /** Resources of each provisioner container. */
    resources?: ProvisionerResourcesArgs;
    /** The database. */
    db?: ProvisionerDatabaseArgs;
    /** `cloud server` flags. */
    flags?: ProvisionerFlagsArgs;
    /** The installation-supervisor Deployment. */
    supervisors?: ProvisionerSupervisorsArgs;
    /** Protect and retain the keys, bucket, database and its log groups; RDS deletion protection, a final snapshot. Default: true under the production profile. */
    deletionProtection?: boolean;
    /** Tags for the AWS resources (the provider's defaultTags apply as well). */
    tags?: { [key: string]: string };
}

/**
 * The cluster and installation provisioner (mattermost-cloud `cloud server`) in the C&C cluster:
 * an RDS PostgreSQL database (KMS, TLS only, backups, Performance Insights), the kops state bucket
 * (SSE-KMS, versioned, TLS only, object access for the provisioner and admin roles only), an IRSA
 * role with scoped permissions, and the Kubernetes side: namespace, service account, secrets, the
 * Deployment (schema migration first), optional installation supervisors, Service, PDBs and an
 * internal ALB Ingress.
 */
export class ProvisionerServer extends pulumi.ComponentResource {
    /** Hostname of the RDS primary. */
    public readonly databaseEndpoint: pulumi.Output<string>;
    /** Name of the provisioner's database. */
    public readonly databaseName: pulumi.Output<string>;
    /** Name of the kops state bucket. */
    public readonly stateBucketName: pulumi.Output<string>;
    /** ARN of the provisioner's IRSA role. */
    public readonly roleArn: pulumi.Output<string>;
    /** ARN of the permissions boundary of that role (`<prefix>-<env>-provisioner-boundary`). */
    public readonly boundaryPolicyArn: pulumi.Output<string>;
    /** Kubernetes namespace. */
    public readonly namespace: pulumi.Output<string>;
    /** Name of the API Service. */
    public readonly serviceName: pulumi.Output<string>;
    /** In-cluster URL of the API (http://provisioner.<ns>.svc:8075). */
    public readonly internalUrl: pulumi.Output<string>;
    /** Host of the Ingress (provisioner.<internal domain>); its DNS record is the DNS layer's job. */
    public readonly host: pulumi.Output<string>;
    /** Name of its own Ingress (in the namespace); undefined with ownIngress false. */
    public readonly ingressName: pulumi.Output<string | undefined>;

    constructor(name: string, args: ProvisionerServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloud-cnc:index:ProvisionerServer", name, {}, opts);

        // Every problem with the args at once, before any child exists; `s` are the settings with every default.
        const s = parseArgs(`ProvisionerServer ${name}`, provisionerSchema, args);
        const names = physicalNames(s);

        const child = { parent: this };
        const stateful = (o: pulumi.CustomResourceOptions) => statefulOptions(s.deletionProtection, o);
        const tags = s.tags;
        const partition = aws.getPartitionOutput({}, child).partition;
        const accountId = aws.getCallerIdentityOutput({}, child).accountId;

        // --- Keys ------------------------------------------------------------------------------
        // Aliases live under alias/provisioner/: the provisioner's KMS grants follow alias/cloud-*.
        const dbKey = createKmsKey(
            `${name}-db-key`,
            { description: `RDS storage and Performance Insights of ${s.db.identifier}`, alias: names.dbKeyAlias, tags, protect: s.deletionProtection },
            child,
        );
        const stateKey = createKmsKey(
            `${name}-state-key`,
            { description: `SSE-KMS of the kops state bucket ${s.stateBucketName}`, alias: names.stateKeyAlias, tags, protect: s.deletionProtection },
            child,
        );

        // --- IRSA role ---------------------------------------------------------------------------
        const boundaryArn = pulumi.all([partition, accountId]).apply(([p, a]) => policyArn(p, a, names.boundaryPolicyName));
        const documents = pulumi
            .all([partition, accountId, pulumi.output(args.route53ZoneIds), stateKey.arn, boundaryArn])
            .apply(([p, a, zoneIds, stateKeyArn, boundary]) =>
                provisionerPolicies({
                    partition: p,
                    region: s.region,
                    accountId: a,
                    zoneIds: zoneIds as string[],
                    stateBucket: s.stateBucketName,
                    stateKeyArn,
                    boundaryArn: boundary,
                    requireBoundaryOnCreatedPrincipals: s.requirePermissionsBoundaryOnCreatedPrincipals,
                }),
            );
        // The boundary: every Deny that must hold whatever is attached to the role, the C&C's own resources by ARN among them.
        const boundary = new aws.iam.Policy(
            `${name}-boundary`,
            {
                name: names.boundaryPolicyName,
                description: `Permissions boundary of the mattermost-cloud provisioner (${s.namespace}/${NAMES.serviceAccount}) and what it creates`,
                policy: pulumi
                    .all([partition, accountId, pulumi.output(args.protectedResourceArns ?? []), dbKey.arn, stateKey.arn])
                    .apply(([p, a, protectedArns, dbKeyArn, stateKeyArn]) =>
                        JSON.stringify(
                            provisionerBoundary({
                                partition: p,
                                accountId: a,
                                prefix: s.prefix,
                                environment: s.environment,
                                protectedArns: protectedArnsOf(protectedArns as string[], { dbKeyArn, stateKeyArn, stateBucketArn: bucketArn(p, s.stateBucketName) }),
                            }),
                        ),
                    ),
                tags,
            },
            child,
        );
        // Customer-managed policies: the set is larger than IAM's 10,240-character budget for a role's inline policies.
        const policies = PROVISIONER_POLICY_GROUPS.map(
            (group) =>
                new aws.iam.Policy(
                    `${name}-policy-${group}`,
                    {
                        namePrefix: names.policyNamePrefixes[group],
                        description: `mattermost-cloud provisioner (${group}) for ${s.namespace}/${NAMES.serviceAccount}`,
                        policy: documents.apply((d) => JSON.stringify(d[group])),
                        tags,
                    },
                    child,
                ),
        );
        const role = createIrsaRole(
            `${name}-role`,
            {
                oidcProviderArn: args.oidcProviderArn,
                oidcProviderUrl: args.oidcProviderUrl,
                namespace: s.namespace,
                serviceAccount: NAMES.serviceAccount,
                managedPolicyArns: policies.map((pol) => pol.arn),
                description: `mattermost-cloud provisioner (${s.namespace}/${NAMES.serviceAccount})`,
                namePrefix: names.roleNamePrefix,
                permissionsBoundary: boundary.arn,
                tags,
            },
            child,
        );

        // --- kops state bucket -------------------------------------------------------------------
        const bucket = createSecureBucket(
            `${name}-state`,
            {
                bucket: s.stateBucketName,
                kmsKeyArn: stateKey.arn,
                policy: () => pulumi.all([partition, role.arn]).apply(([p, roleArn]) => JSON.stringify(stateBucketPolicy(bucketArn(p, s.stateBucketName), roleArn, [...s.adminRoleArns]))),
                lifecycleRules: stateBucketLifecycleRules(),
                versioned: true,
                tags,
                protect: s.deletionProtection,
            },
            child,
        );

        // --- Database ----------------------------------------------------------------------------
        const subnetGroup = new aws.rds.SubnetGroup(
            `${name}-db-subnets`,
            { namePrefix: names.dbSubnetGroupNamePrefix, description: `Private subnets of ${s.db.identifier}`, subnetIds: args.subnetIds, tags },
            child,
        );
        const dbSg = new aws.ec2.SecurityGroup(
            `${name}-db-sg`,
            { namePrefix: names.dbSecurityGroupNamePrefix, description: `PostgreSQL ${s.db.identifier}: 5432 from the cluster only`, vpcId: args.vpcId, tags },
            child,
        );
        args.allowedSecurityGroupIds.forEach((sourceId, i) => {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-db-from-${i}`,
                { securityGroupId: dbSg.id, referencedSecurityGroupId: sourceId, ipProtocol: "tcp", fromPort: DATABASE_PORT, toPort: DATABASE_PORT, description: "PostgreSQL from the cluster", tags },
                child,
            );
        });
        const parameterGroup = new aws.rds.ParameterGroup(
            `${name}-db-params`,
            {
                namePrefix: names.dbParameterGroupNamePrefix,
                family: parameterGroupFamily(s.db.engineVersion),
                description: `TLS-only PostgreSQL for ${s.db.identifier}`,
                parameters: dbParameters(),
                tags,
            },
            child,
        );
        // Created first, with retention: RDS would create them without one (named by RDS after the instance).
        const logGroups = DB_LOG_EXPORTS.map(
            (log) => new aws.cloudwatch.LogGroup(`${name}-db-log-${log}`, { name: dbLogGroupName(s.db.identifier, log), retentionInDays: DB_LOG_RETENTION_DAYS, tags }, stateful(child)),
        );
        // The master password: random, a secret from the start, never in config (see README).
        const password = new random.RandomPassword(`${name}-db-password`, { length: 40, special: false }, child);
        const secretPassword = pulumi.secret(password.result);
        const db = new aws.rds.Instance(
            `${name}-db`,
            {
                ...primaryDbSettings(s),
                password: secretPassword,
                kmsKeyId: dbKey.arn,
                performanceInsightsKmsKeyId: dbKey.arn,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [dbSg.id],
                parameterGroupName: parameterGroup.name,
                tags,
            },
            { ...stateful(child), dependsOn: logGroups },
        );
        if (s.db.readReplica) {
            new aws.rds.Instance(
                `${name}-db-replica`,
                {
                    ...replicaDbSettings(s),
                    replicateSourceDb: db.identifier,
                    kmsKeyId: dbKey.arn,
                    performanceInsightsKmsKeyId: dbKey.arn,
                    vpcSecurityGroupIds: [dbSg.id],
                    parameterGroupName: parameterGroup.name,
                    tags,
                },
                stateful(child),
            );
        }

        // --- Kubernetes --------------------------------------------------------------------------
        const namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: s.namespace, labels: { "app.kubernetes.io/part-of": "cloud-cnc", "pod-security.kubernetes.io/enforce": "restricted" } } },
            child,
        );
        const inNs = (deps: pulumi.Resource[] = []): pulumi.CustomResourceOptions => ({ parent: this, dependsOn: [namespace, ...deps] });
        const meta = (n: string) => ({ name: n, namespace: s.namespace, labels: { "app.kubernetes.io/name": "provisioner", "app.kubernetes.io/part-of": "cloud-cnc" } });

        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-sa`,
            { metadata: { ...meta(NAMES.serviceAccount), annotations: irsaServiceAccountAnnotations(role.arn) } },
            inNs([...role.resources, ...policies, boundary]),
        );
        // DATABASE and the Git token: built from secret Outputs, so stringData stays secret in state and previews.
        const secret = new k8s.core.v1.Secret(
            `${name}-secret`,
            {
                metadata: meta(NAMES.secret),
                type: "Opaque",
                stringData: pulumi.secret(
                    pulumi.all([db.address, secretPassword, args.utilitiesGitToken]).apply(([host, pw, token]) => ({
                        [SECRET_KEYS.database]: databaseUrl(host, pw),
                        [SECRET_KEYS.gitToken]: token,
                    })),
                ),
            },
            inNs(),
        );
        const sshSecret = new k8s.core.v1.Secret(
            `${name}-ssh`,
            {
                metadata: meta(NAMES.sshSecret),
                type: "Opaque",
                stringData: pulumi.secret(
                    pulumi.output(args.sshPrivateKey).apply((privateKey) => ({
                        [SSH_FILES.publicKey]: s.sshPublicKey,
                        ...(privateKey ? { [SSH_FILES.privateKey]: privateKey } : {}),
                    })),
                ),
            },
            inNs(),
        );

        // The RDS CA bundle the database connection verifies the server against (sslmode=verify-full).
        const caBundle = new k8s.core.v1.ConfigMap(`${name}-rds-ca`, { metadata: meta(NAMES.caBundle), data: { [CA_BUNDLE.key]: RDS_CA_BUNDLE_PEM } }, inNs());

        const workloadDeps = [serviceAccount, secret, sshSecret, caBundle, db];
        const server = deployment(s, false);
        new k8s.apps.v1.Deployment(`${name}-deployment`, { metadata: server.metadata, spec: server.spec as k8s.types.input.apps.v1.DeploymentSpec }, inNs(workloadDeps));
        new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, podDisruptionBudget(NAMES.deployment, s.namespace), inNs());
        if (s.supervisors.enabled) {
            const sup = deployment(s, true);
            new k8s.apps.v1.Deployment(`${name}-supervisors`, { metadata: sup.metadata, spec: sup.spec as k8s.types.input.apps.v1.DeploymentSpec }, inNs(workloadDeps));
            new k8s.policy.v1.PodDisruptionBudget(`${name}-supervisors-pdb`, podDisruptionBudget(NAMES.supervisors, s.namespace), inNs());
        }
        const svc = new k8s.core.v1.Service(`${name}-service`, service(s.namespace), inNs());
        const host = pulumi.output(args.internalDomain).apply(ingressHost);
        let ingressName: pulumi.Output<string | undefined> = pulumi.output(undefined);
        if (s.ownIngress) {
            const ing = host.apply((h) => ingress(s.namespace, h, s.ingressGroupName, s.certificateArn));
            ingressName = new k8s.networking.v1.Ingress(`${name}-ingress`, { metadata: ing.metadata, spec: ing.spec }, inNs([svc])).metadata.name;
        }

        // --- Outputs -------------------------------------------------------------------------------
        this.databaseEndpoint = db.address;
        this.databaseName = pulumi.output(DATABASE_NAME);
        this.stateBucketName = bucket.bucket;
        this.roleArn = role.arn;
        this.boundaryPolicyArn = boundary.arn;
        this.namespace = namespace.metadata.name;
        this.serviceName = svc.metadata.name;
        this.internalUrl = pulumi.output(internalUrl(s.namespace));
        this.host = host;
        this.ingressName = ingressName;
        this.registerOutputs({
            databaseEndpoint: this.databaseEndpoint,
            databaseName: this.databaseName,
            stateBucketName: this.stateBucketName,
            roleArn: this.roleArn,
            boundaryPolicyArn: this.boundaryPolicyArn,
            namespace: this.namespace,
            serviceName: this.serviceName,
            internalUrl: this.internalUrl,
            host: this.host,
            ingressName: this.ingressName,
        });
    }
}

