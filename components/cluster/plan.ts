// Pure decisions of CommandControlCluster: names, access entries, log types, launch template
// settings, add-on plan, IAM documents and Helm values. No Pulumi resources here: tests call
// these functions directly. The rules, messages and defaults of the args are in schema.ts.
import * as pulumi from "@pulumi/pulumi";
import type { NodeGroupSettings } from "./schema";
import { PolicyDocument, policyDocument } from "../common/iam";
import { versions } from "../common/versions";
import { IRSA_ROLE_ANNOTATION } from "../common/irsa";
import { isDocumentationCidr, coversNonPublicAddresses } from "../common/cidr";
import loadBalancerControllerPolicyFile from "./policies/aws-load-balancer-controller-v2.17.1.json";

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

/** The key of an access entry: `<kind>-<role name>`, lowercased, a suffix when two roles share a name. */
function entryKey(kind: string, arn: string, taken: Record<string, unknown>): string {
    const base = `${kind}-${arn.split("/").pop()!.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`;
    let key = base;
    for (let n = 2; key in taken; n++) key = `${base}-${n}`;
    return key;
}

/**
 * One access entry per admin role and per deployer role, each with AmazonEKSClusterAdminPolicy at
 * cluster scope, keyed `admin-<role name>` / `deployer-<role name>` so reordering a list does not
 * replace entries. Nobody else gets an entry from this component: managed node groups get their
 * EC2_LINUX entry from EKS itself, and the identity that creates the cluster gets its own from EKS
 * (@pulumi/eks 4.3 sets bootstrapClusterCreatorAdminPermissions), which is why that identity must
 * be in neither list (EKS refuses a second entry for one principal).
 */
export function accessEntries(adminRoleArns: string[], deployerRoleArns: string[] = []): Record<string, AccessEntryPlan> {
    const out: Record<string, AccessEntryPlan> = {};
    const add = (kind: string, arn: string) => {
        out[entryKey(kind, arn, out)] = {
            principalArn: arn,
            type: "STANDARD",
            accessPolicies: { "cluster-admin": { policyArn: CLUSTER_ADMIN_POLICY_ARN, accessScope: { type: "cluster" } } },
        };
    };
    for (const arn of adminRoleArns) add("admin", arn);
    for (const arn of deployerRoleArns) add("deployer", arn);
    return out;
}

/**
 * `partition:account:role name` of an IAM role ARN (role names are unique in an account whatever
 * their path, and IAM compares them without case), else the ARN itself.
 */
export function principalKey(arn: string): string {
    const m = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
    return m ? `${m[1]}:${m[2]}:role/${m[3].toLowerCase()}` : arn;
}

/** Whether two principal ARNs name the same IAM role (or are the same ARN). */
export function samePrincipal(a: string, b: string): boolean {
    return principalKey(a) === principalKey(b);
}

export interface DeployerAccessFacts {
    /** The IAM role (or user) the deployment runs as: getSessionContext's issuerArn of the caller. */
    identityArn: string;
    adminRoleArns: string[];
    deployerRoleArns: string[];
    clusterName: string;
    /** Whether the cluster exists already (in eks:ListClusters of the region); undefined when unknown. */
    clusterExists: boolean | undefined;
}

/**
 * What the preview should warn about the identity running the deployment and its cluster access:
 * - in neither list, on an existing (or unknown) cluster: it is cluster admin only if it created
 *   the cluster, else every Kubernetes resource and Helm release fails (Unauthorized);
 * - listed, while this deployment creates the cluster: EKS gives the creator its own entry, so
 *   the listed one fails with 409 ResourceInUseException.
 */
export function deployerAccessWarnings(f: DeployerAccessFacts): string[] {
    const listedIn = [
        ...(f.adminRoleArns.some((a) => samePrincipal(a, f.identityArn)) ? ["adminRoleArns"] : []),
        ...(f.deployerRoleArns.some((a) => samePrincipal(a, f.identityArn)) ? ["deployerRoleArns"] : []),
    ];
    if (listedIn.length === 0 && f.clusterExists !== false) {
        return [
            `the identity running this deployment (${f.identityArn}) is in neither adminRoleArns nor deployerRoleArns of EKS cluster ${f.clusterName}: ` +
                "it has cluster-admin only if it created this cluster (EKS gives the creating identity its own access entry); " +
                "otherwise every Kubernetes resource and Helm release fails with Unauthorized. List it in deployerRoleArns unless it created the cluster.",
        ];
    }
    if (listedIn.length > 0 && f.clusterExists === false) {
        return [
            `this deployment creates EKS cluster ${f.clusterName} as ${f.identityArn}, which is listed in ${listedIn.join(" and ")}: ` +
                "EKS gives the creating identity its own cluster-admin access entry (@pulumi/eks 4.3 sets bootstrapClusterCreatorAdminPermissions), " +
                "so creating the listed entry fails with 409 ResourceInUseException. Create the cluster as an identity in neither list, or take it out of the list for this first deployment.",
        ];
    }
    return [];
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

/**
 * Warnings about the public endpoint's CIDR blocks: a documentation address (a placeholder such as
 * 203.0.113.10/32, which no deployment runs from) or a block with addresses that are not globally
 * reachable (the public endpoint sees only public source addresses, and EKS refuses blocks with
 * reserved addresses). The schema refuses what is too wide; these still deploy.
 */
export function publicEndpointWarnings(endpointPublicAccess: boolean | undefined, publicAccessCidrs: readonly string[] | undefined): string[] {
    if (endpointPublicAccess !== true) return [];
    return (publicAccessCidrs ?? []).flatMap((cidr, i) => {
        if (isDocumentationCidr(cidr)) {
            return [
                `publicAccessCidrs[${i}] ${cidr} is a documentation address (RFC 5737), a placeholder that no deployment runs from: ` +
                    "replace it with the egress CIDR of the machine or runner that runs pulumi up, or the deployment cannot reach the cluster (README \"First deployment\")",
            ];
        }
        if (coversNonPublicAddresses(cidr)) {
            return [`publicAccessCidrs[${i}] ${cidr} holds addresses that are not globally reachable: the public endpoint only ever sees public source addresses, and EKS refuses blocks with reserved addresses (use privateAccessCidrs for networks routed to the VPC)`];
        }
        return [];
    });
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

/** The EKS managed add-ons the component installs, in install order. */
export const ADDON_NAMES = ["vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver"] as const;
export type AddonName = (typeof ADDON_NAMES)[number];

export interface AddonPlan {
    addonName: AddonName;
    /** The version pinned in `addonVersions`; undefined: EKS's default for the cluster's minor, asked at preview (aws.eks.getAddonVersion). */
    pinnedVersion?: string;
    /** Installed before the node groups (DaemonSets that nodes need to become Ready). */
    beforeNodes: boolean;
    /** Which IRSA role the add-on's service account uses, if any. */
    irsa?: keyof typeof SERVICE_ACCOUNTS;
}

/**
 * The EKS managed add-ons. eks.Cluster is told to install none of these itself
 * (bootstrapSelfManagedAddons false, default CNI, coredns and kube-proxy disabled). No version is
 * written here: each add-on runs the version pinned in `addonVersions`, else the default EKS
 * reports for the cluster's minor (resolved at every preview, so a new default shows as an
 * update). No eks-pod-identity-agent: every workload here uses IRSA.
 */
export function addonPlan(addonVersions: Readonly<Record<string, string>> = {}): AddonPlan[] {
    const pinned = (addonName: AddonName) => (addonVersions[addonName] !== undefined ? { pinnedVersion: addonVersions[addonName] } : {});
    return [
        { addonName: "vpc-cni", ...pinned("vpc-cni"), beforeNodes: true, irsa: "vpcCni" },
        { addonName: "kube-proxy", ...pinned("kube-proxy"), beforeNodes: true },
        { addonName: "coredns", ...pinned("coredns"), beforeNodes: false },
        { addonName: "aws-ebs-csi-driver", ...pinned("aws-ebs-csi-driver"), beforeNodes: false, irsa: "ebsCsi" },
    ];
}

/** The arguments of the aws.eks.getAddonVersion invoke for an add-on that is not pinned: EKS's default version for the minor. */
export function addonVersionQuery(addonName: AddonName, kubernetesVersion: string): { addonName: AddonName; kubernetesVersion: string; mostRecent: false } {
    return { addonName, kubernetesVersion, mostRecent: false };
}

// ---------------------------------------------------------------------------------------------
// Kubernetes versions and EKS support
// ---------------------------------------------------------------------------------------------

/** A minor's EKS support window (ISO dates; each is the first day of the next phase). */
export interface KubernetesSupportWindow {
    release: string;
    endOfStandardSupport: string;
    endOfExtendedSupport: string;
}

/** The minors the component knows, with their EKS support windows (versions.cluster.kubernetes). */
export const KUBERNETES_SUPPORT: Readonly<Record<string, KubernetesSupportWindow>> = versions.cluster.kubernetes;

function minorNumber(version: string): number {
    return Number(version.split(".")[1]);
}

/** Every minor of the support table, oldest first. */
export const KNOWN_KUBERNETES_VERSIONS: readonly string[] = Object.keys(KUBERNETES_SUPPORT).sort((a, b) => minorNumber(a) - minorNumber(b));

/** `2026-12-04` for a Date (UTC): support dates are days. */
export function isoDay(today: Date): string {
    return today.toISOString().slice(0, 10);
}

export type SupportPhase = "unreleased" | "standard" | "extended" | "ended";

/** Where a minor is in its EKS support window on `today`; undefined for a minor the table does not know. */
export function kubernetesSupport(version: string, today: Date): { phase: SupportPhase; window: KubernetesSupportWindow } | undefined {
    const window = KUBERNETES_SUPPORT[version];
    if (!window) return undefined;
    const day = isoDay(today);
    const phase: SupportPhase = day < window.release ? "unreleased" : day < window.endOfStandardSupport ? "standard" : day < window.endOfExtendedSupport ? "extended" : "ended";
    return { phase, window };
}

/** The minors in EKS standard support on `today`, oldest first. */
export function standardSupportVersions(today: Date): string[] {
    return KNOWN_KUBERNETES_VERSIONS.filter((v) => kubernetesSupport(v, today)!.phase === "standard");
}

/**
 * Why `kubernetesVersion` cannot be deployed on `today`, phrased as the expected form, or
 * undefined when it can: a minor the table does not know, one not yet released on EKS, one past
 * standard support without `extendedSupport`, one past extended support. Pure: `today` is given.
 */
export function kubernetesVersionProblem(version: string, extendedSupport: boolean, today: Date): string | undefined {
    const day = isoDay(today);
    const standard = standardSupportVersions(today).join(", ") || "none";
    const support = kubernetesSupport(version, today);
    if (!support) return `a Kubernetes minor of the EKS support table (${KNOWN_KUBERNETES_VERSIONS.join(", ")}; in standard support on ${day}: ${standard})`;
    const { phase, window } = support;
    if (phase === "unreleased") return `a Kubernetes minor EKS has released (${version} comes on ${window.release}; in standard support on ${day}: ${standard})`;
    if (phase === "ended") return `a Kubernetes minor EKS still supports on ${day} (${version} left extended support on ${window.endOfExtendedSupport}; in standard support: ${standard})`;
    if (phase === "extended" && !extendedSupport) {
        return (
            `a Kubernetes minor in EKS standard support on ${day} (${standard}): ${version} left standard support on ${window.endOfStandardSupport}; ` +
            `upgrade one minor at a time, or set extendedSupport: true to stay on ${version} in extended support (billed per cluster hour) until ${window.endOfExtendedSupport}`
        );
    }
    return undefined;
}

/** The cluster's upgrade policy: EXTENDED only when asked for; STANDARD lets EKS upgrade the control plane at the end of standard support instead of billing extended support. */
export function upgradePolicy(extendedSupport: boolean): { supportType: "STANDARD" | "EXTENDED" } {
    return { supportType: extendedSupport ? "EXTENDED" : "STANDARD" };
}

/** Days before the end of standard support from which the preview warns. */
export const SUPPORT_WARNING_DAYS = 90;

/**
 * A warning for a deployable minor whose support is running out: within SUPPORT_WARNING_DAYS of
 * the end of standard support (with STANDARD, EKS then upgrades the control plane by itself; the
 * node groups, add-ons and autoscaler stay behind), or in extended support (billed).
 */
export function kubernetesSupportWarning(version: string, extendedSupport: boolean, today: Date): string | undefined {
    const support = kubernetesSupport(version, today);
    if (!support) return undefined;
    const { phase, window } = support;
    if (phase === "extended" && extendedSupport) {
        return `Kubernetes ${version} is in EKS extended support (billed per cluster hour) until ${window.endOfExtendedSupport}: upgrade one minor at a time to one in standard support (${standardSupportVersions(today).join(", ") || "none"})`;
    }
    if (phase !== "standard") return undefined;
    const days = Math.round((Date.parse(window.endOfStandardSupport) - Date.parse(isoDay(today))) / 86_400_000);
    if (days > SUPPORT_WARNING_DAYS) return undefined;
    const then = extendedSupport
        ? `the cluster then enters extended support (billed per cluster hour, upgradePolicy EXTENDED)`
        : `with upgradePolicy STANDARD, EKS then upgrades the control plane by itself and the node groups, add-ons and autoscaler stay behind`;
    return `Kubernetes ${version} leaves EKS standard support on ${window.endOfStandardSupport} (in ${days} days): ${then}; upgrade before (component README "Upgrades")`;
}

// ---------------------------------------------------------------------------------------------
// Partition
// ---------------------------------------------------------------------------------------------

/** The AWS partitions the component deploys to. */
export const SUPPORTED_PARTITIONS: readonly string[] = ["aws"];

/** Region name prefixes of the partitions other than aws (longest first). */
const PARTITION_OF_REGION_PREFIX: ReadonlyArray<[string, string]> = [
    ["us-isob-", "aws-iso-b"],
    ["us-isof-", "aws-iso-f"],
    ["eu-isoe-", "aws-iso-e"],
    ["us-iso-", "aws-iso"],
    ["us-gov-", "aws-us-gov"],
    ["eusc-", "aws-eusc"],
    ["cn-", "aws-cn"],
];

/** The partition of a region by its name: cn-* is aws-cn, us-gov-* aws-us-gov, ...; every other region is aws. */
export function regionPartition(region: string): string {
    return PARTITION_OF_REGION_PREFIX.find(([prefix]) => region.startsWith(prefix))?.[1] ?? "aws";
}

/** Why the partition is refused, phrased as the expected form, or undefined for a supported one. */
export function partitionProblem(partition: string): string | undefined {
    if (SUPPORTED_PARTITIONS.includes(partition)) return undefined;
    return (
        `the commercial AWS partition (aws): ${partition} (GovCloud is aws-us-gov, China aws-cn) needs partition-specific ARNs, ` +
        "service endpoints and chart and image sources that CommandControlCluster neither builds nor tests " +
        "(only the Load Balancer Controller policy is built per partition)"
    );
}

/** The partition when it is supported; throws a RunError naming the problem otherwise (used on the getPartition invoke's result, before any ARN is built from it). */
export function supportedPartition(partition: string, subject = "CommandControlCluster"): string {
    const problem = partitionProblem(partition);
    if (problem) throw new pulumi.RunError(`${subject}: the provider's AWS partition: expected ${problem}, found "${partition}"`);
    return partition;
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

/** Every string value in a JSON document with `arn:aws:` replaced by `arn:<partition>:`. */
function inPartition(v: unknown, partition: string): unknown {
    if (typeof v === "string") return v.startsWith("arn:aws:") ? `arn:${partition}:${v.slice("arn:aws:".length)}` : v;
    if (Array.isArray(v)) return v.map((x) => inPartition(x, partition));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, inPartition(x, partition)]));
    return v;
}

/**
 * The vendored upstream policy of the AWS Load Balancer Controller, statement for statement as
 * published, with its resource ARNs in the stack's partition. Upstream writes the `aws`
 * partition into 13 resource ARNs of iam_policy.json and ships per-partition copies
 * (iam_policy_us-gov.json, iam_policy_cn.json, ...): at v2.17.1 those hold the same statements
 * with `arn:aws-us-gov:` / `arn:aws-cn:` (only the order of two statements differs), which is
 * what this builds from the one vendored file.
 */
export function loadBalancerControllerPolicy(partition: string): PolicyDocument {
    return inPartition(loadBalancerControllerPolicyFile, partition) as PolicyDocument;
}

/** The policy serialized compactly (IAM counts characters toward the inline-policy size limit). */
export function loadBalancerControllerPolicyJson(partition: string): string {
    return JSON.stringify(loadBalancerControllerPolicy(partition));
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
