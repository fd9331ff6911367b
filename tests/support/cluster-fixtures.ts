// Shared fixtures for the CommandControlCluster tests.
import { CommandControlClusterArgs } from "../../components/cluster";
import { Recorder, RecordedResource } from "./pulumi-harness";

export const ADMIN_ROLES = ["arn:aws:iam::123456789012:role/platform-admin", "arn:aws:iam::123456789012:role/sre/oncall"];
export const PRIVATE_SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"];
export const PUBLIC_SUBNETS = ["subnet-0a1b2c3d4e5f60101", "subnet-0a1b2c3d4e5f60102", "subnet-0a1b2c3d4e5f60103"];
export const VPC_ID = "vpc-0a1b2c3d4e5f60000";

/** Valid args for a small cluster; override fields per test. */
export function clusterArgs(overrides: Partial<CommandControlClusterArgs> = {}): CommandControlClusterArgs {
    return {
        clusterName: "cloud-test-cnc",
        profile: "development",
        vpcId: VPC_ID,
        privateSubnetIds: PRIVATE_SUBNETS,
        publicSubnetIds: PUBLIC_SUBNETS,
        kubernetesVersion: "1.36",
        adminRoleArns: ADMIN_ROLES,
        nodeGroups: [
            {
                name: "system",
                instanceTypes: ["t3.large", "m7i.large"],
                minSize: 2,
                maxSize: 4,
                desiredSize: 2,
                diskSizeGiB: 60,
                labels: { role: "system" },
                taints: [{ key: "dedicated", value: "system", effect: "PREFER_NO_SCHEDULE" }],
            },
        ],
        logRetentionDays: 30,
        ...overrides,
    };
}

/** Resources other than the component itself (to prove validation ran before any child). */
export function children(rec: Recorder): RecordedResource[] {
    return rec.resources.filter((r) => r.type !== "cloud-cnc:index:CommandControlCluster");
}

/** The message of the error a function throws (fails if it does not throw). */
export function thrown(fn: () => unknown): string {
    try {
        fn();
    } catch (e) {
        return (e as Error).message;
    }
    throw new Error("expected an error, none was thrown");
}
