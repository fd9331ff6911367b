// DnsRegistrar under Pulumi mocks: what is registered, with which inputs, providers and options.
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as fc from "fast-check";
import { InvalidArgsError } from "../../components/common/errors";
import { DnsRegistrar, DnsRegistrarArgs } from "../../components/dns-registrar";
import { EXCLUDED_PACKAGES, HANDLER_PACKAGES, LAMBDA_RUNTIME, livenessAlarmSpec, route53EventPattern, registrarCodePathOptions, rbacAllows, rbacRules, usEast1ProviderArgs } from "../../components/dns-registrar/plan";
import { ENV } from "../../functions/dns-registrar/settings";
import { ACCOUNT_ID, Recorder, settle, setupPulumi, valueOf } from "../support/pulumi-harness";

const T = {
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    fn: "aws:lambda/function:Function",
    invokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    permission: "aws:lambda/permission:Permission",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    provider: "pulumi:providers:aws",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    accessEntry: "aws:eks/accessEntry:AccessEntry",
    k8sRole: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    k8sBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
};

const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT_ID}:fleet-alerts`;

const VPC = "vpc-0123456789abcdef0";
const SUBNETS = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"];
const CLUSTER_SG = "sg-0123456789abcdef0";

function baseArgs(extra: Partial<DnsRegistrarArgs> = {}): DnsRegistrarArgs {
    return {
        environment: "dev",
        prefix: "cloud",
        profile: "development",
        region: "eu-west-1",
        clusterName: "cnc-dev",
        thanosZoneId: "/hostedzone/ZTHANOS0001",
        thanosZoneName: "thanos.fleet.internal",
        prometheusZoneId: "ZPROM0002",
        prometheusZoneName: "prometheus.fleet.internal",
        installationsZoneId: "ZINST0003",
        installationsZoneName: "cloud.example.com",
        alarmTopicArn: TOPIC,
        tags: { environment: "dev" },
        ...extra,
    };
}

/** Builds the component in `region` (the harness's provider region and the `region` arg). */
async function build(args: DnsRegistrarArgs, region = "eu-west-1"): Promise<{ rec: Recorder; reg: DnsRegistrar }> {
    const rec = await setupPulumi({ region });
    const kubernetes = new k8s.Provider("k8s", { kubeconfig: "{}" });
    const reg = new DnsRegistrar("reg", { ...args, region }, { providers: { kubernetes } });
    await valueOf(reg.eventRuleArn);
    await settle();
    return { rec, reg };
}

const json = (s: string) => JSON.parse(s);

describe("DnsRegistrar component (mocks)", function () {
    this.timeout(120_000);

    it("in eu-west-1: us-east-1 rule forwarding to the stack region's bus, a rule there invoking the function", async () => {
        const { rec, reg } = await build(baseArgs());
        const east = rec.one(T.provider, "reg-us-east-1");
        assert.equal(east.inputs.region, "us-east-1");
        assert.match(east.parent, /cloud-cnc:index:DnsRegistrar::reg$/);

        const changes = rec.one(T.rule, "reg-route53-changes");
        assert.match(changes.provider, /pulumi:providers:aws::reg-us-east-1::/, "the Route 53 rule uses the us-east-1 provider");
        const pattern = json(changes.inputs.eventPattern);
        assert.deepEqual(pattern, {
            source: ["aws.route53"],
            "detail-type": ["AWS API Call via CloudTrail"],
            detail: {
                eventSource: ["route53.amazonaws.com"],
                eventName: ["ChangeResourceRecordSets"],
                errorCode: [{ exists: false }],
                requestParameters: { hostedZoneId: ["ZINST0003", "ZPROM0002", "ZTHANOS0001"] },
            },
        });

        const forward = rec.one(T.target, "reg-route53-forward");
        assert.match(forward.provider, /reg-us-east-1/);
        assert.equal(forward.inputs.arn, `arn:aws:events:eu-west-1:${ACCOUNT_ID}:event-bus/default`);
        const forwardRole = rec.one(T.role, "reg-forward-role");
        assert.equal(forward.inputs.roleArn, `arn:aws:iam::${ACCOUNT_ID}:role/${forwardRole.state.name}`);
        const trust = json(forwardRole.inputs.assumeRolePolicy);
        assert.deepEqual(trust.Statement[0].Principal, { Service: "events.amazonaws.com" });
        assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": changes.state.arn } });
        assert.deepEqual(json(rec.one(T.rolePolicy, "reg-forward-policy").inputs.policy), {
            Version: "2012-10-17",
            Statement: [{ Sid: "PutEventsOnStackRegionBus", Effect: "Allow", Action: "events:PutEvents", Resource: `arn:aws:events:eu-west-1:${ACCOUNT_ID}:event-bus/default` }],
        });

        const forwarded = rec.one(T.rule, "reg-route53-forwarded");
        assert.equal(forwarded.provider.includes("reg-us-east-1"), false, "the forwarded rule is in the stack region");
        assert.deepEqual(json(forwarded.inputs.eventPattern), pattern);
        const fn = rec.one(T.fn, "reg-function");
        const invoke = rec.one(T.target, "reg-route53-target");
        assert.equal(invoke.inputs.rule, forwarded.state.name);
        assert.equal(invoke.inputs.arn, fn.state.arn);
        const perm = rec.one(T.permission, "reg-route53-permission");
        assert.deepEqual({ a: perm.inputs.action, p: perm.inputs.principal, s: perm.inputs.sourceArn }, { a: "lambda:InvokeFunction", p: "events.amazonaws.com", s: forwarded.state.arn });
        assert.equal(await valueOf(reg.eventRuleArn), changes.state.arn);
        assert.equal(await valueOf(reg.forwardedRuleArn), forwarded.state.arn);
    });

    it("the us-east-1 provider takes the stack's aws:profile and aws:assumeRoles, like the default provider", async () => {
        const assumeRoles = [{ roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/deployer`, sessionName: "pulumi" }];
        assert.deepEqual(usEast1ProviderArgs({}), { region: "us-east-1" });
        assert.deepEqual(usEast1ProviderArgs({ profile: "ops", assumeRoles }), { region: "us-east-1", profile: "ops", assumeRoles });
        await setupPulumi({ region: "eu-west-1", config: { "aws:profile": "ops", "aws:assumeRoles": assumeRoles } });
        const rec = await settle();
        const kubernetes = new k8s.Provider("k8s", { kubeconfig: "{}" });
        new DnsRegistrar("reg", baseArgs(), { providers: { kubernetes } });
        await settle();
        const east = rec.one(T.provider, "reg-us-east-1").inputs;
        assert.equal(east.region, "us-east-1");
        assert.equal(east.profile, "ops");
        const roles = typeof east.assumeRoles === "string" ? JSON.parse(east.assumeRoles) : east.assumeRoles;
        assert.deepEqual(roles, assumeRoles);
    });

    it("in us-east-1: the rule targets the function directly (no provider, no forwarding)", async () => {
        const { rec, reg } = await build(baseArgs(), "us-east-1");
        assert.equal(await valueOf(reg.forwardedRuleArn), "");
        assert.equal(rec.ofType(T.provider).filter((p) => p.name.startsWith("reg")).length, 0);
        assert.equal(rec.ofType(T.role).length, 1, "only the function role");
        const rule = rec.one(T.rule, "reg-route53-changes");
        assert.equal(rule.provider.includes("us-east-1"), false);
        assert.equal(rec.one(T.target, "reg-route53-target").inputs.rule, rule.state.name);
        assert.equal(rec.one(T.permission, "reg-route53-permission").inputs.sourceArn, rule.state.arn);
        assert.equal(rec.ofType(T.rule).length, 2);
    });

    it("function: CallbackFunction with its own role, runtime, bundle options and environment", async () => {
        const { rec, reg } = await build(baseArgs({ memorySize: 1024, timeout: 120, grpcPort: 443, exclusions: ["Legacy"], shrinkFloorPercent: 30 }));
        const fn = rec.one(T.fn, "reg-function");
        const role = rec.one(T.role, "reg-role");
        assert.equal(fn.inputs.role, role.state.arn);
        assert.equal(fn.inputs.runtime, LAMBDA_RUNTIME);
        assert.equal(fn.inputs.runtime, aws.lambda.Runtime.NodeJS24dX);
        assert.equal(fn.inputs.handler, "__index.handler");
        assert.deepEqual(fn.inputs.architectures, ["arm64"]);
        assert.equal(fn.inputs.memorySize, 1024);
        assert.equal(fn.inputs.timeout, 120);
        assert.equal(fn.inputs.vpcConfig, undefined);
        assert.equal(fn.inputs.loggingConfig.logGroup, rec.one(T.logGroup).state.name);
        assert.equal(fn.inputs.loggingConfig.logFormat, "JSON");
        const env = fn.inputs.environment.variables;
        assert.equal(env[ENV.clusterName], "cnc-dev");
        assert.equal(env[ENV.thanosZoneId], "/hostedzone/ZTHANOS0001");
        assert.equal(env[ENV.installationsZoneName], "cloud.example.com");
        assert.equal(env[ENV.grpcPort], "443");
        assert.equal(env[ENV.exclusions], "legacy");
        assert.equal(env[ENV.shrinkFloorPercent], "30");
        assert.equal(env[ENV.thanosConfigMap], "thanos-query-endpoints");
        assert.equal(env[ENV.queriesConfigMap], "thanos-query-targets");
        assert.equal(env[ENV.queryHttpPort], "80");
        assert.equal(env[ENV.queryPattern], "{id}");
        assert.equal(env[ENV.kubeServer], undefined, "test-only overrides are never set");
        // No managed policies: CallbackFunction's default role was not created.
        assert.equal(rec.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").length, 0);
        assert.equal(rec.ofType(T.role).length, 2, "function role + forwarding role only");
        assert.equal(await valueOf(reg.functionName), fn.state.name);
        assert.equal(await valueOf(reg.thanosEndpointsConfigMap), "thanos-query-endpoints");
        assert.equal(await valueOf(reg.federationTargetsConfigMap), "prometheus-federation-targets");
        assert.equal(await valueOf(reg.probeTargetsConfigMap), "blackbox-probe-targets");
        assert.equal(await valueOf(reg.leafQueryTargetsConfigMap), "thanos-query-targets");
        const opts = registrarCodePathOptions();
        assert.ok(opts.extraExcludePackages.includes("@aws-sdk/client-route-53") && opts.extraExcludePackages.includes("@pulumi/pulumi"));
        assert.deepEqual(opts.extraIncludePackages, HANDLER_PACKAGES);
        assert.notEqual(registrarCodePathOptions().extraExcludePackages, registrarCodePathOptions().extraExcludePackages, "fresh arrays (CallbackFunction appends)");
        assert.equal(EXCLUDED_PACKAGES.some((p) => HANDLER_PACKAGES.includes(p)), false);
    });

    it("role: exact statements, nothing more", async () => {
        const { rec } = await build(baseArgs());
        const role = rec.one(T.role, "reg-role");
        assert.deepEqual(json(role.inputs.assumeRolePolicy), { Version: "2012-10-17", Statement: [{ Sid: "LambdaAssume", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] });
        const policy = rec.one(T.rolePolicy, "reg-policy");
        assert.equal(policy.inputs.role, role.state.name);
        const logGroup = rec.one(T.logGroup);
        const dlq = rec.one(T.queue);
        assert.deepEqual(json(policy.inputs.policy), {
            Version: "2012-10-17",
            Statement: [
                { Sid: "ListWatchedZones", Effect: "Allow", Action: "route53:ListResourceRecordSets", Resource: ["arn:aws:route53:::hostedzone/ZINST0003", "arn:aws:route53:::hostedzone/ZPROM0002", "arn:aws:route53:::hostedzone/ZTHANOS0001"] },
                { Sid: "DescribeCluster", Effect: "Allow", Action: "eks:DescribeCluster", Resource: `arn:aws:eks:eu-west-1:${ACCOUNT_ID}:cluster/cnc-dev` },
                { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroup.state.arn}:*` },
                { Sid: "SendToDeadLetterQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: dlq.state.arn },
            ],
        });
        assert.ok(rec.one(T.fn).dependencies.includes(policy.urn), "the function waits for its policy");
    });

    it("DLQ encrypted and TLS-only; async invoke config; alarms on errors, throttles, DLQ depth and no successful run", async () => {
        const { rec, reg } = await build(baseArgs({ maximumRetryAttempts: 1, maximumEventAgeSeconds: 900 }));
        const dlq = rec.one(T.queue, "reg-dlq");
        assert.equal(dlq.inputs.sqsManagedSseEnabled, true);
        assert.equal(dlq.inputs.messageRetentionSeconds, 1209600);
        const qp = json(rec.one(T.queuePolicy).inputs.policy);
        assert.deepEqual(qp.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.equal(qp.Statement[0].Effect, "Deny");
        const cfg = rec.one(T.invokeConfig).inputs;
        assert.equal(cfg.functionName, rec.one(T.fn).state.name);
        assert.equal(cfg.maximumRetryAttempts, 1);
        assert.equal(cfg.maximumEventAgeInSeconds, 900);
        assert.deepEqual(cfg.destinationConfig, { onFailure: { destination: dlq.state.arn } });
        assert.equal(await valueOf(reg.dlqUrl), dlq.state.url);

        const alarms = Object.fromEntries(rec.ofType(T.alarm).map((a) => [a.name, a.inputs]));
        assert.deepEqual(Object.keys(alarms).sort(), ["reg-dlq-depth-alarm", "reg-errors-alarm", "reg-no-successful-run-alarm", "reg-throttles-alarm"]);
        const fnName = rec.one(T.fn).state.name;
        assert.deepEqual([alarms["reg-errors-alarm"].namespace, alarms["reg-errors-alarm"].metricName, alarms["reg-errors-alarm"].dimensions], ["AWS/Lambda", "Errors", { FunctionName: fnName }]);
        assert.deepEqual([alarms["reg-throttles-alarm"].metricName, alarms["reg-throttles-alarm"].dimensions], ["Throttles", { FunctionName: fnName }]);
        assert.deepEqual([alarms["reg-dlq-depth-alarm"].namespace, alarms["reg-dlq-depth-alarm"].metricName, alarms["reg-dlq-depth-alarm"].dimensions], ["AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: dlq.state.name }]);
        for (const a of Object.values(alarms)) {
            assert.deepEqual(a.alarmActions, [TOPIC]);
            assert.deepEqual(a.okActions, [TOPIC]);
            assert.equal(a.threshold, 1);
        }
        for (const role of ["errors", "throttles", "dlq-depth"]) assert.equal(alarms[`reg-${role}-alarm`].comparisonOperator, "GreaterThanOrEqualToThreshold");
        // Liveness: successful invocations (Invocations - Errors) < 1 over 15 minutes; no data at all breaches.
        const live = alarms["reg-no-successful-run-alarm"];
        assert.equal(live.comparisonOperator, "LessThanThreshold");
        assert.equal(live.treatMissingData, "breaching");
        assert.equal(live.evaluationPeriods, 1);
        assert.equal(live.metricName, undefined);
        const queries = Object.fromEntries(live.metricQueries.map((q: any) => [q.id, q]));
        assert.deepEqual(Object.keys(queries).sort(), ["errors", "invocations", "result"]);
        assert.equal(queries.result.expression, "FILL(invocations, 0) - FILL(errors, 0)");
        assert.equal(queries.result.returnData, true);
        for (const id of ["invocations", "errors"]) {
            assert.equal(queries[id].returnData, false);
            assert.deepEqual(queries[id].metric, { namespace: "AWS/Lambda", metricName: id === "errors" ? "Errors" : "Invocations", stat: "Sum", dimensions: { FunctionName: fnName }, period: 900 });
        }
    });

    it("the liveness window is three schedule intervals (at least 15 minutes); a cron or a rate slower than 8 hours gets no liveness alarm and a preview warning", async () => {
        for (const [expression, seconds] of [["rate(1 minute)", 900], ["rate(5 minutes)", 900], ["rate(10 minutes)", 1800], ["rate(1 hour)", 10800], ["rate(8 hours)", 86400]] as const) {
            const spec = livenessAlarmSpec(expression)!;
            assert.equal(spec.period * spec.evaluationPeriods, seconds, expression);
            assert.ok(spec.description.includes(expression));
        }
        for (const expression of ["rate(9 hours)", "rate(1 day)", "cron(0/5 * * * ? *)"]) assert.equal(livenessAlarmSpec(expression), undefined, expression);
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 480 }), (minutes) => {
                const spec = livenessAlarmSpec(minutes === 1 ? "rate(1 minute)" : `rate(${minutes} minutes)`)!;
                // Three runs fit in the window, CloudWatch's one-day limit holds, and periods are whole minutes.
                return spec.period >= 3 * minutes * 60 && spec.period >= 900 && spec.period * spec.evaluationPeriods <= 86400 && spec.period % 60 === 0;
            }),
        );
        const log = pulumi.log as { warn: typeof pulumi.log.warn };
        const original = log.warn;
        const warnings: string[] = [];
        log.warn = async (message: string) => void warnings.push(message);
        try {
            const { rec } = await build(baseArgs({ scheduleExpression: "cron(0 * * * ? *)" }));
            assert.deepEqual(rec.ofType(T.alarm).map((a) => a.name).sort(), ["reg-dlq-depth-alarm", "reg-errors-alarm", "reg-throttles-alarm"]);
        } finally {
            log.warn = original;
        }
        assert.ok(warnings.some((w) => w.startsWith("reg: scheduleExpression cron(0 * * * ? *) is a cron expression")), warnings.join("\n"));
    });

    it("schedule: rate(5 minutes) by default, configurable, invoking the function", async () => {
        const { rec, reg } = await build(baseArgs());
        const schedule = rec.one(T.rule, "reg-schedule");
        assert.equal(schedule.inputs.scheduleExpression, "rate(5 minutes)");
        assert.equal(schedule.provider.includes("us-east-1"), false);
        assert.equal(rec.one(T.target, "reg-schedule-target").inputs.arn, rec.one(T.fn).state.arn);
        assert.equal(rec.one(T.permission, "reg-schedule-permission").inputs.sourceArn, schedule.state.arn);
        assert.equal(await valueOf(reg.scheduleRuleArn), schedule.state.arn);
        const custom = await build(baseArgs({ scheduleExpression: "rate(2 minutes)", alarmTopicArn: undefined }));
        assert.equal(custom.rec.one(T.rule, "reg-schedule").inputs.scheduleExpression, "rate(2 minutes)");
        for (const a of custom.rec.ofType(T.alarm)) assert.deepEqual(a.inputs.alarmActions, []);
    });

    it("Kubernetes: access entry with a group, Role on exactly the ConfigMaps, RoleBinding; triggers wait for them", async () => {
        const { rec } = await build(baseArgs({ kubernetesGroup: "fleet:registrar" }));
        const entry = rec.one(T.accessEntry).inputs;
        assert.deepEqual({ c: entry.clusterName, p: entry.principalArn, g: entry.kubernetesGroups, t: entry.type }, { c: "cnc-dev", p: rec.one(T.role, "reg-role").state.arn, g: ["fleet:registrar"], t: "STANDARD" });
        const role = rec.one(T.k8sRole);
        assert.match(role.provider, /pulumi:providers:kubernetes::k8s::/);
        assert.equal(role.inputs.metadata.namespace, "monitoring");
        assert.deepEqual(role.inputs.rules, [{ apiGroups: [""], resources: ["configmaps"], resourceNames: ["blackbox-probe-targets", "prometheus-federation-targets", "thanos-query-endpoints", "thanos-query-targets"], verbs: ["get", "patch", "update"] }]);
        const binding = rec.one(T.k8sBinding).inputs;
        assert.equal(binding.metadata.namespace, "monitoring");
        assert.deepEqual(binding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.inputs.metadata.name });
        assert.deepEqual(binding.subjects, [{ kind: "Group", name: "fleet:registrar", apiGroup: "rbac.authorization.k8s.io" }]);
        for (const t of rec.ofType(T.target).filter((t) => t.name !== "reg-route53-forward")) {
            assert.ok(t.dependencies.includes(rec.one(T.accessEntry).urn) && t.dependencies.includes(rec.one(T.k8sBinding).urn), `${t.name} waits for access`);
        }
        const withCreate = await build(baseArgs({ allowConfigMapCreate: true, namespace: "obs", thanosEndpointsConfigMap: "eps" }));
        const rules = withCreate.rec.one(T.k8sRole).inputs.rules;
        assert.deepEqual(rules[1], { apiGroups: [""], resources: ["configmaps"], verbs: ["create"] });
        assert.deepEqual(rules[0].resourceNames, ["blackbox-probe-targets", "eps", "prometheus-federation-targets", "thanos-query-targets"]);
        assert.equal(withCreate.rec.one(T.k8sRole).inputs.metadata.namespace, "obs");
    });

    it("RBAC rules: get/update/patch only on the named ConfigMaps; create only with the separate rule", () => {
        const names = ["a", "b", "c"];
        const tight = rbacRules(names, false);
        assert.equal(rbacAllows(tight, "get", "a"), true);
        assert.equal(rbacAllows(tight, "update", "c"), true);
        assert.equal(rbacAllows(tight, "get", "grafana-datasources"), false);
        assert.equal(rbacAllows(tight, "delete", "a"), false);
        assert.equal(rbacAllows(tight, "create", ""), false, "resourceNames never match a create");
        assert.equal(rbacAllows(rbacRules(names, true), "create", ""), true);
        assert.equal(rbacAllows(rbacRules(names, true), "update", "grafana-datasources"), false);
        assert.deepEqual(route53EventPattern(["/hostedzone/Z1", "Z1"]).detail, { eventSource: ["route53.amazonaws.com"], eventName: ["ChangeResourceRecordSets"], errorCode: [{ exists: false }], requestParameters: { hostedZoneId: ["Z1"] } });
    });

    it("private endpoint: VPC config on the subnets, a security group allowed into the cluster on 443, ENI permissions", async () => {
        const { rec } = await build(baseArgs({ vpcId: VPC, subnetIds: SUBNETS, clusterSecurityGroupId: CLUSTER_SG }));
        const sg = rec.one(T.sg, "reg-sg");
        assert.equal(sg.inputs.vpcId, VPC);
        const ingress = rec.one(T.ingress).inputs;
        assert.deepEqual({ sg: ingress.securityGroupId, from: ingress.referencedSecurityGroupId, p: ingress.ipProtocol, f: ingress.fromPort, t: ingress.toPort }, { sg: CLUSTER_SG, from: sg.state.id ?? "reg-sg-id", p: "tcp", f: 443, t: 443 });
        const egress = rec.one(T.egress).inputs;
        assert.deepEqual({ p: egress.ipProtocol, f: egress.fromPort, t: egress.toPort, c: egress.cidrIpv4 }, { p: "tcp", f: 443, t: 443, c: "0.0.0.0/0" });
        const fn = rec.one(T.fn).inputs;
        assert.deepEqual(fn.vpcConfig.subnetIds, SUBNETS);
        assert.equal(fn.vpcConfig.securityGroupIds.length, 1);
        const statements = json(rec.one(T.rolePolicy, "reg-policy").inputs.policy).Statement;
        assert.deepEqual(statements[4], {
            Sid: "VpcNetworkInterfaces",
            Effect: "Allow",
            Action: ["ec2:AssignPrivateIpAddresses", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:UnassignPrivateIpAddresses"],
            Resource: "*",
        });
        const outside = await build(baseArgs({ subnetIds: [] }));
        assert.equal(outside.rec.ofType(T.sg).length, 0);
        assert.equal(json(outside.rec.one(T.rolePolicy, "reg-policy").inputs.policy).Statement.length, 4);
    });

    it("physical names: <prefix>-<env>-dns-registrar for the function, its log group, DLQ, rules and alarms; role name prefixes", async () => {
        const { rec } = await build(baseArgs({ environment: "prod", profile: "production", vpcId: VPC, subnetIds: SUBNETS, clusterSecurityGroupId: CLUSTER_SG }));
        assert.equal(rec.one(T.fn, "reg-function").inputs.name, "cloud-prod-dns-registrar");
        assert.equal(rec.one(T.logGroup, "reg-logs").inputs.name, "/aws/lambda/cloud-prod-dns-registrar");
        assert.equal(rec.one(T.queue, "reg-dlq").inputs.name, "cloud-prod-dns-registrar-dlq");
        assert.equal(rec.one(T.role, "reg-role").inputs.namePrefix, "cloud-prod-dns-registrar-");
        assert.equal(rec.one(T.role, "reg-role").inputs.name, undefined, "a name prefix, so a replacement never collides");
        assert.equal(rec.one(T.role, "reg-forward-role").inputs.namePrefix, "cloud-prod-dns-registrar-forward-");
        assert.equal(rec.one(T.rule, "reg-schedule").inputs.name, "cloud-prod-dns-registrar-schedule");
        assert.equal(rec.one(T.rule, "reg-route53-changes").inputs.name, "cloud-prod-dns-registrar-route53-changes");
        assert.equal(rec.one(T.rule, "reg-route53-forwarded").inputs.name, "cloud-prod-dns-registrar-route53-forwarded");
        assert.equal(rec.one(T.sg, "reg-sg").inputs.namePrefix, "cloud-prod-dns-registrar-");
        assert.deepEqual(rec.ofType(T.alarm).map((a) => a.inputs.name).sort(), ["cloud-prod-dns-registrar-dlq-depth", "cloud-prod-dns-registrar-errors", "cloud-prod-dns-registrar-no-successful-run", "cloud-prod-dns-registrar-throttles"]);
        for (const r of rec.ofType(T.role)) assert.ok(r.inputs.namePrefix.length <= 38, `${r.name}: IAM name prefixes are at most 38 characters`);

        const longNames = await build(baseArgs({ prefix: "abcdefghijklmnop", environment: "qrstuvwxyzabcdef" }), "us-east-1");
        assert.equal(longNames.rec.one(T.fn).inputs.name.length <= 64, true, "Lambda function names are at most 64 characters");
        assert.equal(longNames.rec.one(T.role, "reg-role").inputs.namePrefix.length <= 38, true);
        assert.match(longNames.rec.one(T.role, "reg-role").inputs.namePrefix, /^abcdefghijklmnop-qrstuvwxyzabcdef-dn[a-z-]*-$/);
    });

    it("logs: 30 days under the development profile, 90 under production, an explicit value wins", async () => {
        const dev = await build(baseArgs());
        assert.equal(dev.rec.one(T.logGroup).inputs.retentionInDays, 30);
        const prod = await build(baseArgs({ profile: "production" }));
        assert.equal(prod.rec.one(T.logGroup).inputs.retentionInDays, 90);
        const explicit = await build(baseArgs({ profile: "production", logRetentionDays: 14 }));
        assert.equal(explicit.rec.one(T.logGroup).inputs.retentionInDays, 14);
    });

    for (const [region, expected] of [
        ["eu-west-1", ["pulumi:providers:aws reg-us-east-1", `${T.rule} reg-route53-changes`, `${T.role} reg-forward-role`, `${T.rolePolicy} reg-forward-policy`, `${T.target} reg-route53-forward`, `${T.rule} reg-route53-forwarded`, `${T.permission} reg-route53-permission`, `${T.target} reg-route53-target`]],
        ["us-east-1", [`${T.rule} reg-route53-changes`, `${T.permission} reg-route53-permission`, `${T.target} reg-route53-target`]],
    ] as const) {
        it(`stack in ${region}: the Route 53 event resources are registered during construction; nothing is created in an apply`, async () => {
            const rec = await setupPulumi({ region });
            const kubernetes = new k8s.Provider("k8s", { kubeconfig: "{}" });
            // Transformations run synchronously in each child's constructor: what they see by the
            // time the constructor returns was created at construction, not in a later apply.
            const seen: string[] = [];
            const spy: pulumi.ResourceTransformation = (a) => {
                seen.push(`${a.type} ${a.name}`);
                return undefined;
            };
            const reg = new DnsRegistrar("reg", baseArgs({ region }), { providers: { kubernetes }, transformations: [spy] });
            const atConstruction = [...seen];
            for (const e of expected) assert.ok(atConstruction.includes(e), `${e} is not registered at construction (got: ${atConstruction.join(", ")})`);
            if (region === "us-east-1") assert.equal(atConstruction.some((e) => e.includes("forward") || e.startsWith("pulumi:providers:aws")), false, "no forwarding in us-east-1");

            await valueOf(reg.eventRuleArn);
            await valueOf(reg.forwardedRuleArn);
            await valueOf(reg.functionArn);
            await settle();
            assert.deepEqual(seen, atConstruction, "a child was created after construction (inside an apply)");
            const children = rec.resources.filter((r) => r.name !== "k8s").map((r) => `${r.type} ${r.name}`);
            assert.deepEqual([...children].sort(), [...atConstruction].sort(), "every registered resource was created at construction");
        });
    }

    it("rejects bad args, every problem at once, before creating any child", async () => {
        const rec = await setupPulumi();
        assert.throws(
            () =>
                new DnsRegistrar("bad", {
                    ...baseArgs(),
                    clusterName: "",
                    thanosZoneId: "not a zone",
                    installationsZoneName: undefined,
                    grpcPort: 70000,
                    thanosNamePattern: "grpc",
                    shrinkFloorPercent: 101,
                    scheduleExpression: "every 5 minutes",
                    subnetIds: [SUBNETS[0]],
                    kubernetesGroup: "system:masters",
                    logRetentionDays: 10,
                }),
            (err: unknown) => {
                assert.ok(err instanceof InvalidArgsError);
                assert.deepEqual(err.message.split("\n"), [
                    "DnsRegistrar bad: 11 invalid settings:",
                    `  - clusterName: expected an EKS cluster name of 1-100 letters, digits, '-' and '_' starting with a letter or digit, found ""`,
                    '  - thanosZoneId: expected a Route 53 hosted zone ID: Z followed by uppercase letters and digits, such as Z0123456789ABCDEFGHIJ (a /hostedzone/ prefix is allowed), found "not a zone"',
                    "  - grpcPort: expected a port number from 1 to 65535, found 70000",
                    '  - thanosNamePattern: expected a relative name pattern with exactly one {id} placeholder, such as "{id}-grpc", found "grpc"',
                    "  - shrinkFloorPercent: expected an integer percentage from 0 to 100, found 101",
                    '  - scheduleExpression: expected an EventBridge schedule such as "rate(5 minutes)" or "cron(0/5 * * * ? *)" (neither rate(...) nor cron(...)), found "every 5 minutes"',
                    "  - logRetentionDays: expected one of CloudWatch Logs' retention periods in days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, found 10",
                    '  - kubernetesGroup: expected a Kubernetes group name not starting with system:, found "system:masters"',
                    // Rules across fields come after the fields' own rules.
                    "  - installationsZoneName: expected to be set together with installationsZoneId, found nothing",
                    "  - vpcId: expected the VPC of subnetIds (required when subnetIds is not empty), found nothing",
                    "  - clusterSecurityGroupId: expected the cluster security group (required when subnetIds is not empty), found nothing",
                ]);
                return true;
            },
        );
        await settle();
        assert.deepEqual(rec.resources.filter((r) => r.type !== "cloud-cnc:index:DnsRegistrar").map((r) => r.type), []);
    });
});
