// ProvisionerServer under Pulumi mocks: what is registered, with which inputs, options and secrets.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { InvalidArgsError } from "../../components/common/errors";
import { RDS_CA_BUNDLE_PEM } from "../../components/provisioner/rds-ca-bundle";
import { ProvisionerServer, ProvisionerServerArgs } from "../../components/provisioner";
import { stateBucketPolicy } from "../../components/provisioner/plan";
import { deployment } from "../../components/provisioner/render";
import { provisionerSchema } from "../../components/provisioner/schema";
import { provisionerConfigSchema } from "../../stacks/config/provisioner";
import { validateSection } from "../../stacks/config/validate";
import { RecordedResource, Recorder, settle, valueOf, isSecret } from "../support/pulumi-harness";
import {
    ADMIN_ROLES,
    CLUSTER_SG,
    DB_HOST,
    DB_PASSWORD,
    GIT_TOKEN,
    OIDC_ARN,
    OIDC_URL,
    SSH_PRIVATE_KEY,
    SSH_PUBLIC_KEY,
    SUBNETS,
    StackKeys,
    VPC_ID,
    containsText,
    dev,
    prod,
    provisionerArgs,
    setupProvisionerPulumi,
} from "../support/provisioner-harness";

const T = {
    component: "cloud-cnc:index:ProvisionerServer",
    key: "aws:kms/key:Key",
    alias: "aws:kms/alias:Alias",
    bucket: "aws:s3/bucket:Bucket",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    role: "aws:iam/role:Role",
    policy: "aws:iam/policy:Policy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    db: "aws:rds/instance:Instance",
    subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    params: "aws:rds/parameterGroup:ParameterGroup",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    password: "random:index/randomPassword:RandomPassword",
    namespace: "kubernetes:core/v1:Namespace",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    secret: "kubernetes:core/v1:Secret",
    deployment: "kubernetes:apps/v1:Deployment",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    service: "kubernetes:core/v1:Service",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
};


/** The section as a stack file carries it. */
const section = {
    imageTag: "v0.93.1",
    utilitiesGitUrl: "https://gitlab.example.com",
    utilitiesGitPath: "/cloud/gitops.git",
    sshPublicKey: SSH_PUBLIC_KEY,
    adminRoleArns: ADMIN_ROLES,
    route53ZoneIds: ["Z0123456789ABCDEFGHIJ"],
};

/** Args as the composition builds them: the config section + stack keys + secrets + network/cluster outputs. */
function composed(stack: StackKeys, extra: Record<string, unknown> = {}): ProvisionerServerArgs {
    const { value, messages } = validateSection("provisioner", provisionerConfigSchema, { ...section, ...extra });
    assert.deepEqual(messages, []);
    return {
        ...value!,
        route53ZoneIds: value!.route53ZoneIds as string[],
        ...stack,
        region: "eu-west-1",
        utilitiesGitToken: pulumi.secret(GIT_TOKEN),
        sshPrivateKey: pulumi.secret(SSH_PRIVATE_KEY),
        vpcId: pulumi.output(VPC_ID),
        subnetIds: pulumi.output(SUBNETS),
        allowedSecurityGroupIds: [pulumi.output(CLUSTER_SG)],
        internalDomain: pulumi.output(`apps.${stack.environment}.cnc.internal`),
        oidcProviderArn: pulumi.output(OIDC_ARN),
        oidcProviderUrl: pulumi.output(OIDC_URL),
    };
}

async function build(args: ProvisionerServerArgs, name = "cnc") {
    const h = await setupProvisionerPulumi();
    const component = new ProvisionerServer(name, args, h.opts);
    await settle();
    return { ...h, component };
}

function byMetadataName(rec: Recorder, type: string, n: string): RecordedResource {
    const found = rec.ofType(type).filter((r) => r.inputs.metadata?.name === n);
    assert.equal(found.length, 1, `one ${type} named ${n}, found ${found.length}`);
    return found[0];
}

describe("ProvisionerServer (mocks)", () => {
    it("creates the kops state bucket: exact name, SSE-KMS with its own rotating key, versioned, private, owner-enforced", async () => {
        const { rec } = await build(provisionerArgs());
        const bucket = rec.one(T.bucket);
        assert.equal(bucket.inputs.bucket, "cloud-test-kops-state");
        const stateKey = rec.one(T.key, "cnc-state-key");
        assert.equal(stateKey.inputs.enableKeyRotation, true);
        const sse = rec.one(T.sse).inputs.rules[0];
        assert.equal(sse.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        assert.equal(sse.applyServerSideEncryptionByDefault.kmsMasterKeyId, stateKey.state.arn);
        assert.equal(sse.bucketKeyEnabled, true);
        assert.deepEqual(rec.one(T.versioning).inputs.versioningConfiguration, { status: "Enabled" });
        const pab = rec.one(T.publicAccess).inputs;
        for (const k of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) assert.equal(pab[k], true, k);
        assert.deepEqual(rec.one(T.ownership).inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
        assert.equal(rec.one(T.lifecycle).inputs.rules[0].noncurrentVersionExpiration.noncurrentDays, 90);
        // Key aliases stay out of alias/cloud-*: the provisioner's KMS grants follow that pattern.
        assert.deepEqual(rec.ofType(T.alias).map((a) => a.inputs.name).sort(), ["alias/provisioner/cloud-test-provisioner-db", "alias/provisioner/cloud-test-provisioner-kops-state"]);
    });

    it("lets only the provisioner role and the admin roles at the state objects (bucket policy with the real role ARN)", async () => {
        const { rec } = await build(provisionerArgs());
        const role = rec.one(T.role);
        const policy = JSON.parse(rec.one(T.bucketPolicy).inputs.policy) as ReturnType<typeof stateBucketPolicy>;
        assert.deepEqual(policy, stateBucketPolicy("arn:aws:s3:::cloud-test-kops-state", role.state.arn, ADMIN_ROLES));
        assert.deepEqual(policy.Statement[1].Condition?.ArnNotEquals["aws:PrincipalArn"], [role.state.arn, ...ADMIN_ROLES]);
        // The policy waits for the public access block (a policy before it could be rejected as public).
        assert.equal(rec.one(T.bucketPolicy).dependencies.length > 0, true);
    });

    it("gives the service account an IRSA role with five scoped managed policies, capped by its permissions boundary", async () => {
        const { rec } = await build(provisionerArgs());
        const role = rec.one(T.role);
        const trust = JSON.parse(role.inputs.assumeRolePolicy);
        assert.deepEqual(trust.Statement[0].Condition.StringEquals, {
            "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:provisioner:provisioner",
            "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud": "sts.amazonaws.com",
        });
        const policies = rec.ofType(T.policy).filter((p) => p.name !== "cnc-boundary");
        assert.deepEqual(policies.map((p) => p.name).sort(), ["cnc-policy-dns", "cnc-policy-iam", "cnc-policy-installations", "cnc-policy-kops", "cnc-policy-storage"]);
        const sids = policies.flatMap((p) => JSON.parse(p.inputs.policy).Statement.map((s: { Sid: string }) => s.Sid));
        assert.equal(sids.length, 39);
        assert.deepEqual(rec.ofType(T.attachment).map((a) => a.inputs.policyArn).sort(), policies.map((p) => p.state.arn).sort(), "the boundary is not attached, it caps");
        // The boundary: its exact name, set as the role's permissions boundary, the database key denied by ARN.
        const boundary = rec.one(T.policy, "cnc-boundary");
        assert.equal(boundary.inputs.name, "cloud-test-provisioner-boundary");
        assert.equal(role.inputs.permissionsBoundary, boundary.state.arn);
        const denies = JSON.parse(boundary.inputs.policy).Statement.find((s: { Sid: string }) => s.Sid === "DenyCncKeys");
        assert.deepEqual(denies.Resource, [rec.one(T.key, "cnc-db-key").state.arn], "its own database key, never its state key (it uses that one)");
        const storage = JSON.parse(rec.one(T.policy, "cnc-policy-storage").inputs.policy);
        assert.equal(storage.Statement.find((s: { Sid: string }) => s.Sid === "DenyStateKeyExceptSse").Resource, rec.one(T.key, "cnc-state-key").state.arn);
        const dns = JSON.parse(rec.one(T.policy, "cnc-policy-dns").inputs.policy);
        assert.deepEqual(dns.Statement[0].Resource, ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ", "arn:aws:route53:::hostedzone/Z0987654321KLMNOPQRST"]);
        assert.deepEqual(rec.ofType(T.attachment).map((a) => a.inputs.policyArn).sort(), policies.map((p) => p.state.arn).sort());
        const sa = byMetadataName(rec, T.serviceAccount, "provisioner");
        assert.deepEqual(sa.inputs.metadata.annotations, { "eks.amazonaws.com/role-arn": role.state.arn });
    });

    it("runs RDS PostgreSQL per profile: development small and disposable, production Multi-AZ, 30-day backups, protected, final snapshot", async () => {
        const d = await build(composed(dev));
        const devDb = d.rec.one(T.db).inputs;
        assert.equal(devDb.identifier, "provisioner-dev");
        assert.equal(devDb.instanceClass, "db.t4g.small");
        assert.equal(devDb.backupRetentionPeriod, 7);
        assert.equal(devDb.multiAz, false);
        assert.equal(devDb.deletionProtection, false);
        assert.equal(devDb.skipFinalSnapshot, true);
        assert.equal(devDb.finalSnapshotIdentifier, undefined);
        assert.equal(d.rec.one(T.db).protect, false);

        const p = await build(composed(prod));
        const prodDbRes = p.rec.one(T.db);
        const prodDb = prodDbRes.inputs;
        assert.equal(prodDb.identifier, "provisioner-prod");
        assert.equal(prodDb.instanceClass, "db.m7g.large");
        assert.equal(prodDb.backupRetentionPeriod, 30);
        assert.equal(prodDb.multiAz, true);
        assert.equal(prodDb.deletionProtection, true);
        assert.equal(prodDb.skipFinalSnapshot, false);
        assert.equal(prodDb.finalSnapshotIdentifier, "provisioner-prod-final");
        assert.equal(prodDbRes.protect, true);
        assert.equal(prodDbRes.retainOnDelete, true);
        for (const n of ["cnc-db-key", "cnc-state-key"]) assert.equal(p.rec.one(T.key, n).protect, true, n);
        assert.equal(p.rec.one(T.bucket).protect, true);

        for (const db of [devDb, prodDb]) {
            assert.equal(db.engine, "postgres");
            assert.equal(db.engineVersion, "17");
            assert.equal(db.storageType, "gp3");
            assert.equal(db.storageEncrypted, true);
            assert.equal(db.publiclyAccessible, false);
            assert.equal(db.performanceInsightsEnabled, true);
            assert.equal(db.autoMinorVersionUpgrade, true);
            assert.equal(db.copyTagsToSnapshot, true);
            assert.ok(db.maxAllocatedStorage > db.allocatedStorage);
            assert.equal(db.manageMasterUserPassword, undefined);
        }
        assert.equal(prodDb.kmsKeyId, p.rec.one(T.key, "cnc-db-key").state.arn);
        assert.equal(prodDb.performanceInsightsKmsKeyId, p.rec.one(T.key, "cnc-db-key").state.arn);
    });

    it("puts the database in private subnets behind 5432 from the cluster's security group only, with a TLS-only parameter group", async () => {
        const { rec } = await build(composed(prod));
        assert.deepEqual(rec.one(T.subnetGroup).inputs.subnetIds, SUBNETS);
        const rules = rec.ofType(T.ingressRule);
        assert.equal(rules.length, 1);
        assert.equal(rules[0].inputs.referencedSecurityGroupId, CLUSTER_SG);
        assert.equal(rules[0].inputs.fromPort, 5432);
        assert.equal(rules[0].inputs.toPort, 5432);
        assert.equal(rules[0].inputs.cidrIpv4, undefined);
        assert.equal(rec.one(T.sg).inputs.ingress, undefined);
        const params = rec.one(T.params).inputs;
        assert.equal(params.family, "postgres17");
        assert.deepEqual(params.parameters.find((x: { name: string }) => x.name === "rds.force_ssl"), { name: "rds.force_ssl", value: "1" });
        const db = rec.one(T.db).inputs;
        assert.equal(db.parameterGroupName, rec.one(T.params).state.name);
        assert.deepEqual(db.vpcSecurityGroupIds, ["cnc-db-sg-id"]);
        assert.deepEqual(rec.ofType(T.logGroup).map((l) => [l.inputs.name, l.inputs.retentionInDays]), [
            ["/aws/rds/instance/provisioner-prod/postgresql", 90],
            ["/aws/rds/instance/provisioner-prod/upgrade", 90],
        ]);
    });

    it("adds a read replica only when asked", async () => {
        const without = await build(composed(prod));
        assert.equal(without.rec.ofType(T.db).length, 1);
        const withReplica = await build(composed(prod, { db: { readReplica: true } }));
        const replica = withReplica.rec.one(T.db, "cnc-db-replica").inputs;
        assert.equal(replica.replicateSourceDb, "provisioner-prod");
        assert.equal(replica.identifier, "provisioner-prod-replica");
        assert.equal(replica.storageEncrypted, true);
        assert.equal(replica.password, undefined);
    });

    it("keeps every secret value secret: the DB password, the DSN, the Git token and the SSH key never appear in plain inputs", async () => {
        const { rec } = await build(composed(prod));
        assert.ok(rec.one(T.db).secretInputs.includes("password"));
        assert.equal(rec.one(T.db).inputs.password, DB_PASSWORD);
        const secret = byMetadataName(rec, T.secret, "provisioner");
        assert.deepEqual(secret.secretInputs, ["stringData"]);
        assert.deepEqual(secret.inputs.stringData, {
            DATABASE: `postgres://provisioner:${DB_PASSWORD}@${DB_HOST}:5432/provisioner?sslmode=verify-full&sslrootcert=/etc/rds-ca/rds-ca-bundle.pem`,
            GITLAB_OAUTH_TOKEN: GIT_TOKEN,
        });
        // The file sslrootcert names: the RDS bundle in a ConfigMap both Deployments mount, created before them.
        const ca = byMetadataName(rec, "kubernetes:core/v1:ConfigMap", "provisioner-rds-ca");
        assert.deepEqual(ca.inputs.data, { "rds-ca-bundle.pem": RDS_CA_BUNDLE_PEM });
        for (const d of rec.ofType("kubernetes:apps/v1:Deployment")) {
            assert.ok(d.dependencies.includes(ca.urn), `${d.name} does not wait for the CA bundle`);
            assert.equal(d.inputs.spec.template.spec.automountServiceAccountToken, false, d.name);
            assert.ok(d.inputs.spec.template.spec.volumes.some((v: { configMap?: { name: string } }) => v.configMap?.name === "provisioner-rds-ca"), d.name);
        }
        const ssh = byMetadataName(rec, T.secret, "provisioner-ssh");
        assert.deepEqual(ssh.secretInputs, ["stringData"]);
        assert.deepEqual(ssh.inputs.stringData, { "id_rsa.pub": SSH_PUBLIC_KEY, id_rsa: SSH_PRIVATE_KEY });

        const needles = { "git token": GIT_TOKEN, "db password": DB_PASSWORD, "ssh private key": "TESTKEY-b3BlbnNzaC1rZXktdjEAAAAA" };
        let checked = 0;
        for (const r of rec.resources) {
            for (const [key, value] of Object.entries(r.inputs)) {
                checked++;
                if (r.secretInputs.includes(key)) continue;
                for (const [what, needle] of Object.entries(needles)) {
                    assert.equal(containsText(value, needle), false, `${what} in plain input ${r.type} ${r.name}.${key}`);
                }
            }
        }
        assert.ok(checked > 100, `looked at ${checked} inputs`);
        // The search would have found it: the Secret holds the token (secret) and the test looks there.
        assert.equal(containsText(secret.inputs, GIT_TOKEN), true);
    });

    it("creates the SSH Secret with the public key only when no private key is given", async () => {
        const { rec } = await build(provisionerArgs());
        const ssh = byMetadataName(rec, T.secret, "provisioner-ssh");
        assert.deepEqual(ssh.inputs.stringData, { "id_rsa.pub": SSH_PUBLIC_KEY });
    });

    it("deploys `cloud server` after `cloud schema migrate`, with the flags from config, never latest", async () => {
        const { rec } = await build(composed(prod));
        const dep = byMetadataName(rec, T.deployment, "provisioner");
        const pod = dep.inputs.spec.template.spec;
        assert.deepEqual(pod.initContainers.map((c: { name: string; args: string[] }) => [c.name, c.args]), [["migrate-schema", ["schema", "migrate", "--database", "$(DATABASE)"]]]);
        assert.deepEqual(pod.containers[0].args, [
            "server",
            "--state-store=cloud-prod-kops-state",
            "--utilities-git-url=https://gitlab.example.com",
            "--utilities-git-path=/cloud/gitops.git",
            "--database=$(DATABASE)",
            "--installation-enable-route53=true",
            "--listen=:8075",
            "--metrics-port=8076",
            "--keep-database-data=true",
            "--keep-filestore-data=true",
            "--poll=30",
            "--cluster-resource-threshold=80",
            "--dev=false",
            "--machine-readable-logs=true",
        ]);
        assert.equal(pod.containers[0].image, "mattermost/mattermost-cloud:v0.93.1");
        assert.equal(pod.serviceAccountName, "provisioner");
        assert.equal(dep.inputs.spec.replicas, 2);
        const envRegion = pod.containers[0].env.find((e: { name: string }) => e.name === "AWS_REGION");
        assert.equal(envRegion.value, "eu-west-1");
        // The Deployment waits for its secrets, its service account and the database.
        assert.ok(dep.dependencies.length >= 4, `dependencies: ${dep.dependencies.length}`);

        for (const r of rec.resources) assert.doesNotMatch(JSON.stringify(r.inputs), /:latest\b|"latest"/, `${r.type} ${r.name}`);

        // Every container of every registered Deployment: resources and a hardened security context;
        // the long-running ones also readiness and liveness probes on the API port.
        const deployments = rec.ofType(T.deployment);
        assert.equal(deployments.length, 2);
        for (const d of deployments) {
            const spec = d.inputs.spec.template.spec;
            for (const c of [...spec.initContainers, ...spec.containers]) {
                const where = `${d.inputs.metadata.name}/${c.name}`;
                assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.cpu && c.resources.limits.memory, where);
                assert.equal(c.securityContext.readOnlyRootFilesystem, true, where);
                assert.equal(c.securityContext.runAsNonRoot, true, where);
                assert.equal(c.securityContext.allowPrivilegeEscalation, false, where);
                assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"] }, where);
                assert.deepEqual(c.securityContext.seccompProfile, { type: "RuntimeDefault" }, where);
            }
            for (const c of spec.containers) {
                assert.equal(c.readinessProbe.httpGet.port, "api");
                assert.equal(c.livenessProbe.tcpSocket.port, "api");
                assert.equal(c.ports.find((p: { name: string }) => p.name === "api").containerPort, 8075);
            }
        }
    });

    it("runs the installation supervisors as a second Deployment (--cluster-supervisor=false) in prod, not in dev", async () => {
        const p = await build(composed(prod));
        const sup = byMetadataName(p.rec, T.deployment, "provisioner-installations");
        assert.equal(sup.inputs.spec.replicas, 3);
        const args: string[] = sup.inputs.spec.template.spec.containers[0].args;
        assert.equal(args[args.length - 1], "--cluster-supervisor=false");
        assert.deepEqual(sup.inputs.spec.template.spec.initContainers[0].args, ["schema", "migrate", "--database", "$(DATABASE)"]);
        assert.deepEqual(p.rec.ofType(T.pdb).map((x) => [x.inputs.metadata.name, x.inputs.spec.maxUnavailable]).sort(), [
            ["provisioner", 1],
            ["provisioner-installations", 1],
        ]);

        const d = await build(composed(dev));
        assert.equal(d.rec.ofType(T.deployment).length, 1);
        assert.equal(d.rec.ofType(T.pdb).length, 1);
        const devArgs: string[] = d.rec.one(T.deployment).inputs.spec.template.spec.containers[0].args;
        assert.ok(devArgs.includes("--dev=true") && devArgs.includes("--keep-database-data=false") && devArgs.includes("--keep-filestore-data=false"));
    });

    it("exposes the API on a Service (8075) and an internal ALB Ingress in the shared IngressGroup", async () => {
        const cert = "arn:aws:acm:eu-west-1:123456789012:certificate/0b2b5c5e-7f0a-4c6e-9a51-2f6f0a1b2c3d";
        const { rec } = await build(composed(prod, { certificateArn: cert, ingressGroupName: "private-uis" }));
        const ns = rec.one(T.namespace).inputs.metadata;
        assert.equal(ns.name, "provisioner");
        assert.equal(ns.labels["pod-security.kubernetes.io/enforce"], "restricted");
        const svc = rec.one(T.service).inputs;
        assert.deepEqual(svc.spec.ports[0], { name: "api", port: 8075, targetPort: "api", protocol: "TCP" });
        const ing = rec.one(T.ingress).inputs;
        assert.equal(ing.spec.ingressClassName, "alb");
        assert.equal(ing.spec.rules[0].host, "provisioner.apps.prod.cnc.internal");
        const a = ing.metadata.annotations;
        assert.equal(a["alb.ingress.kubernetes.io/scheme"], "internal");
        assert.equal(a["alb.ingress.kubernetes.io/target-type"], "ip");
        assert.equal(a["alb.ingress.kubernetes.io/group.name"], "private-uis");
        assert.equal(a["alb.ingress.kubernetes.io/listen-ports"], '[{"HTTP":80},{"HTTPS":443}]');
        assert.equal(a["alb.ingress.kubernetes.io/certificate-arn"], cert);

        const plain = await build(composed(dev));
        const pa = plain.rec.one(T.ingress).inputs.metadata.annotations;
        assert.equal(pa["alb.ingress.kubernetes.io/listen-ports"], '[{"HTTP":80}]');
        assert.equal(pa["alb.ingress.kubernetes.io/group.name"], "cnc-internal");
    });

    it("ownIngress false: no Ingress of its own (AppIngress serves the host behind OIDC), and a certificate for it is refused", async () => {
        const { rec, component } = await build({ ...composed(prod), ownIngress: false });
        assert.equal(rec.ofType(T.ingress).length, 0);
        assert.equal(rec.ofType(T.service).length, 1);
        assert.equal(await valueOf(component.ingressName), undefined);
        assert.equal(await valueOf(component.host), "provisioner.apps.prod.cnc.internal");
        const cert = "arn:aws:acm:eu-west-1:123456789012:certificate/0b2b5c5e-7f0a-4c6e-9a51-2f6f0a1b2c3d";
        assert.throws(() => new ProvisionerServer("bad", { ...composed(prod, { certificateArn: cert }), ownIngress: false }), /certificateArn: expected nothing \(the certificate of the provisioner's own Ingress; ownIngress is false/);
    });

    it("uses the providers from options for every child", async () => {
        const { rec } = await build(provisionerArgs());
        const children = rec.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
        for (const r of children) {
            const pkg = r.type.split(":")[0];
            assert.match(r.provider, new RegExp(`pulumi:providers:${pkg}::`), `${r.type} ${r.name} -> ${r.provider}`);
        }
    });

    it("returns the outputs the DNS layer and the composition need", async () => {
        const { component } = await build(composed(prod));
        assert.equal(await valueOf(component.databaseEndpoint), DB_HOST);
        assert.equal(await valueOf(component.databaseName), "provisioner");
        assert.equal(await valueOf(component.stateBucketName), "cloud-prod-kops-state");
        assert.match(await valueOf(component.roleArn), /^arn:aws:iam::123456789012:role\/cnc-role/);
        assert.equal(await valueOf(component.namespace), "provisioner");
        assert.equal(await valueOf(component.serviceName), "provisioner");
        assert.equal(await valueOf(component.internalUrl), "http://provisioner.provisioner.svc:8075");
        assert.equal(await valueOf(component.host), "provisioner.apps.prod.cnc.internal");
        assert.equal(await valueOf(component.ingressName), "provisioner");
        assert.equal(await isSecret(component.databaseEndpoint), false);
    });

    it("gives what it names a physical name that says what it is for: <prefix>-<env>-provisioner-...", async () => {
        const { rec } = await build(composed(prod));
        assert.equal(rec.one(T.role).inputs.namePrefix, "cloud-prod-provisioner-");
        assert.equal(rec.one(T.role).inputs.name, undefined);
        assert.deepEqual(rec.ofType(T.policy).map((p) => p.inputs.namePrefix).sort(), [
            "cloud-prod-provisioner-dns-",
            "cloud-prod-provisioner-iam-",
            "cloud-prod-provisioner-installations-",
            "cloud-prod-provisioner-kops-",
            "cloud-prod-provisioner-storage-",
            undefined,
        ]);
        assert.equal(rec.one(T.policy, "cnc-boundary").inputs.name, "cloud-prod-provisioner-boundary");
        assert.equal(rec.one(T.subnetGroup).inputs.namePrefix, "cloud-prod-provisioner-db-");
        assert.equal(rec.one(T.sg).inputs.namePrefix, "cloud-prod-provisioner-db-");
        assert.equal(rec.one(T.params).inputs.namePrefix, "cloud-prod-provisioner-db-tls-");
        assert.deepEqual(rec.ofType(T.alias).map((a) => a.inputs.name).sort(), ["alias/provisioner/cloud-prod-provisioner-db", "alias/provisioner/cloud-prod-provisioner-kops-state"]);
        // The bucket keeps the cloud- prefix the provisioner requires; the database stays outside it.
        assert.equal(rec.one(T.bucket).inputs.bucket, "cloud-prod-kops-state");
        assert.equal(rec.one(T.db).inputs.identifier, "provisioner-prod");
        // Every key and log group says what it serves.
        assert.deepEqual(rec.ofType(T.key).map((k) => k.inputs.description).sort(), ["RDS storage and Performance Insights of provisioner-prod", "SSE-KMS of the kops state bucket cloud-prod-kops-state"]);
        for (const l of rec.ofType(T.logGroup)) assert.match(l.inputs.name, /^\/aws\/rds\/instance\/provisioner-prod\/(postgresql|upgrade)$/);
    });

    it("renders the Deployments from plain args (the region is an arg, not looked up)", async () => {
        const args = composed(prod);
        const { rec } = await build(args);
        assert.deepEqual(rec.invokes.filter((i) => i.token === "aws:index/getRegion:getRegion"), []);
        const settings = provisionerSchema.parse({ ...args, vpcId: VPC_ID, subnetIds: SUBNETS, allowedSecurityGroupIds: [CLUSTER_SG], internalDomain: "apps.prod.cnc.internal", oidcProviderArn: OIDC_ARN, oidcProviderUrl: OIDC_URL });
        for (const [n, supervisors] of [["provisioner", false], ["provisioner-installations", true]] as const) {
            const expected = JSON.parse(JSON.stringify(deployment(settings, supervisors)));
            assert.deepEqual({ metadata: byMetadataName(rec, T.deployment, n).inputs.metadata, spec: byMetadataName(rec, T.deployment, n).inputs.spec }, expected, n);
        }
    });

    it("throws every problem before creating any child", async () => {
        const h = await setupProvisionerPulumi();
        let error: unknown;
        try {
            new ProvisionerServer("cnc", provisionerArgs({ imageTag: "latest", stateBucketName: "kops-state" }), h.opts);
        } catch (e) {
            error = e;
        }
        await settle();
        assert.ok(error instanceof InvalidArgsError);
        assert.equal(
            (error as Error).message,
            [
                "ProvisionerServer cnc: 2 invalid settings:",
                '  - imageTag: expected a pinned release tag such as v0.93.1 (never latest), found "latest"',
                '  - stateBucketName: expected an S3 bucket name starting with "cloud-" (the provisioner requires it for its kops state store) of at most 63 lowercase letters, digits and \'-\', such as cloud-dev-kops-state, found "kops-state"',
            ].join("\n"),
        );
        const children = h.rec.resources.filter((r) => r.type !== T.component && !r.type.startsWith("pulumi:providers:"));
        assert.deepEqual(children.map((r) => r.type), []);
    });
});
