import { createMetricAlarms } from "../common/alarms";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createBootstrapHandler } from "../../functions/opensearch-bootstrap/lambda";
import { bootstrapEvent, canonicalJson } from "../../functions/opensearch-bootstrap/contract";
import { createIrsaRole } from "../common/irsa";
import { createCallbackFunction } from "../common/lambda";
import { parseArgs } from "../common/schema";
import { statefulOptions } from "../common/stateful";
import { createKmsKey } from "../common/storage";
import {
    BOOTSTRAP_LAMBDA,
    DOMAIN_LOG_TYPES,
    FLUENT_BIT_SERVICE_ACCOUNT,
    INDEX_PATTERN,
    TLS_SECURITY_POLICY,
    bootstrapCodePathOptions,
    bootstrapPolicy,
    clusterConfig,
    dashboardsUrl,
    domainAccessPolicy,
    domainArn,
    domainIngressRules,
    domainLogGroupName,
    domainSubnetIds,
    ebsOptions,
    fluentBitPolicy,
    logPublishingPolicy,
    loggingPhysicalNames,
    logstashPrefix,
    planDomainSizing,
    openSearchAlarmSpecs,
} from "./plan";
import { buildFluentBitConfig, fluentBitChartValues, fluentBitReleaseArgs, renderDesiredState, serializeFluentBitConfig } from "./render";
import { loggingPipelineSchema } from "./schema";

export { buildFluentBitConfig, renderFluentBitConfig, serializeFluentBitConfig, fluentBitChartValues } from "./render";
export type { FluentBitConfig, FluentBitConfigOptions, FluentBitPlugin, FluentBitChartValuesOptions } from "./render";

/** Dedicated master nodes (cluster management only; recommended for production). */
export interface LoggingDedicatedMastersArgs {
    /** Run dedicated master nodes. */
    enabled: boolean;
    /** Instance type of the masters, e.g. m7g.large.search (required when enabled, unless the production profile supplies m7g.large.search). */
    type?: string;
    /** Number of masters: 3 or 5. Default 3. */
    count?: number;
}

/** Spreading data nodes and replicas over availability zones. */
export interface LoggingZoneAwarenessArgs {
    /** Spread over several AZs (requires instanceCount to be a multiple of the AZ count). */
    enabled: boolean;
    /** 2 or 3 availability zones. Default 3. */
    availabilityZoneCount?: number;
}

/** EBS storage of each data node. */
export interface LoggingEbsArgs {
    /** Volume size per data node in GiB (10-16384; the instance type may allow less). Default 200 under the production profile, else 20. */
    volumeSizeGiB?: number;
    /** Volume type: gp3 (the only one provisioned). Default gp3. */
    volumeType?: string;
    /** Provisioned IOPS (gp3, at least 3000); unset: the gp3 baseline. */
    iops?: number;
    /** Provisioned throughput in MiB/s (gp3, at least 125); unset: the gp3 baseline. */
    throughput?: number;
}

/** Fluent Bit in the C&C cluster. */
export interface LoggingFluentBitArgs {
    /** Namespace of the DaemonSet. Default "logging". */
    namespace?: string;
    /** Create the namespace. Default true. */
    createNamespace?: boolean;
    /** Host disk the output may use for chunks waiting on OpenSearch, e.g. 5G. Default 5G. */
    storageTotalLimitSize?: string;
    /** Retries per chunk before it is dropped (1-1000). Default 100 (about 12 hours of outage). */
    retryLimit?: number;
}

/** The domain's custom endpoint. */
export interface LoggingCustomEndpointArgs {
    /** Host name such as opensearch.apps.cnc.internal. */
    hostname: string;
    /** ACM certificate covering it (the stack passes its IngressCertificate's *.<apps domain>). */
    certificateArn: pulumi.Input<string>;
}

/** SAML sign-in to OpenSearch Dashboards. */
export interface LoggingSamlArgs {
    /** The IdP's entity id. */
    idpEntityId: string;
    /** The IdP's SAML metadata XML (public, not a secret). */
    idpMetadataXml: string;
    /** SAML attribute holding the user name; empty: the NameID. Default empty. */
    subjectKey?: string;
    /** SAML attribute holding the groups. Default groups. */
    rolesKey?: string;
    /** The group that is OpenSearch's master backend role (full access, equivalent to the master user: all_access and security_manager). */
    adminGroup: string;
    /** Groups mapped to the read-only log reader role (backend roles). Default none. */
    readerGroups?: string[];
    /** Minutes of inactivity before a Dashboards session ends (1-1440). Default 480. */
    sessionTimeoutMinutes?: number;
}

/** Arguments of LoggingPipeline. Providers (aws, kubernetes) come through resource options. */
export interface LoggingPipelineArgs {
    /** Environment name, e.g. dev or prod: part of the default domain name and of physical names. */
    environment: string;
    /** Name prefix of physical names (`<prefix>-<env>-opensearch-bootstrap`, ...) and of the default domain name. */
    prefix: string;
    /** Sizing profile, "production" or "development": the domain's shape, CloudWatch retention and deletion protection default from it. */
    profile: string;
    /** OpenSearch domain name: 3-28 lowercase letters, digits or '-', starting with a letter. Default `<prefix>-<env>-logs`. */
    domainName?: string;
    /** Engine version, e.g. OpenSearch_3.5. Default: the pinned version in components/common/versions.ts. */
    engineVersion?: string;
    /** The C&C VPC. */
    vpcId: pulumi.Input<string>;
    /** Data node instance type, e.g. r7g.large.search. Default r7g.large.search under the production profile, else m7g.medium.search. */
    instanceType?: string;
    /** Number of data nodes (1-80; a multiple of the AZ count with zone awareness). Default 3 under the production profile, else 1. */
    instanceCount?: number;
    /** Id of the C&C cluster: its indices are logs-<clusterId>-YYYY.MM.DD. */
    clusterId: string;
    /** Days before ISM deletes an index (by index age). Default 30, as in the original system. */
    retentionDays?: number;
    /** ISM rollover size condition, e.g. 50gb. Default 50gb. */
    rolloverSize?: string;
    /** ISM rollover age condition, e.g. 1d. Default 1d. */
    rolloverAge?: string;
    /** Primary shards per daily index (1-32). Default 1. */
    indexShards?: number;
    /** Replicas per index (0-5). Default: 1 with more than one data node, else 0. */
    indexReplicas?: number;
    /** CloudWatch retention (days) of the domain's audit, error and slow logs and the bootstrap's logs. Default 90 under the production profile, else 7. */
    logRetentionDays?: number;
    /** UTC hour of the automated snapshot setting (0-23). Default 3. */
    automatedSnapshotStartHour?: number;
    /** ARN of the C&C cluster's IAM OIDC provider (Fluent Bit's IRSA trust). */
    oidcProviderArn: pulumi.Input<string>;
    /** The C&C cluster's OIDC issuer URL. */
    oidcProviderUrl: pulumi.Input<string>;
    /** SNS topic the domain's alarms (red/yellow status, free storage, blocked writes, JVM, KMS, snapshots) notify; unset: alarms without actions. */
    alarmTopicArn?: pulumi.Input<string>;
    /** IAM roles of humans with read-only access (role-mapping backend roles and access-policy principals). */
    humanReadOnlyRoleArns?: string[];
    /** A custom endpoint for the domain (and Dashboards), with its ACM certificate; its DNS record (a CNAME to domainEndpoint) is the caller's. Required by saml. */
    customEndpoint?: LoggingCustomEndpointArgs;
    /** SAML sign-in to OpenSearch Dashboards with the IdP's groups mapped to roles (needs customEndpoint). Unset: SigV4 (IAM) access only. */
    saml?: LoggingSamlArgs;
    /** More IAM roles that may write logs (e.g. the role workload clusters assume cross-account). */
    additionalWriterRoleArns?: string[];
    /** CIDR blocks allowed to reach the domain on 443 (workload VPCs shipping logs); private ranges only (RFC 1918, RFC 6598). */
    allowedCidrs?: string[];
    /** Security groups allowed to reach the domain on 443 (the cluster's node/cluster security group). */
    allowedSecurityGroupIds: pulumi.Input<string>[];
    /** Private subnets of the VPC in AZ order; the domain uses the first one (or the first N with zone awareness), the bootstrap Lambda all. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** EBS storage per data node. */
    ebs?: LoggingEbsArgs;
    /** Fluent Bit settings. */
    fluentBit?: LoggingFluentBitArgs;
    /** Zone awareness. Default: 3 AZs under the production profile, else off (single AZ). */
    zoneAwareness?: LoggingZoneAwarenessArgs;
    /** Dedicated master nodes. Default: 3 x m7g.large.search under the production profile, else none. */
    dedicatedMasters?: LoggingDedicatedMastersArgs;
    /** Create the account's OpenSearch service-linked role (needed once per account for VPC domains). Default false. */
    createServiceLinkedRole?: boolean;
    /** Protect and retain the domain, its KMS key and log groups. Default: true under the production profile. */
    deletionProtection?: boolean;
    /** Tags for every AWS resource. */
    tags?: Record<string, string>;
}

/**
 * Central logging: an OpenSearch Service domain in the C&C VPC (private, KMS-encrypted, HTTPS
 * TLS 1.2+, fine-grained access control with the bootstrap role as IAM master), its ISM
 * retention, index template, role mappings and Dashboards index pattern applied by a bootstrap
 * Lambda on every change of the desired settings, and Fluent Bit as a DaemonSet shipping the C&C
 * cluster's container logs with SigV4 and filesystem buffering.
 */
export class LoggingPipeline extends pulumi.ComponentResource {
    /** Name of the OpenSearch domain. */
    public readonly domainName: pulumi.Output<string>;
    /** ARN of the domain (arn:aws:es:<region>:<account>:domain/<name>). */
    public readonly domainArn: pulumi.Output<string>;
    /** VPC endpoint host of the domain (HTTPS). */
    public readonly domainEndpoint: pulumi.Output<string>;
    /** OpenSearch Dashboards URL (private: reachable from the VPC and the allowed networks). */
    public readonly dashboardsUrl: pulumi.Output<string>;
    /** ARN of Fluent Bit's IRSA role. */
    public readonly fluentBitRoleArn: pulumi.Output<string>;
    /** The C&C cluster's Logstash_Prefix: its indices are <prefix>-YYYY.MM.DD. */
    public readonly logIndexPrefix: pulumi.Output<string>;
    /** Index pattern of every cluster's log indices (logs-*). */
    public readonly logIndexPattern: pulumi.Output<string>;
    /** Security group of the domain (443 from the allowed sources only). */
    public readonly securityGroupId: pulumi.Output<string>;
    /** Name of the bootstrap Lambda function. */
    public readonly bootstrapFunctionName: pulumi.Output<string>;
    /** ARN of the bootstrap role, the domain's fine-grained access control master. */
    public readonly masterRoleArn: pulumi.Output<string>;
    /** ARN of the KMS key that encrypts the OpenSearch domain at rest. */
    public readonly kmsKeyArn: pulumi.Output<string>;

    constructor(name: string, args: LoggingPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        // Every problem with the args at once, before anything (even this component) is registered.
        const settings = parseArgs(`LoggingPipeline ${name}`, loggingPipelineSchema, args);
        super("cloud-cnc:index:LoggingPipeline", name, {}, opts);
        // Plain values come from the settings; Inputs (checked when known) are passed on from args.
        const parent = { parent: this };
        const stateful = (o: pulumi.CustomResourceOptions) => statefulOptions(settings.deletionProtection, o);
        const tags = { ...settings.tags };
        const sizing = planDomainSizing(settings);
        const domainName = settings.domainName;
        const physical = loggingPhysicalNames(settings.prefix, settings.environment);
        const fbNamespace = settings.fluentBit.namespace;

        const region = aws.getRegionOutput({}, parent).region;
        const partition = aws.getPartitionOutput({}, parent).partition;
        const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
        // Known before the domain exists: the IAM policies and the log resource policy need it.
        const arn = pulumi.all([partition, region, accountId]).apply(([p, r, a]) => domainArn(p, r, a, domainName));

        // --- Encryption key and log groups --------------------------------------------------
        const key = createKmsKey(
            `${name}-key`,
            { description: `Encryption at rest of OpenSearch domain ${domainName}`, alias: `alias/${domainName}-opensearch`, tags, protect: settings.deletionProtection },
            parent,
        );

        const logGroups = DOMAIN_LOG_TYPES.map((t) => ({
            ...t,
            group: new aws.cloudwatch.LogGroup(`${name}-${t.suffix}-logs`, { name: domainLogGroupName(domainName, t.suffix), retentionInDays: settings.logRetentionDays, tags }, stateful(parent)),
        }));
        const logPolicy = new aws.cloudwatch.LogResourcePolicy(
            `${name}-log-publishing`,
            {
                policyName: `${domainName}-opensearch-logs`,
                policyDocument: pulumi
                    .all([pulumi.all(logGroups.map((l) => l.group.arn)), accountId, arn])
                    .apply(([groupArns, account, domain]) => JSON.stringify(logPublishingPolicy(groupArns, account, domain))),
            },
            parent,
        );

        // --- Network -------------------------------------------------------------------------
        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                namePrefix: physical.domainSecurityGroupPrefix,
                vpcId: args.vpcId,
                description: `OpenSearch domain ${domainName}: HTTPS from the allowed sources only`,
                tags: { ...tags, Name: `${domainName}-opensearch` },
            },
            parent,
        );
        for (const rule of domainIngressRules(args.allowedSecurityGroupIds, settings.allowedCidrs)) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-${rule.role}`,
                {
                    securityGroupId: sg.id,
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    description: rule.description,
                    ...(rule.sourceSecurityGroupId !== undefined ? { referencedSecurityGroupId: rule.sourceSecurityGroupId } : { cidrIpv4: rule.cidr }),
                },
                parent,
            );
        }
        const bootstrapSg = new aws.ec2.SecurityGroup(
            `${name}-bootstrap-sg`,
            {
                namePrefix: physical.bootstrapSecurityGroupPrefix,
                vpcId: args.vpcId,
                description: `OpenSearch bootstrap for ${domainName}: HTTPS to the domain only`,
                tags: { ...tags, Name: `${domainName}-bootstrap` },
            },
            parent,
        );
        const bootstrapEgress = new aws.vpc.SecurityGroupEgressRule(
            `${name}-bootstrap-to-domain`,
            { securityGroupId: bootstrapSg.id, referencedSecurityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, description: "HTTPS to the OpenSearch domain" },
            parent,
        );
        const bootstrapIngress = new aws.vpc.SecurityGroupIngressRule(
            `${name}-https-from-bootstrap`,
            { securityGroupId: sg.id, referencedSecurityGroupId: bootstrapSg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, description: "HTTPS to OpenSearch from the bootstrap Lambda" },
            parent,
        );
        // Every rule the bootstrap's traffic needs: its SG's egress to the domain and the domain
        // SG's ingress from it. The Invocation waits for all of them (a rule created after the
        // first run would make that run time out against its own network).
        const bootstrapNetworkRules = [bootstrapEgress, bootstrapIngress];
        const allSubnets = pulumi.output(args.subnetIds);
        const domainSubnets = allSubnets.apply((ids) => domainSubnetIds(ids, sizing));

        // --- Bootstrap Lambda (the FGAC master) and Fluent Bit's IRSA role ---------------------
        const bootstrap = createCallbackFunction(
            `${name}-bootstrap`,
            {
                functionName: physical.bootstrapFunction,
                description: `Applies ISM retention, index template, role mappings and index patterns to OpenSearch domain ${domainName}`,
                callbackFactory: createBootstrapHandler,
                codePathOptions: bootstrapCodePathOptions(),
                memorySize: BOOTSTRAP_LAMBDA.memoryMb,
                timeout: BOOTSTRAP_LAMBDA.timeoutSeconds,
                logRetentionDays: settings.logRetentionDays,
                roleNamePrefix: physical.bootstrapRolePrefix,
                roleDescription: `OpenSearch bootstrap and fine-grained access control master of ${domainName}`,
                policy: (logGroupArn) => pulumi.all([arn, logGroupArn]).apply(([d, l]) => JSON.stringify(bootstrapPolicy(d, l))),
                vpcConfig: { subnetIds: allSubnets, securityGroupIds: [bootstrapSg.id] },
                // Called only synchronously (aws.lambda.Invocation, which fails the deployment itself):
                // no dead-letter queue; the policy pack's lambda-failure-destination reads this tag.
                tags: { ...tags, "cloud-cnc/invocation": "synchronous" },
            },
            this,
        );
        const bootstrapRole = bootstrap.role;
        const fn = bootstrap.fn;
        const fluentBitRole = createIrsaRole(
            `${name}-fluent-bit`,
            {
                oidcProviderArn: args.oidcProviderArn,
                oidcProviderUrl: args.oidcProviderUrl,
                namespace: fbNamespace,
                serviceAccount: FLUENT_BIT_SERVICE_ACCOUNT,
                inlinePolicies: { opensearch: arn.apply((d) => JSON.stringify(fluentBitPolicy(d))) },
                description: `Fluent Bit: ship logs to OpenSearch domain ${domainName}`,
                namePrefix: physical.fluentBitRolePrefix,
                tags,
            },
            parent,
        );
        const writerRoleArns = pulumi.all([fluentBitRole.arn, ...settings.additionalWriterRoleArns]);
        const readerRoleArns = [...settings.humanReadOnlyRoleArns];

        // --- The domain ------------------------------------------------------------------------
        const slr = settings.createServiceLinkedRole
            ? new aws.iam.ServiceLinkedRole(`${name}-service-linked-role`, { awsServiceName: "opensearchservice.amazonaws.com", description: "OpenSearch Service VPC access" }, parent)
            : undefined;
        const domain = new aws.opensearch.Domain(
            `${name}-domain`,
            {
                domainName,
                engineVersion: settings.engineVersion,
                clusterConfig: clusterConfig(sizing),
                ebsOptions: ebsOptions(sizing),
                vpcOptions: { subnetIds: domainSubnets, securityGroupIds: [sg.id] },
                encryptAtRest: { enabled: true, kmsKeyId: key.arn },
                nodeToNodeEncryption: { enabled: true },
                domainEndpointOptions: {
                    enforceHttps: true,
                    tlsSecurityPolicy: TLS_SECURITY_POLICY,
                    ...(settings.customEndpoint
                        ? { customEndpointEnabled: true, customEndpoint: settings.customEndpoint.hostname, customEndpointCertificateArn: args.customEndpoint!.certificateArn }
                        : {}),
                },
                advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: false, internalUserDatabaseEnabled: false, masterUserOptions: { masterUserArn: bootstrapRole.arn } },
                accessPolicies: pulumi
                    .all([arn, writerRoleArns, bootstrapRole.arn])
                    .apply(([d, writers, bootstrapArn]) => JSON.stringify(domainAccessPolicy(d, { writers, bootstrap: bootstrapArn, readers: readerRoleArns, samlBrowserSessions: settings.saml !== undefined }))),
                logPublishingOptions: logGroups.map((l) => ({ logType: l.logType, cloudwatchLogGroupArn: l.group.arn, enabled: true })),
                snapshotOptions: { automatedSnapshotStartHour: settings.automatedSnapshotStartHour },
                softwareUpdateOptions: { autoSoftwareUpdateEnabled: true },
                tags,
            },
            stateful({ parent: this, dependsOn: [logPolicy, ...(slr ? [slr] : [])] }),
        );

        // --- SAML sign-in to Dashboards ---------------------------------------------------------
        // The admin group is the master backend role (full access, like the master user); reader
        // groups become backend roles of the reader role through the bootstrap's role mappings.
        if (settings.saml) {
            const saml = settings.saml;
            new aws.opensearch.DomainSamlOptions(
                `${name}-saml`,
                {
                    domainName: domain.domainName,
                    samlOptions: {
                        enabled: true,
                        idp: { entityId: saml.idpEntityId, metadataContent: saml.idpMetadataXml },
                        masterBackendRole: saml.adminGroup,
                        rolesKey: saml.rolesKey,
                        ...(saml.subjectKey ? { subjectKey: saml.subjectKey } : {}),
                        sessionTimeoutMinutes: saml.sessionTimeoutMinutes,
                    },
                },
                { parent: this, dependsOn: [domain] },
            );
        }
        const readerBackendRoles = [...readerRoleArns, ...(settings.saml?.readerGroups ?? [])];

        // --- The bootstrap's Invocation ---------------------------------------------------------
        const desired = writerRoleArns.apply((writers) =>
            renderDesiredState({
                retentionDays: settings.retentionDays,
                rolloverSize: settings.rolloverSize,
                rolloverAge: settings.rolloverAge,
                shards: settings.indexShards,
                replicas: settings.indexReplicas ?? sizing.defaultReplicas,
                writerRoleArns: writers,
                readerRoleArns: readerBackendRoles,
            }),
        );
        const event = pulumi.all([domain.endpoint, desired]).apply(([endpoint, d]) => bootstrapEvent(endpoint, d));
        // Re-invoked exactly when the endpoint or the desired settings change (input and trigger carry their hash).
        const invocation = new aws.lambda.Invocation(
            `${name}-bootstrap-run`,
            { functionName: fn.name, input: event.apply((e) => canonicalJson(e)), triggers: { desiredHash: event.apply((e) => e.desiredHash) } },
            { parent: this, dependsOn: [domain, fn, ...bootstrapNetworkRules] },
        );

        // --- Fluent Bit ------------------------------------------------------------------------
        const namespace = !settings.fluentBit.createNamespace
            ? undefined
            : new k8s.core.v1.Namespace(
                  `${name}-namespace`,
                  {
                      metadata: {
                          name: fbNamespace,
                          // hostPath volumes (/var/log, the buffer directory) need the privileged Pod Security level.
                          labels: { "app.kubernetes.io/part-of": "logging-pipeline", "pod-security.kubernetes.io/enforce": "privileged" },
                      },
                  },
                  parent,
              );
        const configYaml = pulumi.all([domain.endpoint, region]).apply(([endpoint, r]) =>
            serializeFluentBitConfig(
                buildFluentBitConfig({
                    endpoint,
                    region: r,
                    clusterId: settings.clusterId,
                    namespace: fbNamespace,
                    storageTotalLimitSize: settings.fluentBit.storageTotalLimitSize,
                    retryLimit: settings.fluentBit.retryLimit,
                }),
            ),
        );
        new k8s.helm.v3.Release(
            `${name}-fluent-bit`,
            fluentBitReleaseArgs(fbNamespace, pulumi.all([configYaml, fluentBitRole.arn]).apply(([yaml, roleArn]) => fluentBitChartValues({ configYaml: yaml, roleArn }))),
            // Indices must not exist before their ISM policy and template: ship only after the bootstrap ran.
            { parent: this, dependsOn: [invocation, ...(namespace ? [namespace] : [])] },
        );

        // AWS's recommended alarms on the domain (plan.ts openSearchAlarmSpecs).
        createMetricAlarms(
            name,
            openSearchAlarmSpecs(sizing),
            {
                physicalName: (role) => `${domainName}-${role}`,
                dimensions: { domain: { DomainName: domain.domainName, ClientId: accountId } },
                ...(args.alarmTopicArn !== undefined ? { topicArn: args.alarmTopicArn } : {}),
                tags,
            },
            parent,
        );

        this.domainName = domain.domainName;
        this.domainArn = domain.arn;
        this.domainEndpoint = domain.endpoint;
        // Through the custom endpoint when there is one: SAML's redirect URLs are registered on it.
        this.dashboardsUrl = settings.customEndpoint ? pulumi.output(dashboardsUrl(settings.customEndpoint.hostname)) : domain.endpoint.apply(dashboardsUrl);
        this.fluentBitRoleArn = fluentBitRole.arn;
        this.logIndexPrefix = pulumi.output(logstashPrefix(settings.clusterId));
        this.logIndexPattern = pulumi.output(INDEX_PATTERN);
        this.securityGroupId = sg.id;
        this.bootstrapFunctionName = fn.name;
        this.masterRoleArn = bootstrapRole.arn;
        this.kmsKeyArn = key.arn;
        this.registerOutputs({
            domainName: this.domainName,
            domainArn: this.domainArn,
            domainEndpoint: this.domainEndpoint,
            dashboardsUrl: this.dashboardsUrl,
            fluentBitRoleArn: this.fluentBitRoleArn,
            logIndexPrefix: this.logIndexPrefix,
            logIndexPattern: this.logIndexPattern,
            securityGroupId: this.securityGroupId,
            bootstrapFunctionName: this.bootstrapFunctionName,
            masterRoleArn: this.masterRoleArn,
            kmsKeyArn: this.kmsKeyArn,
        });
    }
}
