// Every public component's args schema (its rule book), by class name. The package test keeps
// each equal to the Args interface Pulumi's component analyzer reads (keys, types, optionality,
// Input-ness); a component without an entry here fails that test.
import type { z } from "zod";
import { appIngressArgsSchema, ingressCertificateArgsSchema } from "./app-ingress/schema";
import { clusterArgsSchema } from "./cluster/schema";
import { dnsRegistrarArgsSchema } from "./dns-registrar/schema";
import { fleetObservabilityArgsSchema } from "./fleet-observability/schema";
import { loggingPipelineArgsSchema } from "./logging/schema";
import { networkArgsSchema } from "./network/schema";
import { provisionerArgsSchema } from "./provisioner/schema";
import { serviceDnsArgsSchema } from "./service-dns/schema";
import { workloadMonitoringArgsSchema } from "./workload-monitoring/schema";
import { thanosFederationArgsSchema } from "./thanos-federation/schema";

export const ARGS_SCHEMAS: Readonly<Record<string, z.ZodObject>> = {
    CommandControlNetwork: networkArgsSchema,
    CommandControlCluster: clusterArgsSchema,
    ThanosFederation: thanosFederationArgsSchema,
    LoggingPipeline: loggingPipelineArgsSchema,
    ProvisionerServer: provisionerArgsSchema,
    DnsRegistrar: dnsRegistrarArgsSchema,
    FleetObservability: fleetObservabilityArgsSchema,
    AppIngress: appIngressArgsSchema,
    IngressCertificate: ingressCertificateArgsSchema,
    ServiceDnsRecords: serviceDnsArgsSchema,
    WorkloadClusterMonitoring: workloadMonitoringArgsSchema,
};
