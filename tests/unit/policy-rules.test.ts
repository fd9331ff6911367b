// Each rule of the policy pack on a passing and a failing fixture: the failing one is reported
// (by that rule), the passing one is not. The table must cover every rule.
import { strict as assert } from "assert";
import type { PolicyResource } from "@pulumi/policy";
import { RULES } from "../../policy/rules";
import { evaluate, fixture, link } from "../support/policy-harness";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/0b2b5c5e-7f0a-4c6e-9a51-2f6f0a1b2c3d";
const T = {
    bucket: "aws:s3/bucket:Bucket",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    rds: "aws:rds/instance:Instance",
    pg: "aws:rds/parameterGroup:ParameterGroup",
    domain: "aws:opensearch/domain:Domain",
    saml: "aws:opensearch/domainSamlOptions:DomainSamlOptions",
    eks: "eks:index:Cluster",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    role: "aws:iam/role:Role",
    user: "aws:iam/user:User",
    fn: "aws:lambda/function:Function",
    invokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    queue: "aws:sqs/queue:Queue",
    topic: "aws:sns/topic:Topic",
    key: "aws:kms/key:Key",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    deployment: "kubernetes:apps/v1:Deployment",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    crb: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
};

/** A bucket and its configurations linked to it (as a preview links an Output input). */
function bucketWith(...configs: Array<[string, Record<string, any>]>): PolicyResource[] {
    const [bucket, ...rest] = fixture([T.bucket, { bucket: "cloud-prod-kops-state" }, "state"], ...configs.map(([t, p], i) => [t, p, `c${i}`] as [string, Record<string, any>, string]));
    for (const c of rest) link(c, "bucket", bucket);
    return [bucket, ...rest];
}
const FULL_PAB: [string, Record<string, any>] = [T.pab, { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }];
const kmsSse = (key: string): [string, Record<string, any>] => [T.sse, { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key } }] }];
const tlsPolicy = (deny: boolean): [string, Record<string, any>] => [T.bucketPolicy, { policy: JSON.stringify({ Statement: [{ Effect: deny ? "Deny" : "Allow", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }] }) }];

const container = (extra: Record<string, any> = {}) => ({
    name: "app",
    image: "quay.io/thanos/thanos:v0.42.4",
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
    securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true },
    ...extra,
});
const deployment = (c: Record<string, any>, volumes: unknown[] = []) => fixture([T.deployment, { spec: { template: { spec: { containers: [c], volumes } } } }]);
const domain = (extra: Record<string, any> = {}) => ({
    domainName: "cloud-prod-logs",
    vpcOptions: { subnetIds: ["subnet-1"] },
    encryptAtRest: { enabled: true },
    nodeToNodeEncryption: { enabled: true },
    domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
    advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: false },
    accessPolicies: JSON.stringify({ Statement: [{ Sid: "LogWriters", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::123456789012:role/fb"] }, Action: "es:ESHttpPut", Resource: "arn:aws:es:eu-west-1:123456789012:domain/cloud-prod-logs/*" }] }),
    ...extra,
});
const eks = (extra: Record<string, any> = {}) => ({ endpointPrivateAccess: true, endpointPublicAccess: false, encryptionConfigKeyArn: KEY, enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"], ...extra });
const irsaTrust = (condition: Record<string, any>) =>
    JSON.stringify({ Statement: [{ Sid: "Irsa", Effect: "Allow", Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: condition }] });
const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";
function alarmTopic(keyPolicy: unknown[], topicKey = KEY): PolicyResource[] {
    const [key, topic, alarm] = fixture([T.key, { policy: JSON.stringify({ Statement: keyPolicy }) }, "k"], [T.topic, { name: "cloud-prod-alarms", kmsMasterKeyId: topicKey }, "t"], [T.alarm, { alarmActions: ["arn:aws:sns:eu-west-1:123456789012:cloud-prod-alarms"] }, "a"]);
    link(topic, "kmsMasterKeyId", key);
    link(alarm, "alarmActions", topic);
    return [key, topic, alarm];
}
const CW_ALLOWED = [{ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: "*" }];
function fnWith(config?: Record<string, any>, fnProps: Record<string, any> = {}): PolicyResource[] {
    const rs = fixture([T.fn, { name: "cloud-prod-dns-registrar", runtime: "nodejs24.x", ...fnProps }, "f"], ...(config ? [[T.invokeConfig, config, "c"] as [string, Record<string, any>, string]] : []));
    if (rs[1]) link(rs[1], "functionName", rs[0]);
    return rs;
}

/** rule name -> [passing fixture, failing fixture, pack config]. */
const CASES: Record<string, [PolicyResource[], PolicyResource[], Record<string, unknown>?]> = {
    "s3-public-access-block": [bucketWith(FULL_PAB), bucketWith([T.pab, { ...FULL_PAB[1], restrictPublicBuckets: false }])],
    "s3-sse-kms": [bucketWith(kmsSse(KEY)), bucketWith([T.sse, { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }])],
    "s3-tls-only": [bucketWith(tlsPolicy(true)), bucketWith(tlsPolicy(false))],
    "s3-state-versioning": [bucketWith([T.versioning, { versioningConfiguration: { status: "Enabled" } }]), bucketWith([T.versioning, { versioningConfiguration: { status: "Suspended" } }])],
    "rds-encrypted": [fixture([T.rds, { storageEncrypted: true }]), fixture([T.rds, { storageEncrypted: false }])],
    "rds-not-public": [fixture([T.rds, { publiclyAccessible: false }]), fixture([T.rds, { publiclyAccessible: true }])],
    "rds-backups": [fixture([T.rds, { backupRetentionPeriod: 7 }]), fixture([T.rds, { backupRetentionPeriod: 1 }])],
    "rds-deletion-protection": [fixture([T.rds, { deletionProtection: true }]), fixture([T.rds, { deletionProtection: false }]), { productionProfile: true }],
    "rds-force-ssl": [
        (() => {
            const [i, g] = fixture([T.rds, { engine: "postgres", parameterGroupName: "pg-1" }, "i"], [T.pg, { name: "pg-1", parameters: [{ name: "rds.force_ssl", value: "1" }] }, "g"]);
            return [i, g];
        })(),
        fixture([T.rds, { engine: "postgres", parameterGroupName: "pg-1" }, "i"], [T.pg, { name: "pg-1", parameters: [{ name: "rds.force_ssl", value: "0" }] }, "g"]),
    ],
    "opensearch-in-vpc": [fixture([T.domain, domain()]), fixture([T.domain, domain({ vpcOptions: undefined })])],
    "opensearch-encryption": [fixture([T.domain, domain()]), fixture([T.domain, domain({ nodeToNodeEncryption: { enabled: false } })])],
    "opensearch-https-only": [fixture([T.domain, domain()]), fixture([T.domain, domain({ domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" } })])],
    "opensearch-fine-grained-access": [fixture([T.domain, domain()]), fixture([T.domain, domain({ advancedSecurityOptions: { enabled: false } })])],
    "opensearch-no-wildcard-principal": [
        fixture([T.domain, domain({ accessPolicies: JSON.stringify({ Statement: [{ Sid: "SamlBrowserSessions", Effect: "Allow", Principal: { AWS: "*" }, Action: "es:ESHttpGet" }] }) })], [T.saml, { domainName: "cloud-prod-logs", samlOptions: { enabled: true } }]),
        // The same statement without SAML sign-in in the stack.
        fixture([T.domain, domain({ accessPolicies: JSON.stringify({ Statement: [{ Sid: "SamlBrowserSessions", Effect: "Allow", Principal: { AWS: "*" }, Action: "es:ESHttpGet" }] }) })]),
    ],
    "eks-private-endpoint": [fixture([T.eks, eks({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.7/32"] })]), fixture([T.eks, eks({ endpointPublicAccess: true })])],
    "eks-secrets-encryption": [fixture([T.eks, eks()]), fixture([T.eks, eks({ encryptionConfigKeyArn: undefined })])],
    "eks-control-plane-logs": [fixture([T.eks, eks()]), fixture([T.eks, eks({ enabledClusterLogTypes: ["api", "audit"] })])],
    "eks-no-open-public-cidr": [fixture([T.eks, eks({ publicAccessCidrs: ["203.0.113.7/32"] })]), fixture([T.eks, eks({ endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] })])],
    "iam-no-star-on-star": [
        fixture([T.rolePolicy, { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "ec2:Describe*", Resource: "*" }] }) }]),
        fixture([T.rolePolicy, { policy: JSON.stringify({ Statement: [{ Sid: "Admin", Effect: "Allow", Action: ["*"], Resource: "*" }] }) }]),
    ],
    "iam-no-admin-managed-policies": [fixture([T.attachment, { policyArn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" }]), fixture([T.attachment, { policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }])],
    "iam-exact-service-account-trust": [
        fixture([T.role, { assumeRolePolicy: irsaTrust({ StringEquals: { [`${ISSUER}:sub`]: "system:serviceaccount:monitoring:kps-prometheus", [`${ISSUER}:aud`]: "sts.amazonaws.com" } }) }]),
        fixture([T.role, { assumeRolePolicy: irsaTrust({ StringLike: { [`${ISSUER}:sub`]: "system:serviceaccount:monitoring:*" } }) }]),
    ],
    "iam-no-users-or-keys": [fixture([T.role, {}]), fixture([T.user, { name: "deployer" }])],
    "lambda-explicit-runtime": [fixture([T.fn, { runtime: "nodejs24.x" }]), fixture([T.fn, { imageUri: "x" }])],
    "lambda-failure-destination": [fnWith({ functionName: "cloud-prod-dns-registrar", destinationConfig: { onFailure: { destination: "arn:aws:sqs:eu-west-1:123456789012:dlq" } } }), fnWith()],
    "lambda-no-secret-env": [
        fixture([T.fn, { environment: { variables: { REGISTRAR_NAMESPACE: "monitoring", TOKEN_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x" } } }]),
        fixture([T.fn, { environment: { variables: { GIT_TOKEN: "glpat-abcdefghijklmnop" } } }]),
    ],
    "sqs-encrypted": [fixture([T.queue, { sqsManagedSseEnabled: true }]), fixture([T.queue, { sqsManagedSseEnabled: false }])],
    "sns-encrypted": [fixture([T.topic, { kmsMasterKeyId: KEY }]), fixture([T.topic, {}])],
    "log-group-retention": [fixture([T.logGroup, { retentionInDays: 90 }]), fixture([T.logGroup, {}])],
    "log-group-cmk": [fixture([T.logGroup, { kmsKeyId: KEY }]), fixture([T.logGroup, {}])],
    "sns-alarm-topic-cmk": [alarmTopic(CW_ALLOWED), alarmTopic([{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*" }])],
    "k8s-no-privileged-or-root": [deployment(container()), deployment(container({ securityContext: { privileged: true, allowPrivilegeEscalation: true } }))],
    "k8s-requests-and-limits": [deployment(container()), deployment(container({ resources: { requests: { cpu: "1" } } }))],
    "k8s-pinned-images": [deployment(container()), deployment(container({ image: "quay.io/thanos/thanos:latest" }))],
    "k8s-no-host-path": [
        fixture([T.daemonSet, { spec: { template: { spec: { containers: [container()], volumes: [{ name: "state", hostPath: { path: "/var/fluent-bit/state" } }] } } } }]),
        deployment(container(), [{ name: "root", hostPath: { path: "/" } }]),
    ],
    "k8s-no-stray-cluster-admin": [
        fixture([T.crb, { roleRef: { name: "cluster-admin" }, subjects: [{ kind: "Group", name: "cnc-admins" }] }]),
        fixture([T.crb, { roleRef: { name: "cluster-admin" }, subjects: [{ kind: "ServiceAccount", namespace: "headlamp", name: "headlamp" }] }]),
        { allowedClusterAdminSubjects: ["Group:cnc-admins"] },
    ],
};

describe("policy pack rules: a passing and a failing fixture each", () => {
    it("has at least 25 rules, every one with a case here, each named once, with a description", () => {
        const names = RULES.map((r) => r.policy.name);
        assert.ok(names.length >= 25, `${names.length} rules`);
        assert.equal(new Set(names).size, names.length);
        assert.deepEqual([...names].sort(), Object.keys(CASES).sort());
        for (const r of RULES) assert.ok((r.policy.description ?? "").length > 30, r.policy.name);
        // Mandatory unless the description argues otherwise (the advisory ones say why).
        for (const r of RULES.filter((x) => x.policy.enforcementLevel !== "mandatory")) assert.match(r.policy.description!, /Advisory:/, r.policy.name);
    });

    for (const rule of RULES) {
        it(`${rule.policy.name}: passes the good fixture, reports the bad one`, async () => {
            const [good, bad, cfg] = CASES[rule.policy.name];
            assert.deepEqual(await evaluate(rule, good, cfg), [], "the passing fixture is reported");
            const reported = await evaluate(rule, bad, cfg);
            assert.ok(reported.length > 0, "the failing fixture is not reported");
            assert.ok(reported.every((v) => v.rule === rule.policy.name));
            // Only the rule's own types are judged: the bad fixture under another rule's types passes untouched.
            const others = RULES.filter((r) => !r.types.some((t) => bad.some((b) => b.type === t)));
            for (const o of others.slice(0, 3)) assert.deepEqual(await evaluate(o, bad, cfg), [], `${o.policy.name} judged a ${bad[0].type}`);
        });
    }
});
