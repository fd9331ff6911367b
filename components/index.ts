// The public component package: every component class and its Args type.
export * from "./common/errors";
export * from "./network";
export * from "./cluster";
export * from "./thanos-federation";
export * from "./dns-registrar";
export * from "./logging";
export * from "./provisioner";
export * from "./fleet-observability";
export * from "./app-ingress";
export * from "./service-dns";
export * from "./workload-monitoring";
export { ARGS_SCHEMAS } from "./schemas";
