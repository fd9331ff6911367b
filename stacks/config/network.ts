// The `cloud-cnc:network` config section: CommandControlNetwork's own schema without the keys the
// composition supplies. Rules, messages and defaults live in components/network/schema.ts.
import { z } from "zod";
import { allRules } from "../../components/common/schema";
import { networkArgsSchema, networkRules } from "../../components/network/schema";

/** Args the composition supplies: the stack-level settings. */
const COMPOSED = { environment: true, prefix: true, profile: true, deletionProtection: true } as const;

/** CommandControlNetwork's args as config. */
export const networkConfigSchema = networkArgsSchema.omit(COMPOSED).superRefine(...allRules(networkRules));

export type NetworkConfig = z.output<typeof networkConfigSchema>;
