// The `cloud-cnc:logging` config section: LoggingPipeline's own schema without the keys the
// composition supplies. Rules, messages and defaults live in components/logging/schema.ts.
import { z } from "zod";
import { allRules } from "../../components/common/schema";
import { loggingPipelineArgsSchema, loggingRules } from "../../components/logging/schema";

/** Args the composition supplies: stack-level settings, the network, the cluster's security group and OIDC provider. */
const COMPOSED = {
    environment: true,
    prefix: true,
    profile: true,
    vpcId: true,
    subnetIds: true,
    allowedSecurityGroupIds: true,
    oidcProviderArn: true,
    oidcProviderUrl: true,
    alarmTopicArn: true,
    deletionProtection: true,
    tags: true,
} as const;

/** LoggingPipeline's args as config. `clusterId` defaults to the cluster's name (the composition fills it in). */
export const loggingConfigSchema = loggingPipelineArgsSchema.omit(COMPOSED).partial({ clusterId: true }).superRefine(...allRules(loggingRules));

export type LoggingConfig = z.output<typeof loggingConfigSchema>;
