// CommandControlCluster under Pulumi mocks: what it registers, with which inputs and options.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { CommandControlCluster, kubernetesProvider } from "../../components/cluster";
import { InvalidArgsError } from "../../components/common/errors";
import { versions } from "../../components/common/versions";
import { CLUSTER_ADMIN_POLICY_ARN, CONTROL_PLANE_LOG_TYPES, loadBalancerControllerPolicyJson, standardSupportVersions } from "../../components/cluster/plan";
import { clusterName } from "../../stacks/compose";
import { clusterConfigSchema } from "../../stacks/config/cluster";
import { ADMIN_ROLES, children, clusterArgs, PRIVATE_SUBNETS, thrown, VPC_ID } from "../support/cluster-fixtures";
import { ACCOUNT_ID, DEFAULT_REGION, HarnessOptions, isSecret, mockAddonVersion, Recorder, RecordedResource, runProgram, settle, setupPulumi, valueOf } from "../support/pulumi-harness";

const T = {
    cluster: "eks:index:Cluster",
    key: "aws:kms/key:Key",
    alias: "aws:kms/alias:Alias",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    addon: "aws:eks/addon:Addon",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    release: "kubernetes:helm.sh/v3:Release",
    storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
    k8sProvider: "pulumi:providers:kubernetes",
    accessEntry: "aws:eks/accessEntry:AccessEntry",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
};

async function build(overrides: Parameters<typeof clusterArgs>[0] = {}, name = "cnc", harness: HarnessOptions = {}): Promise<{ rec: Recorder; c: CommandControlCluster; warnings: string[] }> {
    const rec = await setupPulumi(harness);
    const { result: c, warnings } = await capturingWarnings(async () => {
        const component = new CommandControlCluster(name, clusterArgs(overrides));
        await settle();
        return component;
    });
    assert.equal(rec.errorsLogged(), false, "an error was logged");
    return { rec, c, warnings };
}

/** Runs `fn` with pulumi.log.warn recorded (the preview's warnings). */
async function capturingWarnings<T>(fn: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
    const log = pulumi.log as { warn: typeof pulumi.log.warn };
    const original = log.warn;
    const warnings: string[] = [];
    log.warn = async (message: string) => void warnings.push(message);
    try {
        return { result: await fn(), warnings };
    } finally {
        log.warn = original;
    }
}

/** A harness whose EKS already has the named clusters (aws.eks.getClusters). */
const existingClusters = (...names: string[]): HarnessOptions => ({ call: (a) => (a.token === "aws:eks/getClusters:getClusters" ? { names, id: DEFAULT_REGION, region: DEFAULT_REGION } : undefined) });

function release(rec: Recorder, chart: string): RecordedResource {
    const found = rec.ofType(T.release).filter((r) => r.inputs.chart === chart);
    assert.equal(found.length, 1, `expected one release of ${chart}, found ${found.map((r) => r.inputs.chart).join(", ")}`);
    return found[0];
}

function role(rec: Recorder, name: string): RecordedResource {
    return rec.one(T.role, name);
}


/** Every string anywhere in a value. */
function strings(v: unknown): string[] {
    if (typeof v === "string") return [v];
    if (Array.isArray(v)) return v.flatMap(strings);
    if (v && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)]);
    return [];
}

describe("CommandControlCluster", () => {
    describe("API endpoint", () => {
        it("is private only by default", async () => {
            const { rec } = await build();
            const eks = rec.one(T.cluster).inputs;
            assert.equal(eks.endpointPrivateAccess, true);
            assert.equal(eks.endpointPublicAccess, false);
            assert.equal(eks.publicAccessCidrs, undefined);
        });

        it("is public only for the listed CIDRs when configured", async () => {
            const { rec } = await build({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "198.51.100.7/32"] });
            const eks = rec.one(T.cluster).inputs;
            assert.equal(eks.endpointPrivateAccess, true);
            assert.equal(eks.endpointPublicAccess, true);
            assert.deepEqual(eks.publicAccessCidrs, ["203.0.113.0/24", "198.51.100.7/32"]);
        });

        it("rejects public access without CIDRs before creating anything", async () => {
            const rec = await setupPulumi();
            const message = thrown(() => new CommandControlCluster("cnc", clusterArgs({ endpointPublicAccess: true })));
            assert.equal(
                message,
                "CommandControlCluster cnc: 1 invalid setting:\n  - publicAccessCidrs: expected at least one CIDR block when endpointPublicAccess is true (EKS opens an endpoint without CIDR blocks to 0.0.0.0/0), found nothing",
            );
            await settle();
            assert.deepEqual(children(rec), []);
        });

        it("rejects 0.0.0.0/0 on the public endpoint, and any list covering as many public addresses, unless allowAnyCidr", async () => {
            await setupPulumi();
            const tooWide = (found: string) =>
                `CommandControlCluster cnc: 1 invalid setting:\n  - publicAccessCidrs: expected CIDR blocks that together cover at most 65536 public IPv4 addresses (a /16), or allowAnyCidr: true to open the public endpoint wider (these cover every public IPv4 address), found ${found}`;
            assert.equal(thrown(() => new CommandControlCluster("cnc", clusterArgs({ endpointPublicAccess: true, publicAccessCidrs: ["10.20.0.0/16", "0.0.0.0/0"] }))), tooWide('["10.20.0.0/16","0.0.0.0/0"]'));
            assert.equal(thrown(() => new CommandControlCluster("cnc", clusterArgs({ endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"] }))), tooWide('["0.0.0.0/1","128.0.0.0/1"]'));
            const { rec } = await build({ endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"], allowAnyCidr: true });
            assert.deepEqual(rec.one(T.cluster).inputs.publicAccessCidrs, ["0.0.0.0/1", "128.0.0.0/1"]);
        });

        it("warns in the preview about a placeholder CIDR on the public endpoint", async () => {
            const { warnings } = await build({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.10/32"] });
            assert.deepEqual(warnings.filter((w) => /publicAccessCidrs/.test(w)).length, 1);
            assert.match(warnings[0], /^cloud-test-cnc: publicAccessCidrs\[0\] 203\.0\.113\.10\/32 is a documentation address/);
            assert.deepEqual((await build({ endpointPublicAccess: true, publicAccessCidrs: ["198.18.0.0/15", "8.8.8.0/24"] })).warnings.length, 1, "198.18.0.0/15 (benchmarking) is not public");
            assert.deepEqual((await build({ endpointPublicAccess: true, publicAccessCidrs: ["8.8.8.0/24"] })).warnings, []);
        });

        it("opens the private endpoint on 443 to each configured private CIDR only", async () => {
            const { rec } = await build({ privateAccessCidrs: ["10.100.0.0/16", "172.16.8.0/22"] });
            const rules = rec.ofType(T.ingressRule);
            assert.deepEqual(
                rules.map((r) => [r.inputs.cidrIpv4, r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.securityGroupId]),
                [
                    ["10.100.0.0/16", "tcp", 443, 443, rec.one(T.cluster).state.clusterSecurityGroupId],
                    ["172.16.8.0/22", "tcp", 443, 443, rec.one(T.cluster).state.clusterSecurityGroupId],
                ],
            );
            const { rec: none } = await build();
            assert.equal(none.ofType(T.ingressRule).length, 0);
        });
    });

    describe("control plane", () => {
        it("pins the version, names the cluster, skips the default node group and turns on OIDC", async () => {
            const { rec, c } = await build();
            const eks = rec.one(T.cluster).inputs;
            assert.equal(eks.version, "1.36");
            assert.equal(eks.name, "cloud-test-cnc");
            assert.equal(eks.skipDefaultNodeGroup, true);
            assert.equal(eks.createOidcProvider, true);
            assert.equal(eks.vpcId, VPC_ID);
            assert.deepEqual(eks.privateSubnetIds, PRIVATE_SUBNETS);
            assert.equal(eks.nodeAssociatePublicIpAddress, false);
            assert.equal(await valueOf(c.clusterName), "cloud-test-cnc");
            assert.equal(await valueOf(c.clusterArn), `arn:aws:eks:${DEFAULT_REGION}:${ACCOUNT_ID}:cluster/cloud-test-cnc`);
            assert.equal(await valueOf(c.region), DEFAULT_REGION);
            assert.match(await valueOf(c.endpoint), /^https:\/\/.+\.eks\.amazonaws\.com$/);
            assert.equal(await valueOf(c.oidcProviderArn), rec.one(T.cluster).state.oidcProviderArn);
            assert.equal(await valueOf(c.oidcProviderUrl), rec.one(T.cluster).state.oidcProviderUrl);
            assert.equal(await valueOf(c.nodeSecurityGroupId), rec.one(T.cluster).state.nodeSecurityGroupId);
            assert.equal(await valueOf(c.clusterSecurityGroupId), rec.one(T.cluster).state.clusterSecurityGroupId);
        });

        it("sets upgrade policy STANDARD, or EXTENDED for a minor kept in extended support", async () => {
            assert.deepEqual((await build()).rec.one(T.cluster).inputs.upgradePolicy, { supportType: "STANDARD" });
            const { rec, warnings } = await build({ kubernetesVersion: "1.34", extendedSupport: true });
            assert.deepEqual(rec.one(T.cluster).inputs.upgradePolicy, { supportType: "EXTENDED" });
            assert.equal(rec.one(T.cluster).inputs.version, "1.34");
            assert.ok(warnings.some((w) => /^cloud-test-cnc: Kubernetes 1\.34 is in EKS extended support \(billed per cluster hour\) until 2027-12-02/.test(w)), warnings.join("\n"));
        });

        it("refuses a minor past standard support without extendedSupport, before any child", async () => {
            const rec = await setupPulumi();
            const message = thrown(() => new CommandControlCluster("cnc", clusterArgs({ kubernetesVersion: "1.34" })));
            assert.match(message, /^CommandControlCluster cnc: 1 invalid setting:\n  - kubernetesVersion: expected a Kubernetes minor in EKS standard support on \d{4}-\d{2}-\d{2} \(.*\): 1\.34 left standard support on 2026-12-02; upgrade one minor at a time, or set extendedSupport: true to stay on 1\.34 in extended support \(billed per cluster hour\) until 2027-12-02, found "1\.34"$/);
            await settle();
            assert.deepEqual(children(rec), []);
        });

        it("encrypts secrets with its own KMS key, rotation on", async () => {
            const { rec, c } = await build();
            const key = rec.one(T.key);
            assert.equal(key.inputs.enableKeyRotation, true);
            assert.equal(rec.one(T.cluster).inputs.encryptionConfigKeyArn, key.state.arn);
            assert.equal(await valueOf(c.secretsKmsKeyArn), key.state.arn);
            assert.match(key.parent, /CommandControlCluster::cnc$/);
        });

        it("protects and retains the key and the log group only with deletionProtection", async () => {
            const { rec: dev } = await build({ deletionProtection: false });
            for (const t of [T.key, T.logGroup]) assert.deepEqual([dev.one(t).protect, dev.one(t).retainOnDelete], [false, false], t);
            assert.equal(dev.one(T.cluster).inputs.deletionProtection, false);
            const { rec: prod } = await build({ deletionProtection: true });
            for (const t of [T.key, T.logGroup]) assert.deepEqual([prod.one(t).protect, prod.one(t).retainOnDelete], [true, true], t);
            assert.equal(prod.one(T.cluster).inputs.deletionProtection, true);
        });

        it("sends all five control-plane log types to a log group with retention, created before the cluster", async () => {
            const { rec } = await build({ logRetentionDays: 365 });
            const eks = rec.one(T.cluster);
            assert.deepEqual(eks.inputs.enabledClusterLogTypes, ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
            assert.deepEqual(eks.inputs.enabledClusterLogTypes, [...CONTROL_PLANE_LOG_TYPES]);
            const logs = rec.one(T.logGroup);
            assert.equal(logs.inputs.name, "/aws/eks/cloud-test-cnc/cluster");
            assert.equal(logs.inputs.retentionInDays, 365);
            assert.ok(eks.dependencies.includes(logs.urn), "the cluster must depend on its log group");
        });

        it("uses authentication mode API with access entries for exactly the admin roles", async () => {
            const { rec } = await build();
            const eks = rec.one(T.cluster).inputs;
            assert.equal(eks.authenticationMode, "API");
            assert.equal(eks.roleMappings, undefined);
            assert.equal(eks.userMappings, undefined);
            const entries = Object.values<any>(eks.accessEntries);
            assert.deepEqual(entries.map((e) => e.principalArn).sort(), [...ADMIN_ROLES].sort());
            for (const e of entries) {
                assert.equal(e.type, "STANDARD");
                assert.equal(e.kubernetesGroups, undefined);
                assert.deepEqual(Object.values(e.accessPolicies), [{ policyArn: CLUSTER_ADMIN_POLICY_ARN, accessScope: { type: "cluster" } }]);
            }
            // Nobody else: no other access entries anywhere in the component.
            assert.equal(rec.ofType(T.accessEntry).length, 0);
        });

        it("creates exactly one access entry for a single admin role", async () => {
            const { rec } = await build({ adminRoleArns: [ADMIN_ROLES[0]] });
            assert.deepEqual(Object.values<any>(rec.one(T.cluster).inputs.accessEntries).map((e) => e.principalArn), [ADMIN_ROLES[0]]);
        });

        it("gives each deployer role a cluster-admin access entry of its own, and refuses a role listed as admin and deployer", async () => {
            const ci = "arn:aws:iam::123456789012:role/cloud-cnc-ci";
            const { rec } = await build({ deployerRoleArns: [ci] });
            const entries = rec.one(T.cluster).inputs.accessEntries;
            assert.deepEqual(Object.keys(entries).sort(), ["admin-oncall", "admin-platform-admin", "deployer-cloud-cnc-ci"]);
            assert.deepEqual(entries["deployer-cloud-cnc-ci"], { principalArn: ci, type: "STANDARD", accessPolicies: { "cluster-admin": { policyArn: CLUSTER_ADMIN_POLICY_ARN, accessScope: { type: "cluster" } } } });
            await setupPulumi();
            assert.equal(
                thrown(() => new CommandControlCluster("cnc", clusterArgs({ deployerRoleArns: [ADMIN_ROLES[0]] }))),
                `CommandControlCluster cnc: 1 invalid setting:\n  - deployerRoleArns[0]: expected a role not in adminRoleArns (same as adminRoleArns[0]): EKS refuses two access entries for one principal, found "${ADMIN_ROLES[0]}"`,
            );
        });

        it("asks who runs the deployment (caller identity, then its session's role) and whether the cluster exists, with invokes only", async () => {
            const { rec } = await build();
            const session = rec.invokes.filter((i) => i.token === "aws:iam/getSessionContext:getSessionContext");
            assert.deepEqual(session.map((i) => i.args), [{ arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/deployer/session` }]);
            assert.equal(rec.invokes.filter((i) => i.token === "aws:eks/getClusters:getClusters").length, 1);
            assert.equal(rec.ofType(T.accessEntry).length, 0);
        });

        it("warns when the identity running the deployment is in neither list of an existing cluster", async () => {
            const deployer = `arn:aws:iam::${ACCOUNT_ID}:role/deployer`;
            const { warnings } = await build({}, "cnc", existingClusters("cloud-test-cnc"));
            assert.deepEqual(warnings, [
                `cloud-test-cnc: the identity running this deployment (${deployer}) is in neither adminRoleArns nor deployerRoleArns of EKS cluster cloud-test-cnc: ` +
                    "it has cluster-admin only if it created this cluster (EKS gives the creating identity its own access entry); " +
                    "otherwise every Kubernetes resource and Helm release fails with Unauthorized. List it in deployerRoleArns unless it created the cluster.",
            ]);
            assert.deepEqual((await build({ deployerRoleArns: [deployer] }, "cnc", existingClusters("cloud-test-cnc"))).warnings, [], "listed: nothing to say");
            assert.deepEqual((await build()).warnings, [], "not listed and creating the cluster: EKS makes it admin");
        });

        it("warns when the identity that creates the cluster is listed (its second access entry fails with 409)", async () => {
            const deployer = `arn:aws:iam::${ACCOUNT_ID}:role/deployer`;
            const { warnings } = await build({ deployerRoleArns: [deployer] });
            assert.equal(warnings.length, 1);
            assert.match(warnings[0], new RegExp(`^cloud-test-cnc: this deployment creates EKS cluster cloud-test-cnc as ${deployer}, which is listed in deployerRoleArns: .*409 ResourceInUseException`));
        });
    });

    describe("nodes", () => {
        it("requires IMDSv2 with hop limit 1 and an encrypted gp3 root volume of the configured size", async () => {
            const { rec } = await build();
            const lt = rec.one(T.launchTemplate).inputs;
            assert.deepEqual(lt.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" });
            assert.equal(lt.blockDeviceMappings.length, 1);
            const root = lt.blockDeviceMappings[0];
            assert.equal(root.deviceName, "/dev/xvda");
            assert.equal(root.ebs.volumeType, "gp3");
            assert.equal(root.ebs.encrypted, "true");
            assert.equal(root.ebs.volumeSize, 60);
        });

        it("puts managed node groups on the private subnets through the launch template, sized from args", async () => {
            const { rec } = await build();
            const ng = rec.one(T.nodeGroup);
            assert.deepEqual(ng.inputs.subnetIds, PRIVATE_SUBNETS);
            assert.deepEqual(ng.inputs.instanceTypes, ["t3.large", "m7i.large"]);
            assert.deepEqual(ng.inputs.scalingConfig, { minSize: 2, maxSize: 4, desiredSize: 2 });
            assert.equal(ng.inputs.capacityType, "ON_DEMAND");
            assert.equal(ng.inputs.amiType, "AL2023_x86_64_STANDARD");
            assert.equal(ng.inputs.launchTemplate.id, `${rec.one(T.launchTemplate).name}-id`, "the node group must use the launch template");
            assert.deepEqual(ng.inputs.labels, { role: "system", "cloud-cnc/node-group": "system" });
            assert.deepEqual(ng.inputs.taints, [{ key: "dedicated", value: "system", effect: "PREFER_NO_SCHEDULE" }]);
            assert.equal(ng.inputs.tags["k8s.io/cluster-autoscaler/enabled"], "true");
            assert.equal(ng.inputs.tags["k8s.io/cluster-autoscaler/cloud-test-cnc"], "owned");
            assert.equal(ng.inputs.nodeRoleArn, rec.one(T.role, "cnc-node-role").state.arn);
        });

        it("runs the nodes on the control plane's minor, so an upgrade moves them too, after the control plane", async () => {
            const { rec } = await build({ kubernetesVersion: "1.35" });
            const ng = rec.one(T.nodeGroup);
            assert.equal(ng.inputs.version, "1.35");
            assert.equal(rec.one(T.launchTemplate).inputs.imageId, undefined, "no custom AMI in the launch template: EKS picks the AMI of the version");
            const kubeProxy = rec.ofType(T.addon).find((a) => a.inputs.addonName === "kube-proxy")!;
            assert.ok(ng.dependencies.includes(kubeProxy.urn) && kubeProxy.dependencies.includes(rec.one(T.cluster).urn), "cluster, then network add-ons, then nodes");
        });

        it("gives the node role only the worker-node and ECR pull-only policies", async () => {
            const { rec } = await build();
            const nodeRole = rec.one(T.role, "cnc-node-role");
            assert.deepEqual(JSON.parse(nodeRole.inputs.assumeRolePolicy).Statement[0].Principal, { Service: "ec2.amazonaws.com" });
            const attached = rec.ofType(T.attachment).filter((a) => a.inputs.role === nodeRole.state.name).map((a) => a.inputs.policyArn);
            assert.deepEqual(attached.sort(), ["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"]);
            assert.equal(rec.ofType(T.rolePolicy).filter((p) => p.inputs.role === nodeRole.state.name).length, 0);
        });

        it("uses the Graviton AMI for Graviton instance types", async () => {
            const { rec } = await build({ nodeGroups: [{ name: "arm", instanceTypes: ["m7g.large", "c7g.large"], minSize: 0, maxSize: 3, desiredSize: 1, diskSizeGiB: 40, capacityType: "SPOT" }] });
            const ng = rec.one(T.nodeGroup).inputs;
            assert.equal(ng.amiType, "AL2023_ARM_64_STANDARD");
            assert.equal(ng.capacityType, "SPOT");
            assert.equal(rec.one(T.launchTemplate).inputs.blockDeviceMappings[0].ebs.volumeSize, 40);
        });

        it("sizes dev and prod differently from the profile's defaults, as the composition passes the config section", async () => {
            const parsed = clusterConfigSchema.parse({ adminRoleArns: ADMIN_ROLES });
            const sizes: Record<string, { scaling: any; types: string[]; disk: number; retention: number; protect: boolean }> = {};
            for (const [environment, profile] of [["dev", "development"], ["prod", "production"]] as const) {
                const rec = await setupPulumi();
                new CommandControlCluster(`cnc-${environment}`, { ...parsed, clusterName: clusterName({ prefix: "cloud", environment }), profile, vpcId: VPC_ID, privateSubnetIds: PRIVATE_SUBNETS });
                await settle();
                const ng = rec.one(T.nodeGroup).inputs;
                sizes[environment] = {
                    scaling: ng.scalingConfig,
                    types: ng.instanceTypes,
                    disk: rec.one(T.launchTemplate).inputs.blockDeviceMappings[0].ebs.volumeSize,
                    retention: rec.one(T.logGroup).inputs.retentionInDays,
                    protect: rec.one(T.cluster).inputs.deletionProtection,
                };
                assert.equal(rec.one(T.cluster).inputs.name, `cloud-${environment}-cnc`);
            }
            assert.deepEqual(sizes.dev, { scaling: { minSize: 2, maxSize: 4, desiredSize: 2 }, types: ["t3.large", "m7i.large"], disk: 50, retention: 14, protect: false });
            assert.deepEqual(sizes.prod, { scaling: { minSize: 3, maxSize: 9, desiredSize: 3 }, types: ["m7i.xlarge", "m6i.xlarge"], disk: 100, retention: 365, protect: true });
            assert.ok(sizes.prod.scaling.minSize >= 3);
        });

        it("protects the key and the log group by default under the production profile only", async () => {
            for (const [profile, expected] of [["production", true], ["development", false]] as const) {
                const { rec } = await build({ profile, deletionProtection: undefined });
                for (const t of [T.key, T.logGroup]) assert.deepEqual([rec.one(t).protect, rec.one(t).retainOnDelete], [expected, expected], `${profile} ${t}`);
                assert.equal(rec.one(T.cluster).inputs.deletionProtection, expected);
            }
        });
    });

    describe("physical names", () => {
        it("names every IAM role <clusterName>-<role>- with namePrefix, so a replacement never collides", async () => {
            const { rec } = await build();
            const prefixes = Object.fromEntries(rec.ofType(T.role).map((r) => [r.name, r.inputs.namePrefix]));
            assert.deepEqual(prefixes, {
                "cnc-node-role": "cloud-test-cnc-node-",
                "cnc-vpc-cni-role": "cloud-test-cnc-vpc-cni-",
                "cnc-ebs-csi-role": "cloud-test-cnc-ebs-csi-",
                "cnc-lb-controller-role": "cloud-test-cnc-lb-controller-",
                "cnc-cluster-autoscaler-role": "cloud-test-cnc-cluster-autoscaler-",
            });
            for (const r of rec.ofType(T.role)) {
                assert.equal(r.inputs.name, undefined, `${r.name} has a fixed name`);
                assert.ok(r.inputs.namePrefix.length <= 38, r.inputs.namePrefix);
                assert.match(r.inputs.description, /cloud-test-cnc/, `${r.name}'s description does not say which cluster it is for`);
            }
        });

        it("names the KMS alias, the log group and the launch templates after the cluster", async () => {
            const { rec } = await build();
            assert.equal(rec.one(T.alias).inputs.name, "alias/cloud-test-cnc-eks-secrets");
            assert.match(rec.one(T.key).inputs.description, /cloud-test-cnc/);
            assert.equal(rec.one(T.logGroup).inputs.name, "/aws/eks/cloud-test-cnc/cluster");
            const lt = rec.one(T.launchTemplate).inputs;
            assert.equal(lt.namePrefix, "cloud-test-cnc-system-");
            assert.deepEqual(lt.tagSpecifications.map((t: any) => t.tags.Name), ["cloud-test-cnc-system", "cloud-test-cnc-system", "cloud-test-cnc-system"]);
        });

        it("uses the component's name as the cluster name when clusterName is not set", async () => {
            const { rec, c } = await build({ clusterName: undefined }, "fleet-cnc");
            assert.equal(rec.one(T.cluster).inputs.name, "fleet-cnc");
            assert.equal(await valueOf(c.clusterName), "fleet-cnc");
            assert.equal(rec.one(T.role, "fleet-cnc-node-role").inputs.namePrefix, "fleet-cnc-node-");
        });
    });

    describe("add-ons", () => {
        it("installs vpc-cni, kube-proxy, coredns and the EBS CSI driver at EKS's default version for the cluster's minor, nothing else", async () => {
            for (const minor of standardSupportVersions(new Date())) {
                const { rec } = await build({ kubernetesVersion: minor });
                const got = Object.fromEntries(rec.ofType(T.addon).map((a) => [a.inputs.addonName, a.inputs.addonVersion]));
                const names = ["vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver"];
                assert.deepEqual(got, Object.fromEntries(names.map((n) => [n, mockAddonVersion(n, minor)])), "each version is the getAddonVersion answer");
                const asked = rec.invokes.filter((i) => i.token === "aws:eks/getAddonVersion:getAddonVersion").map((i) => i.args);
                assert.deepEqual(asked, names.map((addonName) => ({ addonName, kubernetesVersion: minor, mostRecent: false })), "the default for the minor, not the most recent");
                assert.equal(got["kube-proxy"].startsWith(`v${minor}.`), true, "kube-proxy follows the control-plane minor");
            }
        });

        it("hard-codes no add-on version: without a pin every add-on asks EKS; a pin replaces exactly its own query", async () => {
            const { rec } = await build({ addonVersions: { coredns: "v1.12.4-eksbuild.18", "kube-proxy": "v1.36.2-eksbuild.3" } });
            const got = Object.fromEntries(rec.ofType(T.addon).map((a) => [a.inputs.addonName, a.inputs.addonVersion]));
            assert.deepEqual(got, {
                "vpc-cni": mockAddonVersion("vpc-cni", "1.36"),
                "kube-proxy": "v1.36.2-eksbuild.3",
                coredns: "v1.12.4-eksbuild.18",
                "aws-ebs-csi-driver": mockAddonVersion("aws-ebs-csi-driver", "1.36"),
            });
            const asked = rec.invokes.filter((i) => i.token === "aws:eks/getAddonVersion:getAddonVersion").map((i) => i.args.addonName);
            assert.deepEqual(asked, ["vpc-cni", "aws-ebs-csi-driver"]);
        });

        it("tells eks.Cluster not to install its own copies of the add-ons", async () => {
            const { rec } = await build();
            const eks = rec.one(T.cluster).inputs;
            assert.equal(eks.bootstrapSelfManagedAddons, false);
            assert.equal(eks.useDefaultVpcCni, true);
            assert.equal(eks.vpcCniOptions, undefined);
            assert.equal(eks.corednsAddonOptions.enabled, false);
            assert.equal(eks.kubeProxyAddonOptions.enabled, false);
            assert.equal(eks.storageClasses, undefined);
        });

        it("installs the network add-ons before the nodes and the others after them", async () => {
            const { rec } = await build();
            const ng = rec.one(T.nodeGroup);
            const byName = (n: string) => rec.ofType(T.addon).find((a) => a.inputs.addonName === n)!;
            for (const n of ["vpc-cni", "kube-proxy"]) assert.ok(ng.dependencies.includes(byName(n).urn), `node group must wait for ${n}`);
            for (const n of ["coredns", "aws-ebs-csi-driver"]) assert.ok(byName(n).dependencies.includes(ng.urn), `${n} must wait for the nodes`);
        });

        it("runs the EBS CSI driver and the VPC CNI with IRSA roles and their documented managed policies", async () => {
            const { rec } = await build();
            const cases: Array<[string, string, string]> = [
                ["aws-ebs-csi-driver", "cnc-ebs-csi-role", "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"],
                ["vpc-cni", "cnc-vpc-cni-role", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"],
            ];
            for (const [addonName, roleName, policyArn] of cases) {
                const r = role(rec, roleName);
                const a = rec.ofType(T.addon).find((x) => x.inputs.addonName === addonName)!;
                assert.equal(a.inputs.serviceAccountRoleArn, r.state.arn);
                const attached = rec.ofType(T.attachment).filter((x) => x.inputs.role === r.state.name).map((x) => x.inputs.policyArn);
                assert.deepEqual(attached, [policyArn]);
            }
        });

        it("does not install the pod identity agent (IRSA everywhere)", async () => {
            const { rec } = await build();
            assert.equal(rec.ofType(T.addon).some((a) => a.inputs.addonName === "eks-pod-identity-agent"), false);
        });

        it("creates a default encrypted gp3 StorageClass bound on first consumer", async () => {
            const { rec, c } = await build();
            const sc = rec.one(T.storageClass).inputs;
            assert.equal(sc.provisioner, "ebs.csi.aws.com");
            assert.equal(sc.parameters.type, "gp3");
            assert.equal(sc.parameters.encrypted, "true");
            assert.equal(sc.metadata.annotations["storageclass.kubernetes.io/is-default-class"], "true");
            assert.equal(sc.volumeBindingMode, "WaitForFirstConsumer");
            assert.equal(await valueOf(c.storageClassName), sc.metadata.name);
        });
    });

    describe("IRSA", () => {
        const expected: Array<[string, string]> = [
            ["cnc-ebs-csi-role", "system:serviceaccount:kube-system:ebs-csi-controller-sa"],
            ["cnc-lb-controller-role", "system:serviceaccount:kube-system:aws-load-balancer-controller"],
            ["cnc-cluster-autoscaler-role", "system:serviceaccount:kube-system:cluster-autoscaler"],
            ["cnc-vpc-cni-role", "system:serviceaccount:kube-system:aws-node"],
        ];
        for (const [roleName, subject] of expected) {
            it(`scopes ${roleName} to exactly ${subject} (sub and aud StringEquals, no wildcards)`, async () => {
                const { rec } = await build();
                const eks = rec.one(T.cluster).state;
                const doc = JSON.parse(role(rec, roleName).inputs.assumeRolePolicy);
                assert.equal(doc.Statement.length, 1);
                const st = doc.Statement[0];
                assert.equal(st.Effect, "Allow");
                assert.equal(st.Action, "sts:AssumeRoleWithWebIdentity");
                assert.deepEqual(st.Principal, { Federated: eks.oidcProviderArn });
                assert.deepEqual(Object.keys(st.Condition), ["StringEquals"]);
                assert.deepEqual(st.Condition.StringEquals, { [`${eks.oidcProviderUrl}:sub`]: subject, [`${eks.oidcProviderUrl}:aud`]: "sts.amazonaws.com" });
                assert.equal(strings(doc).some((s) => s.includes("*")), false, "no wildcard anywhere in the trust policy");
            });
        }
    });

    describe("AWS Load Balancer Controller", () => {
        it("gets an IRSA role with the vendored upstream policy, verbatim, in the provider's partition", async () => {
            const { rec } = await build();
            const r = role(rec, "cnc-lb-controller-role");
            const policies = rec.ofType(T.rolePolicy).filter((p) => p.inputs.role === r.state.name);
            assert.equal(policies.length, 1);
            assert.deepEqual(JSON.parse(policies[0].inputs.policy), JSON.parse(loadBalancerControllerPolicyJson("aws")));
            assert.equal(rec.ofType(T.attachment).filter((a) => a.inputs.role === r.state.name).length, 0, "no managed policies");
            assert.ok(rec.invokes.some((i) => i.token === "aws:index/getPartition:getPartition"), "the partition comes from the provider");
        });

        for (const partition of ["aws-us-gov", "aws-cn"]) {
            it(`refuses the ${partition} partition at preview, naming it, before any IAM role or the cluster is registered`, async () => {
                const rec = await setupPulumi({ call: (a) => (a.token === "aws:index/getPartition:getPartition" ? { partition, dnsSuffix: "amazonaws.com", id: partition } : undefined) });
                await assert.rejects(
                    () => runProgram(() => ({ arn: new CommandControlCluster("cnc", clusterArgs()).clusterArn })),
                    (e: unknown) => new RegExp(`CommandControlCluster cnc: the provider's AWS partition: expected the commercial AWS partition \\(aws\\): ${partition} .*, found "${partition}"`).test(String(e)),
                );
                assert.deepEqual(rec.ofType(T.role), []);
                assert.deepEqual(rec.ofType(T.cluster), []);
            });
        }

        it("is installed from the pinned eks-charts chart with cluster name, region, VPC and the IRSA annotation", async () => {
            const { rec } = await build();
            const lbc = release(rec, "aws-load-balancer-controller");
            assert.equal(lbc.inputs.version, "1.17.1");
            assert.equal(lbc.inputs.version, versions.cluster.charts.awsLoadBalancerController.version);
            assert.deepEqual(lbc.inputs.repositoryOpts, { repo: "https://aws.github.io/eks-charts" });
            assert.equal(lbc.inputs.namespace, "kube-system");
            const v = lbc.inputs.values;
            assert.equal(v.clusterName, "cloud-test-cnc");
            assert.equal(v.region, DEFAULT_REGION);
            assert.equal(v.vpcId, VPC_ID);
            assert.equal(v.serviceAccount.name, "aws-load-balancer-controller");
            assert.equal(v.serviceAccount.annotations["eks.amazonaws.com/role-arn"], role(rec, "cnc-lb-controller-role").state.arn);
        });

        it("installs no ingress-nginx: the only charts are the LB controller, metrics-server and the Cluster Autoscaler", async () => {
            const { rec } = await build();
            assert.deepEqual(rec.ofType(T.release).map((r) => r.inputs.chart).sort(), ["aws-load-balancer-controller", "cluster-autoscaler", "metrics-server"]);
            const mentions = rec.resources.filter((r) => strings(r.inputs).some((s) => /ingress-nginx|nginx-ingress/i.test(s)));
            assert.deepEqual(mentions.map((r) => r.name), []);
        });
    });

    describe("metrics-server and Cluster Autoscaler", () => {
        it("pins metrics-server", async () => {
            const { rec } = await build();
            const ms = release(rec, "metrics-server");
            assert.equal(ms.inputs.version, versions.cluster.charts.metricsServer.version);
            assert.deepEqual(ms.inputs.repositoryOpts, { repo: versions.cluster.charts.metricsServer.repo });
        });

        it("runs the Cluster Autoscaler pinned, discovering this cluster's groups, image matching the control plane", async () => {
            for (const minor of ["1.34", "1.35", "1.36"] as const) {
                const { rec } = await build({ kubernetesVersion: minor, extendedSupport: minor === "1.34" });
                const ca = release(rec, "cluster-autoscaler");
                assert.equal(ca.inputs.version, versions.cluster.charts.clusterAutoscaler.version);
                assert.deepEqual(ca.inputs.repositoryOpts, { repo: "https://kubernetes.github.io/autoscaler" });
                assert.equal(ca.inputs.values.autoDiscovery.clusterName, "cloud-test-cnc");
                assert.equal(ca.inputs.values.awsRegion, DEFAULT_REGION);
                assert.equal(ca.inputs.values.image.tag, versions.cluster.clusterAutoscalerImage[minor]);
                assert.ok(ca.inputs.values.image.tag.startsWith(`v${minor}.`));
                assert.equal(ca.inputs.values.rbac.serviceAccount.name, "cluster-autoscaler");
                assert.equal(ca.inputs.values.rbac.serviceAccount.annotations["eks.amazonaws.com/role-arn"], role(rec, "cnc-cluster-autoscaler-role").state.arn);
            }
        });

        it("lets the autoscaler change only this cluster's groups", async () => {
            const { rec } = await build();
            const r = role(rec, "cnc-cluster-autoscaler-role");
            const doc = JSON.parse(rec.ofType(T.rolePolicy).find((p) => p.inputs.role === r.state.name)!.inputs.policy);
            const mutate = doc.Statement.find((s: any) => ([] as string[]).concat(s.Action).includes("autoscaling:SetDesiredCapacity"));
            assert.deepEqual(mutate.Condition, { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/cloud-test-cnc": "owned" } });
            const describeNg = doc.Statement.find((s: any) => s.Action === "eks:DescribeNodegroup");
            assert.equal(describeNg.Resource, `arn:aws:eks:${DEFAULT_REGION}:${ACCOUNT_ID}:nodegroup/cloud-test-cnc/*`);
        });
    });

    describe("Kubernetes provider and outputs", () => {
        it("deploys everything in-cluster through one provider built from the cluster's kubeconfig, after the nodes", async () => {
            const { rec } = await build();
            const provider = rec.one(T.k8sProvider);
            assert.equal(provider.inputs.kubeconfig, rec.one(T.cluster).state.kubeconfigJson);
            assert.ok(provider.secretInputs.includes("kubeconfig"), "kubeconfig must stay secret");
            const inCluster = [...rec.ofType(T.release), ...rec.ofType(T.storageClass)];
            assert.equal(inCluster.length, 4);
            const ng = rec.one(T.nodeGroup);
            for (const r of inCluster) {
                assert.ok(r.provider.startsWith(provider.urn), `${r.name} must use the cluster's provider`);
                assert.ok(r.dependencies.includes(ng.urn), `${r.name} must wait for the nodes`);
            }
        });

        it("installs the other charts only after the Load Balancer Controller (its Service webhook fails closed)", async () => {
            const { rec } = await build();
            const lbc = rec.ofType(T.release).find((r) => r.inputs.name === "aws-load-balancer-controller")!;
            for (const chart of ["metrics-server", "cluster-autoscaler"]) {
                const r = rec.ofType(T.release).find((x) => x.inputs.name === chart)!;
                assert.ok(r.dependencies.includes(lbc.urn), `${chart} must wait for the Load Balancer Controller`);
            }
        });

        it("exports the kubeconfig as a secret, and kubernetesProvider builds a provider from it", async () => {
            const { rec, c } = await build();
            assert.equal(await isSecret(c.kubeconfig), true);
            assert.equal(await valueOf(c.kubeconfig), rec.one(T.cluster).state.kubeconfigJson);
            kubernetesProvider("composition-k8s", c);
            await settle();
            const p = rec.one(T.k8sProvider, "composition-k8s");
            assert.equal(p.inputs.kubeconfig, rec.one(T.cluster).state.kubeconfigJson);
            assert.deepEqual(p.secretInputs, ["kubeconfig"]);
        });

        it("parents every child to the component and names it after the component", async () => {
            const { rec } = await build(undefined, "c2");
            for (const r of children(rec)) {
                assert.match(r.parent, /cloud-cnc:index:CommandControlCluster::c2$/, `${r.type} ${r.name} has parent ${r.parent}`);
                assert.ok(r.name.startsWith("c2-"), `${r.name} is not named c2-<role>`);
            }
        });
    });

    describe("invalid args", () => {
        const cases: Array<[string, Parameters<typeof clusterArgs>[0], string]> = [
            ["a malformed Kubernetes version", { kubernetesVersion: "1.9" }, 'kubernetesVersion: expected a Kubernetes minor version such as 1.36, found "1.9"'],
            [
                "a Kubernetes minor the EKS support table does not know",
                { kubernetesVersion: "1.29" },
                /^kubernetesVersion: expected a Kubernetes minor of the EKS support table \(1\.33, 1\.34, 1\.35, 1\.36; in standard support on \d{4}-\d{2}-\d{2}: [0-9., ]+\), found "1\.29"$/.source,
            ],
            ["a Kubernetes minor past standard support without extendedSupport", { kubernetesVersion: "1.33" }, /^kubernetesVersion: expected a Kubernetes minor in EKS standard support on .* 1\.33 left standard support on 2026-07-29; .*, found "1\.33"$/.source],
            ["an add-on version that is not EKS's form", { addonVersions: { "vpc-cni": "1.20.4" } }, 'addonVersions.vpc-cni: expected an EKS add-on version such as v1.20.4-eksbuild.2 (aws eks describe-addon-versions), found "1.20.4"'],
            [
                "minSize above maxSize",
                { nodeGroups: [{ name: "system", instanceTypes: ["m7i.large"], minSize: 5, maxSize: 3, desiredSize: 3, diskSizeGiB: 50 }] },
                "nodeGroups[0].minSize: expected a number no larger than maxSize (3), found 5",
            ],
            [
                "desiredSize outside min..max",
                { nodeGroups: [{ name: "system", instanceTypes: ["m7i.large"], minSize: 1, maxSize: 3, desiredSize: 4, diskSizeGiB: 50 }] },
                "nodeGroups[0].desiredSize: expected a number between minSize (1) and maxSize (3), found 4",
            ],
            ["a user ARN as admin role", { adminRoleArns: ["arn:aws:iam::123456789012:user/alice"] }, 'adminRoleArns[0]: expected an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin, found "arn:aws:iam::123456789012:user/alice"'],
            ["a made-up instance type", { nodeGroups: [{ name: "system", instanceTypes: ["large"], minSize: 1, maxSize: 2, desiredSize: 1, diskSizeGiB: 50 }] }, 'nodeGroups[0].instanceTypes[0]: expected an EC2 instance type such as m7i.large, found "large"'],
            // The shared formats of components/common/formats.ts, as every component reports them.
            ["a retention CloudWatch does not offer", { logRetentionDays: 45 }, "logRetentionDays: expected one of CloudWatch Logs' retention periods in days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, found 45"],
            ["a malformed private CIDR", { privateAccessCidrs: ["10.0.0.1/16"] }, 'privateAccessCidrs[0]: expected the network address of the block (10.0.0.0/16), found "10.0.0.1/16"'],
            ["a private CIDR that is no CIDR", { privateAccessCidrs: ["10.0.0.0/33"] }, 'privateAccessCidrs[0]: expected an IPv4 CIDR block such as 10.0.0.0/16, found "10.0.0.0/33"'],
            ["no admin role", { adminRoleArns: [] }, "adminRoleArns: expected a list of at least 1 IAM role ARN (the cluster administrators), found []"],
            ["no profile", { profile: undefined }, 'profile: expected a sizing profile: "production" or "development", found nothing'],
            ["an unknown arg", { nodeCount: 3 } as any, /^nodeCount: expected no unknown key here \(known keys: clusterName, kubernetesVersion, .*tags\), found a value \(hidden\)$/.source],
        ];
        for (const [title, overrides, problem] of cases) {
            it(`rejects ${title}, naming field, expected form and value, before any child`, async () => {
                const rec = await setupPulumi();
                const message = thrown(() => new CommandControlCluster("cnc", clusterArgs(overrides)));
                if (problem.startsWith("^")) assert.match(message, new RegExp(`^CommandControlCluster cnc: 1 invalid setting:\n  - ${problem.slice(1)}`));
                else assert.equal(message, `CommandControlCluster cnc: 1 invalid setting:\n  - ${problem}`);
                await settle();
                assert.deepEqual(children(rec), []);
            });
        }

        it("rejects duplicate node group names and mixed architectures", async () => {
            await setupPulumi();
            const g = { instanceTypes: ["m7i.large"], minSize: 1, maxSize: 2, desiredSize: 1, diskSizeGiB: 50 };
            const message = thrown(() => new CommandControlCluster("cnc", clusterArgs({ nodeGroups: [{ name: "a", ...g }, { name: "a", ...g, instanceTypes: ["m7i.large", "m7g.large"] }] })));
            assert.equal(
                message,
                [
                    "CommandControlCluster cnc: 2 invalid settings:",
                    '  - nodeGroups[1].name: expected a node group name not already used (same as nodeGroups[0].name), found "a"',
                    '  - nodeGroups[1].instanceTypes: expected instance types of one architecture (all Graviton or all x86_64), found ["m7i.large","m7g.large"]',
                ].join("\n"),
            );
        });

        it("reports every problem together in one InvalidArgsError", async () => {
            await setupPulumi();
            let error: unknown;
            try {
                new CommandControlCluster(
                    "cnc",
                    clusterArgs({
                        kubernetesVersion: "v1.36",
                        endpointPublicAccess: true,
                        adminRoleArns: ["not-an-arn"],
                        nodeGroups: [{ name: "System", instanceTypes: ["m7i.large"], minSize: 3, maxSize: 1, desiredSize: 1, diskSizeGiB: 10 }],
                        vpcId: "vpc-x",
                    }),
                );
            } catch (e) {
                error = e;
            }
            assert.ok(error instanceof InvalidArgsError);
            assert.deepEqual(
                error.problems.map((p) => p.field),
                // Each field's own form first (in the order of the schema), then the rules across fields.
                ["kubernetesVersion", "adminRoleArns[0]", "nodeGroups[0].name", "nodeGroups[0].diskSizeGiB", "vpcId", "publicAccessCidrs", "nodeGroups[0].minSize"],
            );
            assert.match(error.message, /^CommandControlCluster cnc: 7 invalid settings:\n/);
        });
    });
});
