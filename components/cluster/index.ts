import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { statefulOptions } from "../common/stateful";
import { createKmsKey } from "../common/storage";
import { createIrsaRole } from "../common/irsa";
import { parseArgs } from "../common/schema";
import {
    accessEntries,
    addonPlan,
    addonVersionQuery,
    deployerAccessWarnings,
    kubernetesSupportWarning,
    publicEndpointWarnings,
    supportedPartition,
    upgradePolicy,
    CHARTS,
    clusterArn,
    clusterAutoscalerPolicy,
    clusterAutoscalerValues,
    CONTROL_PLANE_LOG_TYPES,
    controlPlaneLogGroupName,
    endpointPlan,
    loadBalancerControllerPolicyJson,
    loadBalancerControllerValues,
    MANAGED_POLICIES,
    managedPolicyArn,
    metricsServerValues,
    nodeGroupPlan,
    nodeRoleTrustPolicy,
    ROLES,
    roleNamePrefix,
    secretsKeyAlias,
    SERVICE_ACCOUNTS,
    storageClassSpec,
} from "./plan";
import { clusterSchema } from "./schema";

export { irsaTrustPolicy, issuerHost, createIrsaRole, serviceAccountSubject, irsaServiceAccountAnnotations, IRSA_ROLE_ANNOTATION } from "../common/irsa";
export type { IrsaRoleArgs } from "../common/irsa";

/** A Kubernetes taint on every node of a node group. */
export interface ClusterNodeGroupTaintArgs {
    /** Taint key, a Kubernetes label key such as dedicated or example.com/role. */
    key: string;
    /** Taint value (optional). */
    value?: string;
    /** Taint effect as the EKS API spells it: NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE. */
    effect: string;
}

/** One EKS managed node group on the private subnets. */
export interface ClusterNodeGroupArgs {
    /** Node group name: 1-32 lowercase letters, digits and '-'; unique in the cluster. Also the `cloud-cnc/node-group` node label. */
    name: string;
    /** EC2 instance types, all of one architecture (x86_64 or Graviton), e.g. ["m7i.large", "m6i.large"]. */
    instanceTypes: string[];
    /** Minimum number of nodes (>= 0). */
    minSize: number;
    /** Maximum number of nodes (>= 1, >= minSize). */
    maxSize: number;
    /** Initial number of nodes (between minSize and maxSize). Later changes are left to the Cluster Autoscaler. */
    desiredSize: number;
    /** Size of each node's encrypted gp3 root volume in GiB (20-16384). Default 50. */
    diskSizeGiB?: number;
    /** ON_DEMAND (default) or SPOT. */
    capacityType?: string;
    /** Extra Kubernetes labels on the nodes. */
    labels?: { [key: string]: string };
    /** Kubernetes taints on the nodes. */
    taints?: ClusterNodeGroupTaintArgs[];
}

/**
 * Arguments of CommandControlCluster. AWS providers come through resource options, not args.
 * The rules, messages and defaults of every field are in schema.ts (the one rule book).
 */
export interface CommandControlClusterArgs {
    /** Physical EKS cluster name (1-100 letters, digits, '-', '_'); also the start of the physical names of its IAM roles and launch templates. Defaults to the component's name. */
    clusterName?: string;
    /** VPC the cluster runs in. */
    vpcId: pulumi.Input<string>;
    /** Private subnets (at least two AZs): control-plane ENIs, nodes and internal load balancers. */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Public subnets, used only for internet-facing load balancers (optional). */
    publicSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** Kubernetes minor version, e.g. "1.36": a minor of the EKS support table in components/common/versions.ts that is in EKS standard support on the day of the deployment (or in extended support with extendedSupport). Default 1.36. */
    kubernetesVersion?: string;
    /** Stay on a minor past its end of standard support (EKS extended support, billed per cluster hour): upgrade policy EXTENDED instead of STANDARD. Default false: STANDARD, and a minor past standard support is refused. */
    extendedSupport?: boolean;
    /** Pinned EKS add-on versions by add-on name (vpc-cni, kube-proxy, coredns, aws-ebs-csi-driver), e.g. { "vpc-cni": "v1.20.4-eksbuild.2" }. An add-on not listed runs EKS's default version for the cluster's minor, asked at every preview. */
    addonVersions?: { [addonName: string]: string };
    /** Turn on the public API endpoint (default false: private endpoint only). Requires publicAccessCidrs. */
    endpointPublicAccess?: boolean;
    /** CIDR blocks allowed to reach the public API endpoint; required when endpointPublicAccess is true; together at most 65,536 public addresses (a /16) unless allowAnyCidr. */
    publicAccessCidrs?: string[];
    /** Allow publicAccessCidrs to cover more than 65,536 public addresses, up to 0.0.0.0/0 (default false). */
    allowAnyCidr?: boolean;
    /** CIDR blocks (VPN, Transit Gateway, CI runners) allowed to reach the private API endpoint on 443; private ranges only (RFC 1918, RFC 6598). */
    privateAccessCidrs?: string[];
    /** IAM role ARNs of the human administrators (at least one), each given AmazonEKSClusterAdminPolicy at cluster scope through an access entry. Do not list the identity that creates the cluster (EKS gives it its own entry). */
    adminRoleArns: string[];
    /** IAM role ARNs of the identities that deploy (the CI role), each given AmazonEKSClusterAdminPolicy at cluster scope through an access entry; none may also be in adminRoleArns. Do not list the identity that creates the cluster (EKS gives it its own entry). */
    deployerRoleArns?: string[];
    /** Managed node groups (at least one). Default per profile: one `system` group of m7i.xlarge/m6i.xlarge, 3-9 nodes, 100 GiB under production; of t3.large/m7i.large, 2-4 nodes, 50 GiB under development. */
    nodeGroups?: ClusterNodeGroupArgs[];
    /** Retention of the control-plane log group in days (a CloudWatch Logs value). Default 365 under the production profile, 14 under development. */
    logRetentionDays?: number;
    /** Sizing profile, "production" or "development": the default node groups, log retention and deletion protection. */
    profile: string;
    /** Protect and retain the KMS key and log group, and turn on EKS deletion protection. Default: true under the production profile. */
    deletionProtection?: boolean;
    /** Extra tags for the AWS resources (the provider's defaultTags apply as well); keys must not start with aws:. */
    tags?: { [key: string]: string };
}

/**
 * The command-and-control EKS cluster: private API endpoint (public only for listed CIDRs),
 * access entries for the admin and deployer roles, KMS envelope encryption of secrets, all
 * control-plane logs with retention, managed node groups with IMDSv2 and encrypted gp3 volumes,
 * EKS add-ons with IRSA (EKS's default versions for the minor unless pinned), a default encrypted
 * gp3 StorageClass, the AWS Load Balancer Controller, metrics-server and the Cluster Autoscaler.
 */
export class CommandControlCluster extends pulumi.ComponentResource {
    /** Physical EKS cluster name. */
    public readonly clusterName: pulumi.Output<string>;
    /** ARN of the EKS cluster. */
    public readonly clusterArn: pulumi.Output<string>;
    /** Kubernetes API server endpoint (https URL). */
    public readonly endpoint: pulumi.Output<string>;
    /** Kubernetes minor version of the control plane. */
    public readonly kubernetesVersion: pulumi.Output<string>;
    /** AWS region of the cluster. */
    public readonly region: pulumi.Output<string>;
    /** ARN of the cluster's IAM OIDC provider, for IRSA trust policies. */
    public readonly oidcProviderArn: pulumi.Output<string>;
    /** The cluster's OIDC issuer URL as the EKS provider reports it (issuerHost strips any scheme), for IRSA trust policies. */
    public readonly oidcProviderUrl: pulumi.Output<string>;
    /** Security group of the nodes (the EKS-managed cluster security group). */
    public readonly nodeSecurityGroupId: pulumi.Output<string>;
    /** The EKS-managed cluster security group (control plane and nodes). */
    public readonly clusterSecurityGroupId: pulumi.Output<string>;
    /** ARN of the IAM role the nodes run with. */
    public readonly nodeRoleArn: pulumi.Output<string>;
    /** Kubeconfig (JSON) for the cluster, secret. Build the post-install components' Kubernetes provider from it (see kubernetesProvider). */
    public readonly kubeconfig: pulumi.Output<string>;
    /** Name of the default StorageClass (encrypted gp3). */
    public readonly storageClassName: pulumi.Output<string>;
    /** ARN of the KMS key that envelope-encrypts Kubernetes secrets. */
    public readonly secretsKmsKeyArn: pulumi.Output<string>;

    constructor(name: string, args: CommandControlClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloud-cnc:index:CommandControlCluster", name, {}, opts);

        // Every problem with the args at once, before any child; the settings carry every default.
        const s = parseArgs(`CommandControlCluster ${name}`, clusterSchema, { ...args, clusterName: args?.clusterName ?? name });
        const clusterName = s.clusterName ?? name;

        const tags = { ...s.tags };
        const child = { parent: this };
        const stateful = (o: pulumi.CustomResourceOptions) => statefulOptions(s.deletionProtection, o);
        // The ARNs below are built from the provider's partition, and only from a supported one:
        // supportedPartition throws, naming the partition, so the preview fails before any
        // resource that needs an ARN is registered.
        const partition = aws.getPartitionOutput({}, child).partition.apply((p) => supportedPartition(p, `CommandControlCluster ${name}`));
        const region = aws.getRegionOutput({}, child).region;
        const caller = aws.getCallerIdentityOutput({}, child);
        const accountId = caller.accountId;

        // Preview-time warnings (invokes and pure decisions; nothing is created).
        const warn = (message: string) => pulumi.log.warn(`${clusterName}: ${message}`, this);
        const supportWarning = kubernetesSupportWarning(s.kubernetesVersion, s.extendedSupport, new Date());
        if (supportWarning) warn(supportWarning);
        publicEndpointWarnings(s.endpointPublicAccess, s.publicAccessCidrs).forEach(warn);
        // Who runs this deployment, and will it have access to the cluster it deploys into?
        const deployer = aws.iam.getSessionContextOutput({ arn: caller.arn }, child).issuerArn;
        const existing = aws.eks.getClustersOutput({}, child).names;
        pulumi.all([deployer, existing]).apply(([identityArn, names]) => {
            if (typeof identityArn !== "string" || identityArn === "") return;
            deployerAccessWarnings({
                identityArn,
                adminRoleArns: s.adminRoleArns,
                deployerRoleArns: s.deployerRoleArns,
                clusterName,
                clusterExists: Array.isArray(names) ? names.includes(clusterName) : undefined,
            }).forEach(warn);
        });

        // Encryption and logs exist before the cluster: EKS would otherwise create the log group
        // itself, without retention.
        const secretsKey = createKmsKey(
            `${name}-secrets-key`,
            { description: `Envelope encryption of Kubernetes secrets in EKS cluster ${clusterName}`, alias: secretsKeyAlias(clusterName), tags, protect: s.deletionProtection },
            child,
        );
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-control-plane-logs`,
            { name: controlPlaneLogGroupName(clusterName), retentionInDays: s.logRetentionDays, tags },
            stateful(child),
        );

        const endpoint = endpointPlan(s.endpointPublicAccess, s.publicAccessCidrs);
        const cluster = new eks.Cluster(
            `${name}-eks`,
            {
                name: clusterName,
                version: s.kubernetesVersion,
                vpcId: args.vpcId,
                privateSubnetIds: args.privateSubnetIds,
                publicSubnetIds: args.publicSubnetIds,
                nodeAssociatePublicIpAddress: false,
                authenticationMode: eks.AuthenticationMode.Api,
                accessEntries: accessEntries(s.adminRoleArns, s.deployerRoleArns),
                endpointPrivateAccess: endpoint.endpointPrivateAccess,
                endpointPublicAccess: endpoint.endpointPublicAccess,
                publicAccessCidrs: endpoint.publicAccessCidrs,
                createOidcProvider: true,
                encryptionConfigKeyArn: secretsKey.arn,
                enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
                skipDefaultNodeGroup: true,
                // One security group (the EKS-managed cluster SG) on control plane and nodes: the
                // Load Balancer Controller requires exactly one SG tagged for the cluster per ENI.
                skipDefaultSecurityGroups: true,
                // Every add-on is an aws.eks.Addon below; eks.Cluster installs none.
                bootstrapSelfManagedAddons: false,
                useDefaultVpcCni: true,
                corednsAddonOptions: { enabled: false },
                kubeProxyAddonOptions: { enabled: false },
                upgradePolicy: upgradePolicy(s.extendedSupport),
                deletionProtection: s.deletionProtection,
                tags,
            },
            { parent: this, dependsOn: [logGroup] },
        );

        const core = cluster.core;
        this.clusterName = core.apply((c) => c.cluster.name);
        this.endpoint = core.apply((c) => c.cluster.endpoint);
        this.clusterArn = pulumi.all([partition, region, accountId, this.clusterName]).apply(([p, r, a, n]) => clusterArn(p, r, a, n));
        this.region = region;
        this.kubernetesVersion = pulumi.output(s.kubernetesVersion);
        this.oidcProviderArn = cluster.oidcProviderArn;
        this.oidcProviderUrl = cluster.oidcProviderUrl;
        this.clusterSecurityGroupId = cluster.clusterSecurityGroupId;
        this.nodeSecurityGroupId = cluster.nodeSecurityGroupId;
        this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
        this.secretsKmsKeyArn = secretsKey.arn;

        // Reaching the private endpoint from networks outside the VPC (VPN, TGW, CI runners).
        s.privateAccessCidrs.forEach((cidr, i) => {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-api-from-${i}`,
                { securityGroupId: cluster.clusterSecurityGroupId, cidrIpv4: cidr, ipProtocol: "tcp", fromPort: 443, toPort: 443, description: `Kubernetes API from ${cidr}`, tags },
                child,
            );
        });

        // IRSA roles, each for one exact namespace/service account.
        const irsa = (sa: keyof typeof SERVICE_ACCOUNTS, extra: { inlinePolicies?: Record<string, pulumi.Input<string>>; managedPolicyArns?: pulumi.Input<string>[] }) =>
            createIrsaRole(
                `${name}-${ROLES[sa].logical}`,
                {
                    oidcProviderArn: cluster.oidcProviderArn,
                    oidcProviderUrl: cluster.oidcProviderUrl,
                    namespace: SERVICE_ACCOUNTS[sa].namespace,
                    serviceAccount: SERVICE_ACCOUNTS[sa].serviceAccount,
                    description: `IRSA for ${SERVICE_ACCOUNTS[sa].namespace}/${SERVICE_ACCOUNTS[sa].serviceAccount} in ${clusterName}`,
                    namePrefix: roleNamePrefix(clusterName, ROLES[sa].physical),
                    tags,
                    ...extra,
                },
                child,
            );
        const roles = {
            vpcCni: irsa("vpcCni", { managedPolicyArns: [partition.apply((p) => managedPolicyArn(p, MANAGED_POLICIES.vpcCni))] }),
            ebsCsi: irsa("ebsCsi", { managedPolicyArns: [partition.apply((p) => managedPolicyArn(p, MANAGED_POLICIES.ebsCsi))] }),
            loadBalancerController: irsa("loadBalancerController", { inlinePolicies: { policy: partition.apply(loadBalancerControllerPolicyJson) } }),
            clusterAutoscaler: irsa("clusterAutoscaler", {
                inlinePolicies: {
                    policy: pulumi.all([partition, region, accountId]).apply(([p, r, a]) => JSON.stringify(clusterAutoscalerPolicy(p, r, a, clusterName))),
                },
            }),
        };

        // Add-ons the nodes need to become Ready (DaemonSets) go first; the rest after the nodes.
        // Each runs its pinned version, else EKS's default for the cluster's minor (an invoke).
        const addons = addonPlan(s.addonVersions);
        const addon = (a: (typeof addons)[number], dependsOn: pulumi.Resource[]) =>
            new aws.eks.Addon(
                `${name}-${a.addonName}`,
                {
                    clusterName: this.clusterName,
                    addonName: a.addonName,
                    addonVersion: a.pinnedVersion ?? aws.eks.getAddonVersionOutput(addonVersionQuery(a.addonName, s.kubernetesVersion), child).version,
                    serviceAccountRoleArn: a.irsa ? roles[a.irsa].arn : undefined,
                    resolveConflictsOnCreate: "OVERWRITE",
                    resolveConflictsOnUpdate: "OVERWRITE",
                    tags,
                },
                { parent: this, dependsOn },
            );
        const earlyAddons = addons.filter((a) => a.beforeNodes).map((a) => addon(a, [cluster]));

        const nodeRole = new aws.iam.Role(
            `${name}-${ROLES.node.logical}`,
            { namePrefix: roleNamePrefix(clusterName, ROLES.node.physical), description: `EKS nodes of ${clusterName}`, assumeRolePolicy: JSON.stringify(nodeRoleTrustPolicy()), tags },
            child,
        );
        const nodeRoleAttachments = [MANAGED_POLICIES.workerNode, MANAGED_POLICIES.ecrPull].map(
            (policy, i) => new aws.iam.RolePolicyAttachment(`${name}-node-role-${i}`, { role: nodeRole.name, policyArn: partition.apply((p) => managedPolicyArn(p, policy)) }, child),
        );
        this.nodeRoleArn = nodeRole.arn;

        const groups = s.nodeGroups.map((spec) => {
            const plan = nodeGroupPlan(clusterName, spec, tags);
            const template = new aws.ec2.LaunchTemplate(
                `${name}-${plan.name}-lt`,
                {
                    namePrefix: plan.launchTemplateNamePrefix,
                    description: plan.launchTemplateDescription,
                    updateDefaultVersion: true,
                    metadataOptions: plan.launchTemplate.metadataOptions,
                    blockDeviceMappings: plan.launchTemplate.blockDeviceMappings,
                    tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: { ...tags, Name: plan.instanceName } })),
                    tags,
                },
                child,
            );
            return new aws.eks.NodeGroup(
                `${name}-${plan.name}`,
                {
                    clusterName: this.clusterName,
                    nodeGroupNamePrefix: plan.namePrefix,
                    nodeRoleArn: nodeRole.arn,
                    // The control plane's minor: an upgrade moves the nodes too (after the
                    // control plane and the network add-ons, which they depend on).
                    version: s.kubernetesVersion,
                    subnetIds: args.privateSubnetIds,
                    amiType: plan.amiType,
                    capacityType: plan.capacityType,
                    instanceTypes: plan.instanceTypes,
                    scalingConfig: plan.scaling,
                    updateConfig: { maxUnavailable: 1 },
                    nodeRepairConfig: { enabled: true },
                    labels: plan.labels,
                    taints: plan.taints,
                    launchTemplate: { id: template.id, version: template.latestVersion.apply((v) => String(v)) },
                    tags: plan.tags,
                },
                // The Cluster Autoscaler owns the desired size after creation.
                { parent: this, dependsOn: [...earlyAddons, ...nodeRoleAttachments], ignoreChanges: ["scalingConfig.desiredSize"] },
            );
        });

        const lateAddons = addons.filter((a) => !a.beforeNodes).map((a) => addon(a, [...earlyAddons, ...groups]));
        const inCluster = [...groups, ...lateAddons];

        // Everything in-cluster goes through a provider built from the cluster's kubeconfig.
        const k8sProvider = kubernetesProvider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, { parent: this });
        const k8sOpts = (extra: pulumi.Resource[] = []): pulumi.CustomResourceOptions => ({ parent: this, provider: k8sProvider, dependsOn: [...inCluster, ...extra] });

        const storageClass = new k8s.storage.v1.StorageClass(`${name}-gp3`, storageClassSpec(), k8sOpts());
        this.storageClassName = storageClass.metadata.name;

        const release = (role: string, chart: typeof CHARTS.metricsServer, values: pulumi.Inputs, extra: pulumi.Resource[] = []) =>
            new k8s.helm.v3.Release(
                `${name}-${role}`,
                {
                    name: role,
                    chart: chart.chart,
                    version: chart.version,
                    repositoryOpts: { repo: chart.repo },
                    namespace: "kube-system",
                    values,
                    atomic: true,
                    cleanupOnFail: true,
                    timeout: 600,
                    maxHistory: 5,
                },
                k8sOpts(extra),
            );
        // The controller's Service mutating webhook (failurePolicy Fail) intercepts every Service
        // created after it registers: the other charts' Services wait until the controller is ready.
        const loadBalancerController = release(
            "aws-load-balancer-controller",
            CHARTS.loadBalancerController,
            loadBalancerControllerValues({ clusterName: this.clusterName, region, vpcId: pulumi.output(args.vpcId), roleArn: roles.loadBalancerController.arn }),
            roles.loadBalancerController.resources,
        );
        release("metrics-server", CHARTS.metricsServer, metricsServerValues(), [loadBalancerController]);
        release(
            "cluster-autoscaler",
            CHARTS.clusterAutoscaler,
            clusterAutoscalerValues({ clusterName: this.clusterName, region, roleArn: roles.clusterAutoscaler.arn, kubernetesVersion: s.kubernetesVersion }),
            [...roles.clusterAutoscaler.resources, loadBalancerController],
        );

        this.registerOutputs({
            clusterName: this.clusterName,
            clusterArn: this.clusterArn,
            endpoint: this.endpoint,
            kubernetesVersion: this.kubernetesVersion,
            region: this.region,
            oidcProviderArn: this.oidcProviderArn,
            oidcProviderUrl: this.oidcProviderUrl,
            nodeSecurityGroupId: this.nodeSecurityGroupId,
            clusterSecurityGroupId: this.clusterSecurityGroupId,
            nodeRoleArn: this.nodeRoleArn,
            kubeconfig: this.kubeconfig,
            storageClassName: this.storageClassName,
            secretsKmsKeyArn: this.secretsKmsKeyArn,
        });
    }
}

/**
 * A Kubernetes provider for a CommandControlCluster, built from its (secret) kubeconfig. The
 * composition creates one and passes it to the post-install components through resource options:
 *
 *     const k8sProvider = kubernetesProvider("cnc-k8s", cluster);
 *     new ThanosFederation("thanos", {...}, { providers: { aws: awsProvider, kubernetes: k8sProvider } });
 *
 * (Components expose Outputs only, so the provider is not a field of the component; this helper
 * keeps how it is built in one place.)
 */
export function kubernetesProvider(name: string, cluster: { kubeconfig: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions): k8s.Provider {
    return new k8s.Provider(name, { kubeconfig: cluster.kubeconfig }, opts);
}
