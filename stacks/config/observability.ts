// The `cloud-cnc:observability` config section: FleetObservability's own schema without the keys
// the composition supplies. Rules, messages and defaults live in components/fleet-observability/schema.ts.
import { z } from "zod";
import { fleetObservabilityArgsSchema } from "../../components/fleet-observability/schema";

/** Args the composition supplies: stack-level settings, the C&C's clusterID and the other components' names. */
const COMPOSED = {
    profile: true,
    region: true,
    clusterId: true,
    namespace: true,
    provisionerApiUrl: true,
    openSearchDomainName: true,
    rdsInstanceIds: true,
    registrarFunctionName: true,
    registrarDlqName: true,
} as const;

/** FleetObservability's args as config: the runbook URL, alert thresholds, exporter sizing. */
export const observabilityConfigSchema = fleetObservabilityArgsSchema.omit(COMPOSED);

export type ObservabilityConfig = z.output<typeof observabilityConfigSchema>;
