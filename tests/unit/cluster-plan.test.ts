// Pure decisions of CommandControlCluster (components/cluster/plan.ts), without mocks.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { z } from "zod";
import { versions } from "../../components/common/versions";
import { ipv4Cidr } from "../../components/common/formats";
import { argsProblems } from "../../components/common/schema";
import {
    accessEntries,
    addonPlan,
    CLUSTER_ADMIN_POLICY_ARN,
    clusterAutoscalerPolicy,
    clusterAutoscalerValues,
    controlPlaneLogGroupName,
    endpointPlan,
    instanceArchitecture,
    launchTemplatePlan,
    LOAD_BALANCER_CONTROLLER_POLICY_FILE,
    loadBalancerControllerPolicyJson,
    loadBalancerControllerValues,
    nodeGroupPlan,
    ROLE_NAME_PREFIX_MAX,
    ROLES,
    roleNamePrefix,
    secretsKeyAlias,
    storageClassSpec,
} from "../../components/cluster/plan";
import {
    CLUSTER_PROFILE_DEFAULTS,
    clusterRules,
    clusterSchema,
    DEFAULT_KUBERNETES_VERSION,
    NodeGroupSettings,
    SUPPORTED_KUBERNETES_VERSIONS,
} from "../../components/cluster/schema";
import { ADMIN_ROLES, clusterArgs } from "../support/cluster-fixtures";

const group = (over: Partial<NodeGroupSettings> = {}): NodeGroupSettings => ({
    name: "system",
    instanceTypes: ["m7i.large"],
    minSize: 1,
    maxSize: 3,
    desiredSize: 2,
    diskSizeGiB: 50,
    capacityType: "ON_DEMAND",
    labels: {},
    taints: [],
    ...over,
});

/** Every problem the component would report for these args. */
const validateClusterArgs = (args: unknown) => argsProblems(clusterSchema, args);

describe("cluster plan", () => {
    it("accepts the fixture args without problems", () => {
        assert.deepEqual(validateClusterArgs(clusterArgs()), []);
    });

    it("states the supported Kubernetes window as the minors with pinned add-ons", () => {
        assert.deepEqual(SUPPORTED_KUBERNETES_VERSIONS, ["1.33", "1.34"]);
        assert.deepEqual(SUPPORTED_KUBERNETES_VERSIONS, Object.keys(versions.cluster.addons).sort());
        for (const v of SUPPORTED_KUBERNETES_VERSIONS) assert.ok(v in versions.cluster.clusterAutoscalerImage, `no autoscaler image for ${v}`);
    });

    describe("the CIDR format of publicAccessCidrs and privateAccessCidrs (the shared ipv4Cidr)", () => {
        const isIpv4Cidr = (c: string) => ipv4Cidr().safeParse(c).success;
        const good = ["10.0.0.0/8", "203.0.113.0/24", "198.51.100.7/32", "0.0.0.0/0", "172.16.0.0/12"];
        const bad = ["10.0.0.1/8", "10.0.0.0/33", "256.0.0.0/8", "10.0.0/8", "10.0.0.0", "fd00::/8", " 10.0.0.0/8", "10.0.0.0/08x"];
        for (const c of good) it(`accepts ${c}`, () => assert.equal(isIpv4Cidr(c), true));
        for (const c of bad) it(`rejects ${JSON.stringify(c)}`, () => assert.equal(isIpv4Cidr(c), false));

        it("accepts exactly the network address of every prefix (property)", () => {
            fc.assert(
                fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (addr, prefix) => {
                    const size = 2 ** (32 - prefix);
                    const network = addr - (addr % size);
                    const dotted = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
                    assert.equal(isIpv4Cidr(`${dotted(network)}/${prefix}`), true);
                    assert.equal(isIpv4Cidr(`${dotted(addr)}/${prefix}`), addr === network);
                }),
            );
        });
    });

    describe("instanceArchitecture", () => {
        const cases: Array<[string, string]> = [
            ["m7g.large", "arm64"],
            ["c7gn.xlarge", "arm64"],
            ["t4g.medium", "arm64"],
            ["r8g.2xlarge", "arm64"],
            ["g5g.xlarge", "arm64"],
            ["m7i.large", "x86_64"],
            ["m7i-flex.large", "x86_64"],
            ["t3.large", "x86_64"],
            ["g5.xlarge", "x86_64"],
            ["g4dn.xlarge", "x86_64"],
            ["c6in.large", "x86_64"],
        ];
        for (const [t, arch] of cases) it(`${t} is ${arch}`, () => assert.equal(instanceArchitecture(t), arch));
    });

    describe("validation (schema.ts)", () => {
        const base = () => {
            const a = clusterArgs();
            return { ...a, nodeGroups: a.nodeGroups!.map((g) => ({ ...g })) };
        };

        it("names each problem's field, expected form and value", () => {
            const s = base();
            s.kubernetesVersion = "1.34.2";
            s.nodeGroups[0].diskSizeGiB = 8;
            s.nodeGroups[0].capacityType = "RESERVED";
            s.nodeGroups[0].labels = { "bad key!": "x" };
            s.nodeGroups[0].taints = [{ key: "dedicated", effect: "NoSchedule" }];
            s.tags = { "aws:owner": "me" };
            assert.deepEqual(validateClusterArgs(s), [
                { field: "kubernetesVersion", expected: "a Kubernetes minor version such as 1.34", found: "1.34.2" },
                { field: "nodeGroups[0].diskSizeGiB", expected: "a whole number of GiB between 20 and 16384", found: 8 },
                { field: "nodeGroups[0].capacityType", expected: 'one of "ON_DEMAND", "SPOT"', found: "RESERVED" },
                { field: "nodeGroups[0].labels.bad key!", expected: "a Kubernetes label key such as role or example.com/role", found: "bad key!" },
                { field: "nodeGroups[0].taints[0].effect", expected: 'one of "NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"', found: "NoSchedule" },
                { field: "tags.aws:owner", expected: "a tag key not starting with aws: (reserved)", found: "aws:owner" },
            ]);
        });

        it("checks plain network inputs and skips Outputs", () => {
            const s = base();
            Object.assign(s, { vpcId: "vpc-1", privateSubnetIds: ["subnet-0a1b2c3d4e5f60001"] });
            assert.deepEqual(validateClusterArgs(s).map((p) => p.field), ["vpcId", "privateSubnetIds"]);
            Object.assign(s, { vpcId: pulumi.output("vpc-1"), privateSubnetIds: pulumi.output(["subnet-x"]), publicSubnetIds: Promise.resolve(["subnet-y"]) });
            assert.deepEqual(validateClusterArgs(s), []);
            Object.assign(s, { privateSubnetIds: [pulumi.output("subnet-x"), "subnet-y"] });
            assert.deepEqual(validateClusterArgs(s).map((p) => [p.field, p.found]), [["privateSubnetIds[1]", "subnet-y"]], "plain items of a list are checked, Output items are not");
        });

        it("rejects CIDRs on a private-only endpoint, and duplicate admin roles", () => {
            const s = base();
            s.publicAccessCidrs = ["203.0.113.0/24"];
            s.adminRoleArns = [ADMIN_ROLES[0], ADMIN_ROLES[0]];
            assert.deepEqual(validateClusterArgs(s), [
                { field: "publicAccessCidrs", expected: "no CIDR blocks unless endpointPublicAccess is true", found: ["203.0.113.0/24"] },
                { field: "adminRoleArns[1]", expected: "a role not already listed (same as adminRoleArns[0])", found: ADMIN_ROLES[0] },
            ]);
        });

        it("reports only cross-field problems from the rules (formats are the field schemas'), each problem once", () => {
            const s = base();
            s.kubernetesVersion = "bogus";
            s.nodeGroups[0].minSize = 9;
            s.nodeGroups[0].instanceTypes = ["nope"];
            const ruled = z.unknown().superRefine(clusterRules).safeParse(s);
            assert.deepEqual(ruled.error?.issues.map((i) => i.path.join(".")), ["nodeGroups.0.minSize"]);
            assert.deepEqual(validateClusterArgs(s).map((p) => p.field), ["kubernetesVersion", "nodeGroups[0].instanceTypes[0]", "nodeGroups[0].minSize"]);
        });

        it("accepts every consistent size triple and flags every inconsistent one once (property)", () => {
            fc.assert(
                fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 60 }), (min, max, desired) => {
                    const s = base();
                    s.nodeGroups = [group({ minSize: min, maxSize: max, desiredSize: desired })];
                    const problems = validateClusterArgs(s);
                    const consistent = min <= desired && desired <= max;
                    assert.equal(problems.length, consistent ? 0 : 1, JSON.stringify(problems));
                    if (min > max) assert.equal(problems[0].field, "nodeGroups[0].minSize");
                    else if (!consistent) assert.equal(problems[0].field, "nodeGroups[0].desiredSize");
                }),
            );
        });

        it("never throws, whatever the input shape (property)", () => {
            fc.assert(
                fc.property(fc.anything(), fc.anything(), fc.anything(), (nodeGroups, adminRoleArns, cidrs) => {
                    const problems = validateClusterArgs({ ...base(), nodeGroups: nodeGroups as any, adminRoleArns: adminRoleArns as any, publicAccessCidrs: cidrs as any });
                    assert.ok(Array.isArray(problems));
                }),
            );
            fc.assert(fc.property(fc.anything(), (args) => assert.ok(Array.isArray(validateClusterArgs(args)))));
        });
    });

    describe("profile defaults (CLUSTER_PROFILE_DEFAULTS)", () => {
        const unsized = () => {
            const { nodeGroups: _g, logRetentionDays: _r, ...rest } = clusterArgs();
            return rest;
        };

        it("production: one system group of m7i.xlarge/m6i.xlarge, 3-9 nodes, 100 GiB; 365-day logs; deletion protection", () => {
            const s = clusterSchema.parse({ ...unsized(), profile: "production" });
            assert.deepEqual(s.nodeGroups, [
                { name: "system", instanceTypes: ["m7i.xlarge", "m6i.xlarge"], minSize: 3, maxSize: 9, desiredSize: 3, diskSizeGiB: 100, capacityType: "ON_DEMAND", labels: {}, taints: [] },
            ]);
            assert.equal(s.logRetentionDays, 365);
            assert.equal(s.deletionProtection, true);
        });

        it("development: one system group of t3.large/m7i.large, 2-4 nodes, 50 GiB; 14-day logs; no deletion protection", () => {
            const s = clusterSchema.parse({ ...unsized(), profile: "development" });
            assert.deepEqual(s.nodeGroups, [
                { name: "system", instanceTypes: ["t3.large", "m7i.large"], minSize: 2, maxSize: 4, desiredSize: 2, diskSizeGiB: 50, capacityType: "ON_DEMAND", labels: {}, taints: [] },
            ]);
            assert.equal(s.logRetentionDays, 14);
            assert.equal(s.deletionProtection, false);
        });

        it("never overrides what the args set, and never shares its arrays with the settings", () => {
            const mine = [group({ name: "mine" })];
            const s = clusterSchema.parse({ ...unsized(), profile: "production", nodeGroups: mine, logRetentionDays: 30, deletionProtection: false });
            assert.deepEqual(s.nodeGroups.map((g) => g.name), ["mine"]);
            assert.deepEqual([s.logRetentionDays, s.deletionProtection], [30, false]);
            const d = clusterSchema.parse({ ...unsized(), profile: "development" });
            d.nodeGroups[0].instanceTypes.push("x");
            assert.deepEqual(CLUSTER_PROFILE_DEFAULTS.development.nodeGroups[0].instanceTypes, ["t3.large", "m7i.large"]);
        });

        it("are valid args themselves under every rule", () => {
            for (const profile of ["production", "development"] as const) {
                assert.deepEqual(validateClusterArgs({ ...clusterArgs(), profile, ...CLUSTER_PROFILE_DEFAULTS[profile] }), [], profile);
            }
        });

        it("requires a profile and names the two", () => {
            assert.deepEqual(validateClusterArgs({ ...clusterArgs(), profile: "prod" }), [{ field: "profile", expected: 'a sizing profile: "production" or "development"', found: "prod" }]);
            assert.deepEqual(validateClusterArgs({ ...clusterArgs(), profile: undefined }).map((p) => p.field), ["profile"]);
        });

        it("defaults the Kubernetes version to a supported minor and every plain default of a node group", () => {
            assert.ok(SUPPORTED_KUBERNETES_VERSIONS.includes(DEFAULT_KUBERNETES_VERSION));
            const s = clusterSchema.parse({ ...clusterArgs(), kubernetesVersion: undefined, nodeGroups: [{ name: "a", instanceTypes: ["m7i.large"], minSize: 1, maxSize: 2, desiredSize: 1 }] });
            assert.equal(s.kubernetesVersion, DEFAULT_KUBERNETES_VERSION);
            assert.deepEqual(s.nodeGroups[0], { name: "a", instanceTypes: ["m7i.large"], minSize: 1, maxSize: 2, desiredSize: 1, diskSizeGiB: 50, capacityType: "ON_DEMAND", labels: {}, taints: [] });
        });
    });

    describe("physical names", () => {
        it("names each IAM role <clusterName>-<role>- (namePrefix: AWS adds a unique suffix)", () => {
            assert.equal(roleNamePrefix("cloud-prod-cnc", ROLES.node.physical), "cloud-prod-cnc-node-");
            assert.equal(roleNamePrefix("cloud-prod-cnc", ROLES.loadBalancerController.physical), "cloud-prod-cnc-lb-controller-");
            assert.equal(roleNamePrefix("cloud-prod-cnc", ROLES.clusterAutoscaler.physical), "cloud-prod-cnc-cluster-autoscaler-");
            assert.deepEqual(Object.values(ROLES).map((r) => r.physical).sort(), ["cluster-autoscaler", "ebs-csi", "lb-controller", "node", "vpc-cni"]);
        });

        it("cuts a long cluster name, never the role, and stays within the provider's 38 characters (property)", () => {
            fc.assert(
                fc.property(fc.stringMatching(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/), fc.constantFrom(...Object.values(ROLES).map((r) => r.physical)), (cluster, role) => {
                    const prefix = roleNamePrefix(cluster, role);
                    assert.ok(prefix.length <= ROLE_NAME_PREFIX_MAX, prefix);
                    assert.ok(prefix.endsWith(`${role}-`), prefix);
                    assert.match(prefix, /^[\w+=,.@-]+$/);
                    assert.ok(!prefix.includes("--") || cluster.includes("--"), prefix);
                }),
            );
            assert.equal(roleNamePrefix("a-very-long-cluster-name-for-the-platform-team", "cluster-autoscaler"), "a-very-long-cluste-cluster-autoscaler-");
        });

        it("names the KMS alias, the log group and each node group's launch template and instances after the cluster", () => {
            assert.equal(secretsKeyAlias("cloud-prod-cnc"), "alias/cloud-prod-cnc-eks-secrets");
            assert.equal(controlPlaneLogGroupName("cloud-prod-cnc"), "/aws/eks/cloud-prod-cnc/cluster");
            const p = nodeGroupPlan("cloud-prod-cnc", group({ name: "monitoring" }));
            assert.equal(p.launchTemplateNamePrefix, "cloud-prod-cnc-monitoring-");
            assert.equal(p.instanceName, "cloud-prod-cnc-monitoring");
            assert.match(p.launchTemplateDescription, /^Nodes of cloud-prod-cnc\/monitoring: /);
        });
    });

    it("gives each admin role one cluster-scoped AmazonEKSClusterAdminPolicy entry, keyed by role name", () => {
        const entries = accessEntries(ADMIN_ROLES);
        assert.deepEqual(Object.keys(entries), ["admin-platform-admin", "admin-oncall"]);
        for (const [i, e] of Object.values(entries).entries()) {
            assert.deepEqual(e, { principalArn: ADMIN_ROLES[i], type: "STANDARD", accessPolicies: { "cluster-admin": { policyArn: CLUSTER_ADMIN_POLICY_ARN, accessScope: { type: "cluster" } } } });
        }
        assert.deepEqual(Object.keys(accessEntries([...ADMIN_ROLES].reverse())).sort(), Object.keys(entries).sort(), "reordering keeps keys");
        assert.deepEqual(accessEntries([]), {});
        assert.deepEqual(Object.keys(accessEntries(["arn:aws:iam::111111111111:role/Admin", "arn:aws:iam::222222222222:role/admin"])), ["admin-admin", "admin-admin-2"]);
    });

    it("keeps the endpoint private unless public access is asked for", () => {
        assert.deepEqual(endpointPlan(undefined, undefined), { endpointPrivateAccess: true, endpointPublicAccess: false });
        assert.deepEqual(endpointPlan(false, ["203.0.113.0/24"]), { endpointPrivateAccess: true, endpointPublicAccess: false });
        assert.deepEqual(endpointPlan(true, ["203.0.113.0/24"]), { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
    });

    it("names the control-plane log group as EKS expects", () => {
        assert.equal(controlPlaneLogGroupName("cloud-prod-cnc"), "/aws/eks/cloud-prod-cnc/cluster");
    });

    it("requires IMDSv2 with hop limit 1 and an encrypted gp3 root volume", () => {
        const lt = launchTemplatePlan(80);
        assert.equal(lt.metadataOptions.httpTokens, "required");
        assert.equal(lt.metadataOptions.httpPutResponseHopLimit, 1);
        assert.deepEqual(lt.blockDeviceMappings, [{ deviceName: "/dev/xvda", ebs: { volumeSize: 80, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true", iops: 3000, throughput: 125 } }]);
    });

    it("tags node groups for Cluster Autoscaler discovery and scale-from-zero", () => {
        const p = nodeGroupPlan("c1", group({ labels: { role: "mon" }, taints: [{ key: "dedicated", value: "mon", effect: "NO_SCHEDULE" }] }), { team: "platform" });
        assert.deepEqual(p.tags, {
            team: "platform",
            "k8s.io/cluster-autoscaler/enabled": "true",
            "k8s.io/cluster-autoscaler/c1": "owned",
            "k8s.io/cluster-autoscaler/node-template/label/role": "mon",
            "k8s.io/cluster-autoscaler/node-template/label/cloud-cnc/node-group": "system",
            "k8s.io/cluster-autoscaler/node-template/taint/dedicated": "mon:NoSchedule",
        });
        assert.equal(p.namePrefix, "system-");
        assert.equal(p.capacityType, "ON_DEMAND");
    });

    it("pins the four add-ons per minor, network add-ons before the nodes, and refuses other minors", () => {
        for (const minor of SUPPORTED_KUBERNETES_VERSIONS) {
            const plan = addonPlan(minor);
            assert.deepEqual(plan.map((a) => a.addonName), ["vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver"]);
            assert.deepEqual(plan.filter((a) => a.beforeNodes).map((a) => a.addonName), ["vpc-cni", "kube-proxy"]);
            assert.deepEqual(Object.fromEntries(plan.map((a) => [a.addonName, a.addonVersion])), { ...(versions.cluster.addons as any)[minor] });
            assert.deepEqual(plan.filter((a) => a.irsa).map((a) => [a.addonName, a.irsa]), [["vpc-cni", "vpcCni"], ["aws-ebs-csi-driver", "ebsCsi"]]);
        }
        assert.throws(() => addonPlan("1.29"), /no pinned add-ons for Kubernetes 1\.29/);
    });

    it("pins every version string exactly (no latest, no ranges)", () => {
        const all: string[] = [];
        const walk = (v: unknown) => (typeof v === "string" ? all.push(v) : v && typeof v === "object" ? Object.values(v).forEach(walk) : undefined);
        walk(versions.cluster);
        const pins = all.filter((s) => !s.startsWith("https://") && !/^[a-z-]+$/.test(s));
        assert.ok(pins.length >= 13, pins.join(","));
        for (const s of pins) assert.match(s, /^v?\d+\.\d+\.\d+(-eksbuild\.\d+)?$/, s);
    });

    describe("AWS Load Balancer Controller policy", () => {
        const doc = JSON.parse(loadBalancerControllerPolicyJson());

        it("is the vendored file, statement for statement", () => {
            const file = fs.readFileSync(path.join(__dirname, "../../components/cluster", LOAD_BALANCER_CONTROLLER_POLICY_FILE), "utf8");
            assert.deepEqual(doc, JSON.parse(file));
            assert.ok(file.endsWith("}\n"));
        });

        it("has the shape and the actions of the v2.17 upstream policy", () => {
            assert.equal(doc.Version, "2012-10-17");
            assert.equal(doc.Statement.length, 16);
            const actions = new Set<string>(doc.Statement.flatMap((s: any) => ([] as string[]).concat(s.Action)));
            for (const a of [
                "ec2:GetSecurityGroupsForVpc",
                "ec2:DescribeIpamPools",
                "ec2:DescribeRouteTables",
                "elasticloadbalancing:DescribeListenerAttributes",
                "elasticloadbalancing:ModifyListenerAttributes",
                "elasticloadbalancing:DescribeCapacityReservation",
                "elasticloadbalancing:ModifyCapacityReservation",
                "elasticloadbalancing:ModifyIpPools",
                "elasticloadbalancing:SetRulePriorities",
                "elasticloadbalancing:CreateLoadBalancer",
            ]) {
                assert.ok(actions.has(a), `missing ${a}`);
            }
            // Creating load balancers requires the controller's cluster tag on the request.
            const create = doc.Statement.find((s: any) => ([] as string[]).concat(s.Action).includes("elasticloadbalancing:CreateLoadBalancer"));
            assert.deepEqual(create.Condition, { Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" } });
            assert.equal(doc.Statement.every((s: any) => s.Effect === "Allow" && !("NotAction" in s)), true);
        });

        it("fits the inline role policy size limit when serialized", () => {
            assert.ok(loadBalancerControllerPolicyJson().length < 10240, `${loadBalancerControllerPolicyJson().length} characters`);
        });
    });

    it("scopes the Cluster Autoscaler policy to the cluster", () => {
        const doc = clusterAutoscalerPolicy("aws", "eu-west-1", "123456789012", "c1");
        assert.deepEqual(doc.Statement[0], {
            Sid: "ScaleOwnedGroupsOnly",
            Effect: "Allow",
            Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
            Resource: "*",
            Condition: { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/c1": "owned" } },
        });
        assert.equal(doc.Statement[2].Resource, "arn:aws:eks:eu-west-1:123456789012:nodegroup/c1/*");
        const actions = doc.Statement.flatMap((s) => ([] as string[]).concat(s.Action ?? []));
        assert.equal(actions.some((a) => a.includes("*")), false);
    });

    it("builds Helm values with explicit region/VPC and IRSA annotations", () => {
        const lbc = loadBalancerControllerValues({ clusterName: "c1", region: "eu-west-1", vpcId: "vpc-1", roleArn: "arn:r" });
        assert.deepEqual(lbc.serviceAccount, { create: true, name: "aws-load-balancer-controller", annotations: { "eks.amazonaws.com/role-arn": "arn:r" } });
        assert.deepEqual([lbc.clusterName, lbc.region, lbc.vpcId], ["c1", "eu-west-1", "vpc-1"]);
        const ca = clusterAutoscalerValues({ clusterName: "c1", region: "eu-west-1", roleArn: "arn:ca", kubernetesVersion: "1.34" });
        assert.equal(ca.image.tag, "v1.34.5");
        assert.deepEqual(ca.autoDiscovery, { clusterName: "c1" });
        assert.throws(() => clusterAutoscalerValues({ clusterName: "c1", region: "r", roleArn: "a", kubernetesVersion: "1.20" }), /no pinned Cluster Autoscaler image/);
    });

    it("describes the default StorageClass", () => {
        const sc = storageClassSpec();
        assert.deepEqual(sc.parameters, { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" });
        assert.equal(sc.metadata.annotations["storageclass.kubernetes.io/is-default-class"], "true");
        assert.equal(sc.volumeBindingMode, "WaitForFirstConsumer");
    });
});
