import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createRegistrarHandler } from "../../functions/dns-registrar/lambda";
import { createMetricAlarms } from "../common/alarms";
import { createCallbackFunction } from "../common/lambda";
import { iamRoleNamePrefix, physicalName } from "../common/naming";
import { parseArgs } from "../common/schema";
import {
    DLQ_RETENTION_SECONDS,
    PHYSICAL_ROLES,
    ROUTE53_EVENTS_REGION,
    StackAwsConfig,
    alarmSpecs,
    livenessAlarmSpec,
    defaultBusArn,
    dlqPolicy,
    eventRouting,
    forwardPolicy,
    forwardTrustPolicy,
    functionPolicy,
    handlerEnvironment,
    kubernetesName,
    rbacRules,
    registrarCodePathOptions,
    route53EventPattern,
    usEast1ProviderArgs,
} from "./plan";
import { dnsRegistrarSchema } from "./schema";

/** Arguments of DnsRegistrar (rules, messages and defaults: schema.ts, the one rule book). */
export interface DnsRegistrarArgs {
    /** Environment name, e.g. dev or prod: part of every physical name (`<prefix>-<env>-dns-registrar`). */
    environment: string;
    /** Name prefix of physical names, e.g. cloud: the function is `<prefix>-<env>-dns-registrar`. */
    prefix: string;
    /** Sizing profile, "production" or "development": production keeps the function's logs 90 days (development 30). */
    profile: string;
    /** Region of the aws provider the component is created with (the stack's region), e.g. eu-west-1: decides how Route 53 events (us-east-1 only) reach the function. */
    region: string;
    /** Name of the EKS cluster (the C&C cluster) whose ConfigMaps the registrar writes. */
    clusterName: pulumi.Input<string>;
    /** Hosted zone ID (Z..., a /hostedzone/ prefix is allowed) holding the workload clusters' `<clusterID>-grpc.<zone>` Thanos records. */
    thanosZoneId: pulumi.Input<string>;
    /** DNS name of the Thanos zone, e.g. thanos.fleet.internal. */
    thanosZoneName: pulumi.Input<string>;
    /** Hosted zone ID holding the workload clusters' `<clusterID>.<zone>` Prometheus records (may equal the Thanos zone). */
    prometheusZoneId: pulumi.Input<string>;
    /** DNS name of the Prometheus zone, e.g. prometheus.fleet.internal. */
    prometheusZoneName: pulumi.Input<string>;
    /** Hosted zone ID of the Mattermost installations to probe; unset: no probes (the probes file stays empty). */
    installationsZoneId?: pulumi.Input<string>;
    /** DNS name of the installations zone; set together with installationsZoneId. */
    installationsZoneName?: pulumi.Input<string>;
    /** gRPC port of each workload cluster's Thanos Query endpoint. Default 10901. */
    grpcPort?: number;
    /** Port of each workload cluster's Prometheus for federation. Default 9090. */
    prometheusPort?: number;
    /** Port of each workload cluster's leaf Thanos Query HTTP (`/metrics`, behind its internal ingress, as upstream mattermost-cloud exposes it). Default 80. */
    queryHttpPort?: number;
    /** Relative name pattern of Thanos records; `{id}` is the cluster ID. Default "{id}-grpc". */
    thanosNamePattern?: string;
    /** Relative name pattern of Prometheus records; `{id}` is the cluster ID. Default "{id}". */
    prometheusNamePattern?: string;
    /** Relative name pattern of installation records; `{id}` is the installation name. Default "{id}". */
    installationsNamePattern?: string;
    /** Relative name pattern, in the Thanos zone, of each workload cluster's leaf Thanos Query HTTP record (upstream `<clusterID>.thanos.<private domain>`); `{id}` is the cluster ID; must differ from thanosNamePattern. Default "{id}". */
    queryNamePattern?: string;
    /** Cluster IDs, installation names or FQDNs never registered (any case). Default none. */
    exclusions?: string[];
    /** The C&C's own Prometheus as a federation target (host:port); "" for none. Default prometheus-operated.monitoring.svc:9090. */
    selfPrometheusTarget?: string;
    /** The clusterID label of the C&C's own Prometheus target. Default "command-control". */
    selfClusterId?: string;
    /** The C&C's in-cluster Thanos StoreAPI endpoints (ThanosFederation's `inClusterEndpoints`), written into the Thanos endpoint file next to the workload clusters (Thanos Query reads all its endpoints from that file). Default none. */
    thanosStaticEndpoints?: string[];
    /** Namespace of the registrar's ConfigMaps. Default "monitoring". */
    namespace?: string;
    /** ConfigMap holding the Thanos endpoint config. Default "thanos-query-endpoints". */
    thanosEndpointsConfigMap?: string;
    /** ConfigMap holding the federation file_sd targets. Default "prometheus-federation-targets". */
    federationTargetsConfigMap?: string;
    /** ConfigMap holding the blackbox probe targets. Default "blackbox-probe-targets". */
    probeTargetsConfigMap?: string;
    /** ConfigMap holding the leaf Thanos Query HTTP file_sd targets (label `registered_cluster`) the C&C Prometheus scrapes for the drift alerts. Default "thanos-query-targets". */
    leafQueryTargetsConfigMap?: string;
    /**
     * Let the registrar create its ConfigMaps when missing. Kubernetes RBAC cannot limit create to
     * resource names, so this grants creating any ConfigMap in the namespace. Default false: the
     * ConfigMaps are seeded by ThanosFederation.
     */
    allowConfigMapCreate?: boolean;
    /** Most zone-derived targets (percent of the current ones) one run may remove from a file. Default 50. */
    shrinkFloorPercent?: number;
    /** Most zone-derived targets one run may remove from a file, whatever the percentage (an absolute cap for large fleets). Default 20. */
    shrinkMaxRemovals?: number;
    /** Removals one run may always make, whatever the percentage and the cap (the small-fleet exception: a fleet of 3 can lose 1). Default 1. */
    shrinkAlwaysAllowed?: number;
    /** Seconds an empty zone listing must persist (two observations this far apart) before a file is emptied. Default 900. */
    emptyConfirmSeconds?: number;
    /** Schedule of the full reconciliation. Default "rate(5 minutes)". */
    scheduleExpression?: string;
    /** Function memory in MB (128-10240). Default 512. */
    memorySize?: number;
    /** Function timeout in seconds (1-900). Default 60. */
    timeout?: number;
    /** Retries of a failed asynchronous invocation (0-2). Default 2. */
    maximumRetryAttempts?: number;
    /** Maximum age of an event before it goes to the DLQ, in seconds (60-21600). Default 3600. */
    maximumEventAgeSeconds?: number;
    /** Retention of the function's log group in days (a CloudWatch Logs value). Default 90 under the production profile, else 30. */
    logRetentionDays?: number;
    /** SNS topic the alarms (errors, throttles, DLQ depth) notify; unset: alarms without actions. */
    alarmTopicArn?: pulumi.Input<string>;
    /** VPC of subnetIds (required when subnetIds is not empty). */
    vpcId?: pulumi.Input<string>;
    /** Private subnets for the function when the EKS endpoint is private; empty or unset: not in a VPC. */
    subnetIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** The cluster security group the function's security group is allowed into on 443 (required in a VPC). */
    clusterSecurityGroupId?: pulumi.Input<string>;
    /** Kubernetes group of the function role's EKS access entry, bound to the registrar's Role. Default "cloud-cnc:dns-registrar". */
    kubernetesGroup?: string;
    /** Tags for every AWS resource. */
    tags?: Record<string, string>;
}

/**
 * Registers workload clusters: a Lambda (bundled with CallbackFunction) that turns the Route 53
 * records of the watched zones into the Thanos endpoint config, the federation file_sd targets, the
 * blackbox probe targets and the leaf Thanos Query HTTP targets, in ConfigMaps of the C&C cluster. Triggered by Route 53 changes
 * (CloudTrail events, us-east-1) and by a schedule that reconciles what events miss.
 */
export class DnsRegistrar extends pulumi.ComponentResource {
    /** Name of the Lambda function. */
    public readonly functionName: pulumi.Output<string>;
    /** ARN of the Lambda function. */
    public readonly functionArn: pulumi.Output<string>;
    /** ARN of the function's IAM role (the principal of its EKS access entry). */
    public readonly roleArn: pulumi.Output<string>;
    /** URL of the dead-letter queue for failed asynchronous invocations. */
    public readonly dlqUrl: pulumi.Output<string>;
    /** ARN of that dead-letter queue. */
    public readonly dlqArn: pulumi.Output<string>;
    /** ARN of the us-east-1 EventBridge rule matching Route 53 changes of the watched zones. */
    public readonly eventRuleArn: pulumi.Output<string>;
    /** ARN of the rule in the stack's region that receives the forwarded events and invokes the function; "" when the stack is in us-east-1 (the us-east-1 rule invokes it directly). */
    public readonly forwardedRuleArn: pulumi.Output<string>;
    /** ARN of the schedule rule. */
    public readonly scheduleRuleArn: pulumi.Output<string>;
    /** Namespace of the ConfigMaps. */
    public readonly namespace: pulumi.Output<string>;
    /** ConfigMap with the Thanos endpoint config (key endpoints.yaml) that Thanos Query mounts. */
    public readonly thanosEndpointsConfigMap: pulumi.Output<string>;
    /** ConfigMap with the federation file_sd targets (key targets.json). */
    public readonly federationTargetsConfigMap: pulumi.Output<string>;
    /** ConfigMap with the blackbox probe targets (key probes.json). */
    public readonly probeTargetsConfigMap: pulumi.Output<string>;
    /** ConfigMap with the leaf Thanos Query HTTP targets (key targets.json) the C&C Prometheus scrapes. */
    public readonly leafQueryTargetsConfigMap: pulumi.Output<string>;

    constructor(name: string, args: DnsRegistrarArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloud-cnc:index:DnsRegistrar", name, {}, opts);
        const settings = parseArgs(`DnsRegistrar ${name}`, dnsRegistrarSchema, args);

        const configMaps = {
            thanos: settings.thanosEndpointsConfigMap,
            prometheus: settings.federationTargetsConfigMap,
            probes: settings.probeTargetsConfigMap,
            queries: settings.leafQueryTargetsConfigMap,
        };
        const tags = settings.tags;
        const parent = { parent: this };
        const physical = (role: string, maxLength?: number) => physicalName(settings.prefix, settings.environment, role, maxLength);

        const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
        const partition = aws.getPartitionOutput({}, parent).partition;
        const zoneIds = pulumi
            .all([args.thanosZoneId, args.prometheusZoneId, args.installationsZoneId ?? ""])
            .apply((ids) => ids.filter((id) => id !== ""));

        // Dead-letter queue (SQS-managed encryption, TLS only).
        const dlq = new aws.sqs.Queue(
            `${name}-dlq`,
            { name: physical(PHYSICAL_ROLES.dlq, 80), sqsManagedSseEnabled: true, messageRetentionSeconds: DLQ_RETENTION_SECONDS, tags },
            parent,
        );
        new aws.sqs.QueuePolicy(`${name}-dlq-policy`, { queueUrl: dlq.url, policy: dlq.arn.apply((arn) => JSON.stringify(dlqPolicy(arn))) }, parent);

        // In a VPC: a security group allowed into the cluster on 443.
        let vpcConfig: aws.types.input.lambda.FunctionVpcConfig | undefined;
        if (settings.inVpc) {
            const sg = new aws.ec2.SecurityGroup(
                `${name}-sg`,
                { namePrefix: `${physical(PHYSICAL_ROLES.securityGroup, 200)}-`, vpcId: args.vpcId!, description: `DNS registrar ${name}: HTTPS to the EKS API and AWS APIs`, tags },
                parent,
            );
            new aws.vpc.SecurityGroupEgressRule(`${name}-sg-https-out`, { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS to the EKS API and AWS APIs" }, parent);
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-cluster-https-in`,
                { securityGroupId: args.clusterSecurityGroupId!, referencedSecurityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, description: `DNS registrar ${name} to the Kubernetes API` },
                parent,
            );
            vpcConfig = { subnetIds: args.subnetIds!, securityGroupIds: [sg.id] };
        }

        const environment = handlerEnvironment<pulumi.Input<string>>({
            clusterName: args.clusterName,
            thanosZoneId: args.thanosZoneId,
            thanosZoneName: args.thanosZoneName,
            prometheusZoneId: args.prometheusZoneId,
            prometheusZoneName: args.prometheusZoneName,
            installationsZoneId: args.installationsZoneId,
            installationsZoneName: args.installationsZoneName,
            grpcPort: settings.grpcPort,
            prometheusPort: settings.prometheusPort,
            queryHttpPort: settings.queryHttpPort,
            thanosNamePattern: settings.thanosNamePattern,
            queryNamePattern: settings.queryNamePattern,
            prometheusNamePattern: settings.prometheusNamePattern,
            installationsNamePattern: settings.installationsNamePattern,
            exclusions: settings.exclusions,
            selfPrometheusTarget: settings.selfPrometheusTarget,
            thanosStaticEndpoints: settings.thanosStaticEndpoints,
            selfClusterId: settings.selfClusterId,
            namespace: settings.namespace,
            configMaps,
            shrinkFloorPercent: settings.shrinkFloorPercent,
            shrinkMaxRemovals: settings.shrinkMaxRemovals,
            shrinkAlwaysAllowed: settings.shrinkAlwaysAllowed,
            emptyConfirmSeconds: settings.emptyConfirmSeconds,
        });

        // The function, its log group and its role: exact actions on exact resources, nothing managed.
        const { fn, role } = createCallbackFunction(
            name,
            {
                functionName: physical(PHYSICAL_ROLES.function),
                description: `DNS registrar ${name}: Route 53 records to Thanos/Prometheus target ConfigMaps`,
                callbackFactory: createRegistrarHandler,
                codePathOptions: registrarCodePathOptions(),
                memorySize: settings.memorySize,
                timeout: settings.timeout,
                logRetentionDays: settings.logRetentionDays,
                roleNamePrefix: iamRoleNamePrefix(settings.prefix, settings.environment, PHYSICAL_ROLES.function),
                roleDescription: `DNS registrar ${name}: reads the watched Route 53 zones, writes the target ConfigMaps of its EKS cluster`,
                policy: (logGroupArn) =>
                    pulumi.all([partition, accountId, args.clusterName, zoneIds, logGroupArn, dlq.arn]).apply(([p, a, cluster, zones, logArn, dlqArn]) =>
                        JSON.stringify(functionPolicy({ partition: p, region: settings.region, accountId: a, clusterName: cluster, zoneIds: zones, logGroupArn: logArn, dlqArn, inVpc: settings.inVpc })),
                    ),
                environment,
                vpcConfig,
                asyncInvoke: { maximumRetryAttempts: settings.maximumRetryAttempts, maximumEventAgeSeconds: settings.maximumEventAgeSeconds, onFailureDestinationArn: dlq.arn },
                tags,
            },
            this,
        );

        // Kubernetes access: an access entry putting the role in a group, a Role on exactly the
        // registrar's ConfigMaps, and a RoleBinding for that group.
        const group = settings.kubernetesGroup;
        const accessEntry = new aws.eks.AccessEntry(`${name}-access`, { clusterName: args.clusterName, principalArn: role.arn, type: "STANDARD", kubernetesGroups: [group], tags }, parent);
        const rbacName = kubernetesName(name, "registrar");
        const labels = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "cloud-cnc" };
        const k8sRole = new k8s.rbac.v1.Role(
            `${name}-rbac-role`,
            {
                metadata: { name: rbacName, namespace: settings.namespace, labels },
                rules: rbacRules(Object.values(configMaps), settings.allowConfigMapCreate),
            },
            parent,
        );
        const binding = new k8s.rbac.v1.RoleBinding(
            `${name}-rbac-binding`,
            {
                metadata: { name: rbacName, namespace: settings.namespace, labels },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: k8sRole.metadata.name },
                subjects: [{ kind: "Group", name: group, apiGroup: "rbac.authorization.k8s.io" }],
            },
            parent,
        );
        // Triggers are wired only once the function may reach its ConfigMaps.
        const ready = [accessEntry, binding];

        // Schedule (stack region): full reconciliation, healing missed events.
        const schedule = new aws.cloudwatch.EventRule(
            `${name}-schedule`,
            { name: physical(PHYSICAL_ROLES.schedule), description: `DNS registrar ${name}: periodic full reconciliation`, scheduleExpression: settings.scheduleExpression, tags },
            parent,
        );
        invokeFrom(this, `${name}-schedule`, schedule, fn, ready);

        // Route 53 changes: the rule lives in us-east-1 whatever the stack's region. The region is
        // a plain arg, so every rule, role and target below is registered now (and in every preview).
        const pattern = zoneIds.apply((ids) => JSON.stringify(route53EventPattern(ids)));
        const changesName = physical(PHYSICAL_ROLES.route53Changes);
        if (eventRouting(settings.region) === "direct") {
            const rule = new aws.cloudwatch.EventRule(
                `${name}-route53-changes`,
                { name: changesName, description: `DNS registrar ${name}: Route 53 record changes of the watched zones`, eventPattern: pattern, tags },
                parent,
            );
            invokeFrom(this, `${name}-route53`, rule, fn, ready);
            this.eventRuleArn = rule.arn;
            this.forwardedRuleArn = pulumi.output("");
        } else {
            // Another region: EventBridge cannot target a Lambda across regions. The us-east-1 rule
            // forwards to this region's default bus, where a second rule invokes the function.
            const east = new aws.Provider(`${name}-${ROUTE53_EVENTS_REGION}`, usEast1ProviderArgs(stackAwsConfig()), parent);
            const rule = new aws.cloudwatch.EventRule(
                `${name}-route53-changes`,
                { name: changesName, description: `DNS registrar ${name}: Route 53 record changes of the watched zones, forwarded to ${settings.region}`, eventPattern: pattern, tags },
                { parent: this, provider: east },
            );
            const busArn = pulumi.all([partition, accountId]).apply(([p, a]) => defaultBusArn(p, settings.region, a));
            const forwardRole = new aws.iam.Role(
                `${name}-forward-role`,
                {
                    namePrefix: iamRoleNamePrefix(settings.prefix, settings.environment, PHYSICAL_ROLES.forwardRole),
                    description: `DNS registrar ${name}: forward Route 53 events from ${ROUTE53_EVENTS_REGION} to ${settings.region}`,
                    assumeRolePolicy: pulumi.all([accountId, rule.arn]).apply(([a, arn]) => JSON.stringify(forwardTrustPolicy(a, arn))),
                    tags,
                },
                parent,
            );
            const forwardRolePolicy = new aws.iam.RolePolicy(`${name}-forward-policy`, { role: forwardRole.name, policy: busArn.apply((arn) => JSON.stringify(forwardPolicy(arn))) }, parent);
            new aws.cloudwatch.EventTarget(`${name}-route53-forward`, { rule: rule.name, arn: busArn, roleArn: forwardRole.arn }, { parent: this, provider: east, dependsOn: [forwardRolePolicy] });
            const forwarded = new aws.cloudwatch.EventRule(
                `${name}-route53-forwarded`,
                { name: physical(PHYSICAL_ROLES.route53Forwarded), description: `DNS registrar ${name}: Route 53 record changes forwarded from ${ROUTE53_EVENTS_REGION}`, eventPattern: pattern, tags },
                parent,
            );
            invokeFrom(this, `${name}-route53`, forwarded, fn, ready);
            this.eventRuleArn = rule.arn;
            this.forwardedRuleArn = forwarded.arn;
        }

        // Alarms: errors, throttles, DLQ depth, and no successful run in three schedule intervals.
        const liveness = livenessAlarmSpec(settings.scheduleExpression);
        if (liveness === undefined) {
            void pulumi.log.warn(
                `${name}: scheduleExpression ${settings.scheduleExpression} is a cron expression or slower than every 8 hours: no alarm watches that the registrar still runs (CloudWatch evaluates at most one day, three runs must fit)`,
                this,
            );
        }
        createMetricAlarms(
            name,
            [...alarmSpecs(), ...(liveness ? [liveness] : [])],
            {
                physicalName: (role) => physical(`${PHYSICAL_ROLES.function}-${role}`, 255),
                dimensions: { function: { FunctionName: fn.name }, queue: { QueueName: dlq.name } },
                ...(args.alarmTopicArn !== undefined ? { topicArn: args.alarmTopicArn } : {}),
                tags,
            },
            parent,
        );

        this.functionName = fn.name;
        this.functionArn = fn.arn;
        this.roleArn = role.arn;
        this.dlqUrl = dlq.url;
        this.dlqArn = dlq.arn;
        this.scheduleRuleArn = schedule.arn;
        this.namespace = pulumi.output(settings.namespace);
        this.thanosEndpointsConfigMap = pulumi.output(configMaps.thanos);
        this.federationTargetsConfigMap = pulumi.output(configMaps.prometheus);
        this.probeTargetsConfigMap = pulumi.output(configMaps.probes);
        this.leafQueryTargetsConfigMap = pulumi.output(configMaps.queries);
        this.registerOutputs({
            functionName: this.functionName,
            functionArn: this.functionArn,
            roleArn: this.roleArn,
            dlqUrl: this.dlqUrl,
            dlqArn: this.dlqArn,
            eventRuleArn: this.eventRuleArn,
            forwardedRuleArn: this.forwardedRuleArn,
            scheduleRuleArn: this.scheduleRuleArn,
            namespace: this.namespace,
            thanosEndpointsConfigMap: this.thanosEndpointsConfigMap,
            federationTargetsConfigMap: this.federationTargetsConfigMap,
            probeTargetsConfigMap: this.probeTargetsConfigMap,
            leafQueryTargetsConfigMap: this.leafQueryTargetsConfigMap,
        });
    }
}

/** A target on `rule` invoking the function, and the invoke permission for that rule only. */
function invokeFrom(parent: pulumi.Resource, prefix: string, rule: aws.cloudwatch.EventRule, fn: aws.lambda.Function, dependsOn: pulumi.Resource[]): void {
    const permission = new aws.lambda.Permission(
        `${prefix}-permission`,
        { action: "lambda:InvokeFunction", function: fn.name, principal: "events.amazonaws.com", sourceArn: rule.arn },
        { parent },
    );
    new aws.cloudwatch.EventTarget(`${prefix}-target`, { rule: rule.name, arn: fn.arn }, { parent, dependsOn: [permission, ...dependsOn] });
}

/** The stack's `aws:profile` and `aws:assumeRoles`, which the us-east-1 provider copies. */
function stackAwsConfig(): StackAwsConfig {
    const config = new pulumi.Config("aws");
    const profile = config.get("profile");
    const assumeRoles = config.getObject<aws.types.input.ProviderAssumeRole[]>("assumeRoles");
    return { ...(profile ? { profile } : {}), ...(assumeRoles ? { assumeRoles } : {}) };
}
