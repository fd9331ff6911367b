// The `cloud-cnc:cluster` config section: CommandControlCluster's own schema as config (the same
// rules and messages), and what the composition adds before the component parses it.
import { strict as assert } from "assert";
import { argsProblems } from "../../components/common/schema";
import { CLUSTER_PROFILE_DEFAULTS, clusterArgsSchema, clusterSchema } from "../../components/cluster/schema";
import { kubernetesVersionProblem } from "../../components/cluster/plan";
import { clusterName } from "../../stacks/compose";
import { parseStackConfig } from "../../stacks/config";
import { clusterConfigSchema } from "../../stacks/config/cluster";
import { validateSection } from "../../stacks/config/validate";
import { ADMIN_ROLES, PRIVATE_SUBNETS, VPC_ID } from "../support/cluster-fixtures";
import { TEST_SECRETS, stackTestConfig } from "../support/stack-files";

/** What stacks/compose.ts adds to the section (the cluster's name, stack settings, the network). */
function composed(profile: "production" | "development", environment = profile === "production" ? "prod" : "dev") {
    return {
        clusterName: clusterName({ prefix: "cloud", environment }),
        profile,
        deletionProtection: profile === "production",
        vpcId: VPC_ID,
        privateSubnetIds: PRIVATE_SUBNETS,
    };
}

/** The section parsed as config, then composed and parsed by the component's schema. */
function settingsOf(section: unknown, profile: "production" | "development") {
    const { value, messages } = validateSection("cluster", clusterConfigSchema, section);
    assert.deepEqual(messages, []);
    return clusterSchema.parse({ ...value!, ...composed(profile) });
}

/** A realistic section as a stack file would carry it. */
const minimal = { adminRoleArns: [ADMIN_ROLES[0]] };
const full = {
    kubernetesVersion: "1.36",
    endpointPublicAccess: true,
    publicAccessCidrs: ["203.0.113.0/24"],
    privateAccessCidrs: ["10.100.0.0/16"],
    adminRoleArns: ADMIN_ROLES,
    deployerRoleArns: ["arn:aws:iam::123456789012:role/cloud-cnc-ci"],
    addonVersions: { coredns: "v1.12.4-eksbuild.18" },
    nodeGroups: [
        { name: "system", instanceTypes: ["m7i.xlarge"], minSize: 3, maxSize: 6, desiredSize: 3, diskSizeGiB: 100 },
        { name: "monitoring", instanceTypes: ["r7i.xlarge", "r6i.xlarge"], minSize: 0, maxSize: 4, desiredSize: 1, diskSizeGiB: 200, capacityType: "SPOT", labels: { workload: "monitoring" }, taints: [{ key: "dedicated", value: "monitoring", effect: "NO_SCHEDULE" }] },
    ],
    logRetentionDays: 365,
};

function messages(raw: unknown): string[] {
    return validateSection("cluster", clusterConfigSchema, raw).messages;
}

describe("cluster config section", () => {
    it("accepts a minimal section and fills the plain defaults (the profile's come with the composition)", () => {
        const { value, messages: m } = validateSection("cluster", clusterConfigSchema, minimal);
        assert.deepEqual(m, []);
        assert.deepEqual(value, {
            kubernetesVersion: "1.36",
            extendedSupport: false,
            addonVersions: {},
            endpointPublicAccess: false,
            publicAccessCidrs: [],
            allowAnyCidr: false,
            privateAccessCidrs: [],
            adminRoleArns: [ADMIN_ROLES[0]],
            deployerRoleArns: [],
        });
    });

    it("accepts a full section", () => {
        assert.deepEqual(messages(full), []);
    });

    it("is the component's schema without the composed keys: nothing re-written", () => {
        const composedKeys = ["clusterName", "vpcId", "privateSubnetIds", "publicSubnetIds", "profile", "deletionProtection", "tags"];
        assert.deepEqual(Object.keys(clusterConfigSchema.shape), Object.keys(clusterArgsSchema.shape).filter((k) => !composedKeys.includes(k)));
        for (const key of Object.keys(clusterConfigSchema.shape)) {
            assert.equal((clusterConfigSchema.shape as Record<string, unknown>)[key], (clusterArgsSchema.shape as Record<string, unknown>)[key], `${key} is not the component's own field schema`);
        }
    });

    it("composed, sizes a development cluster with one small node group of two nodes and a production one with three or more larger ones", () => {
        const d = settingsOf(minimal, "development");
        const p = settingsOf(minimal, "production");
        assert.equal(d.clusterName, "cloud-dev-cnc");
        assert.equal(p.clusterName, "cloud-prod-cnc");
        const group = (g: (typeof d.nodeGroups)[number]) => ({ name: g.name, instanceTypes: g.instanceTypes, minSize: g.minSize, maxSize: g.maxSize, desiredSize: g.desiredSize, diskSizeGiB: g.diskSizeGiB, capacityType: g.capacityType });
        assert.deepEqual(d.nodeGroups.map(group), [{ name: "system", instanceTypes: ["t3.large", "m7i.large"], minSize: 2, maxSize: 4, desiredSize: 2, diskSizeGiB: 50, capacityType: "ON_DEMAND" }]);
        assert.deepEqual(p.nodeGroups.map(group), [{ name: "system", instanceTypes: ["m7i.xlarge", "m6i.xlarge"], minSize: 3, maxSize: 9, desiredSize: 3, diskSizeGiB: 100, capacityType: "ON_DEMAND" }]);
        assert.equal(d.deletionProtection, false);
        assert.equal(p.deletionProtection, true);
        assert.equal(d.endpointPublicAccess, false);
        assert.deepEqual([d.logRetentionDays, p.logRetentionDays], [14, 365]);
    });

    it("takes the sizing from the profile, never from the environment's name", () => {
        // The staging stack file (3 AZs, no explicit deletionProtection: resolved from the profile).
        const { "cloud-cnc:deletionProtection": _explicit, ...config } = stackTestConfig("staging").config;
        const secrets = new Set(Object.keys(TEST_SECRETS));
        const sized = (environment: string, profile: string) => {
            const cfg = parseStackConfig({ ...config, "cloud-cnc:environment": environment, "cloud-cnc:profile": profile, "cloud-cnc:cluster": JSON.stringify(minimal) }, secrets);
            return clusterSchema.parse({ ...cfg.cluster, clusterName: clusterName(cfg), profile: cfg.profile, deletionProtection: cfg.deletionProtection, vpcId: VPC_ID, privateSubnetIds: PRIVATE_SUBNETS });
        };
        const stagingDev = sized("staging", "development");
        const stagingProd = sized("staging", "production");
        const prodNamedDev = sized("prod", "development");
        assert.deepEqual(stagingDev.nodeGroups, CLUSTER_PROFILE_DEFAULTS.development.nodeGroups);
        assert.deepEqual(stagingProd.nodeGroups, CLUSTER_PROFILE_DEFAULTS.production.nodeGroups);
        assert.deepEqual(prodNamedDev.nodeGroups, CLUSTER_PROFILE_DEFAULTS.development.nodeGroups, "an environment named prod under the development profile is sized for development");
        assert.equal(stagingProd.clusterName, "cloud-staging-cnc");
        assert.equal(stagingProd.deletionProtection, true);
    });

    it("keeps configured node groups, endpoint and retention over the profile's defaults", () => {
        const a = settingsOf(full, "production");
        assert.equal(a.kubernetesVersion, "1.36");
        assert.deepEqual([a.endpointPublicAccess, a.publicAccessCidrs, a.privateAccessCidrs], [true, ["203.0.113.0/24"], ["10.100.0.0/16"]]);
        assert.deepEqual(a.adminRoleArns, ADMIN_ROLES);
        assert.deepEqual(a.deployerRoleArns, ["arn:aws:iam::123456789012:role/cloud-cnc-ci"]);
        assert.deepEqual([a.addonVersions, a.extendedSupport, a.allowAnyCidr], [{ coredns: "v1.12.4-eksbuild.18" }, false, false]);
        assert.equal(a.logRetentionDays, 365);
        assert.equal(settingsOf({ ...full, logRetentionDays: 30 }, "production").logRetentionDays, 30);
        assert.equal(a.nodeGroups.length, 2);
        assert.deepEqual(a.nodeGroups[1], {
            name: "monitoring",
            instanceTypes: ["r7i.xlarge", "r6i.xlarge"],
            minSize: 0,
            maxSize: 4,
            desiredSize: 1,
            diskSizeGiB: 200,
            capacityType: "SPOT",
            labels: { workload: "monitoring" },
            taints: [{ key: "dedicated", value: "monitoring", effect: "NO_SCHEDULE" }],
        });
        assert.deepEqual(a.tags, {}, "tags come through the provider's defaultTags");
        assert.deepEqual(messages({ ...minimal, tags: { Team: "x" } }), ['cloud-cnc:cluster.tags: expected no unknown key here (known keys: kubernetesVersion, extendedSupport, addonVersions, endpointPublicAccess, publicAccessCidrs, allowAnyCidr, privateAccessCidrs, adminRoleArns, deployerRoleArns, nodeGroups, logRetentionDays), found a value (hidden)']);
    });

    const group = (over: Record<string, unknown>) => ({ name: "system", instanceTypes: ["m7i.large"], minSize: 1, maxSize: 3, desiredSize: 2, ...over });
    const bad: Array<[string, unknown, string[]]> = [
        ["a malformed Kubernetes version", { ...minimal, kubernetesVersion: "1.34.1" }, ['cloud-cnc:cluster.kubernetesVersion: expected a Kubernetes minor version such as 1.36, found "1.34.1"']],
        ["an add-on the component does not install", { ...minimal, addonVersions: { "aws-efs-csi-driver": "v2.1.0-eksbuild.1" } }, ['cloud-cnc:cluster.addonVersions.aws-efs-csi-driver: expected an EKS add-on this component installs (vpc-cni, kube-proxy, coredns, aws-ebs-csi-driver), found "aws-efs-csi-driver"']],
        ["a kube-proxy pin of another minor", { ...minimal, addonVersions: { "kube-proxy": "v1.35.2-eksbuild.3" } }, ['cloud-cnc:cluster.addonVersions.kube-proxy: expected a kube-proxy version of Kubernetes 1.36 (v1.36.<patch>-eksbuild.<n>): kube-proxy must match the control plane, found "v1.35.2-eksbuild.3"']],
        ["a role both admin and deployer", { adminRoleArns: ADMIN_ROLES, deployerRoleArns: [ADMIN_ROLES[1]] }, [`cloud-cnc:cluster.deployerRoleArns[0]: expected a role not in adminRoleArns (same as adminRoleArns[1]): EKS refuses two access entries for one principal, found "${ADMIN_ROLES[1]}"`]],
        ["minSize above maxSize", { ...minimal, nodeGroups: [group({ minSize: 4, maxSize: 2, desiredSize: 2 })] }, ["cloud-cnc:cluster.nodeGroups[0].minSize: expected a number no larger than maxSize (2), found 4"]],
        ["desiredSize above maxSize", { ...minimal, nodeGroups: [group({ desiredSize: 7 })] }, ["cloud-cnc:cluster.nodeGroups[0].desiredSize: expected a number between minSize (1) and maxSize (3), found 7"]],
        ["maxSize of zero", { ...minimal, nodeGroups: [group({ minSize: 0, maxSize: 0, desiredSize: 0 })] }, ["cloud-cnc:cluster.nodeGroups[0].maxSize: expected a whole number of at least 1, found 0"]],
        [
            "public access without CIDRs",
            { ...minimal, endpointPublicAccess: true },
            ["cloud-cnc:cluster.publicAccessCidrs: expected at least one CIDR block when endpointPublicAccess is true (EKS opens an endpoint without CIDR blocks to 0.0.0.0/0), found nothing"],
        ],
        [
            "public access open to the world",
            { ...minimal, endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] },
            ['cloud-cnc:cluster.publicAccessCidrs: expected CIDR blocks that together cover at most 65536 public IPv4 addresses (a /16), or allowAnyCidr: true to open the public endpoint wider (these cover every public IPv4 address), found ["0.0.0.0/0"]'],
        ],
        [
            "public access open to the world in two halves",
            { ...minimal, endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"] },
            ['cloud-cnc:cluster.publicAccessCidrs: expected CIDR blocks that together cover at most 65536 public IPv4 addresses (a /16), or allowAnyCidr: true to open the public endpoint wider (these cover every public IPv4 address), found ["0.0.0.0/1","128.0.0.0/1"]'],
        ],
        ["CIDRs for a private endpoint", { ...minimal, publicAccessCidrs: ["203.0.113.0/24"] }, ['cloud-cnc:cluster.publicAccessCidrs: expected no CIDR blocks unless endpointPublicAccess is true, found ["203.0.113.0/24"]']],
        // The shared CIDR format (components/common/formats.ts), as every component reports it.
        ["a malformed CIDR", { ...minimal, privateAccessCidrs: ["10.1.0.0/33"] }, ['cloud-cnc:cluster.privateAccessCidrs[0]: expected an IPv4 CIDR block such as 10.0.0.0/16, found "10.1.0.0/33"']],
        ["a CIDR with host bits", { ...minimal, privateAccessCidrs: ["10.1.0.1/16"] }, ['cloud-cnc:cluster.privateAccessCidrs[0]: expected the network address of the block (10.1.0.0/16), found "10.1.0.1/16"']],
        ["a bad role ARN", { adminRoleArns: ["arn:aws:iam::123456789012:user/alice"] }, ['cloud-cnc:cluster.adminRoleArns[0]: expected an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin, found "arn:aws:iam::123456789012:user/alice"']],
        ["no admin role", { adminRoleArns: [] }, ["cloud-cnc:cluster.adminRoleArns: expected a list of at least 1 IAM role ARN (the cluster administrators), found []"]],
        ["a missing admin role list", {}, ["cloud-cnc:cluster.adminRoleArns: expected a value (required; a list), found nothing"]],
        [
            "an unknown key",
            { ...minimal, nodeCount: 3 },
            ["cloud-cnc:cluster.nodeCount: expected no unknown key here (known keys: kubernetesVersion, extendedSupport, addonVersions, endpointPublicAccess, publicAccessCidrs, allowAnyCidr, privateAccessCidrs, adminRoleArns, deployerRoleArns, nodeGroups, logRetentionDays), found a value (hidden)"],
        ],
        [
            "an unknown node group key",
            { ...minimal, nodeGroups: [group({ instanceType: "m7i.large" })] },
            ["cloud-cnc:cluster.nodeGroups[0].instanceType: expected no unknown key here (known keys: name, instanceTypes, minSize, maxSize, desiredSize, diskSizeGiB, capacityType, labels, taints), found a value (hidden)"],
        ],
        [
            "duplicate node group names",
            { ...minimal, nodeGroups: [group({}), group({})] },
            ['cloud-cnc:cluster.nodeGroups[1].name: expected a node group name not already used (same as nodeGroups[0].name), found "system"'],
        ],
        ["an invalid node group name", { ...minimal, nodeGroups: [group({ name: "System_1" })] }, ["cloud-cnc:cluster.nodeGroups[0].name: expected a node group name of 1-32 lowercase letters, digits and '-' (a Kubernetes name), found \"System_1\""]],
        ["a made-up instance type", { ...minimal, nodeGroups: [group({ instanceTypes: ["m7i-large"] })] }, ['cloud-cnc:cluster.nodeGroups[0].instanceTypes[0]: expected an EC2 instance type such as m7i.large, found "m7i-large"']],
        [
            "mixed architectures",
            { ...minimal, nodeGroups: [group({ instanceTypes: ["m7i.large", "m7g.large"] })] },
            ['cloud-cnc:cluster.nodeGroups[0].instanceTypes: expected instance types of one architecture (all Graviton or all x86_64), found ["m7i.large","m7g.large"]'],
        ],
        ["an unknown capacity type", { ...minimal, nodeGroups: [group({ capacityType: "spot" })] }, ['cloud-cnc:cluster.nodeGroups[0].capacityType: expected one of "ON_DEMAND", "SPOT", found "spot"']],
        ["a small disk", { ...minimal, nodeGroups: [group({ diskSizeGiB: 8 })] }, ["cloud-cnc:cluster.nodeGroups[0].diskSizeGiB: expected a whole number of GiB between 20 and 16384, found 8"]],
        ["a label key Kubernetes rejects", { ...minimal, nodeGroups: [group({ labels: { "-role": "x" } })] }, ['cloud-cnc:cluster.nodeGroups[0].labels.-role: expected a Kubernetes label key such as role or example.com/role, found "-role"']],
        [
            // The shared CloudWatch retention format (components/common/formats.ts).
            "a retention CloudWatch does not offer",
            { ...minimal, logRetentionDays: 100 },
            ["cloud-cnc:cluster.logRetentionDays: expected one of CloudWatch Logs' retention periods in days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, found 100"],
        ],
    ];
    for (const [title, raw, expected] of bad) {
        it(`rejects ${title} with its exact message`, () => assert.deepEqual(messages(raw), expected));
    }

    it("rejects a minor the EKS support table does not know, and one past standard support without extendedSupport, on the real date", () => {
        // Which minors are deployable depends on the day: the messages are kubernetesVersionProblem's (cluster-plan.test.ts pins them on a fixed day).
        for (const version of ["1.31", "1.33"]) {
            assert.deepEqual(messages({ ...minimal, kubernetesVersion: version }), [`cloud-cnc:cluster.kubernetesVersion: expected ${kubernetesVersionProblem(version, false, new Date())}, found "${version}"`]);
        }
        assert.deepEqual(messages({ ...minimal, kubernetesVersion: "1.34", extendedSupport: true }), [], "1.34 is in extended support until 2027-12-02");
    });

    it("reports shape and cross-field problems together", () => {
        assert.deepEqual(messages({ adminRoleArns: ["x"], kubernetesVersion: "1.20", endpointPublicAccess: true, nodeGroups: [group({ minSize: 5 })], extra: true }), [
            'cloud-cnc:cluster.adminRoleArns[0]: expected an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin, found "x"',
            "cloud-cnc:cluster.extra: expected no unknown key here (known keys: kubernetesVersion, extendedSupport, addonVersions, endpointPublicAccess, publicAccessCidrs, allowAnyCidr, privateAccessCidrs, adminRoleArns, deployerRoleArns, nodeGroups, logRetentionDays), found a value (hidden)",
            `cloud-cnc:cluster.kubernetesVersion: expected ${kubernetesVersionProblem("1.20", false, new Date())}, found "1.20"`,
            "cloud-cnc:cluster.publicAccessCidrs: expected at least one CIDR block when endpointPublicAccess is true (EKS opens an endpoint without CIDR blocks to 0.0.0.0/0), found nothing",
            "cloud-cnc:cluster.nodeGroups[0].minSize: expected a number no larger than maxSize (3), found 5",
        ]);
    });

    it("reports the cross-field rules even when a value has the wrong type", () => {
        assert.deepEqual(messages({ ...minimal, endpointPublicAccess: true, nodeGroups: [group({ minSize: 5, diskSizeGiB: "big" })] }), [
            'cloud-cnc:cluster.nodeGroups[0].diskSizeGiB: expected a whole number of GiB between 20 and 16384, found "big"',
            "cloud-cnc:cluster.publicAccessCidrs: expected at least one CIDR block when endpointPublicAccess is true (EKS opens an endpoint without CIDR blocks to 0.0.0.0/0), found nothing",
            "cloud-cnc:cluster.nodeGroups[0].minSize: expected a number no larger than maxSize (3), found 5",
        ]);
    });

    it("config and component report a mistake identically (one rule book)", () => {
        const section = {
            kubernetesVersion: "1.29",
            endpointPublicAccess: true,
            publicAccessCidrs: ["0.0.0.0/0"],
            privateAccessCidrs: ["10.0.0.1/8"],
            adminRoleArns: [ADMIN_ROLES[0], ADMIN_ROLES[0], "arn:aws:iam::123456789012:user/bob"],
            nodeGroups: [group({ instanceTypes: ["m7i.large", "m7g.large"], diskSizeGiB: 10, labels: { "bad key!": "x" } }), group({ capacityType: "spot", maxSize: 0 })],
            logRetentionDays: 45,
        };
        const fromConfig = validateSection("cluster", clusterConfigSchema, section).problems.map((p) => [p.field.replace("cloud-cnc:cluster.", ""), p.expected, p.found]);
        const fromArgs = argsProblems(clusterSchema, { ...section, ...composed("production") }).map((p) => [p.field, p.expected, p.found]);
        assert.ok(fromConfig.length >= 10, JSON.stringify(fromConfig));
        assert.deepEqual(fromConfig, fromArgs);
    });
});
