// The `cloud-cnc:logging` config section: LoggingPipeline's own schema without the keys the
// composition supplies. Rules, messages and defaults live in components/logging/schema.ts.
import { z } from "zod";
import { allRules } from "../../components/common/schema";
import { loggingPipelineArgsSchema, loggingRules, loggingSamlSchema } from "../../components/logging/schema";

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
    // opensearch.<apps domain> with the apps certificate, when cloud-cnc:ingress is configured.
    customEndpoint: true,
} as const;

/** LoggingPipeline's args as config. `clusterId` defaults to the cluster's name (the composition fills it in). */
export const loggingConfigSchema = loggingPipelineArgsSchema
    .omit(COMPOSED)
    .partial({ clusterId: true })
    // SAML's groups come from cloud-cnc:ingress.groups (admin[0] is the master backend role, editors and viewers read).
    .extend({ saml: loggingSamlSchema.omit({ adminGroup: true, readerGroups: true }).optional() })
    .superRefine(...allRules(loggingRules));

export type LoggingConfig = z.output<typeof loggingConfigSchema>;
