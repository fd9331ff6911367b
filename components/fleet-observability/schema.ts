// FleetObservability's rule book: the one definition of its plain-data args (rules, messages,
// defaults, profile-dependent defaults). The component parses its args with it; the stack's
// `cloud-cnc:observability` config section is this schema without the keys the composition supplies.
import { z } from "zod";
import { awsRegion, containerResources, httpsUrl, k8sName, replicas } from "../common/formats";
import { ruleThresholdsSchema } from "./rules";
import { ProfileDefaults, input, profileSchema, withDefaults } from "../common/schema";

export const OBSERVABILITY_EXPECTED = {
    clusterId: "the C&C's clusterID label value, such as cloud-prod-cnc",
    runbookBaseUrl: "an https URL of the project's RUNBOOK.md, such as https://github.com/example/cloud-cnc/blob/main/RUNBOOK.md",
    rdsInstanceId: "an RDS instance identifier (1-63 lowercase letters, digits and '-', starting with a letter)",
    domainName: "an OpenSearch domain name (3-28 lowercase letters, digits and '-', starting with a letter)",
    functionName: "a Lambda function name (1-64 letters, digits, '-' and '_')",
    queueName: "an SQS queue name (1-80 letters, digits, '-' and '_', optionally ending .fifo)",
    url: "an http(s) URL of a Service in the cluster, such as http://provisioner.provisioner.svc:8075",
} as const;

const text = (expected: string, re: RegExp) => z.string(expected).refine((v) => re.test(v), expected);

/** Every arg of FleetObservability: field rules, messages and plain defaults. */
export const fleetObservabilityArgsSchema = z
    .object({
        profile: profileSchema,
        region: awsRegion(),
        /** The C&C's own clusterID (ThanosFederation's clusterId). */
        clusterId: text(OBSERVABILITY_EXPECTED.clusterId, /^[A-Za-z0-9._-]{1,63}$/),
        namespace: k8sName().default("monitoring"),
        runbookBaseUrl: httpsUrl(OBSERVABILITY_EXPECTED.runbookBaseUrl),
        /** The provisioner's API inside the cluster (ProvisionerServer's apiUrl): the json exporter reads clusters and installations from it. */
        provisionerApiUrl: input(text(OBSERVABILITY_EXPECTED.url, /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?(\/\S*)?$/)),
        openSearchDomainName: input(text(OBSERVABILITY_EXPECTED.domainName, /^[a-z][a-z0-9-]{2,27}$/)).optional(),
        rdsInstanceIds: input(z.array(input(text(OBSERVABILITY_EXPECTED.rdsInstanceId, /^[a-z](?!.*--)[a-z0-9-]{0,62}$/)))).optional(),
        registrarFunctionName: input(text(OBSERVABILITY_EXPECTED.functionName, /^[A-Za-z0-9_-]{1,64}$/)).optional(),
        registrarDlqName: input(text(OBSERVABILITY_EXPECTED.queueName, /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/)).optional(),
        /** Alert thresholds: the rule book of rules.ts (ruleThresholdsSchema), each defaulted to the value. */
        alerts: ruleThresholdsSchema.prefault({}),
        blackbox: z
            .object({
                replicas: replicas(5).optional(),
                resources: containerResources({ cpuRequest: "50m", memoryRequest: "64Mi", cpuLimit: "500m", memoryLimit: "256Mi" }),
            })
            .strict()
            .prefault({}),
        jsonExporter: z
            .object({
                resources: containerResources({ cpuRequest: "50m", memoryRequest: "64Mi", cpuLimit: "250m", memoryLimit: "128Mi" }),
            })
            .strict()
            .prefault({}),
    })
    .strict();

export type FleetObservabilityArgsInput = z.input<typeof fleetObservabilityArgsSchema>;

/** Production probes from two replicas (one node lost does not page every installation). */
export const OBSERVABILITY_PROFILE_DEFAULTS = {
    production: { blackbox: { replicas: 2 } },
    development: { blackbox: { replicas: 1 } },
} satisfies ProfileDefaults<z.output<typeof fleetObservabilityArgsSchema>>;

export interface FleetObservabilitySettings extends Omit<z.output<typeof fleetObservabilityArgsSchema>, "blackbox"> {
    blackbox: { replicas: number; resources: z.output<typeof fleetObservabilityArgsSchema>["blackbox"]["resources"] };
}

/** The args parsed into settings: every default applied. */
export const fleetObservabilitySchema = fleetObservabilityArgsSchema.transform((a): FleetObservabilitySettings => withDefaults(a, OBSERVABILITY_PROFILE_DEFAULTS[a.profile]) as FleetObservabilitySettings);
