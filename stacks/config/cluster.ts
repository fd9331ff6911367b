// The `cloud-cnc:cluster` config section: CommandControlCluster's own schema without the keys the
// composition supplies. Rules, messages and defaults live in components/cluster/schema.ts.
import { z } from "zod";
import { allRules } from "../../components/common/schema";
import { clusterArgsSchema, clusterRules } from "../../components/cluster/schema";

/**
 * Args the composition supplies: the cluster's name (`<prefix>-<env>-cnc`), the network's VPC and
 * subnets, and the stack-level profile and deletion protection. Tags are not among them: the
 * stack's tags reach every resource through the AWS provider's defaultTags.
 */
const COMPOSED = {
    clusterName: true,
    vpcId: true,
    privateSubnetIds: true,
    publicSubnetIds: true,
    profile: true,
    deletionProtection: true,
    tags: true,
} as const;

/** CommandControlCluster's args as config. */
export const clusterConfigSchema = clusterArgsSchema.omit(COMPOSED).superRefine(...allRules(clusterRules));

export type ClusterConfig = z.output<typeof clusterConfigSchema>;
