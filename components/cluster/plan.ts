// Pure decisions of CommandControlCluster: names, access entries, log types, launch template
// settings, add-on plan, IAM documents and Helm values. No Pulumi resources here: tests call
// these functions directly. The rules, messages and defaults of the args are in schema.ts.
import type { NodeGroupSettings } from "./schema";
import { PolicyDocument, policyDocument } from "../common/iam";
import { versions } from "../common/versions";
import { IRSA_ROLE_ANNOTATION } from "../common/irsa";
import loadBalancerControllerPolicy from "./policies/aws-load-balancer-controller-v2.17.1.json";

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** Every EKS control-plane log type; all are enabled. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** The EKS access policy every admin role receives, at cluster scope. */
export const CLUSTER_ADMIN_POLICY_ARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

/**
 * IMDSv2 hop limit on every node. 1 keeps pods (one network hop further than the host) away from
 * the node role's credentials. Every add-on that calls AWS gets IRSA credentials and is told its
 * region/VPC explicitly, and the host-network DaemonSets (aws-node, kube-proxy) are one hop away.
 */
export const IMDS_HOP_LIMIT = 1;

/** Root device of the EKS-optimized Amazon Linux 2023 AMIs. */
export const ROOT_DEVICE_NAME = "/dev/xvda";

/** The namespace/service-account pairs that get IRSA roles. */
export const SERVICE_ACCOUNTS = {
    vpcCni: { namespace: "kube-system", serviceAccount: "aws-node" },
    ebsCsi: { namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa" },
    loadBalancerController: { namespace: "kube-system", serviceAccount: "aws-load-balancer-controller" },
    clusterAutoscaler: { namespace: "kube-system", serviceAccount: "cluster-autoscaler" },
} as const;

/** Name of the default StorageClass the component creates. */
export const STORAGE_CLASS_NAME = "gp3-encrypted";

/** The vendored upstream policy file (relative to this folder) of the controller release the pinned chart installs. */
export const LOAD_BALANCER_CONTROLLER_POLICY_FILE = "policies/aws-load-balancer-controller-v2.17.1.json";

// ---------------------------------------------------------------------------------------------
// Instance types
// ---------------------------------------------------------------------------------------------

/** Architecture of an instance type: Graviton families carry a `g` after the generation digit. */
export function instanceArchitecture(instanceType: string): "arm64" | "x86_64" {
    const family = instanceType.split(".")[0];
    const suffix = family.replace(/^[a-z-]*?\d+/, "");
    return /g/.test(suffix.replace(/-flex$/, "")) ? "arm64" : "x86_64";
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/** The CloudWatch log group EKS writes control-plane logs to; created before the cluster. */
export function controlPlaneLogGroupName(clusterName: string): string {
    return `/aws/eks/${clusterName}/cluster`;
}

/** The alias of the KMS key that envelope-encrypts the cluster's Kubernetes secrets. */
export function secretsKeyAlias(clusterName: string): string {
    return `alias/${clusterName}-eks-secrets`;
}

/** The IAM roles the component creates: the suffix of each logical name and the role in its physical name. */
export const ROLES = {
    node: { logical: "node-role", physical: "node" },
    vpcCni: { logical: "vpc-cni-role", physical: "vpc-cni" },
    ebsCsi: { logical: "ebs-csi-role", physical: "ebs-csi" },
    loadBalancerController: { logical: "lb-controller-role", physical: "lb-controller" },
    clusterAutoscaler: { logical: "cluster-autoscaler-role", physical: "cluster-autoscaler" },
} as const;

/** The IAM provider's limit on a role's `namePrefix` (AWS appends a 26-character unique suffix). */
export const ROLE_NAME_PREFIX_MAX = 38;

/**
 * IAM `namePrefix` of one of the cluster's roles: `<clusterName>-<role>-` (cloud-prod-cnc-node-,
 * cloud-prod-cnc-lb-controller-), so the console says which cluster it belongs to and what it is
 * for, and a replacement never collides with the role it replaces. A long cluster name is cut, the
 * role never: the prefix stays within the provider's 38 characters.
 */
export function roleNamePrefix(clusterName: string, role: string): string {
    const room = ROLE_NAME_PREFIX_MAX - role.length - 2;
    const cluster = clusterName.slice(0, Math.max(room, 0)).replace(/[-_]+$/, "");
    return `${cluster ? `${cluster}-` : ""}${role}`.slice(0, ROLE_NAME_PREFIX_MAX - 1) + "-";
}

/** ARN of an EKS cluster (built from its parts so it is known before the cluster exists). */
export function clusterArn(partition: string, region: string, accountId: string, clusterName: string): string {
    return `arn:${partition}:eks:${region}:${accountId}:cluster/${clusterName}`;
}

// ---------------------------------------------------------------------------------------------
// Access entries
// ---------------------------------------------------------------------------------------------

export interface AccessEntryPlan {
    principalArn: string;
    type: "STANDARD";
    accessPolicies: Record<string, { policyArn: string; accessScope: { type: "cluster" } }>;
}

/**
 * One access entry per admin role, each with AmazonEKSClusterAdminPolicy at cluster scope, keyed
 * by the role name so reordering the list does not replace entries. Nobody else gets an entry
 * from this component (managed node groups get their EC2_LINUX entry from EKS itself).
 */
export function accessEntries(adminRoleArns: string[]): Record<string, AccessEntryPlan> {
    const out: Record<string, AccessEntryPlan> = {};
    for (const arn of adminRoleArns) {
        const roleName = arn.split("/").pop()!;
        let key = `admin-${roleName.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`;
        for (let n = 2; key in out; n++) key = `admin-${roleName.toLowerCase().replace(/[^a-z0-9-]/g, "-")}-${n}`;
        out[key] = {
            principalArn: arn,
            type: "STANDARD",
            accessPolicies: { "cluster-admin": { policyArn: CLUSTER_ADMIN_POLICY_ARN, accessScope: { type: "cluster" } } },
        };
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Endpoint
// ---------------------------------------------------------------------------------------------

export interface EndpointPlan {
    endpointPrivateAccess: true;
    endpointPublicAccess: boolean;
    /** Set only when the public endpoint is on (eks.Cluster rejects CIDRs otherwise). */
    publicAccessCidrs?: string[];
}

/** Private endpoint always; the public one only when asked for, and then only for the listed CIDRs. */
export function endpointPlan(endpointPublicAccess: boolean | undefined, publicAccessCidrs: string[] | undefined): EndpointPlan {
    if (endpointPublicAccess === true) return { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: [...(publicAccessCidrs ?? [])] };
    return { endpointPrivateAccess: true, endpointPublicAccess: false };
}

// ---------------------------------------------------------------------------------------------
// Nodes
// ---------------------------------------------------------------------------------------------

export interface LaunchTemplatePlan {
    metadataOptions: { httpEndpoint: "enabled"; httpTokens: "required"; httpPutResponseHopLimit: number; instanceMetadataTags: "disabled" };
    blockDeviceMappings: Array<{
        deviceName: string;
        ebs: { volumeSize: number; volumeType: "gp3"; encrypted: "true"; deleteOnTermination: "true"; iops: number; throughput: number };
    }>;
}

/** Launch template settings for a node group: IMDSv2 only, encrypted gp3 root volume. */
export function launchTemplatePlan(diskSizeGiB: number): LaunchTemplatePlan {
    return {
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: IMDS_HOP_LIMIT, instanceMetadataTags: "disabled" },
        blockDeviceMappings: [
            {
                deviceName: ROOT_DEVICE_NAME,
                ebs: { volumeSize: diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true", iops: 3000, throughput: 125 },
            },
        ],
    };
}

export interface NodeGroupPlan {
    name: string;
    /** The node group's name prefix (EKS names node groups per cluster). */
    namePrefix: string;
    /** The launch template's name prefix: `<clusterName>-<group>-` (launch templates are named per region). */
    launchTemplateNamePrefix: string;
    launchTemplateDescription: string;
    /** The `Name` tag of the group's instances, volumes and network interfaces: `<clusterName>-<group>`. */
    instanceName: string;
    amiType: "AL2023_x86_64_STANDARD" | "AL2023_ARM_64_STANDARD";
    capacityType: string;
    instanceTypes: string[];
    scaling: { minSize: number; maxSize: number; desiredSize: number };
    labels: Record<string, string>;
    taints: Array<{ key: string; value?: string; effect: string }>;
    /** Tags on the node group: the Cluster Autoscaler discovery tags and scale-from-zero hints. */
    tags: Record<string, string>;
    launchTemplate: LaunchTemplatePlan;
}

/** Cluster Autoscaler auto-discovery tags (EKS also puts them on each managed node group's ASG). */
export function autoscalerDiscoveryTags(clusterName: string): Record<string, string> {
    return { "k8s.io/cluster-autoscaler/enabled": "true", [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned" };
}

/** A node group's plan from its settings (every default already applied by the schema). */
export function nodeGroupPlan(clusterName: string, g: NodeGroupSettings, tags: Record<string, string> = {}): NodeGroupPlan {
    const labels = { ...g.labels, "cloud-cnc/node-group": g.name };
    const taints = g.taints.map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect }));
    const templateTags: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels)) templateTags[`k8s.io/cluster-autoscaler/node-template/label/${k}`] = v;
    const effectName: Record<string, string> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };
    for (const t of taints) templateTags[`k8s.io/cluster-autoscaler/node-template/taint/${t.key}`] = `${t.value ?? ""}:${effectName[t.effect] ?? t.effect}`;
    return {
        name: g.name,
        namePrefix: `${g.name}-`,
        launchTemplateNamePrefix: `${clusterName}-${g.name}-`,
        launchTemplateDescription: `Nodes of ${clusterName}/${g.name}: IMDSv2 only, encrypted gp3 root volume`,
        instanceName: `${clusterName}-${g.name}`,
        amiType: instanceArchitecture(g.instanceTypes[0]) === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD",
        capacityType: g.capacityType,
        instanceTypes: [...g.instanceTypes],
        scaling: { minSize: g.minSize, maxSize: g.maxSize, desiredSize: g.desiredSize },
        labels,
        taints,
        tags: { ...tags, ...autoscalerDiscoveryTags(clusterName), ...templateTags },
        launchTemplate: launchTemplatePlan(g.diskSizeGiB),
    };
}

// ---------------------------------------------------------------------------------------------
// Add-ons
// ---------------------------------------------------------------------------------------------

export type AddonName = "vpc-cni" | "kube-proxy" | "coredns" | "aws-ebs-csi-driver";

export interface AddonPlan {
    addonName: AddonName;
    addonVersion: string;
    /** Installed before the node groups (DaemonSets that nodes need to become Ready). */
    beforeNodes: boolean;
    /** Which IRSA role the add-on's service account uses, if any. */
    irsa?: keyof typeof SERVICE_ACCOUNTS;
}

/**
 * The EKS managed add-ons, pinned per Kubernetes minor. eks.Cluster is told to install none of
 * these itself (bootstrapSelfManagedAddons false, default CNI, coredns and kube-proxy disabled).
 * No eks-pod-identity-agent: every workload here uses IRSA.
 */
export function addonPlan(kubernetesVersion: string): AddonPlan[] {
    const pinned = (versions.cluster.addons as Record<string, Record<AddonName, string>>)[kubernetesVersion];
    if (!pinned) throw new Error(`no pinned add-ons for Kubernetes ${kubernetesVersion}`);
    return [
        { addonName: "vpc-cni", addonVersion: pinned["vpc-cni"], beforeNodes: true, irsa: "vpcCni" },
        { addonName: "kube-proxy", addonVersion: pinned["kube-proxy"], beforeNodes: true },
        { addonName: "coredns", addonVersion: pinned.coredns, beforeNodes: false },
        { addonName: "aws-ebs-csi-driver", addonVersion: pinned["aws-ebs-csi-driver"], beforeNodes: false, irsa: "ebsCsi" },
    ];
}

// ---------------------------------------------------------------------------------------------
// IAM
// ---------------------------------------------------------------------------------------------

/** AWS managed policies, by name; the ARN is built with the partition. */
export const MANAGED_POLICIES = {
    /** Upstream-documented policy for the EBS CSI driver (aws-ebs-csi-driver docs/install.md). */
    ebsCsi: "service-role/AmazonEBSCSIDriverPolicy",
    /** The VPC CNI's documented policy, attached to its IRSA role rather than to the nodes. */
    vpcCni: "AmazonEKS_CNI_Policy",
    /** Required by every EKS node (kubelet registration, describe calls). */
    workerNode: "AmazonEKSWorkerNodePolicy",
    /** Image pulls from ECR; the pull-only variant, not ReadOnly. */
    ecrPull: "AmazonEC2ContainerRegistryPullOnly",
} as const;

export function managedPolicyArn(partition: string, name: string): string {
    return `arn:${partition}:iam::aws:policy/${name}`;
}

/** Trust policy of the node role: EC2 instances only. */
export function nodeRoleTrustPolicy(): PolicyDocument {
    return policyDocument([{ Sid: "Ec2AssumeNodeRole", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]);
}

/**
 * Cluster Autoscaler's policy as its AWS README recommends, scoped: it may change or terminate
 * only Auto Scaling groups tagged as owned by this cluster, and describe only this cluster's
 * node groups. The describe calls do not support resource-level permissions.
 */
export function clusterAutoscalerPolicy(partition: string, region: string, accountId: string, clusterName: string): PolicyDocument {
    return policyDocument([
        {
            Sid: "ScaleOwnedGroupsOnly",
            Effect: "Allow",
            Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
            Resource: "*",
            Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
        },
        {
            Sid: "Describe",
            Effect: "Allow",
            Action: [
                "autoscaling:DescribeAutoScalingGroups",
                "autoscaling:DescribeAutoScalingInstances",
                "autoscaling:DescribeLaunchConfigurations",
                "autoscaling:DescribeScalingActivities",
                "autoscaling:DescribeTags",
                "ec2:DescribeImages",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeLaunchTemplateVersions",
                "ec2:GetInstanceTypesFromInstanceRequirements",
            ],
            Resource: "*",
        },
        {
            Sid: "DescribeOwnNodeGroups",
            Effect: "Allow",
            Action: "eks:DescribeNodegroup",
            Resource: `arn:${partition}:eks:${region}:${accountId}:nodegroup/${clusterName}/*`,
        },
    ]);
}

/**
 * The vendored upstream policy of the AWS Load Balancer Controller, statement for statement as
 * published (serialized compactly: IAM counts characters toward the inline-policy size limit).
 */
export function loadBalancerControllerPolicyJson(): string {
    return JSON.stringify(loadBalancerControllerPolicy);
}

// ---------------------------------------------------------------------------------------------
// Kubernetes objects and Helm values
// ---------------------------------------------------------------------------------------------

/** The default StorageClass: encrypted gp3 through the EBS CSI driver, bound where the pod lands. */
export function storageClassSpec() {
    return {
        metadata: { name: STORAGE_CLASS_NAME, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
        reclaimPolicy: "Delete",
    };
}

export interface ChartPin {
    repo: string;
    chart: string;
    version: string;
}

export const CHARTS: { loadBalancerController: ChartPin; metricsServer: ChartPin; clusterAutoscaler: ChartPin } = {
    loadBalancerController: versions.cluster.charts.awsLoadBalancerController,
    metricsServer: versions.cluster.charts.metricsServer,
    clusterAutoscaler: versions.cluster.charts.clusterAutoscaler,
};

/**
 * Values of the AWS Load Balancer Controller chart. Region and VPC are given explicitly so the
 * controller never needs the instance metadata service (hop limit 1).
 */
export function loadBalancerControllerValues<S>(p: { clusterName: S; region: S; vpcId: S; roleArn: S }) {
    return {
        clusterName: p.clusterName,
        region: p.region,
        vpcId: p.vpcId,
        replicaCount: 2,
        serviceAccount: {
            create: true,
            name: SERVICE_ACCOUNTS.loadBalancerController.serviceAccount,
            annotations: { [IRSA_ROLE_ANNOTATION]: p.roleArn },
        },
    };
}

export function metricsServerValues() {
    return {
        replicas: 2,
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
    };
}

/** Values of the Cluster Autoscaler chart: auto-discovery by this cluster's tags, IRSA, image matching the control plane. */
export function clusterAutoscalerValues<S>(p: { clusterName: S; region: S; roleArn: S; kubernetesVersion: string }) {
    const tag = (versions.cluster.clusterAutoscalerImage as Record<string, string>)[p.kubernetesVersion];
    if (!tag) throw new Error(`no pinned Cluster Autoscaler image for Kubernetes ${p.kubernetesVersion}`);
    return {
        cloudProvider: "aws",
        awsRegion: p.region,
        autoDiscovery: { clusterName: p.clusterName },
        image: { tag },
        rbac: {
            create: true,
            serviceAccount: {
                create: true,
                name: SERVICE_ACCOUNTS.clusterAutoscaler.serviceAccount,
                annotations: { [IRSA_ROLE_ANNOTATION]: p.roleArn },
            },
        },
        extraArgs: {
            "balance-similar-node-groups": true,
            expander: "least-waste",
            "skip-nodes-with-system-pods": false,
        },
    };
}
