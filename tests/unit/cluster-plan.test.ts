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
    ADDON_NAMES,
    addonPlan,
    addonVersionQuery,
    CLUSTER_ADMIN_POLICY_ARN,
    clusterAutoscalerPolicy,
    clusterAutoscalerValues,
    controlPlaneLogGroupName,
    deployerAccessWarnings,
    endpointPlan,
    instanceArchitecture,
    KNOWN_KUBERNETES_VERSIONS,
    kubernetesSupport,
    kubernetesSupportWarning,
    kubernetesVersionProblem,
    launchTemplatePlan,
    LOAD_BALANCER_CONTROLLER_POLICY_FILE,
    loadBalancerControllerPolicy,
    loadBalancerControllerPolicyJson,
    loadBalancerControllerValues,
    nodeGroupPlan,
    partitionProblem,
    publicEndpointWarnings,
    regionPartition,
    ROLE_NAME_PREFIX_MAX,
    ROLES,
    roleNamePrefix,
    secretsKeyAlias,
    standardSupportVersions,
    storageClassSpec,
    supportedPartition,
    upgradePolicy,
} from "../../components/cluster/plan";
import {
    CLUSTER_PROFILE_DEFAULTS,
    clusterRules,
    clusterSchema,
    clusterSchemaAt,
    DEFAULT_KUBERNETES_VERSION,
    MAX_PUBLIC_ACCESS_ADDRESSES,
    NodeGroupSettings,
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

/** The day these tests take as today (the brief's date: 1.34 left standard support two days before). */
const TODAY = new Date("2026-12-04T12:00:00Z");
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** Every problem the component would report for these args on TODAY. */
const validateClusterArgs = (args: unknown, today: Date = TODAY) => argsProblems(clusterSchemaAt(() => today), args);

describe("cluster plan", () => {
    it("accepts the fixture args without problems", () => {
        assert.deepEqual(validateClusterArgs(clusterArgs()), []);
    });

    it("knows the EKS support window of 1.33-1.36, each with a Cluster Autoscaler image of its minor", () => {
        assert.deepEqual(KNOWN_KUBERNETES_VERSIONS, ["1.33", "1.34", "1.35", "1.36"]);
        assert.deepEqual(KNOWN_KUBERNETES_VERSIONS, Object.keys(versions.cluster.kubernetes));
        assert.deepEqual(Object.keys(versions.cluster.clusterAutoscalerImage), KNOWN_KUBERNETES_VERSIONS);
        for (const v of KNOWN_KUBERNETES_VERSIONS) assert.ok(versions.cluster.clusterAutoscalerImage[v as keyof typeof versions.cluster.clusterAutoscalerImage].startsWith(`v${v}.`), `autoscaler image of ${v}`);
        assert.deepEqual(versions.cluster.kubernetes["1.36"], { release: "2026-06-02", endOfStandardSupport: "2027-08-02", endOfExtendedSupport: "2028-08-02" });
        assert.deepEqual(versions.cluster.kubernetes["1.35"], { release: "2026-01-28", endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27" });
        assert.deepEqual(versions.cluster.kubernetes["1.34"], { release: "2025-10-06", endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" });
        assert.deepEqual(versions.cluster.kubernetes["1.33"], { release: "2025-05-28", endOfStandardSupport: "2026-07-29", endOfExtendedSupport: "2027-07-29" });
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
                { field: "kubernetesVersion", expected: "a Kubernetes minor version such as 1.36", found: "1.34.2" },
                { field: "nodeGroups[0].diskSizeGiB", expected: "a whole number of GiB between 20 and 16384", found: 8 },
                { field: "nodeGroups[0].capacityType", expected: 'one of "ON_DEMAND", "SPOT"', found: "RESERVED" },
                { field: 'nodeGroups[0].labels["bad key!"]', expected: "a Kubernetes label key such as role or example.com/role", found: "bad key!" },
                { field: "nodeGroups[0].taints[0].effect", expected: 'one of "NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"', found: "NoSchedule" },
                { field: "tags.aws:owner", expected: "a tag key not starting with aws: (AWS reserves the prefix and refuses such tags)", found: "aws:owner" },
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
            const s = clusterSchemaAt(() => TODAY).parse({ ...unsized(), profile: "production" });
            assert.deepEqual(s.nodeGroups, [
                { name: "system", instanceTypes: ["m7i.xlarge", "m6i.xlarge"], minSize: 3, maxSize: 9, desiredSize: 3, diskSizeGiB: 100, capacityType: "ON_DEMAND", labels: {}, taints: [] },
            ]);
            assert.equal(s.logRetentionDays, 365);
            assert.equal(s.deletionProtection, true);
        });

        it("development: one system group of t3.large/m7i.large, 2-4 nodes, 50 GiB; 14-day logs; no deletion protection", () => {
            const s = clusterSchemaAt(() => TODAY).parse({ ...unsized(), profile: "development" });
            assert.deepEqual(s.nodeGroups, [
                { name: "system", instanceTypes: ["t3.large", "m7i.large"], minSize: 2, maxSize: 4, desiredSize: 2, diskSizeGiB: 50, capacityType: "ON_DEMAND", labels: {}, taints: [] },
            ]);
            assert.equal(s.logRetentionDays, 14);
            assert.equal(s.deletionProtection, false);
        });

        it("never overrides what the args set, and never shares its arrays with the settings", () => {
            const mine = [group({ name: "mine" })];
            const s = clusterSchemaAt(() => TODAY).parse({ ...unsized(), profile: "production", nodeGroups: mine, logRetentionDays: 30, deletionProtection: false });
            assert.deepEqual(s.nodeGroups.map((g) => g.name), ["mine"]);
            assert.deepEqual([s.logRetentionDays, s.deletionProtection], [30, false]);
            const d = clusterSchemaAt(() => TODAY).parse({ ...unsized(), profile: "development" });
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

        it("defaults the Kubernetes version to the newest minor in standard support, and every plain default of a node group", () => {
            assert.equal(DEFAULT_KUBERNETES_VERSION, "1.36");
            assert.equal(DEFAULT_KUBERNETES_VERSION, standardSupportVersions(TODAY).at(-1));
            const s = clusterSchemaAt(() => TODAY).parse({ ...clusterArgs(), kubernetesVersion: undefined, nodeGroups: [{ name: "a", instanceTypes: ["m7i.large"], minSize: 1, maxSize: 2, desiredSize: 1 }] });
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

    it("gives each deployer role its own cluster-admin entry, keyed deployer-<role name>, next to the admins'", () => {
        const ci = "arn:aws:iam::123456789012:role/cloud-cnc-ci";
        const entries = accessEntries([ADMIN_ROLES[0]], [ci]);
        assert.deepEqual(Object.keys(entries), ["admin-platform-admin", "deployer-cloud-cnc-ci"]);
        assert.deepEqual(entries["deployer-cloud-cnc-ci"], { principalArn: ci, type: "STANDARD", accessPolicies: { "cluster-admin": { policyArn: CLUSTER_ADMIN_POLICY_ARN, accessScope: { type: "cluster" } } } });
        assert.deepEqual(accessEntries([ADMIN_ROLES[0]]), { "admin-platform-admin": entries["admin-platform-admin"] }, "no deployer list, no deployer entry");
    });

    describe("access for whoever deploys (deployerAccessWarnings)", () => {
        const ci = "arn:aws:iam::123456789012:role/cloud-cnc-ci";
        const facts = (identityArn: string, clusterExists: boolean | undefined) => ({ identityArn, adminRoleArns: ADMIN_ROLES, deployerRoleArns: [ci], clusterName: "cloud-prod-cnc", clusterExists });

        it("warns when the identity is in neither list of an existing cluster: it is admin only if it created the cluster", () => {
            const [w, ...rest] = deployerAccessWarnings(facts("arn:aws:iam::123456789012:role/someone-else", true));
            assert.deepEqual(rest, []);
            assert.match(w, /^the identity running this deployment \(arn:aws:iam::123456789012:role\/someone-else\) is in neither adminRoleArns nor deployerRoleArns of EKS cluster cloud-prod-cnc: it has cluster-admin only if it created this cluster/);
            assert.equal(deployerAccessWarnings(facts("arn:aws:iam::123456789012:role/someone-else", undefined)).length, 1, "unknown whether the cluster exists: warn");
        });

        it("says nothing when an unlisted identity creates the cluster (EKS makes the creator admin), or a listed one deploys into it", () => {
            assert.deepEqual(deployerAccessWarnings(facts("arn:aws:iam::123456789012:role/bootstrap", false)), []);
            assert.deepEqual(deployerAccessWarnings(facts(ci, true)), []);
            assert.deepEqual(deployerAccessWarnings(facts(ADMIN_ROLES[1], true)), []);
        });

        it("warns that the create fails with 409 when the identity that creates the cluster is listed", () => {
            const [w] = deployerAccessWarnings(facts(ci, false));
            assert.match(w, /^this deployment creates EKS cluster cloud-prod-cnc as arn:aws:iam::123456789012:role\/cloud-cnc-ci, which is listed in deployerRoleArns: .*409 ResourceInUseException/);
        });

        it("compares roles by account and name, whatever their path and case (getSessionContext reports the path)", () => {
            assert.deepEqual(deployerAccessWarnings(facts("arn:aws:iam::123456789012:role/sre/OnCall", true)), [], "role/sre/oncall is listed");
            assert.deepEqual(deployerAccessWarnings(facts("arn:aws:iam::123456789012:role/ci/cloud-cnc-ci", true)), []);
            assert.equal(deployerAccessWarnings(facts("arn:aws:iam::999999999999:role/cloud-cnc-ci", true)).length, 1, "another account's role of the same name is not listed");
        });
    });

    it("keeps the endpoint private unless public access is asked for", () => {
        assert.deepEqual(endpointPlan(undefined, undefined), { endpointPrivateAccess: true, endpointPublicAccess: false });
        assert.deepEqual(endpointPlan(false, ["203.0.113.0/24"]), { endpointPrivateAccess: true, endpointPublicAccess: false });
        assert.deepEqual(endpointPlan(true, ["203.0.113.0/24"]), { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
    });

    it("warns about a placeholder (documentation) or non-public block on the public endpoint, and nothing else", () => {
        const w = publicEndpointWarnings(true, ["203.0.113.10/32", "8.8.8.0/24", "10.0.0.0/8"]);
        assert.equal(w.length, 2);
        assert.match(w[0], /^publicAccessCidrs\[0\] 203\.0\.113\.10\/32 is a documentation address \(RFC 5737\), a placeholder that no deployment runs from: replace it with the egress CIDR/);
        assert.match(w[1], /^publicAccessCidrs\[2\] 10\.0\.0\.0\/8 holds addresses that are not globally reachable/);
        assert.deepEqual(publicEndpointWarnings(false, ["203.0.113.10/32"]), [], "no public endpoint, nothing to say");
        assert.deepEqual(publicEndpointWarnings(true, ["198.51.100.0/24"]).length, 1);
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

    it("plans the four add-ons, network add-ons before the nodes, each on its pinned version or none (EKS's default)", () => {
        const plan = addonPlan();
        assert.deepEqual(plan.map((a) => a.addonName), ["vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver"]);
        assert.deepEqual(plan.map((a) => a.addonName), [...ADDON_NAMES]);
        assert.deepEqual(plan.filter((a) => a.beforeNodes).map((a) => a.addonName), ["vpc-cni", "kube-proxy"]);
        assert.deepEqual(plan.filter((a) => a.irsa).map((a) => [a.addonName, a.irsa]), [["vpc-cni", "vpcCni"], ["aws-ebs-csi-driver", "ebsCsi"]]);
        assert.deepEqual(plan.map((a) => a.pinnedVersion), [undefined, undefined, undefined, undefined], "no version without a pin");
        const pinned = addonPlan({ coredns: "v1.12.4-eksbuild.18" });
        assert.deepEqual(Object.fromEntries(pinned.map((a) => [a.addonName, a.pinnedVersion])), { "vpc-cni": undefined, "kube-proxy": undefined, coredns: "v1.12.4-eksbuild.18", "aws-ebs-csi-driver": undefined });
        assert.deepEqual(addonVersionQuery("vpc-cni", "1.36"), { addonName: "vpc-cni", kubernetesVersion: "1.36", mostRecent: false });
    });

    it("hard-codes no add-on version anywhere: not in versions.ts, not in the component's sources", () => {
        assert.equal("addons" in versions.cluster, false);
        const dir = path.join(__dirname, "../../components/cluster");
        const sources = [...fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => path.join(dir, f)), path.join(__dirname, "../../components/common/versions.ts")];
        for (const file of sources) {
            const code = fs.readFileSync(file, "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "");
            // Only the example in a message may look like one.
            const found = (code.match(/v\d+\.\d+\.\d+-eksbuild\.\d+/g) ?? []).filter((v) => v !== "v1.20.4-eksbuild.2");
            assert.deepEqual(found, [], path.relative(dir, file));
        }
    });

    it("pins every version string exactly (no latest, no ranges) and dates every support window", () => {
        const all: string[] = [];
        const walk = (v: unknown) => (typeof v === "string" ? all.push(v) : v && typeof v === "object" ? Object.values(v).forEach(walk) : undefined);
        walk({ charts: versions.cluster.charts, clusterAutoscalerImage: versions.cluster.clusterAutoscalerImage });
        const pins = all.filter((s) => !s.startsWith("https://") && !/^[a-z-]+$/.test(s));
        assert.ok(pins.length >= 7, pins.join(","));
        for (const s of pins) assert.match(s, /^v?\d+\.\d+\.\d+$/, s);
        for (const [minor, w] of Object.entries(versions.cluster.kubernetes)) {
            for (const d of Object.values(w)) assert.match(d, /^\d{4}-\d{2}-\d{2}$/, minor);
            assert.ok(w.release < w.endOfStandardSupport && w.endOfStandardSupport < w.endOfExtendedSupport, minor);
        }
    });

    describe("Kubernetes versions and EKS support (pure, on a given day)", () => {
        it("on 2026-12-04: 1.35 and 1.36 in standard support, 1.33 and 1.34 in extended support", () => {
            assert.deepEqual(standardSupportVersions(TODAY), ["1.35", "1.36"]);
            assert.deepEqual(KNOWN_KUBERNETES_VERSIONS.map((v) => kubernetesSupport(v, TODAY)!.phase), ["extended", "extended", "standard", "standard"]);
            assert.equal(kubernetesSupport("1.31", TODAY), undefined);
        });

        it("moves a minor to the next phase on the day its support ends (EKS bills extended support from that day)", () => {
            assert.equal(kubernetesSupport("1.34", day("2026-12-01"))!.phase, "standard");
            assert.equal(kubernetesSupport("1.34", day("2026-12-02"))!.phase, "extended");
            assert.equal(kubernetesSupport("1.34", day("2027-12-01"))!.phase, "extended");
            assert.equal(kubernetesSupport("1.34", day("2027-12-02"))!.phase, "ended");
            assert.equal(kubernetesSupport("1.36", day("2026-06-01"))!.phase, "unreleased");
        });

        it("deploys a minor in standard support, or in extended support only with extendedSupport", () => {
            for (const v of ["1.35", "1.36"]) for (const ext of [false, true]) assert.equal(kubernetesVersionProblem(v, ext, TODAY), undefined, `${v} ${ext}`);
            assert.equal(
                kubernetesVersionProblem("1.34", false, TODAY),
                "a Kubernetes minor in EKS standard support on 2026-12-04 (1.35, 1.36): 1.34 left standard support on 2026-12-02; upgrade one minor at a time, or set extendedSupport: true to stay on 1.34 in extended support (billed per cluster hour) until 2027-12-02",
            );
            assert.equal(kubernetesVersionProblem("1.34", true, TODAY), undefined);
            assert.equal(kubernetesVersionProblem("1.33", true, TODAY), undefined);
        });

        it("refuses a minor past extended support, one not yet released and one the table does not know", () => {
            assert.equal(
                kubernetesVersionProblem("1.33", true, day("2027-07-29")),
                "a Kubernetes minor EKS still supports on 2027-07-29 (1.33 left extended support on 2027-07-29; in standard support: 1.36)",
            );
            assert.equal(kubernetesVersionProblem("1.36", false, day("2026-05-01")), "a Kubernetes minor EKS has released (1.36 comes on 2026-06-02; in standard support on 2026-05-01: 1.33, 1.34, 1.35)");
            for (const v of ["1.31", "1.37"]) {
                assert.equal(kubernetesVersionProblem(v, true, TODAY), "a Kubernetes minor of the EKS support table (1.33, 1.34, 1.35, 1.36; in standard support on 2026-12-04: 1.35, 1.36)", v);
            }
        });

        it("is current: the default minor is in standard support today (else add the new minors to versions.cluster.kubernetes and move the default)", () => {
            // Reads the real date on purpose, as the component does (the fixtures and stack files use
            // the default minor): on the day it leaves standard support the component refuses it,
            // and this test names the fix.
            const today = new Date();
            assert.ok(
                standardSupportVersions(today).includes(DEFAULT_KUBERNETES_VERSION),
                `Kubernetes ${DEFAULT_KUBERNETES_VERSION} is not in EKS standard support on ${today.toISOString().slice(0, 10)} (table: ${KNOWN_KUBERNETES_VERSIONS.join(", ")}): update versions.cluster.kubernetes, DEFAULT_KUBERNETES_VERSION and the stack files`,
            );
        });

        it("sets upgrade policy STANDARD unless extended support is asked for", () => {
            assert.deepEqual(upgradePolicy(false), { supportType: "STANDARD" });
            assert.deepEqual(upgradePolicy(true), { supportType: "EXTENDED" });
        });

        it("warns within 90 days of the end of standard support, and all through extended support", () => {
            assert.equal(kubernetesSupportWarning("1.36", false, TODAY), undefined);
            assert.equal(kubernetesSupportWarning("1.35", false, day("2026-12-26")), undefined, "91 days before: not yet");
            assert.match(kubernetesSupportWarning("1.35", false, day("2026-12-27"))!, /^Kubernetes 1\.35 leaves EKS standard support on 2027-03-27 \(in 90 days\): with upgradePolicy STANDARD, EKS then upgrades the control plane by itself/);
            assert.match(kubernetesSupportWarning("1.35", true, day("2027-03-01"))!, /in 26 days\): the cluster then enters extended support/);
            assert.match(kubernetesSupportWarning("1.34", true, TODAY)!, /^Kubernetes 1\.34 is in EKS extended support \(billed per cluster hour\) until 2027-12-02/);
            assert.equal(kubernetesSupportWarning("1.31", false, TODAY), undefined);
        });

        it("the schema refuses an out-of-support minor on the day given, and the component's schema uses the real date", () => {
            assert.deepEqual(validateClusterArgs({ ...clusterArgs(), kubernetesVersion: "1.34" }), [
                { field: "kubernetesVersion", expected: kubernetesVersionProblem("1.34", false, TODAY), found: "1.34" },
            ]);
            assert.deepEqual(validateClusterArgs({ ...clusterArgs(), kubernetesVersion: "1.34", extendedSupport: true }), []);
            assert.deepEqual(validateClusterArgs({ ...clusterArgs(), kubernetesVersion: "1.34" }, day("2026-11-30")), [], "a day when 1.34 was in standard support");
            assert.deepEqual(validateClusterArgs({ ...clusterArgs(), kubernetesVersion: "1.36" }, day("2027-08-02")).map((p) => p.field), ["kubernetesVersion"], "the default minor leaves standard support too");
            // 1.33 left standard support on 2026-07-29: refused on any real date from now on.
            assert.deepEqual(argsProblems(clusterSchema, { ...clusterArgs(), kubernetesVersion: "1.33" }).map((p) => p.field), ["kubernetesVersion"]);
        });
    });

    describe("public endpoint CIDRs: a guard on address ranges, not strings", () => {
        const pub = (publicAccessCidrs: string[], extra: Record<string, unknown> = {}) => validateClusterArgs({ ...clusterArgs(), endpointPublicAccess: true, publicAccessCidrs, ...extra });
        const tooWide = (covered: string) => `CIDR blocks that together cover at most ${MAX_PUBLIC_ACCESS_ADDRESSES} public IPv4 addresses (a /16), or allowAnyCidr: true to open the public endpoint wider (these cover ${covered})`;

        it("refuses 0.0.0.0/0, and every union that covers as much (0.0.0.0/1 + 128.0.0.0/1)", () => {
            assert.deepEqual(pub(["0.0.0.0/0"]), [{ field: "publicAccessCidrs", expected: tooWide("every public IPv4 address"), found: ["0.0.0.0/0"] }]);
            assert.deepEqual(pub(["0.0.0.0/1", "128.0.0.0/1"]), [{ field: "publicAccessCidrs", expected: tooWide("every public IPv4 address"), found: ["0.0.0.0/1", "128.0.0.0/1"] }]);
            assert.deepEqual(pub(["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"]).map((p) => p.field), ["publicAccessCidrs"]);
        });

        it("accepts at most a /16 of public addresses together, counted once however the blocks overlap", () => {
            assert.deepEqual(pub(["8.8.0.0/16"]), []);
            assert.deepEqual(pub(["8.8.0.0/16", "8.8.8.0/24", "8.8.0.0/17"]), [], "overlaps count once");
            assert.deepEqual(pub(["8.8.0.0/15"]), [{ field: "publicAccessCidrs", expected: tooWide("131072 public IPv4 addresses"), found: ["8.8.0.0/15"] }]);
            assert.deepEqual(pub(["8.8.0.0/16", "9.9.9.9/32"]).map((p) => p.field), ["publicAccessCidrs"], "65,537 addresses");
            assert.deepEqual(pub(["10.0.0.0/8", "198.51.100.7/32"]), [], "private and documentation addresses are not public ones (publicEndpointWarnings names them)");
        });

        it("allows any list, 0.0.0.0/0 included, with allowAnyCidr: true", () => {
            assert.deepEqual(pub(["0.0.0.0/0"], { allowAnyCidr: true }), []);
            assert.deepEqual(pub(["0.0.0.0/1", "128.0.0.0/1"], { allowAnyCidr: true }), []);
        });

        it("still requires at least one block when public, and none when private", () => {
            assert.deepEqual(pub([], { allowAnyCidr: true }), [{ field: "publicAccessCidrs", expected: "at least one CIDR block when endpointPublicAccess is true (EKS opens an endpoint without CIDR blocks to 0.0.0.0/0)", found: [] }]);
            assert.deepEqual(validateClusterArgs({ ...clusterArgs(), publicAccessCidrs: ["0.0.0.0/0"] }), [{ field: "publicAccessCidrs", expected: "no CIDR blocks unless endpointPublicAccess is true", found: ["0.0.0.0/0"] }]);
        });
    });

    describe("deployer roles and pinned add-ons (schema.ts)", () => {
        const ci = "arn:aws:iam::123456789012:role/cloud-cnc-ci";

        it("accepts deployer roles apart from the admins, and refuses a role in both lists (two access entries for one principal fail)", () => {
            assert.deepEqual(validateClusterArgs({ ...clusterArgs(), deployerRoleArns: [ci] }), []);
            assert.deepEqual(validateClusterArgs({ ...clusterArgs(), deployerRoleArns: [ci, ADMIN_ROLES[1]] }), [
                { field: "deployerRoleArns[1]", expected: "a role not in adminRoleArns (same as adminRoleArns[1]): EKS refuses two access entries for one principal", found: ADMIN_ROLES[1] },
            ]);
            assert.deepEqual(validateClusterArgs({ ...clusterArgs(), deployerRoleArns: [ci, "arn:aws:iam::123456789012:role/ci/cloud-cnc-ci"] }), [
                { field: "deployerRoleArns[1]", expected: "a role not already listed (same as deployerRoleArns[0])", found: "arn:aws:iam::123456789012:role/ci/cloud-cnc-ci" },
            ]);
            assert.deepEqual(validateClusterArgs({ ...clusterArgs(), deployerRoleArns: ["arn:aws:iam::123456789012:user/ci"] }).map((p) => p.field), ["deployerRoleArns[0]"]);
        });

        it("pins an add-on only by its name and an EKS version; kube-proxy must be of the cluster's minor", () => {
            assert.deepEqual(validateClusterArgs({ ...clusterArgs(), addonVersions: { "vpc-cni": "v1.20.4-eksbuild.2", "kube-proxy": "v1.36.2-eksbuild.3" } }), []);
            assert.deepEqual(validateClusterArgs({ ...clusterArgs(), addonVersions: { "vpc-cni": "latest", "aws-efs-csi-driver": "v2.1.0-eksbuild.1", "kube-proxy": "v1.35.2-eksbuild.3" } }), [
                { field: "addonVersions.vpc-cni", expected: "an EKS add-on version such as v1.20.4-eksbuild.2 (aws eks describe-addon-versions)", found: "latest" },
                { field: "addonVersions.aws-efs-csi-driver", expected: "an EKS add-on this component installs (vpc-cni, kube-proxy, coredns, aws-ebs-csi-driver)", found: "aws-efs-csi-driver" },
                { field: "addonVersions.kube-proxy", expected: "a kube-proxy version of Kubernetes 1.36 (v1.36.<patch>-eksbuild.<n>): kube-proxy must match the control plane", found: "v1.35.2-eksbuild.3" },
            ]);
        });
    });

    describe("partition", () => {
        it("knows the partition of a region by its name", () => {
            const cases: Array<[string, string]> = [["eu-west-1", "aws"], ["us-east-1", "aws"], ["us-gov-west-1", "aws-us-gov"], ["cn-north-1", "aws-cn"], ["cn-northwest-1", "aws-cn"], ["us-iso-east-1", "aws-iso"], ["us-isob-east-1", "aws-iso-b"], ["eusc-de-east-1", "aws-eusc"]];
            for (const [region, partition] of cases) assert.equal(regionPartition(region), partition, region);
        });

        it("deploys to the aws partition only, naming GovCloud and China when refusing", () => {
            assert.equal(partitionProblem("aws"), undefined);
            for (const p of ["aws-us-gov", "aws-cn", "aws-iso"]) assert.match(partitionProblem(p)!, new RegExp(`^the commercial AWS partition \\(aws\\): ${p} `));
            assert.equal(supportedPartition("aws"), "aws");
            assert.throws(
                () => supportedPartition("aws-cn", "CommandControlCluster cnc"),
                (e: unknown) => e instanceof pulumi.RunError && /^CommandControlCluster cnc: the provider's AWS partition: expected the commercial AWS partition \(aws\): aws-cn .*, found "aws-cn"$/.test(e.message),
            );
        });
    });

    describe("AWS Load Balancer Controller policy", () => {
        const doc = JSON.parse(loadBalancerControllerPolicyJson("aws"));
        const file = fs.readFileSync(path.join(__dirname, "../../components/cluster", LOAD_BALANCER_CONTROLLER_POLICY_FILE), "utf8");
        const arns = (d: unknown) => JSON.stringify(d).match(/"arn:[^"]*"/g) ?? [];

        it("is the vendored file, statement for statement, in the aws partition", () => {
            assert.deepEqual(doc, JSON.parse(file));
            assert.ok(file.endsWith("}\n"));
        });

        it("puts the stack's partition into each of the 13 resource ARNs upstream writes for aws, and changes nothing else", () => {
            assert.equal(arns(JSON.parse(file)).length, 13);
            for (const partition of ["aws-us-gov", "aws-cn"]) {
                const other = loadBalancerControllerPolicy(partition);
                assert.equal(arns(other).length, 13);
                for (const arn of arns(other)) assert.ok(arn.startsWith(`"arn:${partition}:`), arn);
                assert.equal(JSON.stringify(other).includes("arn:aws:"), false);
                assert.deepEqual(JSON.parse(JSON.stringify(other).split(`arn:${partition}:`).join("arn:aws:")), JSON.parse(file));
            }
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
            for (const p of ["aws", "aws-us-gov"]) assert.ok(loadBalancerControllerPolicyJson(p).length < 10240, `${loadBalancerControllerPolicyJson(p).length} characters`);
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
        const tags = ["1.33", "1.34", "1.35", "1.36"].map((kubernetesVersion) => clusterAutoscalerValues({ clusterName: "c1", region: "eu-west-1", roleArn: "arn:ca", kubernetesVersion }).image.tag);
        assert.deepEqual(tags, ["v1.33.6", "v1.34.5", "v1.35.2", "v1.36.1"], "the autoscaler's minor matches the control plane's");
        const ca = clusterAutoscalerValues({ clusterName: "c1", region: "eu-west-1", roleArn: "arn:ca", kubernetesVersion: "1.36" });
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
