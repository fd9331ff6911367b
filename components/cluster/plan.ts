// Pure decisions of CommandControlCluster: names, validation, access entries, log types, launch
// template settings, add-on plan, IAM documents and Helm values. No Pulumi resources here: tests
// call these functions directly.
import { Problem } from "../common/errors";
import { cidrOf } from "../network/plan";
import type { ClusterNodeGroupArgs } from "./index";
import { PolicyDocument, policyDocument } from "../common/iam";
import { versions } from "../common/versions";
import { IRSA_ROLE_ANNOTATION } from "../common/irsa";
import loadBalancerControllerPolicy from "./policies/aws-load-balancer-controller-v2.17.1.json";
import { LOG_RETENTION_DAYS as CLOUDWATCH_RETENTION_DAYS, isLogRetentionDays } from "../common/formats";

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** Every EKS control-plane log type; all are enabled. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** The values CloudWatch Logs accepts for retentionInDays. */
export { LOG_RETENTION_DAYS as CLOUDWATCH_RETENTION_DAYS } from "../common/formats";

/** Kubernetes minors with a pinned add-on set in versions.ts: the supported window. */
export const SUPPORTED_KUBERNETES_VERSIONS: readonly string[] = Object.keys(versions.cluster.addons).sort();

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
// Formats (shared with stacks/config/cluster.ts so config and args report the same way)
// ---------------------------------------------------------------------------------------------

export const FORMATS = {
    clusterName: { re: /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, expected: "an EKS cluster name of 1-100 letters, digits, '-' and '_' starting with a letter or digit" },
    kubernetesVersion: { re: /^1\.\d{2}$/, expected: "a Kubernetes minor version such as 1.34" },
    cidr: { expected: "an IPv4 CIDR block such as 203.0.113.0/24" },
    roleArn: { re: /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/, expected: "an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin" },
    instanceType: { re: /^[a-z][a-z0-9-]*\d[a-z0-9-]*\.(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$/, expected: "an EC2 instance type such as m7i.large" },
    nodeGroupName: { re: /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/, expected: "a node group name of 1-32 lowercase letters, digits and '-' (a Kubernetes name)" },
    vpcId: { re: /^vpc-[0-9a-f]{8,17}$/, expected: "a VPC ID such as vpc-0123456789abcdef0" },
    subnetId: { re: /^subnet-[0-9a-f]{8,17}$/, expected: "a subnet ID such as subnet-0123456789abcdef0" },
    labelKey: { re: /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, expected: "a Kubernetes label key such as role or example.com/role" },
    labelValue: { re: /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, expected: "a Kubernetes label value of at most 63 letters, digits, '-', '_' and '.'" },
} as const;

export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
export const TAINT_EFFECTS = ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"] as const;
export const MIN_DISK_GIB = 20;
export const MAX_DISK_GIB = 16384;

/** True for a canonical IPv4 CIDR (octets 0-255, prefix 0-32, no host bits set): the network plan's parser. */
export function isIpv4Cidr(value: string): boolean {
    return cidrOf(value) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/** A node group as the args carry it (plain values only). */
export type NodeGroupSpec = ClusterNodeGroupArgs;

/** The plain settings that validation looks at (Inputs that are still Outputs are skipped). */
export interface ClusterSettings {
    clusterName: string;
    kubernetesVersion: string;
    endpointPublicAccess?: boolean;
    publicAccessCidrs?: string[];
    privateAccessCidrs?: string[];
    adminRoleArns: string[];
    nodeGroups: NodeGroupSpec[];
    logRetentionDays?: number;
    vpcId?: unknown;
    privateSubnetIds?: unknown;
    publicSubnetIds?: unknown;
    tags?: Record<string, string>;
}

/** A problem located by a path, so config validation can reuse it with zod paths. */
export interface LocatedProblem {
    path: (string | number)[];
    expected: string;
    found: unknown;
}

/** `nodeGroups[0].minSize` for ["nodeGroups", 0, "minSize"]. */
export function fieldName(p: (string | number)[]): string {
    return p.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

function isInteger(v: unknown): v is number {
    return typeof v === "number" && Number.isInteger(v);
}

/** Architecture of an instance type: Graviton families carry a `g` after the generation digit. */
export function instanceArchitecture(instanceType: string): "arm64" | "x86_64" {
    const family = instanceType.split(".")[0];
    const suffix = family.replace(/^[a-z-]*?\d+/, "");
    return /g/.test(suffix.replace(/-flex$/, "")) ? "arm64" : "x86_64";
}

/**
 * Cross-field and format checks on the cluster settings. Shared by the component (all checks)
 * and by the config section (its superRefine reports the `crossField` ones; zod reports formats).
 */
export function settingProblems(s: ClusterSettings, only: "all" | "crossField" = "all"): LocatedProblem[] {
    const out: LocatedProblem[] = [];
    const all = only === "all";
    const add = (p: (string | number)[], expected: string, found: unknown) => out.push({ path: p, expected, found });

    if (all && (typeof s.clusterName !== "string" || !FORMATS.clusterName.re.test(s.clusterName))) add(["clusterName"], FORMATS.clusterName.expected, s.clusterName);

    if (typeof s.kubernetesVersion !== "string" || !FORMATS.kubernetesVersion.re.test(s.kubernetesVersion)) {
        if (all) add(["kubernetesVersion"], FORMATS.kubernetesVersion.expected, s.kubernetesVersion);
    } else if (!SUPPORTED_KUBERNETES_VERSIONS.includes(s.kubernetesVersion)) {
        add(["kubernetesVersion"], `a Kubernetes version with pinned add-ons (${SUPPORTED_KUBERNETES_VERSIONS.join(", ")})`, s.kubernetesVersion);
    }

    const publicCidrs = Array.isArray(s.publicAccessCidrs) ? s.publicAccessCidrs : [];
    if (s.endpointPublicAccess === true && publicCidrs.length === 0) {
        add(["publicAccessCidrs"], "at least one CIDR block when endpointPublicAccess is true (the public endpoint is never open to all)", s.publicAccessCidrs);
    }
    if (s.endpointPublicAccess !== true && publicCidrs.length > 0) {
        add(["publicAccessCidrs"], "no CIDR blocks unless endpointPublicAccess is true", s.publicAccessCidrs);
    }
    publicCidrs.forEach((c, i) => {
        if (typeof c !== "string" || !isIpv4Cidr(c)) {
            if (all) add(["publicAccessCidrs", i], FORMATS.cidr.expected, c);
        } else if (c.endsWith("/0")) {
            add(["publicAccessCidrs", i], "a CIDR block narrower than /0 (public access must be restricted)", c);
        }
    });
    if (all) {
        (Array.isArray(s.privateAccessCidrs) ? s.privateAccessCidrs : []).forEach((c, i) => {
            if (typeof c !== "string" || !isIpv4Cidr(c)) add(["privateAccessCidrs", i], FORMATS.cidr.expected, c);
        });
    }

    const seenRoles = new Map<string, number>();
    (Array.isArray(s.adminRoleArns) ? s.adminRoleArns : []).forEach((arn, i) => {
        if (typeof arn !== "string" || !FORMATS.roleArn.re.test(arn)) {
            if (all) add(["adminRoleArns", i], FORMATS.roleArn.expected, arn);
            return;
        }
        if (seenRoles.has(arn)) add(["adminRoleArns", i], `a role not already listed (same as adminRoleArns[${seenRoles.get(arn)}])`, arn);
        else seenRoles.set(arn, i);
    });

    if (all && (!Array.isArray(s.nodeGroups) || s.nodeGroups.length === 0)) add(["nodeGroups"], "a list of at least 1 node group", s.nodeGroups);
    const seenGroups = new Map<string, number>();
    (Array.isArray(s.nodeGroups) ? s.nodeGroups : []).forEach((g, i) => {
        if (g === null || typeof g !== "object") {
            if (all) add(["nodeGroups", i], "a node group (name, instanceTypes, minSize, maxSize, desiredSize, diskSizeGiB)", g);
            return;
        }
        const at = (k: string | number, ...rest: (string | number)[]) => ["nodeGroups", i, k, ...rest];
        if (typeof g.name !== "string" || !FORMATS.nodeGroupName.re.test(g.name)) {
            if (all) add(at("name"), FORMATS.nodeGroupName.expected, g.name);
        } else if (seenGroups.has(g.name)) {
            add(at("name"), `a node group name not already used (same as nodeGroups[${seenGroups.get(g.name)}].name)`, g.name);
        } else seenGroups.set(g.name, i);

        const types = Array.isArray(g.instanceTypes) ? g.instanceTypes : [];
        if (all && types.length === 0) add(at("instanceTypes"), "a list of at least 1 EC2 instance type", g.instanceTypes);
        const valid = types.filter((t, j) => {
            const ok = typeof t === "string" && FORMATS.instanceType.re.test(t);
            if (!ok && all) add(at("instanceTypes", j), FORMATS.instanceType.expected, t);
            return ok;
        });
        const arches = new Set(valid.map(instanceArchitecture));
        if (arches.size > 1) add(at("instanceTypes"), "instance types of one architecture (all Graviton or all x86_64)", g.instanceTypes);

        const sizesOk = (["minSize", "maxSize", "desiredSize"] as const).every((k) => {
            const v = g[k];
            const lower = k === "maxSize" ? 1 : 0;
            if (!isInteger(v) || v < lower) {
                if (all) add(at(k), `a whole number of at least ${lower}`, v);
                return false;
            }
            return true;
        });
        if (sizesOk) {
            if (g.minSize > g.maxSize) add(at("minSize"), `a number no larger than maxSize (${g.maxSize})`, g.minSize);
            else if (g.desiredSize < g.minSize || g.desiredSize > g.maxSize) add(at("desiredSize"), `a number between minSize (${g.minSize}) and maxSize (${g.maxSize})`, g.desiredSize);
        }
        if (all && (!isInteger(g.diskSizeGiB) || g.diskSizeGiB < MIN_DISK_GIB || g.diskSizeGiB > MAX_DISK_GIB)) {
            add(at("diskSizeGiB"), `a whole number of GiB between ${MIN_DISK_GIB} and ${MAX_DISK_GIB}`, g.diskSizeGiB);
        }
        if (all && g.capacityType !== undefined && !(CAPACITY_TYPES as readonly string[]).includes(g.capacityType)) {
            add(at("capacityType"), `one of ${CAPACITY_TYPES.map((c) => JSON.stringify(c)).join(", ")}`, g.capacityType);
        }
        if (all) {
            for (const [k, v] of Object.entries(g.labels ?? {})) {
                if (!FORMATS.labelKey.re.test(k) || k.length > 316) add(at("labels", k), FORMATS.labelKey.expected, k);
                else if (typeof v !== "string" || !FORMATS.labelValue.re.test(v)) add(at("labels", k), FORMATS.labelValue.expected, v);
            }
            (Array.isArray(g.taints) ? g.taints : []).forEach((t, j) => {
                if (typeof t.key !== "string" || !FORMATS.labelKey.re.test(t.key)) add(at("taints", j, "key"), FORMATS.labelKey.expected, t.key);
                if (t.value !== undefined && (typeof t.value !== "string" || !FORMATS.labelValue.re.test(t.value))) add(at("taints", j, "value"), FORMATS.labelValue.expected, t.value);
                if (!(TAINT_EFFECTS as readonly string[]).includes(t.effect)) add(at("taints", j, "effect"), `one of ${TAINT_EFFECTS.map((e) => JSON.stringify(e)).join(", ")}`, t.effect);
            });
        }
    });

    if (all && s.logRetentionDays !== undefined && !isLogRetentionDays(s.logRetentionDays)) {
        add(["logRetentionDays"], `a CloudWatch Logs retention (one of ${CLOUDWATCH_RETENTION_DAYS.join(", ")})`, s.logRetentionDays);
    }

    if (all) {
        // Inputs are validated only when they are plain values; Outputs are resolved later.
        if (typeof s.vpcId === "string" && !FORMATS.vpcId.re.test(s.vpcId)) add(["vpcId"], FORMATS.vpcId.expected, s.vpcId);
        for (const key of ["privateSubnetIds", "publicSubnetIds"] as const) {
            const ids = s[key];
            if (!Array.isArray(ids)) continue;
            ids.forEach((id, i) => {
                if (typeof id === "string" && !FORMATS.subnetId.re.test(id)) add([key, i], FORMATS.subnetId.expected, id);
            });
            if (key === "privateSubnetIds" && ids.length < 2) add([key], "a list of at least 2 subnets in different availability zones (EKS requires two)", ids);
        }
        for (const k of Object.keys(s.tags ?? {})) {
            if (k.toLowerCase().startsWith("aws:")) add(["tags", k], "a tag key not starting with aws: (reserved)", k);
        }
    }
    return out;
}

/** All problems of the component's args, each naming the field, the expected form and the value found. */
export function validateClusterArgs(s: ClusterSettings): Problem[] {
    return settingProblems(s, "all").map((p) => ({ field: fieldName(p.path), expected: p.expected, found: p.found }));
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/** The CloudWatch log group EKS writes control-plane logs to; created before the cluster. */
export function controlPlaneLogGroupName(clusterName: string): string {
    return `/aws/eks/${clusterName}/cluster`;
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
    namePrefix: string;
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

export function nodeGroupPlan(clusterName: string, g: NodeGroupSpec, tags: Record<string, string> = {}): NodeGroupPlan {
    const labels = { ...(g.labels ?? {}), "cloud-cnc/node-group": g.name };
    const taints = (g.taints ?? []).map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect }));
    const templateTags: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels)) templateTags[`k8s.io/cluster-autoscaler/node-template/label/${k}`] = v;
    const effectName: Record<string, string> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };
    for (const t of taints) templateTags[`k8s.io/cluster-autoscaler/node-template/taint/${t.key}`] = `${t.value ?? ""}:${effectName[t.effect] ?? t.effect}`;
    return {
        name: g.name,
        namePrefix: `${g.name}-`,
        amiType: instanceArchitecture(g.instanceTypes[0]) === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD",
        capacityType: g.capacityType ?? "ON_DEMAND",
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
