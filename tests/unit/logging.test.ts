// LoggingPipeline under Pulumi mocks: what is registered, with which inputs and options.
import { strict as assert } from "assert";
import * as YAML from "yaml";
import { InvalidArgsError } from "../../components/common/errors";
import { versions } from "../../components/common/versions";
import { LoggingPipeline } from "../../components/logging";
import { LAMBDA_VPC_ACTIONS, hasWildcardPrincipal } from "../../components/logging/plan";
import { BootstrapEvent, desiredHash } from "../../functions/opensearch-bootstrap/contract";
import { ACCOUNT_ID, RecordedResource, Recorder, settle, setupPulumi, valueOf } from "../support/pulumi-harness";
import { CLUSTER_SG, OIDC_ARN, SRE_ROLE, SUBNETS, argsFor, buildLogging, endpointFor } from "../support/logging-fixtures";

const T = {
    domain: "aws:opensearch/domain:Domain",
    key: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    logPolicy: "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    fn: "aws:lambda/function:Function",
    invocation: "aws:lambda/invocation:Invocation",
    release: "kubernetes:helm.sh/v3:Release",
    namespace: "kubernetes:core/v1:Namespace",
};

const DEV_DOMAIN_ARN = `arn:aws:es:eu-west-1:${ACCOUNT_ID}:domain/cloud-dev-logs`;
const json = (s: string) => JSON.parse(s);

function event(rec: Recorder): BootstrapEvent {
    return json(rec.one(T.invocation).inputs.input);
}

/** The id the harness gives every custom resource. */
function mockId(r: RecordedResource): string {
    return `${r.name}-id`;
}

/** Every security group rule resource type: aws.vpc ingress/egress rules and aws.ec2.SecurityGroupRule. */
const SG_RULE_TYPE = /^aws:(vpc|ec2)\/securityGroup(Ingress|Egress)?Rule:/;
/** The inputs by which a rule references a security group: its own, or its peer. */
const SG_REFERENCES = ["securityGroupId", "referencedSecurityGroupId", "sourceSecurityGroupId"];

function roleArnOf(r: RecordedResource): string {
    return r.state.arn;
}

describe("LoggingPipeline (mocks)", function () {
    this.timeout(180_000);

    it("dev: one small data node, no zone awareness, no masters, 20 GiB gp3, one private subnet, pinned engine, not protected", async () => {
        const { rec } = await build("dev");
        const d = rec.one(T.domain);
        assert.equal(d.inputs.domainName, "cloud-dev-logs");
        assert.equal(d.inputs.engineVersion, versions.logging.engineVersion);
        assert.deepEqual(d.inputs.clusterConfig, { instanceType: "m7g.medium.search", instanceCount: 1, zoneAwarenessEnabled: false, dedicatedMasterEnabled: false });
        assert.deepEqual(d.inputs.ebsOptions, { ebsEnabled: true, volumeSize: 20, volumeType: "gp3" });
        assert.deepEqual(d.inputs.vpcOptions.subnetIds, [SUBNETS[0]]);
        assert.equal(d.protect, false);
        assert.equal(d.retainOnDelete, false);
        // One data node: replicas could never be allocated.
        assert.equal(event(rec).desired.indexTemplate.body.template.settings["index.number_of_replicas"], 0);
    });

    it("AWS's recommended domain alarms, notifying the topic when given: free storage at 25% of the volume, nodes = data + masters", async () => {
        const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT_ID}:cloud-prod-alarms`;
        const { rec } = await build("prod", {}, { alarmTopicArn: TOPIC });
        const alarms = Object.fromEntries(rec.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => [a.inputs.name, a.inputs]));
        assert.deepEqual(Object.keys(alarms).sort(), ["cluster-red", "cluster-yellow", "cpu-high", "free-storage", "jvm-pressure", "kms-key-error", "kms-key-inaccessible", "nodes", "snapshot-failed", "writes-blocked"].map((r) => `cloud-prod-logs-${r}`));
        for (const a of Object.values<any>(alarms)) {
            assert.equal(a.namespace, "AWS/ES");
            assert.deepEqual(a.dimensions, { DomainName: "cloud-prod-logs", ClientId: ACCOUNT_ID });
            assert.deepEqual([a.alarmActions, a.okActions], [[TOPIC], [TOPIC]]);
        }
        const pick = (r: string) => {
            const a = alarms[`cloud-prod-logs-${r}`];
            return [a.metricName, a.statistic, a.period, a.evaluationPeriods, a.comparisonOperator, a.threshold, a.treatMissingData];
        };
        assert.deepEqual(pick("cluster-red"), ["ClusterStatus.red", "Maximum", 60, 1, "GreaterThanOrEqualToThreshold", 1, "missing"]);
        assert.deepEqual(pick("cluster-yellow"), ["ClusterStatus.yellow", "Maximum", 60, 5, "GreaterThanOrEqualToThreshold", 1, "missing"]);
        // prod: 200 GiB per data node -> 25% = 51200 MiB; 3 data + 3 dedicated masters.
        assert.deepEqual(pick("free-storage"), ["FreeStorageSpace", "Minimum", 60, 1, "LessThanOrEqualToThreshold", 51200, "missing"]);
        assert.deepEqual(pick("nodes"), ["Nodes", "Minimum", 86400, 1, "LessThanThreshold", 6, "missing"]);
        assert.deepEqual(pick("writes-blocked"), ["ClusterIndexWritesBlocked", "Maximum", 300, 1, "GreaterThanOrEqualToThreshold", 1, "notBreaching"]);
        assert.deepEqual(pick("jvm-pressure"), ["JVMMemoryPressure", "Maximum", 60, 3, "GreaterThanOrEqualToThreshold", 95, "missing"]);
        const dev = await build("dev");
        const devAlarms = dev.rec.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
        assert.equal(devAlarms.length, 10);
        for (const a of devAlarms) assert.deepEqual(a.inputs.alarmActions, [], "no topic: alarms without actions");
        // dev: 20 GiB, one node, no masters.
        assert.equal(devAlarms.find((a) => a.inputs.name === "cloud-dev-logs-free-storage")!.inputs.threshold, 5120);
        assert.equal(devAlarms.find((a) => a.inputs.name === "cloud-dev-logs-nodes")!.inputs.threshold, 1);
    });

    it("prod: 3 data nodes across 3 AZs, 3 dedicated masters, 200 GiB each, three subnets, protected and retained", async () => {
        const { rec } = await build("prod");
        const d = rec.one(T.domain);
        assert.equal(d.inputs.domainName, "cloud-prod-logs");
        assert.deepEqual(d.inputs.clusterConfig, {
            instanceType: "r7g.large.search",
            instanceCount: 3,
            zoneAwarenessEnabled: true,
            zoneAwarenessConfig: { availabilityZoneCount: 3 },
            dedicatedMasterEnabled: true,
            dedicatedMasterType: "m7g.large.search",
            dedicatedMasterCount: 3,
        });
        assert.deepEqual(d.inputs.ebsOptions, { ebsEnabled: true, volumeSize: 200, volumeType: "gp3" });
        assert.deepEqual(d.inputs.vpcOptions.subnetIds, SUBNETS);
        for (const r of [d, rec.one(T.key), ...rec.ofType(T.logGroup).filter((g) => g.name.startsWith("logs-") && g.name !== "logs-bootstrap-logs")]) {
            assert.equal(r.protect, true, `${r.name} protected`);
            assert.equal(r.retainOnDelete, true, `${r.name} retained`);
        }
        assert.equal(event(rec).desired.indexTemplate.body.template.settings["index.number_of_replicas"], 1);
        assert.equal(event(rec).desired.ismPolicy.policy.states[0].transitions[0].conditions!.min_index_age, "30d", "prod keeps 30 days");
    });

    it("encryption at rest with its own rotating key, node-to-node encryption, HTTPS only with TLS 1.2 PFS, FGAC with the bootstrap role as IAM master", async () => {
        const { rec } = await build("dev");
        const d = rec.one(T.domain);
        const key = rec.one(T.key);
        assert.equal(key.inputs.enableKeyRotation, true);
        assert.deepEqual(d.inputs.encryptAtRest, { enabled: true, kmsKeyId: key.state.arn });
        assert.deepEqual(d.inputs.nodeToNodeEncryption, { enabled: true });
        assert.deepEqual(d.inputs.domainEndpointOptions, { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" });
        const bootstrapRole = rec.one(T.role, "logs-bootstrap-role");
        assert.deepEqual(d.inputs.advancedSecurityOptions, {
            enabled: true,
            anonymousAuthEnabled: false,
            internalUserDatabaseEnabled: false,
            masterUserOptions: { masterUserArn: roleArnOf(bootstrapRole) },
        });
        assert.equal(rec.one(T.fn).inputs.role, roleArnOf(bootstrapRole), "the Lambda runs as the FGAC master");
    });

    it("access policy: every principal named exactly (no '*'), data-plane verbs on <domain>/* only", async () => {
        const { rec } = await build("dev");
        const policy = json(rec.one(T.domain).inputs.accessPolicies);
        assert.equal(hasWildcardPrincipal(policy), false);
        assert.doesNotMatch(rec.one(T.domain).inputs.accessPolicies, /"Principal":"\*"|"AWS":"\*"|"AWS":\["\*"/);
        const fluentBitRole = roleArnOf(rec.one(T.role, "logs-fluent-bit"));
        const bootstrapRole = roleArnOf(rec.one(T.role, "logs-bootstrap-role"));
        const principals = policy.Statement.map((s: any) => [s.Sid, s.Principal.AWS]);
        assert.deepEqual(principals, [
            ["LogWriters", [fluentBitRole]],
            ["Bootstrap", bootstrapRole],
            ["HumanReaders", [SRE_ROLE]],
        ]);
        for (const s of policy.Statement) {
            assert.equal(s.Resource, `${DEV_DOMAIN_ARN}/*`);
            assert.ok(!s.Action.includes("es:ESHttpDelete") && !s.Action.includes("es:*"));
        }
        assert.deepEqual(policy.Statement[2].Action, ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost"], "humans never PUT");
    });

    it("security groups: the domain accepts 443 from the cluster SG, the CIDRs and the bootstrap only; the bootstrap may only reach the domain", async () => {
        const { rec } = await build("dev", { allowedCidrs: ["10.100.0.0/16"] });
        const domainSg = rec.one(T.sg, "logs-sg");
        const bootstrapSg = rec.one(T.sg, "logs-bootstrap-sg");
        assert.equal(domainSg.inputs.ingress, undefined, "no inline rules");
        assert.equal(domainSg.inputs.egress, undefined);
        assert.deepEqual(rec.one(T.domain).inputs.vpcOptions.securityGroupIds, ["logs-sg-id"]);
        const rules = rec.ofType(T.ingress).map((r) => ({ name: r.name, sg: r.inputs.securityGroupId, from: r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4, ports: [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort] }));
        assert.deepEqual(rules, [
            { name: "logs-https-from-sg-0", sg: "logs-sg-id", from: CLUSTER_SG, ports: ["tcp", 443, 443] },
            { name: "logs-https-from-cidr-0", sg: "logs-sg-id", from: "10.100.0.0/16", ports: ["tcp", 443, 443] },
            { name: "logs-https-from-bootstrap", sg: "logs-sg-id", from: "logs-bootstrap-sg-id", ports: ["tcp", 443, 443] },
        ]);
        const egress = rec.one(T.egress);
        assert.deepEqual([egress.inputs.securityGroupId, egress.inputs.referencedSecurityGroupId, egress.inputs.fromPort, egress.inputs.toPort], [bootstrapSg.name + "-id", "logs-sg-id", 443, 443]);
        assert.ok(!JSON.stringify(rec.ofType(T.ingress).map((r) => r.inputs)).includes("0.0.0.0/0"));
    });

    it("Fluent Bit's IRSA role: trust limited to logging/fluent-bit, permissions on exactly arn:aws:es:<region>:<account>:domain/<name>/*", async () => {
        const { rec } = await build("dev");
        const role = rec.one(T.role, "logs-fluent-bit");
        const trust = json(role.inputs.assumeRolePolicy);
        assert.deepEqual(trust.Statement, [
            {
                Sid: "AssumeFromExactServiceAccount",
                Effect: "Allow",
                Principal: { Federated: OIDC_ARN },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:logging:fluent-bit",
                        "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud": "sts.amazonaws.com",
                    },
                },
            },
        ]);
        const policy = json(rec.one(T.rolePolicy, "logs-fluent-bit-opensearch").inputs.policy);
        assert.equal(policy.Statement.length, 1);
        assert.equal(policy.Statement[0].Resource, `${DEV_DOMAIN_ARN}/*`);
        assert.ok(policy.Statement[0].Resource.endsWith("/*"), "the domain ARN alone matches no request path");
        assert.deepEqual(policy.Statement[0].Action, ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"]);
    });

    it("audit, error and slow logs go to four retained log groups that OpenSearch may write (this account and domain only); snapshot hour set", async () => {
        const { rec } = await build("dev");
        const d = rec.one(T.domain);
        const groups = rec.ofType(T.logGroup).filter((g) => g.inputs.name?.startsWith("/aws/opensearch/"));
        assert.deepEqual(
            groups.map((g) => [g.inputs.name, g.inputs.retentionInDays]),
            ["audit", "application", "search-slow", "index-slow"].map((s) => [`/aws/opensearch/cloud-dev-logs/${s}`, 7]),
        );
        assert.deepEqual(
            d.inputs.logPublishingOptions.map((o: any) => [o.logType, o.enabled, o.cloudwatchLogGroupArn]),
            [
                ["AUDIT_LOGS", true, groups[0].state.arn],
                ["ES_APPLICATION_LOGS", true, groups[1].state.arn],
                ["SEARCH_SLOW_LOGS", true, groups[2].state.arn],
                ["INDEX_SLOW_LOGS", true, groups[3].state.arn],
            ],
        );
        const logPolicy = rec.one(T.logPolicy);
        const doc = json(logPolicy.inputs.policyDocument);
        assert.deepEqual(doc.Statement[0].Principal, { Service: "es.amazonaws.com" });
        assert.deepEqual(doc.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": DEV_DOMAIN_ARN } });
        assert.deepEqual(doc.Statement[0].Resource, groups.map((g) => `${g.state.arn}:*`));
        assert.ok(d.dependencies.includes(logPolicy.urn), "the domain waits for the resource policy");
        assert.deepEqual(d.inputs.snapshotOptions, { automatedSnapshotStartHour: 3 });
    });

    it("bootstrap Lambda: CallbackFunction on nodejs24.x arm64 in all private subnets, least-privilege role", async () => {
        const { rec } = await build("dev");
        const fn = rec.one(T.fn);
        assert.equal(fn.inputs.runtime, "nodejs24.x");
        assert.ok(Number(/^nodejs(\d+)\.x$/.exec(fn.inputs.runtime)![1]) >= 22);
        assert.deepEqual(fn.inputs.architectures, ["arm64"]);
        assert.equal(fn.inputs.handler, "__index.handler", "a CallbackFunction archive");
        assert.deepEqual(fn.inputs.vpcConfig, { subnetIds: SUBNETS, securityGroupIds: ["logs-bootstrap-sg-id"] });
        const policy = json(rec.one(T.rolePolicy, "logs-bootstrap-policy").inputs.policy);
        const bootstrapLogs = rec.one(T.logGroup, "logs-bootstrap-logs");
        assert.deepEqual(policy.Statement, [
            { Sid: "ConfigureDomain", Effect: "Allow", Action: ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"], Resource: `${DEV_DOMAIN_ARN}/*` },
            { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${bootstrapLogs.state.arn}:*` },
            { Sid: "VpcNetworkInterfaces", Effect: "Allow", Action: LAMBDA_VPC_ACTIONS, Resource: "*" },
        ]);
        const trust = json(rec.one(T.role, "logs-bootstrap-role").inputs.assumeRolePolicy);
        assert.deepEqual(trust.Statement[0].Principal, { Service: "lambda.amazonaws.com" });
        assert.equal(rec.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").length, 0, "no managed policies");
    });

    it("the Invocation carries the endpoint, the desired state and its hash; ISM retention comes from the args", async () => {
        const { rec } = await build("dev", { retentionDays: 9 });
        const inv = rec.one(T.invocation);
        const e = event(rec);
        assert.equal(e.endpoint, endpointFor("cloud-dev-logs"));
        assert.equal(e.desiredHash, desiredHash(e.endpoint, e.desired));
        assert.deepEqual(inv.inputs.triggers, { desiredHash: e.desiredHash });
        assert.equal(inv.inputs.functionName, rec.one(T.fn).state.name);
        assert.deepEqual(e.desired.ismPolicy.policy.states[0].transitions, [{ state_name: "delete", conditions: { min_index_age: "9d" } }]);
        assert.deepEqual(e.desired.roleMappings.find((m) => m.role === "cloud-cnc-log-writer")!.body.backend_roles, [roleArnOf(rec.one(T.role, "logs-fluent-bit"))]);
        assert.deepEqual(e.desired.roleMappings.find((m) => m.role === "cloud-cnc-log-reader")!.body.backend_roles, [SRE_ROLE]);
        const deps = inv.dependencies;
        for (const n of ["logs-domain", "logs-https-from-bootstrap", "logs-bootstrap-to-domain"]) assert.ok(deps.includes(rec.named(n).urn), `the Invocation waits for ${n}`);
        // Exactly the domain, the function and its two network rules (the domain's ingress from the
        // bootstrap SG, the bootstrap SG's egress to the domain), plus Fluent Bit's role and policy
        // that its input (the writer role mapping) comes from.
        assert.deepEqual(
            [...deps].sort(),
            [
                rec.named("logs-domain").urn,
                rec.named("logs-https-from-bootstrap").urn,
                rec.named("logs-bootstrap-to-domain").urn,
                rec.one(T.fn).urn,
                rec.one(T.role, "logs-fluent-bit").urn,
                rec.named("logs-fluent-bit-opensearch").urn,
            ].sort(),
        );
    });

    it("every Invocation waits for every network rule of its function: each rule (ingress or egress, either side) that references one of the function's security groups", async () => {
        // Written generally: a rule added later (another egress, a VPC endpoint's ingress from the
        // bootstrap SG) is covered without touching this test.
        for (const [env, raw] of [
            ["dev", { allowedCidrs: ["10.100.0.0/16"] }],
            ["prod", {}],
        ] as const) {
            const { rec } = await build(env, raw);
            const invocations = rec.ofType(T.invocation);
            assert.ok(invocations.length > 0);
            for (const inv of invocations) {
                const fns = rec.ofType(T.fn).filter((f) => f.state.name === inv.inputs.functionName);
                assert.equal(fns.length, 1, `${inv.name}: invokes one function of the component`);
                const sgIds: string[] = fns[0].inputs.vpcConfig?.securityGroupIds ?? [];
                // The function's security groups, found by the id the mock gave them.
                const sgs = rec.ofType(T.sg).filter((sg) => sgIds.includes(mockId(sg)));
                assert.equal(sgs.length, sgIds.length, `${inv.name}: every security group of the function is a resource of the component`);
                const ids = new Set(sgs.map(mockId));
                const rules = rec.resources.filter(
                    (r) => SG_RULE_TYPE.test(r.type) && SG_REFERENCES.some((k) => typeof r.inputs[k] === "string" && ids.has(r.inputs[k])),
                );
                // Both directions exist (the test is not vacuous): the function's egress and the peer's ingress.
                assert.ok(rules.some((r) => r.type === T.egress) && rules.some((r) => r.type === T.ingress), `${inv.name}: rules found: ${rules.map((r) => r.name).join(", ")}`);
                for (const rule of rules) assert.ok(inv.dependencies.includes(rule.urn), `${inv.name} (${env}) does not wait for ${rule.name}`);
                // Inline rules on a security group would escape this check; there are none.
                for (const sg of sgs) assert.ok(sg.inputs.ingress === undefined && sg.inputs.egress === undefined, `${sg.name}: inline rules`);
            }
        }
    });

    it("the Invocation re-runs exactly when the desired policy changes (its input and trigger change) and not otherwise", async () => {
        const snapshot = async (raw: Record<string, unknown>, overrides = {}) => {
            const { rec } = await build("dev", raw, overrides);
            const inv = rec.one(T.invocation);
            return { input: inv.inputs.input as string, trigger: inv.inputs.triggers.desiredHash as string };
        };
        const base = await snapshot({ retentionDays: 7 });
        const longer = await snapshot({ retentionDays: 14 });
        const rollover = await snapshot({ retentionDays: 7, rolloverSize: "30gb" });
        const readers = await snapshot({ retentionDays: 7, humanReadOnlyRoleArns: [SRE_ROLE, `arn:aws:iam::${ACCOUNT_ID}:role/auditors`] });
        for (const changed of [longer, rollover, readers]) {
            assert.notEqual(changed.input, base.input);
            assert.notEqual(changed.trigger, base.trigger);
        }
        // Unrelated changes: instance type, volume, tags, log retention, snapshot hour.
        const unrelated = await snapshot(
            {
                retentionDays: 7,
                logRetentionDays: 30,
                automatedSnapshotStartHour: 5,
                instanceType: "t3.small.search",
                instanceCount: 1,
                ebs: { volumeSizeGiB: 30 },
            },
            { tags: { Team: "other" } },
        );
        assert.equal(unrelated.input, base.input);
        assert.equal(unrelated.trigger, base.trigger);
    });

    it("physical names: <prefix>-<env>-<role> for the function, its log group and roles (IAM namePrefix), the security groups; the domain's log groups keep their names", async () => {
        const { rec } = await build("prod");
        const fn = rec.one(T.fn);
        assert.equal(fn.inputs.name, "cloud-prod-opensearch-bootstrap");
        assert.equal(rec.one(T.logGroup, "logs-bootstrap-logs").inputs.name, "/aws/lambda/cloud-prod-opensearch-bootstrap");
        assert.equal(fn.inputs.loggingConfig.logGroup, rec.one(T.logGroup, "logs-bootstrap-logs").state.name);
        assert.equal(rec.one(T.logGroup, "logs-bootstrap-logs").inputs.retentionInDays, 90, "production profile");
        const bootstrapRole = rec.one(T.role, "logs-bootstrap-role").inputs;
        assert.equal(bootstrapRole.namePrefix, "cloud-prod-opensearch-bootstrap-");
        assert.equal(bootstrapRole.name, undefined, "a namePrefix, so a replacement never collides");
        assert.equal(rec.one(T.role, "logs-fluent-bit").inputs.namePrefix, "cloud-prod-fluent-bit-");
        assert.equal(rec.one(T.sg, "logs-sg").inputs.namePrefix, "cloud-prod-opensearch-");
        assert.equal(rec.one(T.sg, "logs-bootstrap-sg").inputs.namePrefix, "cloud-prod-opensearch-bootstrap-");
        assert.deepEqual(
            rec.ofType(T.logGroup).map((g) => g.inputs.name).sort(),
            ["/aws/lambda/cloud-prod-opensearch-bootstrap", ...["application", "audit", "index-slow", "search-slow"].map((x) => `/aws/opensearch/cloud-prod-logs/${x}`)].sort(),
        );
        for (const r of rec.ofType(T.role)) assert.ok(r.inputs.namePrefix?.startsWith("cloud-prod-"), `${r.name} says what it is for`);
    });

    it("the profile decides the sizing, not the environment's name: staging on the production profile", async () => {
        const { rec } = await buildLogging(argsFor("prod", {}, { environment: "staging", deletionProtection: undefined }));
        const d = rec.one(T.domain);
        assert.equal(d.inputs.domainName, "cloud-staging-logs");
        assert.deepEqual([d.inputs.clusterConfig.instanceType, d.inputs.clusterConfig.instanceCount, d.inputs.clusterConfig.dedicatedMasterEnabled], ["r7g.large.search", 3, true]);
        assert.equal(d.protect, true, "production profile: deletion protection by default");
        assert.equal(rec.one(T.fn).inputs.name, "cloud-staging-opensearch-bootstrap");
    });

    it("Fluent Bit: the official chart, pinned, in the logging namespace, with the rendered YAML config and the IRSA role, after the bootstrap", async () => {
        const { rec } = await build("dev");
        const release = rec.one(T.release);
        assert.equal(release.inputs.chart, "fluent-bit");
        assert.equal(release.inputs.version, versions.logging.fluentBit.version);
        assert.match(release.inputs.version, /^\d+\.\d+\.\d+$/);
        assert.deepEqual(release.inputs.repositoryOpts, { repo: "https://fluent.github.io/helm-charts" });
        assert.equal(release.inputs.namespace, "logging");
        assert.match(release.provider, /pulumi:providers:kubernetes::k8s::/);
        const values = release.inputs.values;
        assert.deepEqual(values.image, { repository: "cr.fluentbit.io/fluent/fluent-bit", tag: versions.logging.fluentBitImage.tag, pullPolicy: "IfNotPresent" });
        assert.notEqual(values.image.tag, "latest");
        assert.equal(values.kind, "DaemonSet");
        assert.deepEqual(values.serviceAccount.annotations, { "eks.amazonaws.com/role-arn": roleArnOf(rec.one(T.role, "logs-fluent-bit")) });
        assert.equal(values.serviceAccount.name, "fluent-bit");
        assert.deepEqual(values.args, ["--workdir=/fluent-bit/etc", "--config=/fluent-bit/etc/conf/fluent-bit.yaml"]);
        const config = YAML.parse(values.config.extraFiles["fluent-bit.yaml"]);
        const out = config.pipeline.outputs[0];
        assert.equal(out.host, endpointFor("cloud-dev-logs"));
        assert.equal(out.aws_region, "eu-west-1");
        assert.equal(out.logstash_prefix, "logs-cloud-dev-cnc");
        assert.equal(out.aws_role_arn, undefined, "the C&C cluster signs with its own IRSA role");
        const ns = rec.one(T.namespace);
        assert.equal(ns.inputs.metadata.name, "logging");
        assert.ok(release.dependencies.includes(rec.one(T.invocation).urn), "indices are created only after their ISM policy and template exist");
        assert.ok(release.dependencies.includes(ns.urn));
    });

    it("outputs", async () => {
        const { component, rec } = await build("dev");
        assert.equal(await valueOf(component.domainName), "cloud-dev-logs");
        assert.equal(await valueOf(component.domainArn), DEV_DOMAIN_ARN);
        assert.equal(await valueOf(component.domainEndpoint), endpointFor("cloud-dev-logs"));
        assert.equal(await valueOf(component.dashboardsUrl), `https://${endpointFor("cloud-dev-logs")}/_dashboards`);
        assert.equal(await valueOf(component.fluentBitRoleArn), roleArnOf(rec.one(T.role, "logs-fluent-bit")));
        assert.equal(await valueOf(component.logIndexPrefix), "logs-cloud-dev-cnc");
        assert.equal(await valueOf(component.securityGroupId), "logs-sg-id");
        assert.equal(await valueOf(component.bootstrapFunctionName), rec.one(T.fn).state.name);
        assert.equal(await valueOf(component.masterRoleArn), roleArnOf(rec.one(T.role, "logs-bootstrap-role")));
    });

    it("every child has the component as parent and the AWS resources use the given provider", async () => {
        const { rec } = await build("dev");
        const comp = rec.one("cloud-cnc:index:LoggingPipeline");
        const awsResources = rec.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
        assert.ok(awsResources.length >= 20);
        for (const r of awsResources) assert.match(r.provider, /pulumi:providers:aws::aws::/, `${r.name} uses the aws provider`);
        for (const r of [rec.one(T.domain), rec.one(T.invocation), rec.one(T.release), rec.one(T.role, "logs-fluent-bit")]) assert.equal(r.parent, comp.urn);
    });

    it("bad args: every problem in one error, before any resource is registered", async () => {
        const rec = await setupPulumi();
        const args = argsFor("prod", {}, {
            domainName: "Logs_Prod",
            instanceCount: 4,
            dedicatedMasters: { enabled: true, type: "m7g.large.search", count: 2 },
            ebs: { volumeSizeGiB: 5 },
            retentionDays: 0,
            allowedCidrs: ["0.0.0.0/0"],
            subnetIds: ["subnet-0a0000000000000a1"],
        });
        assert.throws(
            () => new LoggingPipeline("bad", args),
            (err: unknown) => {
                assert.ok(err instanceof InvalidArgsError);
                assert.equal(
                    err.message,
                    [
                        "LoggingPipeline bad: 7 invalid settings:",
                        `  - domainName: expected a domain name of 3-28 lowercase letters, digits or '-' starting with a letter, found "Logs_Prod"`,
                        "  - retentionDays: expected a whole number of days of at least 1, found 0",
                        `  - allowedCidrs[0]: expected a private IPv4 CIDR block inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 (RFC 1918, RFC 6598) such as 10.0.0.0/16, found "0.0.0.0/0"`,
                        "  - ebs.volumeSizeGiB: expected a whole number of GiB from 10 to 16384, found 5",
                        "  - dedicatedMasters.count: expected 3 or 5 dedicated master nodes, found 2",
                        "  - instanceCount: expected a multiple of the availability zone count (3) with zone awareness, found 4",
                        `  - subnetIds: expected at least 3 private subnets (one per availability zone the domain uses), found ["subnet-0a0000000000000a1"]`,
                    ].join("\n"),
                );
                return true;
            },
        );
        await settle();
        assert.deepEqual(rec.resources, [], "nothing registered");
    });
});

async function build(environment: "dev" | "prod", raw: Record<string, unknown> = {}, overrides = {}) {
    return buildLogging(argsFor(environment, raw, overrides));
}

/** Every `new X(...)` inside the callback of an `.apply(...)` call in TypeScript source. */
